// The "refer" schema component: the referral service's tables. Append a step to change it; never edit a step
// that has shipped.
#pragma once

#include <vector>

#include "vouch/store/sqlite_db.h"

namespace vouch::refer {

inline const std::vector<store::Migration>& ReferMigrations() {
  static const std::vector<store::Migration> steps = {
      {1, R"sql(
CREATE TABLE refer_api_keys (
  id         INTEGER PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE,          -- SHA-256 hex of the key; the key is never stored
  prefix     TEXT NOT NULL,
  scope      TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  created_at INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE refer_programs (
  id                      INTEGER PRIMARY KEY,
  name                    TEXT NOT NULL,
  destination_url         TEXT NOT NULL,
  currency                TEXT NOT NULL,
  rewards                 TEXT NOT NULL,      -- JSON array of rules, percentages in basis points
  hold_days               INTEGER NOT NULL,
  attribution_window_days INTEGER NOT NULL,
  attribution             TEXT NOT NULL CHECK (attribution IN ('last_click', 'first_click')),
  fraud_mode              TEXT NOT NULL CHECK (fraud_mode IN ('strict', 'loose')),
  min_conversion_seconds  INTEGER NOT NULL,
  created_at              INTEGER NOT NULL
);
CREATE TABLE refer_advocates (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL,
  email             TEXT NOT NULL UNIQUE,
  email_canonical   TEXT NOT NULL,
  external_id       TEXT NOT NULL DEFAULT '',
  person_id         INTEGER NOT NULL,          -- core people(id)
  signup_ip         TEXT NOT NULL DEFAULT '',
  signup_user_agent TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL
);
CREATE TABLE refer_links (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  program_id  INTEGER NOT NULL REFERENCES refer_programs(id),
  advocate_id INTEGER NOT NULL REFERENCES refer_advocates(id),
  vanity      INTEGER NOT NULL,
  disabled    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE TABLE refer_clicks (
  id         INTEGER PRIMARY KEY,
  token      TEXT NOT NULL UNIQUE,
  link_id    INTEGER NOT NULL REFERENCES refer_links(id),
  at_ms      INTEGER NOT NULL,
  ip         TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  visitor    TEXT NOT NULL,
  counted    INTEGER NOT NULL,
  bot        INTEGER NOT NULL,
  head       INTEGER NOT NULL
);
CREATE INDEX refer_clicks_visitor ON refer_clicks(link_id, visitor, at_ms);
CREATE INDEX refer_clicks_ip ON refer_clicks(link_id, ip, at_ms);
CREATE TABLE refer_customers (
  id              INTEGER PRIMARY KEY,
  external_id     TEXT NOT NULL UNIQUE,
  email           TEXT NOT NULL DEFAULT '',
  email_canonical TEXT NOT NULL DEFAULT '',
  person_id       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE refer_leads (
  id          INTEGER PRIMARY KEY,
  click_id    INTEGER NOT NULL REFERENCES refer_clicks(id),
  customer_id INTEGER NOT NULL REFERENCES refer_customers(id),
  link_id     INTEGER NOT NULL REFERENCES refer_links(id),
  at          INTEGER NOT NULL,
  UNIQUE (click_id, customer_id)
);
CREATE INDEX refer_leads_customer ON refer_leads(customer_id);
CREATE TABLE refer_sales (
  id          INTEGER PRIMARY KEY,
  invoice_id  TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES refer_customers(id),
  amount      INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  at          INTEGER NOT NULL,
  lead_id     INTEGER REFERENCES refer_leads(id),
  refunded    INTEGER NOT NULL DEFAULT 0,
  response    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE refer_refunds (
  id      INTEGER PRIMARY KEY,
  sale_id INTEGER NOT NULL REFERENCES refer_sales(id),
  amount  INTEGER NOT NULL,
  at      INTEGER NOT NULL
);
CREATE TABLE refer_payouts (
  id          INTEGER PRIMARY KEY,
  advocate_id INTEGER NOT NULL REFERENCES refer_advocates(id),
  amount      INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  commissions INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE refer_commissions (
  id          INTEGER PRIMARY KEY,
  program_id  INTEGER NOT NULL REFERENCES refer_programs(id),
  advocate_id INTEGER NOT NULL REFERENCES refer_advocates(id),
  event       TEXT NOT NULL CHECK (event IN ('click', 'lead', 'sale')),
  sale_id     INTEGER REFERENCES refer_sales(id),
  invoice_id  TEXT,
  amount      INTEGER NOT NULL,
  reversed    INTEGER NOT NULL DEFAULT 0,
  currency    TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'paid', 'reversed', 'hold', 'rejected')),
  approve_at  INTEGER NOT NULL,
  payout_id   INTEGER REFERENCES refer_payouts(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX refer_commissions_advocate ON refer_commissions(advocate_id, id);
CREATE INDEX refer_commissions_sale ON refer_commissions(sale_id);
CREATE INDEX refer_commissions_due ON refer_commissions(status, approve_at);
CREATE TABLE refer_fraud_hits (
  id            INTEGER PRIMARY KEY,
  commission_id INTEGER NOT NULL REFERENCES refer_commissions(id),
  rule          TEXT NOT NULL,
  reason        TEXT NOT NULL,
  at            INTEGER NOT NULL
);
CREATE INDEX refer_fraud_hits_commission ON refer_fraud_hits(commission_id);
CREATE TABLE refer_ledger_txns (
  id   INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  ref  TEXT NOT NULL,
  at   INTEGER NOT NULL
);
CREATE TABLE refer_ledger_entries (
  id       INTEGER PRIMARY KEY,
  txn_id   INTEGER NOT NULL REFERENCES refer_ledger_txns(id),
  account  TEXT NOT NULL,
  amount   INTEGER NOT NULL,
  currency TEXT NOT NULL
);
CREATE INDEX refer_ledger_entries_account ON refer_ledger_entries(account, currency);
)sql"},
      // The event outbox: written in the same transaction as the change it reports, read in order by id.
      {2, R"sql(
CREATE TABLE refer_events (
  id         INTEGER PRIMARY KEY,
  type       TEXT NOT NULL,          -- sale.created, commission.created, commission.approved, ...
  payload    TEXT NOT NULL,          -- JSON object
  created_at INTEGER NOT NULL
);
)sql"},
  };
  return steps;
}

}  // namespace vouch::refer
