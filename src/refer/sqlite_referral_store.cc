#include "vouch/refer/sqlite_referral_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "refer/refer_rewards_schema.h"
#include "refer/refer_schema.h"
#include "vouch/store/rows.h"

namespace vouch::refer {

using store::FirstRow;
using store::FirstValue;
using store::ForEachRow;
using store::Statement;

const char* KeyScopeName(KeyScope scope) { return scope == KeyScope::kWrite ? "write" : "read"; }

std::optional<KeyScope> ParseKeyScope(std::string_view name) {
  if (name == "read") return KeyScope::kRead;
  if (name == "write") return KeyScope::kWrite;
  return std::nullopt;
}

const char* CommissionStatusName(CommissionStatus status) {
  switch (status) {
    case CommissionStatus::kPending: return "pending";
    case CommissionStatus::kApproved: return "approved";
    case CommissionStatus::kPaid: return "paid";
    case CommissionStatus::kReversed: return "reversed";
    case CommissionStatus::kHold: return "hold";
    case CommissionStatus::kRejected: return "rejected";
  }
  return "pending";
}

std::optional<CommissionStatus> ParseCommissionStatus(std::string_view name) {
  for (auto s : {CommissionStatus::kPending, CommissionStatus::kApproved, CommissionStatus::kPaid,
                 CommissionStatus::kReversed, CommissionStatus::kHold, CommissionStatus::kRejected}) {
    if (name == CommissionStatusName(s)) return s;
  }
  return std::nullopt;
}

namespace {

// The store's record readers return Result<T> (a bad stored value is an error): ReadAll adapts them to
// store::ForEachRow, which steps, stops on an error and leaves q reset. (One row: store::FirstRow takes them as
// they are.)

template <typename T, typename Read>
Result<std::vector<T>> ReadAll(Statement& q, Read read) {
  std::vector<T> out;
  VOUCH_TRY(ForEachRow(q, [&](const Statement& row) -> Status {
    VOUCH_ASSIGN_OR_RETURN(T value, read(row));
    out.push_back(std::move(value));
    return Status::Ok();
  }));
  return out;
}

std::optional<int64_t> OptInt(const Statement& q, int column) {
  if (q.IsNull(column)) return std::nullopt;
  return q.Int(column);
}

constexpr const char* kProgramColumns =
    "id, name, destination_url, currency, rewards, hold_days, attribution_window_days, attribution, fraud_mode, "
    "min_conversion_seconds, created_at, lifetime_customers";

Result<Program> ReadProgram(const Statement& q) {
  Program p;
  p.id = q.Int(0);
  p.name = q.Text(1);
  p.destination_url = q.Text(2);
  p.currency = q.Text(3);
  auto rules = nlohmann::json::parse(q.Text(4), nullptr, /*allow_exceptions=*/false);
  VOUCH_ASSIGN_OR_RETURN(p.rewards, RewardRulesFromStorage(rules, p.id));
  p.hold_days = q.Int(5);
  p.attribution_window_days = q.Int(6);
  p.attribution = q.Text(7) == "first_click" ? AttributionModel::kFirstClick : AttributionModel::kLastClick;
  p.fraud_mode = q.Text(8) == "loose" ? FraudMode::kLoose : FraudMode::kStrict;
  p.min_conversion_seconds = q.Int(9);
  p.created_at = q.Int(10);
  p.lifetime_customers = q.Int(11) != 0;
  return p;
}

constexpr const char* kAdvocateColumns =
    "id, name, email, email_canonical, external_id, person_id, signup_ip, signup_user_agent, created_at";

Result<Advocate> ReadAdvocate(const Statement& q) {
  Advocate a;
  a.id = q.Int(0);
  a.name = q.Text(1);
  a.email = q.Text(2);
  a.email_canonical = q.Text(3);
  a.external_id = q.Text(4);
  a.person_id = q.Int(5);
  a.signup_ip = q.Text(6);
  a.signup_user_agent = q.Text(7);
  a.created_at = q.Int(8);
  return a;
}

Result<Link> ReadLink(const Statement& q) {
  Link l;
  l.id = q.Int(0);
  l.code = q.Text(1);
  l.program_id = q.Int(2);
  l.advocate_id = q.Int(3);
  l.vanity = q.Int(4) != 0;
  l.disabled = q.Int(5) != 0;
  l.created_at = q.Int(6);
  return l;
}

constexpr const char* kClickColumns = "id, token, link_id, at_ms, ip, user_agent, visitor, counted, bot, head";

Result<Click> ReadClick(const Statement& q) {
  Click c;
  c.id = q.Int(0);
  c.token = q.Text(1);
  c.link_id = q.Int(2);
  c.at_ms = q.Int(3);
  c.ip = q.Text(4);
  c.user_agent = q.Text(5);
  c.visitor = q.Text(6);
  c.counted = q.Int(7) != 0;
  c.bot = q.Int(8) != 0;
  c.head = q.Int(9) != 0;
  return c;
}

constexpr const char* kCommissionColumns =
    "id, program_id, advocate_id, event, sale_id, invoice_id, amount, reversed, currency, status, approve_at, "
    "payout_id, created_at";

Result<Commission> ReadCommission(const Statement& q) {
  Commission c;
  c.id = q.Int(0);
  c.program_id = q.Int(1);
  c.advocate_id = q.Int(2);
  auto ev = ParseRewardEvent(q.Text(3));
  if (!ev) return Status::Corruption(fmt::format("commission {}: unknown event", c.id));
  c.event = *ev;
  c.sale_id = OptInt(q, 4);
  if (!q.IsNull(5)) c.invoice_id = q.Text(5);
  c.amount = q.Int(6);
  c.reversed = q.Int(7);
  c.currency = q.Text(8);
  auto status = ParseCommissionStatus(q.Text(9));
  if (!status) return Status::Corruption(fmt::format("commission {}: unknown status", c.id));
  c.status = *status;
  c.approve_at = q.Int(10);
  c.payout_id = OptInt(q, 11);
  c.created_at = q.Int(12);
  return c;
}

}  // namespace

Result<std::unique_ptr<SqliteReferralStore>> SqliteReferralStore::Open(store::SqliteDb& db) {
  VOUCH_TRY(db.Migrate("refer", ReferMigrations()));
  VOUCH_TRY(db.Migrate("refer_rewards", ReferRewardsMigrations()));
  return std::unique_ptr<SqliteReferralStore>(new SqliteReferralStore(db));
}

// Transaction control runs once or twice per request on the server's hot path: prepared once and cached rather
// than parsed by sqlite3_exec every time.
namespace {
Status RunCached(store::SqliteDb& db, std::string_view sql) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db.Prepare(sql));
  return q->Run();
}
}  // namespace

Status SqliteReferralStore::Begin() { return RunCached(db_, "BEGIN IMMEDIATE"); }
Status SqliteReferralStore::Commit() { return RunCached(db_, "COMMIT"); }
void SqliteReferralStore::Rollback() {
  if (sqlite3_get_autocommit(db_.raw()) == 0) (void)db_.Exec("ROLLBACK");
}
Status SqliteReferralStore::Savepoint() { return RunCached(db_, "SAVEPOINT refer_request"); }
Status SqliteReferralStore::Release() { return RunCached(db_, "RELEASE refer_request"); }
void SqliteReferralStore::RollbackToSavepoint() {
  (void)RunCached(db_, "ROLLBACK TO refer_request");
  (void)RunCached(db_, "RELEASE refer_request");
}

// ---- API keys ----

Result<int64_t> SqliteReferralStore::InsertApiKey(const ApiKeyRecord& key) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_api_keys (hash, prefix, scope, created_at) "
                                                    "VALUES (?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, key.hash).Bind(2, key.prefix).Bind(3, KeyScopeName(key.scope)).Bind(4, key.created_at).Run());
  return db_.LastInsertId();
}

Result<std::optional<ApiKeyRecord>> SqliteReferralStore::FindApiKey(const std::string& hash) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, hash, prefix, scope, created_at, revoked "
                                                    "FROM refer_api_keys WHERE hash = ?"));
  q->Bind(1, hash);
  return FirstRow(*q, [](const Statement& s) -> Result<ApiKeyRecord> {
    ApiKeyRecord k;
    k.id = s.Int(0);
    k.hash = s.Text(1);
    k.prefix = s.Text(2);
    k.scope = s.Text(3) == "write" ? KeyScope::kWrite : KeyScope::kRead;
    k.created_at = s.Int(4);
    k.revoked = s.Int(5) != 0;
    return k;
  });
}

// ---- programs, advocates, links ----

Result<int64_t> SqliteReferralStore::InsertProgram(const Program& p) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("INSERT INTO refer_programs (name, destination_url, currency, rewards, "
                                     "hold_days, attribution_window_days, attribution, fraud_mode, min_conversion_seconds, "
                                     "created_at, lifetime_customers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, p.name)
                .Bind(2, p.destination_url)
                .Bind(3, p.currency)
                .Bind(4, RewardRulesToStorage(p.rewards).dump())
                .Bind(5, p.hold_days)
                .Bind(6, p.attribution_window_days)
                .Bind(7, p.attribution == AttributionModel::kFirstClick ? "first_click" : "last_click")
                .Bind(8, p.fraud_mode == FraudMode::kLoose ? "loose" : "strict")
                .Bind(9, p.min_conversion_seconds)
                .Bind(10, p.created_at)
                .Bind(11, p.lifetime_customers ? 1 : 0)
                .Run());
  return db_.LastInsertId();
}

Result<std::optional<Program>> SqliteReferralStore::GetProgram(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare(fmt::format("SELECT {} FROM refer_programs WHERE id = ?", kProgramColumns)));
  q->Bind(1, id);
  return FirstRow(*q, ReadProgram);
}

Result<int64_t> SqliteReferralStore::InsertAdvocate(const Advocate& a) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("INSERT INTO refer_advocates (name, email, email_canonical, external_id, "
                                     "person_id, signup_ip, signup_user_agent, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, a.name)
                .Bind(2, a.email)
                .Bind(3, a.email_canonical)
                .Bind(4, a.external_id)
                .Bind(5, a.person_id)
                .Bind(6, a.signup_ip)
                .Bind(7, a.signup_user_agent)
                .Bind(8, a.created_at)
                .Run());
  return db_.LastInsertId();
}

Result<std::optional<Advocate>> SqliteReferralStore::GetAdvocate(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare(fmt::format("SELECT {} FROM refer_advocates WHERE id = ?", kAdvocateColumns)));
  q->Bind(1, id);
  return FirstRow(*q, ReadAdvocate);
}

Result<std::optional<Advocate>> SqliteReferralStore::FindAdvocateByEmail(const std::string& email) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(fmt::format("SELECT {} FROM refer_advocates WHERE email = ?",
                                                                kAdvocateColumns)));
  q->Bind(1, email);
  return FirstRow(*q, ReadAdvocate);
}

Result<int64_t> SqliteReferralStore::InsertLink(const Link& l) {
  VOUCH_ASSIGN_OR_RETURN(Statement * find, db_.Prepare("SELECT 1 FROM refer_links WHERE code = ?"));
  find->Bind(1, l.code);
  VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> taken, FirstValue<int64_t>(*find));
  if (taken) return Status::AlreadyExists(fmt::format("code: '{}' is taken", l.code));
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_links (code, program_id, advocate_id, vanity, "
                                                    "disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, l.code)
                .Bind(2, l.program_id)
                .Bind(3, l.advocate_id)
                .Bind(4, int64_t{l.vanity ? 1 : 0})
                .Bind(5, int64_t{l.disabled ? 1 : 0})
                .Bind(6, l.created_at)
                .Run());
  return db_.LastInsertId();
}

Result<std::optional<Link>> SqliteReferralStore::FindLink(const std::string& code) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, code, program_id, advocate_id, vanity, disabled, "
                                                    "created_at FROM refer_links WHERE code = ?"));
  q->Bind(1, code);
  return FirstRow(*q, ReadLink);
}

Result<std::optional<Link>> SqliteReferralStore::GetLink(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, code, program_id, advocate_id, vanity, disabled, "
                                                    "created_at FROM refer_links WHERE id = ?"));
  q->Bind(1, id);
  return FirstRow(*q, ReadLink);
}

Status SqliteReferralStore::SetLinkDisabled(int64_t link_id, bool disabled) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_links SET disabled = ? WHERE id = ?"));
  return q->Bind(1, int64_t{disabled ? 1 : 0}).Bind(2, link_id).Run();
}

Result<std::pair<int64_t, int64_t>> SqliteReferralStore::LinkClickCounts(int64_t link_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT count(*), coalesce(sum(counted), 0) FROM refer_clicks "
                                                    "WHERE link_id = ?"));
  q->Bind(1, link_id);
  VOUCH_ASSIGN_OR_RETURN(auto row,
                         FirstRow(*q, [](const Statement& s) { return std::make_pair(s.Int(0), s.Int(1)); }));
  return row.value_or(std::make_pair(int64_t{0}, int64_t{0}));
}

// ---- clicks ----

Result<int64_t> SqliteReferralStore::InsertClick(const Click& c) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("INSERT INTO refer_clicks (token, link_id, at_ms, ip, user_agent, visitor, "
                                     "counted, bot, head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  // The redirect's hot path: c's strings outlive the step, so they are bound without SQLite's copy, and the
  // bindings are cleared before returning (nothing keeps pointing into c).
  Status run = q->BindStatic(1, c.token)
                   .Bind(2, c.link_id)
                   .Bind(3, c.at_ms)
                   .BindStatic(4, c.ip)
                   .BindStatic(5, c.user_agent)
                   .BindStatic(6, c.visitor)
                   .Bind(7, int64_t{c.counted ? 1 : 0})
                   .Bind(8, int64_t{c.bot ? 1 : 0})
                   .Bind(9, int64_t{c.head ? 1 : 0})
                   .Run();
  q->Reset();
  VOUCH_TRY(run);
  return db_.LastInsertId();
}

Result<std::optional<Click>> SqliteReferralStore::FindClick(const std::string& token) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare(fmt::format("SELECT {} FROM refer_clicks WHERE token = ?", kClickColumns)));
  q->Bind(1, token);
  return FirstRow(*q, ReadClick);
}

Result<std::optional<Click>> SqliteReferralStore::GetClick(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare(fmt::format("SELECT {} FROM refer_clicks WHERE id = ?", kClickColumns)));
  q->Bind(1, id);
  return FirstRow(*q, ReadClick);
}

Result<bool> SqliteReferralStore::HasCountedClick(int64_t link_id, const std::string& visitor, int64_t since_ms) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT 1 FROM refer_clicks WHERE link_id = ? AND visitor = ? "
                                                    "AND at_ms >= ? AND counted = 1 LIMIT 1"));
  q->Bind(1, link_id).Bind(2, visitor).Bind(3, since_ms);
  VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> counted, FirstValue<int64_t>(*q));
  return counted.has_value();
}

Result<int64_t> SqliteReferralStore::CountClicksFromIp(int64_t link_id, const std::string& ip, int64_t since_ms,
                                                       int64_t before_ms) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT count(*) FROM refer_clicks WHERE link_id = ? AND ip = ? "
                                                    "AND at_ms >= ? AND at_ms < ?"));
  q->Bind(1, link_id).Bind(2, ip).Bind(3, since_ms).Bind(4, before_ms);
  VOUCH_ASSIGN_OR_RETURN(auto n, FirstRow(*q, [](const Statement& s) -> Result<int64_t> { return s.Int(0); }));
  return n.value_or(0);
}

// ---- customers, leads, sales, refunds ----

Result<std::optional<Customer>> SqliteReferralStore::FindCustomer(const std::string& external_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, external_id, email, email_canonical, person_id "
                                                    "FROM refer_customers WHERE external_id = ?"));
  q->Bind(1, external_id);
  return FirstRow(*q, [](const Statement& s) -> Result<Customer> {
    Customer c;
    c.id = s.Int(0);
    c.external_id = s.Text(1);
    c.email = s.Text(2);
    c.email_canonical = s.Text(3);
    c.person_id = s.Int(4);
    return c;
  });
}

Result<int64_t> SqliteReferralStore::InsertCustomer(const Customer& c) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_customers (external_id, email, "
                                                    "email_canonical, person_id) VALUES (?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, c.external_id).Bind(2, c.email).Bind(3, c.email_canonical).Bind(4, c.person_id).Run());
  return db_.LastInsertId();
}

Status SqliteReferralStore::UpdateCustomerEmail(int64_t id, const std::string& email, const std::string& canonical,
                                                int64_t person_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_customers SET email = ?, email_canonical = ?, "
                                                    "person_id = ? WHERE id = ?"));
  return q->Bind(1, email).Bind(2, canonical).Bind(3, person_id).Bind(4, id).Run();
}

namespace {
Result<Lead> ReadLead(const Statement& s) {
  Lead l;
  l.id = s.Int(0);
  l.click_id = s.Int(1);
  l.customer_id = s.Int(2);
  l.link_id = s.Int(3);
  l.at = s.Int(4);
  l.click_at_ms = s.Int(5);
  return l;
}
}  // namespace

Result<std::optional<Lead>> SqliteReferralStore::FindLead(int64_t click_id, int64_t customer_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT l.id, l.click_id, l.customer_id, l.link_id, l.at, c.at_ms "
                                     "FROM refer_leads l JOIN refer_clicks c ON c.id = l.click_id "
                                     "WHERE l.click_id = ? AND l.customer_id = ?"));
  q->Bind(1, click_id).Bind(2, customer_id);
  return FirstRow(*q, ReadLead);
}

Result<int64_t> SqliteReferralStore::InsertLead(const Lead& l) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_leads (click_id, customer_id, link_id, at) "
                                                    "VALUES (?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, l.click_id).Bind(2, l.customer_id).Bind(3, l.link_id).Bind(4, l.at).Run());
  return db_.LastInsertId();
}

Result<std::vector<Lead>> SqliteReferralStore::LeadsOfCustomer(int64_t customer_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT l.id, l.click_id, l.customer_id, l.link_id, l.at, c.at_ms "
                                     "FROM refer_leads l JOIN refer_clicks c ON c.id = l.click_id "
                                     "WHERE l.customer_id = ? ORDER BY c.at_ms, l.id"));
  q->Bind(1, customer_id);
  return ReadAll<Lead>(*q, ReadLead);
}

Result<std::optional<Sale>> SqliteReferralStore::FindSale(const std::string& invoice_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, invoice_id, customer_id, amount, currency, at, "
                                                    "lead_id, refunded, response FROM refer_sales "
                                                    "WHERE invoice_id = ?"));
  q->Bind(1, invoice_id);
  return FirstRow(*q, [](const Statement& s) -> Result<Sale> {
    Sale sale;
    sale.id = s.Int(0);
    sale.invoice_id = s.Text(1);
    sale.customer_id = s.Int(2);
    sale.amount = s.Int(3);
    sale.currency = s.Text(4);
    sale.at = s.Int(5);
    sale.lead_id = OptInt(s, 6);
    sale.refunded = s.Int(7);
    sale.response = s.Text(8);
    return sale;
  });
}

Result<int64_t> SqliteReferralStore::InsertSale(const Sale& s) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_sales (invoice_id, customer_id, amount, "
                                                    "currency, at, lead_id, response) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, s.invoice_id)
                .Bind(2, s.customer_id)
                .Bind(3, s.amount)
                .Bind(4, s.currency)
                .Bind(5, s.at)
                .Bind(6, s.lead_id)
                .Bind(7, s.response)
                .Run());
  return db_.LastInsertId();
}

Status SqliteReferralStore::SetSaleResponse(int64_t sale_id, const std::string& body) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_sales SET response = ? WHERE id = ?"));
  return q->Bind(1, body).Bind(2, sale_id).Run();
}

Status SqliteReferralStore::InsertRefund(int64_t sale_id, int64_t amount, int64_t at) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_refunds (sale_id, amount, at) VALUES (?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, sale_id).Bind(2, amount).Bind(3, at).Run());
  VOUCH_ASSIGN_OR_RETURN(Statement * u, db_.Prepare("UPDATE refer_sales SET refunded = refunded + ? WHERE id = ?"));
  return u->Bind(1, amount).Bind(2, sale_id).Run();
}

// ---- commissions ----

Result<int64_t> SqliteReferralStore::InsertCommission(const Commission& c) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("INSERT INTO refer_commissions (program_id, advocate_id, event, sale_id, "
                                     "invoice_id, amount, reversed, currency, status, approve_at, payout_id, "
                                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, c.program_id)
                .Bind(2, c.advocate_id)
                .Bind(3, RewardEventName(c.event))
                .Bind(4, c.sale_id)
                .Bind(5, c.invoice_id)
                .Bind(6, c.amount)
                .Bind(7, c.reversed)
                .Bind(8, c.currency)
                .Bind(9, CommissionStatusName(c.status))
                .Bind(10, c.approve_at)
                .Bind(11, c.payout_id)
                .Bind(12, c.created_at)
                .Run());
  return db_.LastInsertId();
}

Result<std::optional<Commission>> SqliteReferralStore::GetCommission(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(fmt::format("SELECT {} FROM refer_commissions WHERE id = ?",
                                                                kCommissionColumns)));
  q->Bind(1, id);
  return FirstRow(*q, ReadCommission);
}

Status SqliteReferralStore::UpdateCommission(const Commission& c) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_commissions SET status = ?, reversed = ?, "
                                                    "payout_id = ? WHERE id = ?"));
  return q->Bind(1, CommissionStatusName(c.status)).Bind(2, c.reversed).Bind(3, c.payout_id).Bind(4, c.id).Run();
}

Result<std::vector<Commission>> SqliteReferralStore::ReadCommissions(Statement& q) {
  return ReadAll<Commission>(q, ReadCommission);
}

Result<std::vector<Commission>> SqliteReferralStore::CommissionsOfSale(int64_t sale_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(fmt::format(
                                            "SELECT {} FROM refer_commissions WHERE sale_id = ? ORDER BY id",
                                            kCommissionColumns)));
  q->Bind(1, sale_id);
  return ReadCommissions(*q);
}

Result<std::vector<Commission>> SqliteReferralStore::ListCommissions(int64_t advocate_id, int64_t after_id,
                                                                     int64_t limit) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare(fmt::format("SELECT {} FROM refer_commissions WHERE (? = 0 OR advocate_id = ?) "
                                                 "AND id > ? ORDER BY id LIMIT ?",
                                                 kCommissionColumns)));
  q->Bind(1, advocate_id).Bind(2, advocate_id).Bind(3, after_id).Bind(4, limit);
  return ReadCommissions(*q);
}

Result<std::vector<Commission>> SqliteReferralStore::DueCommissions(int64_t now, int64_t limit) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(fmt::format("SELECT {} FROM refer_commissions "
                                                                "WHERE status = 'pending' AND approve_at <= ? "
                                                                "ORDER BY approve_at, id LIMIT ?",
                                                                kCommissionColumns)));
  q->Bind(1, now).Bind(2, limit);
  return ReadCommissions(*q);
}

Result<std::vector<Commission>> SqliteReferralStore::ApprovedCommissions(int64_t advocate_id,
                                                                         const std::string& currency) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(fmt::format("SELECT {} FROM refer_commissions "
                                                                "WHERE advocate_id = ? AND currency = ? "
                                                                "AND status = 'approved' ORDER BY id",
                                                                kCommissionColumns)));
  q->Bind(1, advocate_id).Bind(2, currency);
  return ReadCommissions(*q);
}

Status SqliteReferralStore::InsertFraudHit(int64_t commission_id, const FraudHit& hit, int64_t at) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_fraud_hits (commission_id, rule, reason, at) "
                                                    "VALUES (?, ?, ?, ?)"));
  return q->Bind(1, commission_id).Bind(2, hit.rule).Bind(3, hit.reason).Bind(4, at).Run();
}

Result<std::vector<FraudHit>> SqliteReferralStore::FraudHitsOf(int64_t commission_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT rule, reason FROM refer_fraud_hits "
                                                    "WHERE commission_id = ? ORDER BY id"));
  q->Bind(1, commission_id);
  return ReadAll<FraudHit>(*q, [](const Statement& s) -> Result<FraudHit> { return FraudHit{s.Text(0), s.Text(1)}; });
}

// ---- ledger and payouts ----

Result<int64_t> SqliteReferralStore::PostLedger(const LedgerTxn& txn, int64_t at) {
  VOUCH_TRY(txn.Validate());
  VOUCH_ASSIGN_OR_RETURN(Statement * t, db_.Prepare("INSERT INTO refer_ledger_txns (kind, ref, at) VALUES (?, ?, ?)"));
  VOUCH_TRY(t->Bind(1, txn.kind).Bind(2, txn.ref).Bind(3, at).Run());
  int64_t id = db_.LastInsertId();
  VOUCH_ASSIGN_OR_RETURN(Statement * e, db_.Prepare("INSERT INTO refer_ledger_entries (txn_id, account, amount, "
                                                    "currency) VALUES (?, ?, ?, ?)"));
  for (const LedgerEntry& entry : txn.entries) {
    e->Reset();
    VOUCH_TRY(e->Bind(1, id).Bind(2, entry.account).Bind(3, entry.amount).Bind(4, entry.currency).Run());
  }
  return id;
}

Result<std::vector<AccountBalance>> SqliteReferralStore::Balances(const std::string& account_like) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT account, currency, sum(amount) FROM refer_ledger_entries "
                                                    "WHERE account LIKE ? GROUP BY account, currency "
                                                    "HAVING sum(amount) != 0 ORDER BY account, currency"));
  q->Bind(1, account_like);
  return ReadAll<AccountBalance>(*q, [](const Statement& s) -> Result<AccountBalance> {
    return AccountBalance{s.Text(0), s.Text(1), s.Int(2)};
  });
}

Result<std::vector<AccountBalance>> SqliteReferralStore::LedgerTotals() {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT currency, sum(amount) FROM refer_ledger_entries "
                                                    "GROUP BY currency ORDER BY currency"));
  return ReadAll<AccountBalance>(*q, [](const Statement& s) -> Result<AccountBalance> {
    return AccountBalance{"*", s.Text(0), s.Int(1)};
  });
}

Result<int64_t> SqliteReferralStore::InsertPayout(const Payout& p) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_payouts (advocate_id, amount, currency, "
                                                    "commissions, created_at) VALUES (?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, p.advocate_id).Bind(2, p.amount).Bind(3, p.currency).Bind(4, p.commissions)
                .Bind(5, p.created_at).Run());
  return db_.LastInsertId();
}

Result<std::vector<Payout>> SqliteReferralStore::ListPayouts(int64_t advocate_id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, advocate_id, amount, currency, commissions, "
                                                    "created_at FROM refer_payouts WHERE (? = 0 OR advocate_id = ?) "
                                                    "ORDER BY id"));
  q->Bind(1, advocate_id).Bind(2, advocate_id);
  return ReadAll<Payout>(*q, [](const Statement& s) -> Result<Payout> {
    return Payout{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Int(4), s.Int(5)};
  });
}

Result<int64_t> SqliteReferralStore::InsertEvent(const Event& e) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_events (type, payload, created_at) "
                                                    "VALUES (?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, e.type).Bind(2, e.payload).Bind(3, e.created_at).Run());
  return db_.LastInsertId();
}

Result<std::vector<Event>> SqliteReferralStore::ListEvents(int64_t after_id, int64_t limit) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, type, payload, created_at FROM refer_events "
                                                    "WHERE id > ? ORDER BY id LIMIT ?"));
  q->Bind(1, after_id).Bind(2, limit);
  return ReadAll<Event>(*q, [](const Statement& s) -> Result<Event> {
    return Event{s.Int(0), s.Text(1), s.Text(2), s.Int(3)};
  });
}

}  // namespace vouch::refer
