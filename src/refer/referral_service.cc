#include "vouch/refer/referral_service.h"

#include "vouch/identity/normalize.h"

#include <fmt/format.h>

#include <algorithm>

#include "vouch/refer/attribution.h"
#include "vouch/refer/click_filter.h"
#include "vouch/refer/codes.h"
#include "vouch/refer/email.h"

namespace vouch::refer {
namespace {

constexpr int64_t kDaySeconds = 24 * 60 * 60;

// The destination with vouch_click=token added to its query, before any fragment. Written into one string of its
// final size (it runs for every click).
std::string WithClickParameter(const std::string& destination, const std::string& token) {
  constexpr std::string_view kParameter = "vouch_click=";
  std::string_view whole = destination;
  size_t hash = whole.find('#');
  std::string_view base = whole.substr(0, hash);
  std::string_view fragment = hash == std::string_view::npos ? std::string_view() : whole.substr(hash);
  char sep = base.find('?') == std::string_view::npos ? '?' : (base.back() == '?' || base.back() == '&' ? '\0' : '&');
  std::string out;
  out.reserve(whole.size() + 1 + kParameter.size() + token.size());
  out.append(base);
  if (sep != '\0') out.push_back(sep);
  out.append(kParameter);
  out.append(token);
  out.append(fragment);
  return out;
}

}  // namespace

nlohmann::json FriendRewardsToJson(const std::vector<FriendReward>& rewards) {
  nlohmann::json out = nlohmann::json::array();
  for (const FriendReward& r : rewards) {
    out.push_back({{"id", r.id},
                   {"program_id", r.program_id},
                   {"customer_id", r.customer_id},
                   {"advocate_id", r.advocate_id},
                   {"event", RewardEventName(r.event)},
                   {"sale_id", r.sale_id ? nlohmann::json(*r.sale_id) : nlohmann::json(nullptr)},
                   {"amount", r.amount},
                   {"reversed_amount", r.reversed},
                   {"unrecovered_amount", r.unrecovered},
                   {"currency", r.currency},
                   {"created_at", r.created_at}});
  }
  return out;
}

nlohmann::json CommissionToJson(const CommissionView& view) {
  const Commission& c = view.commission;
  nlohmann::json j = {{"id", c.id},
                      {"advocate_id", c.advocate_id},
                      {"program_id", c.program_id},
                      {"event", RewardEventName(c.event)},
                      {"invoice_id", c.invoice_id ? nlohmann::json(*c.invoice_id) : nlohmann::json(nullptr)},
                      {"amount", c.amount},
                      {"reversed_amount", c.reversed},
                      {"currency", c.currency},
                      {"status", CommissionStatusName(c.status)},
                      {"approve_at", c.approve_at},
                      {"payout_id", c.payout_id ? nlohmann::json(*c.payout_id) : nlohmann::json(nullptr)},
                      {"created_at", c.created_at}};
  nlohmann::json hits = nlohmann::json::array();
  for (const FraudHit& h : view.hits) hits.push_back({{"rule", h.rule}, {"reason", h.reason}});
  j["fraud"] = std::move(hits);
  return j;
}

Status ReferralService::Emit(const std::string& type, const nlohmann::json& payload) {
  return store_.InsertEvent({0, type, payload.dump(), clock_.NowSeconds()}).status();
}

Result<std::pair<std::vector<Event>, std::optional<int64_t>>> ReferralService::ListEvents(int64_t after,
                                                                                          int64_t limit) {
  VOUCH_ASSIGN_OR_RETURN(auto rows, store_.ListEvents(after, limit + 1));
  std::optional<int64_t> next;
  if (static_cast<int64_t>(rows.size()) > limit) {
    rows.resize(static_cast<size_t>(limit));
    next = rows.back().id;
  }
  return std::make_pair(std::move(rows), next);
}

// ---- keys ----

Result<std::string> ReferralService::CreateApiKey(KeyScope scope) {
  VOUCH_ASSIGN_OR_RETURN(std::string key, GenerateApiKey());
  ApiKeyRecord record;
  record.hash = Sha256Hex(key);
  record.prefix = key.substr(0, 7);
  record.scope = scope;
  record.created_at = clock_.NowSeconds();
  VOUCH_TRY(store_.InsertApiKey(record).status());
  return key;
}

Result<KeyScope> ReferralService::Authenticate(const std::string& key) {
  // Every API request hashes its key; the hash of a key never changes, so the last few are remembered (the
  // look-up of the hash, which sees a revoked key, still runs every time).
  auto cached = key_hashes_.find(key);
  if (cached == key_hashes_.end()) {
    if (key_hashes_.size() >= kKeyHashCacheSize) key_hashes_.clear();
    cached = key_hashes_.emplace(key, Sha256Hex(key)).first;
  }
  VOUCH_ASSIGN_OR_RETURN(auto found, store_.FindApiKey(cached->second));
  if (!found || found->revoked) return Status::NotFound("unknown API key");
  return found->scope;
}

// ---- programs, advocates, links ----

Result<int64_t> ReferralService::CreateProgram(Program program) {
  if (program.name.empty()) return Status::InvalidArgument("name: must not be empty");
  const std::string& url = program.destination_url;
  bool http = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  size_t host_at = url.find("://") + 3;
  if (!http || url.size() <= host_at || url[host_at] == '/' ||
      url.find_first_of(" \t\r\n\"<>\\") != std::string::npos) {
    return Status::InvalidArgument("destination_url: must be an absolute http:// or https:// URL");
  }
  if (program.hold_days < 0 || program.hold_days > 3650) {
    return Status::InvalidArgument("hold_days: must be 0..3650");
  }
  if (program.attribution_window_days < 1 || program.attribution_window_days > 3650) {
    return Status::InvalidArgument("attribution_window_days: must be 1..3650");
  }
  if (program.currency.size() != 3 ||
      !std::all_of(program.currency.begin(), program.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Status::InvalidArgument("currency: must be an ISO 4217 code such as \"USD\"");
  }
  if (program.rewards.empty()) return Status::InvalidArgument("rewards: a program needs at least one reward rule");
  if (program.min_conversion_seconds < 0) return Status::InvalidArgument("min_conversion_seconds: must not be negative");
  program.created_at = clock_.NowSeconds();
  return store_.InsertProgram(program);
}

Result<PersonId> ReferralService::ResolvePerson(const std::string& email, const std::string& display) {
  // The identity module's key (provider rules: Gmail dots, +tags), so that an advocate and the same address in
  // orders, CRM files or leads are one person.
  VOUCH_ASSIGN_OR_RETURN(IdentityKey key, identity::EmailKey(email));
  VOUCH_ASSIGN_OR_RETURN(IdentityRef ref, identity_.ResolveIdentity(key, display));
  return ref.person;
}

Result<std::pair<int64_t, bool>> ReferralService::CreateAdvocate(const AdvocateInput& input) {
  if (input.name.empty()) return Status::InvalidArgument("name: must not be empty");
  VOUCH_ASSIGN_OR_RETURN(std::string email, NormalizeEmail(input.email, "email"));
  VOUCH_ASSIGN_OR_RETURN(auto existing, store_.FindAdvocateByEmail(email));
  if (existing) return std::make_pair(existing->id, false);
  Advocate a;
  a.name = input.name;
  a.email = email;
  a.email_canonical = CanonicalEmail(email);
  a.external_id = input.external_id;
  a.signup_ip = input.signup_ip;
  a.signup_user_agent = input.signup_user_agent;
  a.created_at = clock_.NowSeconds();
  VOUCH_ASSIGN_OR_RETURN(a.person_id, ResolvePerson(email, input.name));
  VOUCH_ASSIGN_OR_RETURN(int64_t id, store_.InsertAdvocate(a));
  return std::make_pair(id, true);
}

std::string ReferralService::LinkUrl(const std::string& code) const {
  std::string base = config_.public_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/r/" + code;
}

Result<Link> ReferralService::CreateLink(int64_t program_id, int64_t advocate_id, const std::string& vanity_code) {
  VOUCH_ASSIGN_OR_RETURN(auto program, store_.GetProgram(program_id));
  if (!program) return Status::NotFound(fmt::format("program_id: no program {}", program_id));
  VOUCH_ASSIGN_OR_RETURN(auto advocate, store_.GetAdvocate(advocate_id));
  if (!advocate) return Status::NotFound(fmt::format("advocate_id: no advocate {}", advocate_id));
  Link link;
  link.program_id = program_id;
  link.advocate_id = advocate_id;
  link.created_at = clock_.NowSeconds();
  if (!vanity_code.empty()) {
    VOUCH_TRY(ValidateVanityCode(vanity_code));
    link.code = vanity_code;
    link.vanity = true;
    VOUCH_ASSIGN_OR_RETURN(link.id, store_.InsertLink(link));
    return link;
  }
  // 71 random bits: a collision is astronomically unlikely, but a retry costs nothing.
  for (int attempt = 0; attempt < 4; ++attempt) {
    VOUCH_ASSIGN_OR_RETURN(link.code, GenerateLinkCode());
    auto id = store_.InsertLink(link);
    if (id.ok()) {
      link.id = *id;
      return link;
    }
    if (id.status().code() != StatusCode::kAlreadyExists) return id.status();
  }
  return Status::Internal("could not draw an unused link code");
}

Status ReferralService::SetLinkDisabled(const std::string& code, bool disabled) {
  VOUCH_ASSIGN_OR_RETURN(auto link, store_.FindLink(code));
  if (!link) return Status::NotFound(fmt::format("no link with code '{}'", code));
  return store_.SetLinkDisabled(link->id, disabled);
}

// ---- clicks ----

Result<ClickOutcome> ReferralService::RecordClick(ClickInput input) {
  VOUCH_ASSIGN_OR_RETURN(auto link, store_.FindLink(input.code));
  if (!link || link->disabled) return Status::NotFound(fmt::format("no active link with code '{}'", input.code));
  VOUCH_ASSIGN_OR_RETURN(auto program, store_.GetProgram(link->program_id));
  if (!program) return Status::Corruption(fmt::format("link {} names a missing program", link->code));
  return RecordClick(*link, *program, std::move(input));
}

Result<ClickOutcome> ReferralService::RecordClick(const Link& found_link, const Program& found_program,
                                                  ClickInput input) {
  if (found_link.disabled) return Status::NotFound(fmt::format("no active link with code '{}'", found_link.code));
  const Link* link = &found_link;
  const Program* program = &found_program;
  Click click;
  click.at_ms = clock_.NowMillis();
  VOUCH_ASSIGN_OR_RETURN(click.token, TimeOrderedToken(click.at_ms));
  click.link_id = link->id;
  click.ip = std::move(input.ip);
  click.visitor = std::move(input.visitor);
  // A visitor id made now has no earlier clicks: no need to look for a repeat.
  bool new_visitor = click.visitor.empty();
  if (new_visitor) {
    VOUCH_ASSIGN_OR_RETURN(click.visitor, TimeOrderedToken(click.at_ms));
  }
  click.head = input.head;
  click.bot = input.prefetch || IsBotUserAgent(input.user_agent);
  click.user_agent = std::move(input.user_agent);
  bool repeat = false;
  if (!click.head && !click.bot && !new_visitor) {
    VOUCH_ASSIGN_OR_RETURN(repeat, store_.HasCountedClick(link->id, click.visitor,
                                                          click.at_ms - config_.repeat_click_window_ms));
  }
  click.counted = !click.head && !click.bot && !repeat;
  VOUCH_ASSIGN_OR_RETURN(click.id, store_.InsertClick(click));
  if (click.counted) {
    bool has_click_reward = std::any_of(program->rewards.begin(), program->rewards.end(),
                                        [](const RewardRule& r) { return r.event == RewardEvent::kClick; });
    if (has_click_reward) {
      std::vector<FraudHit> hits;
      VOUCH_ASSIGN_OR_RETURN(int64_t burst,
                             store_.CountClicksFromIp(link->id, click.ip, click.at_ms - config_.fraud.burst_window_ms,
                                                      click.at_ms));
      if (burst > config_.fraud.burst_max_clicks) {
        hits.push_back({"click_burst", fmt::format("{} clicks on the link from {} within {} s before this one", burst,
                                                   click.ip, config_.fraud.burst_window_ms / 1000)});
      }
      CommissionStatus status = (!hits.empty() && program->fraud_mode == FraudMode::kStrict)
                                    ? CommissionStatus::kHold
                                    : CommissionStatus::kPending;
      VOUCH_TRY(Reward(*program, *link, RewardEvent::kClick, 0, program->currency, std::nullopt, std::nullopt, hits,
                       status, RewardContext{})
                    .status());
    }
  }
  // A braced list is evaluated in order: the location is built before the token moves.
  return ClickOutcome{WithClickParameter(program->destination_url, click.token), std::move(click.token),
                      std::move(click.visitor), click.counted};
}

// ---- customers and conversions ----

Result<Customer> ReferralService::ResolveCustomer(const CustomerInput& input) {
  if (input.external_id.empty()) return Status::InvalidArgument("customer.external_id: must not be empty");
  std::string email, canonical;
  if (!input.email.empty()) {
    VOUCH_ASSIGN_OR_RETURN(email, NormalizeEmail(input.email, "customer.email"));
    canonical = CanonicalEmail(email);
  }
  VOUCH_ASSIGN_OR_RETURN(auto found, store_.FindCustomer(input.external_id));
  PersonId person = 0;
  if (!email.empty()) {
    VOUCH_ASSIGN_OR_RETURN(person, ResolvePerson(email, email));
  }
  if (found) {
    if (!email.empty() && email != found->email) {
      VOUCH_TRY(store_.UpdateCustomerEmail(found->id, email, canonical, person));
      found->email = email;
      found->email_canonical = canonical;
      found->person_id = person;
    }
    return *found;
  }
  Customer c;
  c.external_id = input.external_id;
  c.email = email;
  c.email_canonical = canonical;
  c.person_id = person;
  VOUCH_ASSIGN_OR_RETURN(c.id, store_.InsertCustomer(c));
  return c;
}

Result<std::vector<FraudHit>> ReferralService::CheckFraud(const Program& program, const Link& link,
                                                          const Customer& customer, const std::optional<Click>& click,
                                                          const std::string& ip, const std::string& user_agent,
                                                          CommissionStatus* status) {
  VOUCH_ASSIGN_OR_RETURN(auto advocate, store_.GetAdvocate(link.advocate_id));
  if (!advocate) return Status::Corruption(fmt::format("link {} names a missing advocate", link.code));
  FraudFacts facts;
  facts.advocate = *advocate;
  facts.customer = customer;
  facts.click = click;
  facts.conversion_at_ms = clock_.NowMillis();
  facts.request_ip = ip;
  facts.request_user_agent = user_agent;
  facts.disposable_email = config_.disposable_domains != nullptr && !customer.email.empty() &&
                           config_.disposable_domains->IsDisposableEmail(customer.email);
  if (click && !click->ip.empty()) {
    VOUCH_ASSIGN_OR_RETURN(facts.clicks_from_ip_in_window,
                           store_.CountClicksFromIp(link.id, click->ip, click->at_ms - config_.fraud.burst_window_ms,
                                                    click->at_ms));
  }
  if (customer.person_id != 0 && customer.person_id != advocate->person_id) {
    // Only a customer who is an advocate can have referred anyone: one indexed look-up spares most conversions
    // the walk.
    VOUCH_ASSIGN_OR_RETURN(auto first, store_.PeopleReferredBy(customer.person_id));
    if (!first.empty()) {
      Status failed;
      facts.referral_cycle = FindReferralPath(customer.person_id, advocate->person_id, [&](int64_t person) {
        if (person == customer.person_id) return first;
        auto next = store_.PeopleReferredBy(person);
        if (!next.ok()) {
          failed = next.status();
          return std::vector<int64_t>{};
        }
        return *next;
      });
      VOUCH_TRY(failed);
    }
  }
  FraudConfig config = config_.fraud;
  config.min_click_to_conversion_ms = program.min_conversion_seconds * 1000;
  FraudRules rules(std::move(facts), program.fraud_mode, config);
  rules.run();
  *status = rules.status();
  return rules.hits();
}

Result<std::vector<CommissionView>> ReferralService::Reward(const Program& program, const Link& link,
                                                            RewardEvent event, int64_t basis,
                                                            const std::string& currency,
                                                            const std::optional<int64_t>& sale_id,
                                                            const std::optional<std::string>& invoice_id,
                                                            const std::vector<FraudHit>& hits,
                                                            CommissionStatus status, const RewardContext& context) {
  std::vector<CommissionView> out;
  int64_t now = clock_.NowSeconds();
  std::optional<int64_t> prior_referrals;  // counted once, when a rule has tiers
  for (const RewardRule& rule : program.rewards) {
    if (rule.event != event) continue;
    if (context.recurring_since &&
        (rule.recurring_months == 0 || now >= AddMonths(*context.recurring_since, rule.recurring_months))) {
      continue;
    }
    int64_t value = rule.value;
    if (!rule.tiers.empty()) {
      if (!prior_referrals) {
        VOUCH_ASSIGN_OR_RETURN(prior_referrals, store_.CountReferrals(link.advocate_id, program.id,
                                                                      context.customer ? context.customer->id : 0));
      }
      value = TierValue(rule, *prior_referrals);
    }
    int64_t amount = ComputeRewardAt(rule, value, basis);
    std::string money = rule.type == RewardType::kFlat ? program.currency : currency;
    if (amount <= 0) continue;
    if (rule.side == RewardSide::kFriend) {
      // The friend's side: owed to the customer, unless a fraud rule holds the conversion (a held referral gives
      // nobody anything until a person releases it).
      if (context.customer == nullptr || status == CommissionStatus::kHold) continue;
      FriendReward r;
      r.program_id = program.id;
      r.customer_id = context.customer->id;
      r.advocate_id = link.advocate_id;
      r.event = event;
      r.sale_id = sale_id;
      r.amount = amount;
      r.currency = money;
      r.created_at = now;
      VOUCH_ASSIGN_OR_RETURN(r.id, store_.InsertFriendReward(r));
      LedgerTxn txn{"friend_reward.created", fmt::format("friend_reward:{}", r.id), {}};
      txn.Transfer(kFriendRewardExpenseAccount, CustomerCreditAccount(r.customer_id), r.amount, r.currency);
      VOUCH_TRY(store_.PostLedger(txn, now).status());
      VOUCH_TRY(Emit("friend_reward.created", FriendRewardsToJson({r})[0]));
      if (context.friend_rewards != nullptr) context.friend_rewards->push_back(r);
      continue;
    }
    if (rule.cap > 0) {
      VOUCH_ASSIGN_OR_RETURN(int64_t earned, store_.EarnedSince(link.advocate_id, program.id, event,
                                                                CapPeriodStart(rule.cap_period, now)));
      amount = ApplyCap(amount, rule.cap, earned);
      if (amount <= 0) continue;
    }
    Commission c;
    c.program_id = program.id;
    c.advocate_id = link.advocate_id;
    c.event = event;
    c.sale_id = sale_id;
    c.invoice_id = invoice_id;
    c.amount = amount;
    c.currency = money;
    c.status = status;
    c.approve_at = now + program.hold_days * kDaySeconds;
    c.created_at = now;
    VOUCH_ASSIGN_OR_RETURN(c.id, store_.InsertCommission(c));
    for (const FraudHit& hit : hits) VOUCH_TRY(store_.InsertFraudHit(c.id, hit, now));
    LedgerTxn txn{"commission.created", fmt::format("commission:{}", c.id), {}};
    txn.Transfer(kExpenseAccount, AccountForStatus(c.advocate_id, c.status), c.amount, c.currency);
    VOUCH_TRY(store_.PostLedger(txn, now).status());
    VOUCH_TRY(Emit("commission.created", CommissionToJson({c, hits})));
    out.push_back({c, hits});
  }
  return out;
}

Result<LeadOutcome> ReferralService::TrackLead(const LeadInput& input) {
  std::optional<Click> click;
  if (!input.click_token.empty()) {
    VOUCH_ASSIGN_OR_RETURN(click, store_.FindClick(input.click_token));
    if (!click) return Status::NotFound(fmt::format("click_id: no click '{}'", input.click_token));
  } else if (!input.code.empty()) {
    // A code typed at checkout: the lead's click is the code itself, stored as an uncounted raw click.
    VOUCH_ASSIGN_OR_RETURN(auto link, store_.FindLink(input.code));
    if (!link || link->disabled) return Status::NotFound(fmt::format("code: no active link '{}'", input.code));
    Click typed;
    VOUCH_ASSIGN_OR_RETURN(typed.token, RandomToken(16));
    typed.link_id = link->id;
    typed.at_ms = clock_.NowMillis();
    typed.ip = input.ip;
    typed.user_agent = input.user_agent;
    typed.visitor = "code";
    VOUCH_ASSIGN_OR_RETURN(typed.id, store_.InsertClick(typed));
    click = typed;
  } else {
    return Status::InvalidArgument("click_id: a lead needs a click_id or a code");
  }
  VOUCH_ASSIGN_OR_RETURN(auto link, store_.GetLink(click->link_id));
  if (!link) return Status::Corruption("a click names a missing link");
  VOUCH_ASSIGN_OR_RETURN(auto program, store_.GetProgram(link->program_id));
  if (!program) return Status::Corruption("a link names a missing program");
  VOUCH_ASSIGN_OR_RETURN(Customer customer, ResolveCustomer(input.customer));
  LeadOutcome out;
  VOUCH_ASSIGN_OR_RETURN(auto existing, store_.FindLead(click->id, customer.id));
  if (existing) {
    out.lead_id = existing->id;
    return out;
  }
  Lead lead;
  lead.click_id = click->id;
  lead.customer_id = customer.id;
  lead.link_id = link->id;
  lead.at = clock_.NowSeconds();
  VOUCH_ASSIGN_OR_RETURN(out.lead_id, store_.InsertLead(lead));
  out.created = true;
  CommissionStatus status = CommissionStatus::kPending;
  VOUCH_ASSIGN_OR_RETURN(auto hits, CheckFraud(*program, *link, customer, click, input.ip, input.user_agent, &status));
  RewardContext context{&customer, std::nullopt, &out.friend_rewards};
  VOUCH_ASSIGN_OR_RETURN(out.commissions, Reward(*program, *link, RewardEvent::kLead, 0, program->currency,
                                                 std::nullopt, std::nullopt, hits, status, context));
  return out;
}

Result<SaleOutcome> ReferralService::TrackSale(const SaleInput& input) {
  if (input.invoice_id.empty()) return Status::InvalidArgument("invoice_id: must not be empty");
  VOUCH_ASSIGN_OR_RETURN(auto previous, store_.FindSale(input.invoice_id));
  if (previous) {
    // Idempotent on the invoice: a replay (a retried webhook, a double submit) answers what the first answered
    // and creates nothing, even if its other fields differ.
    return SaleOutcome{previous->id, true, previous->response};
  }
  if (input.amount <= 0) return Status::InvalidArgument("amount: must be a positive integer of minor units");
  if (input.currency.size() != 3 ||
      !std::all_of(input.currency.begin(), input.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Status::InvalidArgument("currency: must be an ISO 4217 code such as \"USD\"");
  }
  VOUCH_ASSIGN_OR_RETURN(Customer customer, ResolveCustomer(input.customer));
  int64_t now = clock_.NowSeconds();

  // Attribution: a click named on the sale, else the customer's leads (attribution.h).
  std::optional<Lead> chosen;
  std::optional<int64_t> recurring_since;  // set when the sale earns only recurring rewards
  std::optional<Link> chosen_link;          // the chosen lead's link and program, when already read
  std::optional<Program> chosen_program;
  if (!input.click_token.empty()) {
    VOUCH_ASSIGN_OR_RETURN(auto click, store_.FindClick(input.click_token));
    if (!click) return Status::NotFound(fmt::format("click_id: no click '{}'", input.click_token));
    VOUCH_ASSIGN_OR_RETURN(auto lead, store_.FindLead(click->id, customer.id));
    if (!lead) {
      Lead l;
      l.click_id = click->id;
      l.customer_id = customer.id;
      l.link_id = click->link_id;
      l.at = now;
      VOUCH_ASSIGN_OR_RETURN(l.id, store_.InsertLead(l));
      l.click_at_ms = click->at_ms;
      lead = l;
    }
    chosen = lead;
  } else {
    VOUCH_ASSIGN_OR_RETURN(auto leads, store_.LeadsOfCustomer(customer.id));  // oldest click first
    std::vector<AttributionCandidate> candidates;
    struct Candidate {
      const Lead* lead;
      Link link;
      Program program;
    };
    std::vector<Candidate> of;
    for (const Lead& l : leads) {
      VOUCH_ASSIGN_OR_RETURN(auto link, store_.GetLink(l.link_id));
      if (!link) continue;
      VOUCH_ASSIGN_OR_RETURN(auto program, store_.GetProgram(link->program_id));
      if (!program) continue;
      candidates.push_back({l.click_at_ms, program->id, program->attribution_window_days, program->attribution,
                            program->lifetime_customers});
      of.push_back({&l, std::move(*link), std::move(*program)});
    }
    if (auto i = ChooseAttribution(candidates, clock_.NowMillis())) {
      // The link and program just read are the chosen lead's: the reward below needs them, not a second read.
      chosen = *of[*i].lead;
      chosen_link = std::move(of[*i].link);
      chosen_program = std::move(of[*i].program);
    }
    if (!chosen) {
      // Outside every window, a customer whose first attributed sale's program has recurring rewards still earns
      // them for that lead (Reward checks each rule's months).
      VOUCH_ASSIGN_OR_RETURN(auto first, store_.FirstAttributedSale(customer.id));
      if (first && first->lead_id) {
        VOUCH_ASSIGN_OR_RETURN(auto lead, store_.GetLead(*first->lead_id));
        std::optional<Link> link;
        if (lead) {
          VOUCH_ASSIGN_OR_RETURN(link, store_.GetLink(lead->link_id));
        }
        std::optional<Program> program;
        if (link) {
          VOUCH_ASSIGN_OR_RETURN(program, store_.GetProgram(link->program_id));
        }
        bool recurs = false;
        for (const RewardRule& rule : program ? program->rewards : std::vector<RewardRule>{}) {
          recurs = recurs || (rule.event == RewardEvent::kSale && rule.recurring_months > 0 &&
                              now < AddMonths(first->at, rule.recurring_months));
        }
        if (recurs) {
          chosen = lead;
          recurring_since = first->at;
        }
      }
    }
  }

  Sale sale;
  sale.invoice_id = input.invoice_id;
  sale.customer_id = customer.id;
  sale.amount = input.amount;
  sale.currency = input.currency;
  sale.at = now;
  if (chosen) sale.lead_id = chosen->id;
  VOUCH_ASSIGN_OR_RETURN(sale.id, store_.InsertSale(sale));

  std::vector<CommissionView> commissions;
  std::vector<FriendReward> friend_rewards;
  std::optional<int64_t> advocate_id;
  std::optional<int64_t> program_id;
  if (chosen) {
    std::optional<Link> link = std::move(chosen_link);
    std::optional<Program> program = std::move(chosen_program);
    if (!link) {
      VOUCH_ASSIGN_OR_RETURN(link, store_.GetLink(chosen->link_id));
      if (!link) return Status::Corruption("a lead names a missing link");
    }
    if (!program) {
      VOUCH_ASSIGN_OR_RETURN(program, store_.GetProgram(link->program_id));
      if (!program) return Status::Corruption("a link names a missing program");
    }
    VOUCH_ASSIGN_OR_RETURN(auto click, store_.GetClick(chosen->click_id));
    CommissionStatus status = CommissionStatus::kPending;
    VOUCH_ASSIGN_OR_RETURN(auto hits, CheckFraud(*program, *link, customer, click, input.ip, input.user_agent,
                                                 &status));
    RewardContext context{&customer, recurring_since, &friend_rewards};
    VOUCH_ASSIGN_OR_RETURN(commissions, Reward(*program, *link, RewardEvent::kSale, input.amount, input.currency,
                                               sale.id, sale.invoice_id, hits, status, context));

    advocate_id = link->advocate_id;
    program_id = program->id;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const CommissionView& v : commissions) {
    nlohmann::json c = {{"id", v.commission.id},
                        {"amount", v.commission.amount},
                        {"currency", v.commission.currency},
                        {"status", CommissionStatusName(v.commission.status)}};
    nlohmann::json reasons = nlohmann::json::array();
    for (const FraudHit& h : v.hits) reasons.push_back({{"rule", h.rule}, {"reason", h.reason}});
    c["fraud"] = std::move(reasons);
    list.push_back(std::move(c));
  }
  nlohmann::json body = {{"sale_id", sale.id},
                         {"invoice_id", sale.invoice_id},
                         {"attributed", chosen.has_value()},
                         {"advocate_id", advocate_id ? nlohmann::json(*advocate_id) : nlohmann::json(nullptr)},
                         {"commissions", std::move(list)},
                         {"friend_rewards", FriendRewardsToJson(friend_rewards)}};
  VOUCH_TRY(Emit("sale.created", {{"sale_id", sale.id},
                                   {"invoice_id", sale.invoice_id},
                                   {"customer_external_id", customer.external_id},
                                   {"amount", sale.amount},
                                   {"currency", sale.currency},
                                   {"attributed", chosen.has_value()},
                                   {"advocate_id", advocate_id ? nlohmann::json(*advocate_id) : nlohmann::json(nullptr)},
                                   {"program_id", program_id ? nlohmann::json(*program_id) : nlohmann::json(nullptr)}}));
  SaleOutcome out{sale.id, false, body.dump()};
  VOUCH_TRY(store_.SetSaleResponse(sale.id, out.body));
  return out;
}

// ---- refunds and commission life cycle ----

Status ReferralService::Transition(Commission& c, CommissionStatus to, const std::string& why) {
  int64_t outstanding = c.amount - c.reversed;
  // Clawing back a paid commission leaves a debt in the advocate's approved account (offset against the next
  // payout); the paid account keeps what was really paid.
  std::string from = c.status == CommissionStatus::kPaid && to == CommissionStatus::kReversed
                         ? AdvocateAccount(c.advocate_id, "approved")
                         : AccountForStatus(c.advocate_id, c.status);
  LedgerTxn txn{why, fmt::format("commission:{}", c.id), {}};
  txn.Transfer(from, AccountForStatus(c.advocate_id, to), outstanding, c.currency);
  if (!txn.entries.empty()) VOUCH_TRY(store_.PostLedger(txn, clock_.NowSeconds()).status());
  c.status = to;
  if (to == CommissionStatus::kReversed) c.reversed = c.amount;
  VOUCH_TRY(store_.UpdateCommission(c));
  return Emit(why, CommissionToJson({c, {}}));
}

Result<RefundOutcome> ReferralService::TrackRefund(const std::string& invoice_id, int64_t amount) {
  if (invoice_id.empty()) return Status::InvalidArgument("invoice_id: must not be empty");
  if (amount < 0) return Status::InvalidArgument("amount: must not be negative");
  VOUCH_ASSIGN_OR_RETURN(auto sale, store_.FindSale(invoice_id));
  if (!sale) return Status::NotFound(fmt::format("invoice_id: no sale '{}'", invoice_id));
  int64_t left = sale->amount - sale->refunded;
  if (amount == 0) amount = left;
  if (amount > left) {
    return Status::InvalidArgument(fmt::format("amount: {} exceeds what is left to refund of the sale ({})", amount,
                                               left));
  }
  RefundOutcome out;
  out.sale_id = sale->id;
  int64_t now = clock_.NowSeconds();
  if (amount > 0) {
    VOUCH_TRY(store_.InsertRefund(sale->id, amount, now));
    sale->refunded += amount;
    VOUCH_TRY(Emit("refund.created", {{"sale_id", sale->id},
                                      {"invoice_id", sale->invoice_id},
                                      {"amount", amount},
                                      {"refunded_total", sale->refunded},
                                      {"currency", sale->currency}}));
  }
  out.refunded_total = sale->refunded;
  VOUCH_ASSIGN_OR_RETURN(auto commissions, store_.CommissionsOfSale(sale->id));
  for (Commission& c : commissions) {
    if (c.status == CommissionStatus::kReversed || c.status == CommissionStatus::kRejected) continue;
    if (sale->refunded >= sale->amount) {
      VOUCH_TRY(Transition(c, CommissionStatus::kReversed, "commission.reversed"));
    } else {
      int64_t delta = ClawbackFor(c.amount, sale->amount, sale->refunded) - c.reversed;
      if (delta > 0) {
        std::string from = c.status == CommissionStatus::kPaid ? AdvocateAccount(c.advocate_id, "approved")
                                                               : AccountForStatus(c.advocate_id, c.status);
        LedgerTxn txn{"commission.clawback", fmt::format("commission:{}", c.id), {}};
        txn.Transfer(from, kExpenseAccount, delta, c.currency);
        VOUCH_TRY(store_.PostLedger(txn, now).status());
        c.reversed += delta;
        VOUCH_TRY(store_.UpdateCommission(c));
        VOUCH_TRY(Emit("commission.clawed_back", CommissionToJson({c, {}})));
      }
    }
  }
  out.commissions = std::move(commissions);
  VOUCH_TRY(ClawBackFriendRewards(*sale, &out.friend_rewards));
  return out;
}

Result<CommissionPage> ReferralService::ListCommissions(int64_t advocate_id, int64_t after, int64_t limit) {
  VOUCH_TRY(ApproveDue().status());
  // One more than asked tells whether there is a next page without a second query.
  VOUCH_ASSIGN_OR_RETURN(auto rows, store_.ListCommissions(advocate_id, after, limit + 1));
  CommissionPage page;
  if (static_cast<int64_t>(rows.size()) > limit) {
    rows.resize(static_cast<size_t>(limit));
    page.next_after = rows.back().id;
  }
  for (Commission& c : rows) {
    VOUCH_ASSIGN_OR_RETURN(auto hits, store_.FraudHitsOf(c.id));
    page.data.push_back({std::move(c), std::move(hits)});
  }
  return page;
}

Result<Commission> ReferralService::ReviewCommission(int64_t id, bool approve) {
  VOUCH_ASSIGN_OR_RETURN(auto c, store_.GetCommission(id));
  if (!c) return Status::NotFound(fmt::format("no commission {}", id));
  if (c->status != CommissionStatus::kHold && !(c->status == CommissionStatus::kPending && !approve)) {
    return Status::FailedPrecondition(fmt::format("commission {} is {}: only held (or, to reject, pending) "
                                                  "commissions are reviewed",
                                                  id, CommissionStatusName(c->status)));
  }
  if (!approve) {
    VOUCH_TRY(Transition(*c, CommissionStatus::kRejected, "commission.rejected"));
    return *c;
  }
  CommissionStatus to = c->approve_at <= clock_.NowSeconds() ? CommissionStatus::kApproved
                                                              : CommissionStatus::kPending;
  VOUCH_TRY(Transition(*c, to, "commission.released"));
  return *c;
}

Result<int64_t> ReferralService::ApproveDue() {
  int64_t moved = 0;
  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(auto due, store_.DueCommissions(clock_.NowSeconds(), 500));
    if (due.empty()) break;
    for (Commission& c : due) {
      VOUCH_TRY(Transition(c, CommissionStatus::kApproved, "commission.approved"));
      ++moved;
    }
  }
  return moved;
}

Result<std::vector<Payout>> ReferralService::CreatePayouts(int64_t minimum, const std::string& currency,
                                                           int64_t advocate_id) {
  if (minimum < 0) return Status::InvalidArgument("minimum: must not be negative");
  VOUCH_TRY(ApproveDue().status());
  std::string like = advocate_id == 0 ? "advocate:%:approved" : AdvocateAccount(advocate_id, "approved");
  VOUCH_ASSIGN_OR_RETURN(auto balances, store_.Balances(like));
  std::vector<Payout> out;
  int64_t now = clock_.NowSeconds();
  for (const AccountBalance& b : balances) {
    if (b.currency != currency || b.balance <= 0 || b.balance < minimum) continue;
    // "advocate:ID:approved"
    int64_t id = std::stoll(b.account.substr(9, b.account.rfind(':') - 9));
    VOUCH_ASSIGN_OR_RETURN(auto commissions, store_.ApprovedCommissions(id, currency));
    Payout p;
    p.advocate_id = id;
    p.amount = b.balance;
    p.currency = currency;
    p.commissions = static_cast<int64_t>(commissions.size());
    p.created_at = now;
    VOUCH_ASSIGN_OR_RETURN(p.id, store_.InsertPayout(p));
    LedgerTxn txn{"payout.created", fmt::format("payout:{}", p.id), {}};
    txn.Transfer(b.account, AdvocateAccount(id, "paid"), p.amount, currency);
    VOUCH_TRY(store_.PostLedger(txn, now).status());
    for (Commission& c : commissions) {
      c.status = CommissionStatus::kPaid;
      c.payout_id = p.id;
      VOUCH_TRY(store_.UpdateCommission(c));
    }
    VOUCH_TRY(Emit("payout.created", {{"id", p.id},
                                      {"advocate_id", p.advocate_id},
                                      {"amount", p.amount},
                                      {"currency", p.currency},
                                      {"commissions", p.commissions}}));
    out.push_back(p);
  }
  return out;
}

}  // namespace vouch::refer
