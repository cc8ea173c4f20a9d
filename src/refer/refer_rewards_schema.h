// The "refer_rewards" schema component (after "refer"): what the reward and attribution options need beyond the
// first referral schema. A component of its own so it evolves apart from "refer". Append a step to change it;
// never edit a step that has shipped.
#pragma once

#include <vector>

#include "vouch/store/sqlite_db.h"

namespace vouch::refer {

inline const std::vector<store::Migration>& ReferRewardsMigrations() {
  static const std::vector<store::Migration> steps = {
      {1, R"sql(
ALTER TABLE refer_programs ADD COLUMN lifetime_customers INTEGER NOT NULL DEFAULT 0;
-- The friend's side of a two-sided program: a discount or credit the referred customer is owed.
CREATE TABLE refer_friend_rewards (
  id          INTEGER PRIMARY KEY,
  program_id  INTEGER NOT NULL REFERENCES refer_programs(id),
  customer_id INTEGER NOT NULL REFERENCES refer_customers(id),
  advocate_id INTEGER NOT NULL REFERENCES refer_advocates(id),
  event       TEXT NOT NULL CHECK (event IN ('lead', 'sale')),
  sale_id     INTEGER REFERENCES refer_sales(id),
  amount      INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX refer_friend_rewards_customer ON refer_friend_rewards(customer_id);
CREATE INDEX refer_sales_customer ON refer_sales(customer_id, id);
-- Tiers count an advocate's referrals; the circular-referral rule walks advocate person -> customers.
CREATE INDEX refer_sales_lead ON refer_sales(lead_id);
CREATE INDEX refer_advocates_person ON refer_advocates(person_id);
CREATE INDEX refer_links_advocate ON refer_links(advocate_id);
CREATE INDEX refer_leads_link ON refer_leads(link_id);
)sql"},
      {2, R"sql(
-- A refund of the sale a friend reward came with claws it back in proportion: reversed is what was taken back
-- from the customer's credit, unrecovered what the refund called for but the customer had already spent.
ALTER TABLE refer_friend_rewards ADD COLUMN reversed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE refer_friend_rewards ADD COLUMN unrecovered INTEGER NOT NULL DEFAULT 0;
CREATE INDEX refer_friend_rewards_sale ON refer_friend_rewards(sale_id);
-- Credit a customer spent, once per redemption_id (the shop's idempotency key); response is the answer given the
-- first time, answered again on a replay.
CREATE TABLE refer_credit_redemptions (
  id            INTEGER PRIMARY KEY,
  redemption_id TEXT NOT NULL UNIQUE,
  customer_id   INTEGER NOT NULL REFERENCES refer_customers(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),
  currency      TEXT NOT NULL,
  invoice_id    TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  response      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX refer_credit_redemptions_customer ON refer_credit_redemptions(customer_id, id);
)sql"},
  };
  return steps;
}

}  // namespace vouch::refer
