#include "synth/commerce.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "synth/brand_catalog.h"
#include "synth/text_format.h"

namespace vouch::synth {
namespace {

constexpr std::string_view kUserAgents[] = {
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Mobile/15E148 Safari/604.1",
};
constexpr std::string_view kThrowawayDomains[] = {"mailinator.com", "yopmail.com", "guerrillamail.com",
                                                  "sharklasers.com"};
constexpr int64_t kReferralDiscountPct = 10;

std::string Visitor(uint64_t seed, uint64_t a, uint64_t b) { return fmt::format("v_{:016x}", Mix(seed, a, b)); }
// Addresses in 100.64.0.0/10 (carrier-grade NAT space: realistic-looking, nobody's real address).
std::string Ip(uint64_t h) {
  return fmt::format("100.{}.{}.{}", 64 + (h & 63), (h >> 6) & 255, 1 + ((h >> 14) % 254));
}
std::string IpInBlock(uint64_t block, uint64_t host) {
  return fmt::format("100.{}.{}.{}", 64 + (block & 63), (block >> 6) & 255, 1 + host % 254);
}

// The same mailbox spelled differently, as people type it at checkout.
std::string EmailVariant(const std::string& email, Rng& rng) {
  const size_t at = email.find('@');
  std::string local = email.substr(0, at);
  std::string domain = email.substr(at + 1);
  const bool tags = domain == "gmail.com" || domain == "outlook.com" || domain == "hotmail.com" ||
                    domain == "icloud.com" || domain == "fastmail.com" || domain == "proton.me";
  switch (rng.Below(4)) {
    case 0:  // Capitalised
      local[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(local[0])));
      domain[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(domain[0])));
      break;
    case 1:
      if (tags) local += rng.Chance(0.5) ? "+shop" : "+orders";
      break;
    case 2:
      if (domain == "gmail.com") {
        std::erase(local, '.');
        if (local.size() > 3) local.insert(1 + rng.Below(local.size() - 2), 1, '.');
      }
      break;
    default:
      for (char& c : domain) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      break;
  }
  return local + "@" + domain;
}

// A Gmail address as someone disguises it: dots moved, a +tag, sometimes googlemail.com.
std::string GmailDisguise(const std::string& email, Rng& rng) {
  const size_t at = email.find('@');
  std::string local = email.substr(0, at);
  std::erase(local, '.');
  std::string out;
  for (size_t i = 0; i < local.size(); ++i) {
    out += local[i];
    if (i + 1 < local.size() && rng.Chance(0.25)) out += '.';
  }
  out += rng.Chance(0.5) ? "+deals" : "+" + std::to_string(rng.Between(1, 99));
  return out + (rng.Chance(0.3) ? "@googlemail.com" : "@gmail.com");
}

struct Order {
  int64_t time = 0;
  uint64_t seq = 0;           // creation order, to break ties deterministically
  int64_t person = -1;        // -1: a throwaway buyer
  std::string email;          // as typed at checkout; may be empty when the customer id is given
  std::string customer_id;    // may be empty
  int64_t amount = 0;
  std::string code;           // referral code, may be empty
  int owner = -1;             // the code's owner
  std::string visitor, ip;
  size_t ua = 0;
  int64_t click_time = 0, lead_time = 0;
  int64_t refund_time = -1;
  std::string fraud_kind, fraud_detail;
};

int64_t Basket(const BrandSpec& brand, Rng& rng) {
  const auto& products = brand.products;
  if (rng.Chance(0.45)) {  // pods: repeat orders of the consumable
    const ProductSpec& pods = products[3 % products.size()];
    return pods.price_minor * rng.Between(1, 4);
  }
  int64_t total = products[rng.Below(products.size())].price_minor;
  if (rng.Chance(0.2)) total += products[rng.Below(products.size())].price_minor;
  return total;
}

}  // namespace

Program PlantProgram(const SynthConfig& config, Population& people) {
  Program program;
  const uint32_t n = people.size();
  Rng rng = Rng::For(config.seed, kStreamPlanting, 0);
  auto is_free = [&](uint32_t p) {
    return !people[p].Has(kFraudster) && !people[p].Has(kAdvocate) && !people[p].Has(kEnrolled);
  };
  // Fake accounts in rating rings; the first half of the rings also defraud the referral program.
  if (n >= 40) {
    const size_t rings = std::max<size_t>(1, n / 5000);
    for (size_t r = 0; r < rings; ++r) {
      std::vector<uint32_t> ring;
      const int64_t size = rng.Between(4, 7);
      for (int tries = 0; static_cast<int64_t>(ring.size()) < size && tries < 1000; ++tries) {
        const auto p = static_cast<uint32_t>(rng.Below(n));
        if (!is_free(p)) continue;
        Person& fake = people.mutable_person(p);
        fake.flags |= kFraudster;
        fake.trust = static_cast<float>(rng.Uniform(0.02, 0.15));
        ring.push_back(p);
      }
      program.rating_rings.push_back(std::move(ring));
    }
    program.referral_rings = (rings + 1) / 2;
    for (size_t r = 0; r < program.referral_rings; ++r)
      for (uint32_t p : program.rating_rings[r]) people.mutable_person(p).flags |= kEnrolled;
  }
  // Owners of burst codes: enrolled, not trusted.
  const size_t bursts = n >= 40 ? std::max<size_t>(1, n / 20000) : 0;
  for (int tries = 0; program.burst_codes.size() < bursts && tries < 10000; ++tries) {
    const auto p = static_cast<uint32_t>(rng.Below(n));
    if (!is_free(p)) continue;
    Person& owner = people.mutable_person(p);
    owner.flags |= kEnrolled | kBurstCode | kFraudster;
    owner.trust = static_cast<float>(rng.Uniform(0.1, 0.3));
    program.burst_codes.push_back(p);
  }
  // The honest program: half the true advocates, and a few happy deal-seeking customers.
  for (uint32_t p = 0; p < n; ++p) {
    Rng prng = Rng::For(config.seed, kStreamPlanting, 1 + uint64_t{p});
    const Person& person = people[p];
    if (person.Has(kFraudster)) continue;
    const bool join = person.Has(kAdvocate) ? prng.Chance(0.5)
                      : (person.Has(kUsedProduct) && person.Has(kDealSeeker)) ? prng.Chance(0.08)
                                                                              : false;
    if (join) people.mutable_person(p).flags |= kEnrolled;
  }
  // Self-referrers: enrolled people who are not true advocates first, with a Gmail address (given one if needed).
  const size_t self = n >= 40 ? std::max<size_t>(2, n / 2000) : 0;
  for (int pass = 0; pass < 2 && program.self_referrers.size() < self; ++pass) {
    for (uint32_t p = 0; p < n && program.self_referrers.size() < self; ++p) {
      const Person& person = people[p];
      if (!person.Has(kEnrolled) || person.Has(kFraudster) || person.Has(kSelfReferrer)) continue;
      if (pass == 0 && person.Has(kAdvocate)) continue;
      if (!Rng::For(config.seed, kStreamPlanting, 0x5e1f0000 + p).Chance(pass == 0 ? 0.5 : 0.1)) continue;
      Person& m = people.mutable_person(p);
      m.flags |= kSelfReferrer;
      m.email_domain = 0;  // gmail.com
      program.self_referrers.push_back(p);
    }
  }
  for (uint32_t p = 0; p < n; ++p)
    if (people[p].Has(kEnrolled)) program.enrolled.push_back(p);
  return program;
}

CommerceFiles WriteCommerce(const SynthConfig& config, const Population& people, const FollowGraph& graph,
                            const Program& program) {
  const uint32_t n = people.size();
  const int64_t start = config.start_time;
  const int64_t end = start + int64_t{config.days} * 86400;
  const double period = config.days / 30.0;
  const BrandSpec& brand = Brand(kOwnBrand);
  std::vector<uint32_t> customers;
  for (uint32_t p = 0; p < n; ++p)
    if (people[p].Has(kUsedProduct)) customers.push_back(p);
  std::vector<Order> orders;
  uint64_t seq = 0;
  struct Event {
    int64_t time;
    uint64_t seq;
    std::string json;
  };
  std::vector<Event> pending;  // non-order events (clicks that did not convert)

  auto identify = [&](Order& o, uint32_t p, Rng& rng) {
    const std::string email = people.Email(p);
    if (people[p].Has(kInCrm)) {
      const double u = rng.Uniform();
      if (u < 0.5) {
        o.customer_id = people.CustomerId(p);
        o.email = rng.Chance(0.5) ? email : EmailVariant(email, rng);
      } else if (u < 0.7) {
        o.customer_id = people.CustomerId(p);
      } else {
        o.email = rng.Chance(0.4) ? email : EmailVariant(email, rng);
      }
    } else {
      o.email = rng.Chance(0.6) ? email : EmailVariant(email, rng);
    }
  };

  // Organic orders: customers reordering (pods, a second machine), no code.
  if (!customers.empty()) {
    Rng rng = Rng::For(config.seed, kStreamCommerce, 1);
    const uint64_t organic = static_cast<uint64_t>(std::llround(n * 0.04 * period));
    for (uint64_t i = 0; i < organic; ++i) {
      Order o;
      o.person = customers[rng.Below(customers.size())];
      o.time = rng.Between(start, end - 1);
      o.amount = Basket(brand, rng);
      identify(o, static_cast<uint32_t>(o.person), rng);
      o.seq = seq++;
      orders.push_back(std::move(o));
    }
  }

  // Referred orders: each honest enrolled advocate's followers buy through the code, more for trusted, heard voices.
  double mean_followers = n ? static_cast<double>(graph.edges()) / n : 0;
  for (uint32_t a : program.enrolled) {
    const Person& adv = people[a];
    if (adv.Has(kFraudster)) continue;
    Rng rng = Rng::For(config.seed, kStreamCommerce, 100 + uint64_t{a});
    const std::string code = people.ReferralCode(a);
    const double reach = std::sqrt(graph.FollowerCount(a) / std::max(1.0, mean_followers));
    const double lambda = std::min(25.0, 2.0 * adv.trust * adv.trust * reach * period);
    const uint64_t sales = rng.Poisson(lambda);
    const auto followers = graph.Followers(a);
    for (uint64_t s = 0; s < sales; ++s) {
      int64_t buyer = -1;
      for (int k = 0; k < 8 && buyer < 0 && !followers.empty(); ++k) {
        const uint32_t f = followers[rng.Below(followers.size())];
        if (people[f].Has(kUsedProduct) && f != a) buyer = f;
      }
      if (buyer < 0 && !customers.empty()) buyer = customers[rng.Below(customers.size())];
      if (buyer < 0 || buyer == a) continue;
      Order o;
      o.person = buyer;
      o.time = rng.Between(start + 3600, end - 1);
      o.amount = Basket(brand, rng) * (100 - kReferralDiscountPct) / 100;
      identify(o, static_cast<uint32_t>(buyer), rng);
      o.code = code;
      o.owner = static_cast<int>(a);
      o.visitor = Visitor(config.seed, 1, o.time ^ (uint64_t{a} << 32) ^ s);
      o.ip = Ip(Mix(config.seed, 2, static_cast<uint64_t>(buyer)));
      o.ua = rng.Below(std::size(kUserAgents));
      o.click_time = std::max(start, o.time - rng.Between(120, 3 * 86400));
      o.lead_time = o.click_time + (o.time - o.click_time) / 2;
      if (rng.Chance(0.04)) o.refund_time = o.time + rng.Between(86400, 14 * 86400);
      o.seq = seq++;
      orders.push_back(std::move(o));
    }
    // Clicks that did not convert, some with a lead (an e-mail left at signup).
    const uint64_t idle = rng.Poisson(lambda * 6 + 0.5);
    for (uint64_t c = 0; c < idle; ++c) {
      const int64_t t = rng.Between(start, end - 1);
      const std::string visitor = Visitor(config.seed, 3, (uint64_t{a} << 20) ^ c);
      const std::string ip = Ip(Mix(config.seed, 4, (uint64_t{a} << 20) ^ c));
      const size_t ua = rng.Below(std::size(kUserAgents));
      std::string json = "{\"type\":\"click\",\"code\":";
      AppendJsonString(code, json);
      fmt::format_to(std::back_inserter(json), ",\"visitor\":\"{}\",\"ip\":\"{}\",\"user_agent\":", visitor, ip);
      AppendJsonString(kUserAgents[ua], json);
      json += ",\"time\":\"";
      AppendRfc3339(t, false, json);
      json += "\"}";
      pending.push_back({t, seq++, std::move(json)});
      if (rng.Chance(0.15)) {
        const uint32_t who = static_cast<uint32_t>(rng.Below(n));
        std::string lead = "{\"type\":\"lead\",\"code\":";
        AppendJsonString(code, lead);
        fmt::format_to(std::back_inserter(lead), ",\"visitor\":\"{}\",\"customer_external_id\":\"\",\"email\":", visitor);
        AppendJsonString(people.Email(who), lead);
        fmt::format_to(std::back_inserter(lead), ",\"ip\":\"{}\",\"user_agent\":", ip);
        AppendJsonString(kUserAgents[ua], lead);
        lead += ",\"time\":\"";
        AppendRfc3339(t + rng.Between(30, 900), false, lead);
        lead += "\"}";
        pending.push_back({t + 1, seq++, std::move(lead)});
      }
    }
  }

  // Planted fraud.
  Rng frng = Rng::For(config.seed, kStreamCommerce, 2);
  for (uint32_t s : program.self_referrers) {
    const int64_t count = frng.Between(1, 2);
    for (int64_t k = 0; k < count; ++k) {
      Order o;
      o.person = s;
      o.time = frng.Between(start + 3600, end - 1);
      o.email = GmailDisguise(people.Email(s), frng);
      o.amount = Basket(brand, frng) * (100 - kReferralDiscountPct) / 100;
      o.code = people.ReferralCode(s);
      o.owner = static_cast<int>(s);
      o.visitor = Visitor(config.seed, 5, (uint64_t{s} << 8) + static_cast<uint64_t>(k));
      o.ip = Ip(Mix(config.seed, 2, s));
      o.ua = frng.Below(std::size(kUserAgents));
      o.click_time = o.time - frng.Between(60, 1800);
      o.lead_time = o.click_time + 30;
      o.fraud_kind = "self_referral";
      o.fraud_detail = fmt::format("{} bought through their own code {} as {} (their address: {})",
                                   people.Handle(s), o.code, o.email, people.Email(s));
      o.seq = seq++;
      orders.push_back(std::move(o));
    }
  }
  for (size_t r = 0; r < program.referral_rings; ++r) {
    const auto& ring = program.rating_rings[r];
    const uint64_t block = Mix(config.seed, 6, r);
    for (size_t i = 0; i < ring.size(); ++i) {
      const uint32_t buyer = ring[i];
      const uint32_t owner = ring[(i + 1) % ring.size()];
      const int64_t count = frng.Between(1, 2);
      for (int64_t k = 0; k < count; ++k) {
        Order o;
        o.person = buyer;
        o.time = frng.Between(start + 3600, end - 1);
        o.email = people.Email(buyer);
        o.amount = Basket(brand, frng) * (100 - kReferralDiscountPct) / 100;
        o.code = people.ReferralCode(owner);
        o.owner = static_cast<int>(owner);
        o.visitor = Visitor(config.seed, 7, (uint64_t{buyer} << 8) + static_cast<uint64_t>(k));
        o.ip = IpInBlock(block, frng.Below(254));
        o.ua = frng.Below(std::size(kUserAgents));
        o.click_time = o.time - frng.Between(60, 3600);
        o.lead_time = o.click_time + 60;
        o.fraud_kind = "ring";
        o.fraud_detail = fmt::format("ring {}: {} bought through {}'s code {}", r + 1, people.Handle(buyer),
                                     people.Handle(owner), o.code);
        o.seq = seq++;
        orders.push_back(std::move(o));
      }
    }
  }
  for (size_t b = 0; b < program.burst_codes.size(); ++b) {
    const uint32_t owner = program.burst_codes[b];
    const int64_t count = frng.Between(15, 40);
    const int64_t at = frng.Between(start + 86400, std::max(start + 86401, end - 3 * 86400));
    const uint64_t block = Mix(config.seed, 8, b);
    for (int64_t k = 0; k < count; ++k) {
      Order o;
      o.time = at + frng.Between(0, 600);
      o.email = fmt::format("{:08x}@{}", static_cast<uint32_t>(Mix(config.seed, 9, (b << 8) + static_cast<uint64_t>(k))),
                            kThrowawayDomains[frng.Below(std::size(kThrowawayDomains))]);
      o.amount = brand.products[0].price_minor * (100 - kReferralDiscountPct) / 100;
      o.code = people.ReferralCode(owner);
      o.owner = static_cast<int>(owner);
      o.visitor = Visitor(config.seed, 10, (b << 8) + static_cast<uint64_t>(k));
      o.ip = IpInBlock(block, frng.Below(254));
      o.ua = frng.Below(std::size(kUserAgents));
      o.click_time = o.time - frng.Between(20, 120);
      o.lead_time = o.click_time + 10;
      if (frng.Chance(0.7)) o.refund_time = o.time + frng.Between(86400, 3 * 86400);
      o.fraud_kind = "burst";
      o.fraud_detail = fmt::format("{} orders through {}'s code {} within ten minutes", count, people.Handle(owner),
                                   o.code);
      o.seq = seq++;
      orders.push_back(std::move(o));
    }
  }

  std::sort(orders.begin(), orders.end(),
            [](const Order& a, const Order& b) { return a.time != b.time ? a.time < b.time : a.seq < b.seq; });
  CommerceFiles files;
  files.orders_csv = "order_id,customer_id,email,amount_minor,currency,time,referral_code\n";
  files.fraud_csv = "kind,order_id_or_code,detail\n";
  std::vector<Event> timeline = std::move(pending);
  for (size_t i = 0; i < orders.size(); ++i) {
    Order& o = orders[i];
    const std::string id = fmt::format("NB-{}", 1000001 + i);
    std::string& csv = files.orders_csv;
    csv += id;
    csv += ',';
    AppendCsvField(o.customer_id, csv);
    csv += ',';
    AppendCsvField(o.email, csv);
    fmt::format_to(std::back_inserter(csv), ",{},USD,", o.amount);
    AppendRfc3339(o.time, false, csv);
    csv += ',';
    csv += o.code;
    csv += '\n';
    ++files.orders;
    if (!o.fraud_kind.empty()) {
      files.fraud_csv += o.fraud_kind;
      files.fraud_csv += ',';
      files.fraud_csv += id;
      files.fraud_csv += ',';
      AppendCsvField(o.fraud_detail, files.fraud_csv);
      files.fraud_csv += '\n';
      files.self_referral += o.fraud_kind == "self_referral";
      files.ring += o.fraud_kind == "ring";
      files.burst += o.fraud_kind == "burst";
    }
    if (o.code.empty()) continue;
    ++files.referred_orders;
    const std::string_view ua = kUserAgents[o.ua];
    const std::string customer_email = !o.email.empty() ? o.email : people.Email(static_cast<uint32_t>(o.person));
    std::string click = "{\"type\":\"click\",\"code\":";
    AppendJsonString(o.code, click);
    fmt::format_to(std::back_inserter(click), ",\"visitor\":\"{}\",\"ip\":\"{}\",\"user_agent\":", o.visitor, o.ip);
    AppendJsonString(ua, click);
    click += ",\"time\":\"";
    AppendRfc3339(o.click_time, false, click);
    click += "\"}";
    timeline.push_back({o.click_time, o.seq * 4, std::move(click)});
    std::string lead = "{\"type\":\"lead\",\"code\":";
    AppendJsonString(o.code, lead);
    fmt::format_to(std::back_inserter(lead), ",\"visitor\":\"{}\",\"customer_external_id\":", o.visitor);
    AppendJsonString(o.customer_id, lead);
    lead += ",\"email\":";
    AppendJsonString(customer_email, lead);
    fmt::format_to(std::back_inserter(lead), ",\"ip\":\"{}\",\"user_agent\":", o.ip);
    AppendJsonString(ua, lead);
    lead += ",\"time\":\"";
    AppendRfc3339(o.lead_time, false, lead);
    lead += "\"}";
    timeline.push_back({o.lead_time, o.seq * 4 + 1, std::move(lead)});
    std::string sale = "{\"type\":\"sale\",\"invoice_id\":\"" + id + "\",\"customer_external_id\":";
    AppendJsonString(o.customer_id, sale);
    sale += ",\"email\":";
    AppendJsonString(customer_email, sale);
    fmt::format_to(std::back_inserter(sale), ",\"amount\":{},\"currency\":\"USD\",\"code\":", o.amount);
    AppendJsonString(o.code, sale);
    fmt::format_to(std::back_inserter(sale), ",\"visitor\":\"{}\",\"ip\":\"{}\",\"user_agent\":", o.visitor, o.ip);
    AppendJsonString(ua, sale);
    sale += ",\"time\":\"";
    AppendRfc3339(o.time, false, sale);
    sale += "\"}";
    timeline.push_back({o.time, o.seq * 4 + 2, std::move(sale)});
    if (o.refund_time >= 0) {
      std::string refund = "{\"type\":\"refund\",\"invoice_id\":\"" + id + "\",\"time\":\"";
      AppendRfc3339(o.refund_time, false, refund);
      refund += "\"}";
      timeline.push_back({o.refund_time, o.seq * 4 + 3, std::move(refund)});
      ++files.refunds;
    }
  }
  std::sort(timeline.begin(), timeline.end(), [](const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  });
  for (const Event& e : timeline) {
    files.referrals_jsonl += e.json;
    files.referrals_jsonl += '\n';
  }
  files.events = timeline.size();

  files.advocates_csv = "name,email,code\n";
  for (uint32_t a : program.enrolled) {
    AppendCsvField(people.Name(a), files.advocates_csv);
    files.advocates_csv += ',';
    AppendCsvField(people.Email(a), files.advocates_csv);
    files.advocates_csv += ',';
    files.advocates_csv += people.ReferralCode(a);
    files.advocates_csv += '\n';
  }
  return files;
}

RatingFiles WriteRatings(const SynthConfig& config, const Population& people, const FollowGraph& graph,
                         const Program& program) {
  struct Rating {
    int64_t time;
    uint32_t rater, ratee;
    int rating;
  };
  const uint32_t n = people.size();
  const int64_t start = config.start_time;
  const int64_t end = start + int64_t{config.days} * 86400;
  std::vector<Rating> ratings;
  std::vector<uint32_t> rated;
  auto clamp_rating = [](double x, double noise) {
    int r = static_cast<int>(std::lround(std::clamp(x, -10.0, 10.0)));
    if (r == 0) r = noise >= 0 ? 1 : -1;  // the scale has no zero, as on rating marketplaces
    return r;
  };
  for (uint32_t i = 0; i < n; ++i) {
    Rng rng = Rng::For(config.seed, kStreamRatings, i);
    if (people[i].Has(kFraudster) || !rng.Chance(0.35)) continue;
    const double harshness = rng.Normal(0, 1.0);
    const uint64_t count = 1 + rng.Poisson(1.3);
    const auto followers = graph.Followers(i);
    rated.clear();
    for (uint64_t k = 0; k < count; ++k) {
      // People rate those they deal with: someone who follows them, or someone well known.
      const uint32_t j = !followers.empty() && rng.Chance(0.5) ? followers[rng.Below(followers.size())]
                                                               : people.SampleByPopularity(rng);
      if (j == i || std::find(rated.begin(), rated.end(), j) != rated.end()) continue;
      rated.push_back(j);
      const double noise = rng.Normal(0, 2.0);
      const double value = -8.0 + 17.0 * people[j].trust + harshness + noise;
      ratings.push_back({rng.Between(start, end - 1), i, j, clamp_rating(value, noise)});
    }
  }
  RatingFiles files;
  for (const auto& ring : program.rating_rings) files.ring_members += ring.size();
  files.rings_csv = "ring,platform,handle\n";
  for (size_t r = 0; r < program.rating_rings.size(); ++r) {
    const auto& ring = program.rating_rings[r];
    Rng rng = Rng::For(config.seed, kStreamRatings, 0x7a000000ULL + r);
    for (uint32_t a : ring) {
      fmt::format_to(std::back_inserter(files.rings_csv), "{},x,{}\n", r + 1, people.Handle(a));
      for (uint32_t b : ring) {
        if (a == b) continue;
        const int64_t times = rng.Between(1, 2);
        for (int64_t k = 0; k < times; ++k) {
          ratings.push_back({rng.Between(start, end - 1), a, b, static_cast<int>(rng.Between(9, 10))});
        }
      }
      // The people they cheated rate them down.
      const uint64_t victims = rng.Poisson(2.0);
      for (uint64_t v = 0; v < victims; ++v) {
        const auto who = static_cast<uint32_t>(rng.Below(n));
        if (who == a || people[who].Has(kFraudster)) continue;
        ratings.push_back({rng.Between(start, end - 1), who, a, static_cast<int>(rng.Between(-10, -6))});
      }
    }
  }
  std::stable_sort(ratings.begin(), ratings.end(), [](const Rating& a, const Rating& b) { return a.time < b.time; });
  files.ratings_csv = "rater,ratee,rating,time\n";
  files.ratings_csv.reserve(ratings.size() * 40);
  for (const Rating& r : ratings) {
    files.ratings_csv += people.Handle(r.rater);
    files.ratings_csv += ',';
    files.ratings_csv += people.Handle(r.ratee);
    files.ratings_csv += ',';
    fmt::format_to(std::back_inserter(files.ratings_csv), "{},{}\n", r.rating, r.time);
  }
  files.ratings = ratings.size();
  return files;
}

}  // namespace vouch::synth
