#include "synth/population.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace vouch::synth {
namespace {

using SV = std::string_view;

constexpr SV kFirstNames[] = {
    "Jane",   "Omar",   "Priya",  "Lucas",  "Mei",    "Daniel", "Aisha",  "Tomás",  "Hannah", "Kenji",  "Sofia",
    "Marcus", "Chloe",  "Ravi",   "Elena",  "Jamal",  "Nora",   "Felix",  "Zara",   "Mateo",  "Grace",  "Ibrahim",
    "Lena",   "Owen",   "Yuki",   "Carlos", "Maya",   "Ethan",  "Amara",  "Leo",    "Ruth",   "Diego",  "Ava",
    "Noah",   "Fatima", "Samuel", "Iris",   "Kwame",  "Julia",  "Arjun",  "Clara",  "Tariq",  "Emma",   "Hugo",
    "Leila",  "Victor", "Bianca", "Theo",   "Naomi",  "Pavel",  "Rosa",   "Finn",   "Anika",  "Malik",  "Ines",
    "Oscar",  "Layla",  "Jonas",  "Dana",   "Kofi",   "Alice",  "Ben",    "Sara",   "Ming",   "Rhys",   "Tara"};
constexpr SV kLastNames[] = {
    "Doe",     "Khan",    "Patel",    "Silva",   "Chen",     "Okafor",  "Müller",  "Rossi",    "Novak",   "Tanaka",
    "Garcia",  "Smith",   "Nguyen",   "Kowalski", "Haddad",  "Larsen",  "Moreau",  "Ivanova",  "Mensah",  "Costa",
    "Brown",   "Sato",    "Fischer",  "Lopez",   "Ahmed",    "Walsh",   "Kim",     "Jensen",   "Romero",  "Osei",
    "Park",    "Bauer",   "Singh",    "Murphy",  "Dubois",   "Hughes",  "Nakamura", "Reyes",   "Adeyemi", "Berg",
    "Clarke",  "Vargas",  "Lindqvist", "Ali",    "Wright",   "Sousa",   "Cohen",   "Ortiz",    "Ward",    "Yilmaz",
    "Hart",    "Ng",      "Fox",      "Bell",    "Reid",     "Quinn",   "Stone",   "Marsh",    "Lowe",    "Price"};
constexpr SV kHandleWords[] = {"brews", "codes", "runs", "reads", "bakes", "sips", "travels", "draws", "lifts",
                               "writes", "cooks", "plays"};
constexpr SV kAdjectives[] = {"sleepy", "quiet", "lucky", "salty", "cosmic", "rusty", "sunny", "grumpy", "tiny",
                              "bold", "lazy", "witty"};
constexpr SV kNouns[] = {"otter", "fox", "owl", "panda", "moose", "heron", "badger", "koala", "lynx", "crow",
                         "bean", "kettle"};
constexpr SV kEmailDomains[] = {"gmail.com",   "yahoo.com",  "outlook.com", "hotmail.com",
                                "icloud.com",  "proton.me",  "aol.com",     "fastmail.com"};
constexpr double kEmailDomainWeights[] = {0.45, 0.12, 0.12, 0.08, 0.10, 0.05, 0.03, 0.05};
constexpr SV kMastodonInstances[] = {"mastodon.social", "fosstodon.org", "hachyderm.io", "mstdn.social",
                                     "techhub.social"};

// Lower-case ASCII letters only ("Tomás" -> "toms"): handles and e-mail local parts are ASCII.
std::string Ascii(SV name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalpha(u)) out += static_cast<char>(std::tolower(u));
  }
  return out;
}
std::string Capitalised(SV name) {
  std::string s = Ascii(name);
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

Population::Population(const SynthConfig& config) : seed_(config.seed) {
  const auto n = static_cast<uint32_t>(config.people);
  while (suffix_modulus_ < n) {
    suffix_modulus_ *= 10;
    ++suffix_digits_;
  }
  // Communities: about one per 400 people, of Zipf-like sizes (a few big circles, many small ones).
  communities_ = std::max<uint32_t>(1, n / 400);
  std::vector<double> community_weights(communities_);
  for (uint32_t c = 0; c < communities_; ++c) community_weights[c] = 1.0 / std::pow(c + 1.0, 0.7);
  const AliasTable community_table(community_weights);

  const double popularity_cap = std::max(10.0, n / 20.0);
  AliasTable domains(kEmailDomainWeights);
  people_.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    Rng rng = Rng::For(seed_, kStreamPeople, i);
    Person& p = people_[i];
    // 8% are shady (spam, scams, sock puppets); the rest are spread around "fairly trustworthy".
    p.trust = static_cast<float>(rng.Chance(0.08) ? rng.Uniform(0.02, 0.3)
                                                   : std::clamp(rng.Normal(0.72, 0.15), 0.05, 0.99));
    p.activity = static_cast<float>(rng.LogNormal(-0.5, 1.0));  // mean 1
    p.popularity = static_cast<float>(std::min(popularity_cap, rng.Pareto(1.0, 1.5)));
    p.community = static_cast<uint32_t>(community_table.Sample(rng));
    if (rng.Chance(0.30)) {
      p.flags |= kUsedProduct;
      p.satisfaction = static_cast<float>(std::clamp(rng.Normal(0.35, 0.5), -1.0, 1.0));
    } else if (rng.Chance(0.3)) {
      p.flags |= kCompetitorUser;
      p.competitor = static_cast<uint8_t>(1 + rng.Below(2));
      p.satisfaction = static_cast<float>(std::clamp(rng.Normal(0.25, 0.5), -1.0, 1.0));
    }
    if (rng.Chance(0.20)) p.flags |= kDealSeeker;
    if (rng.Chance(0.15)) p.flags |= kOnReddit;
    if (rng.Chance(0.08)) p.flags |= kOnMastodon;
    // The shop's CRM knows most customers and some newsletter subscribers.
    if (rng.Chance(p.Has(kUsedProduct) ? 0.85 : 0.08)) p.flags |= kInCrm;
    p.first = static_cast<uint16_t>(rng.Below(std::size(kFirstNames)));
    p.last = static_cast<uint16_t>(rng.Below(std::size(kLastNames)));
    p.email_domain = static_cast<uint8_t>(domains.Sample(rng));
    p.handle_style = static_cast<uint8_t>(rng.Below(10));
    p.mastodon_instance = static_cast<uint8_t>(rng.Below(std::size(kMastodonInstances)));
    // A true advocate: used the product, is happy with it, is trusted and talks.
    if (p.Has(kUsedProduct) && p.satisfaction > 0.3f && p.trust >= 0.7f && p.activity >= 1.0f) p.flags |= kAdvocate;
  }

  // X handles: a style from the name, then the unique number; at most 15 characters as on X.
  handle_offsets_.reserve(n + 1);
  handle_offsets_.push_back(0);
  handles_.reserve(size_t{n} * 13);
  for (uint32_t i = 0; i < n; ++i) {
    const Person& p = people_[i];
    const std::string first = Ascii(kFirstNames[p.first]);
    const std::string last = Ascii(kLastNames[p.last]);
    std::string base;
    switch (p.handle_style) {
      case 0: base = Capitalised(first) + Capitalised(last); break;
      case 1: base = first + "_" + last; break;
      case 2: base = first.substr(0, 1) + last; break;
      case 3: base = first + last; break;
      case 4: base = "the" + first; break;
      case 5: base = first + std::string(kHandleWords[i % std::size(kHandleWords)]); break;
      case 6: base = std::string(kAdjectives[(i / 7) % std::size(kAdjectives)]) +
                     Capitalised(kNouns[(i / 3) % std::size(kNouns)]); break;
      case 7: base = last + first.substr(0, 1); break;
      case 8: base = first + "_" + last.substr(0, 1); break;
      default: base = "real" + Capitalised(first); break;
    }
    const std::string number = std::to_string(Suffix(i, 1));
    base.resize(std::min(base.size(), 15 - number.size()));
    // The number must follow a letter for the bijection to keep handles unique.
    while (!base.empty() && !std::isalpha(static_cast<unsigned char>(base.back()))) base.pop_back();
    if (base.empty()) base = "u";
    handles_ += base;
    handles_ += number;
    handle_offsets_.push_back(static_cast<uint32_t>(handles_.size()));
  }

  std::vector<double> weights(n);
  for (uint32_t i = 0; i < n; ++i) weights[i] = people_[i].activity;
  by_activity_ = AliasTable(weights);
  for (uint32_t i = 0; i < n; ++i) weights[i] = people_[i].popularity;
  by_popularity_ = AliasTable(weights);
}

uint64_t Population::Suffix(uint32_t i, uint64_t salt) const {
  // Multipliers coprime with 10 make index -> (index * a + b) mod 10^k a bijection of [0, 10^k).
  static constexpr uint64_t kMultipliers[] = {7919, 104729, 1299709, 15485863, 32452843};
  const uint64_t a = kMultipliers[salt % std::size(kMultipliers)] % suffix_modulus_;
  const uint64_t b = (salt * 7717 + 12345) % suffix_modulus_;
  return (i * (a == 0 ? 1 : a) + b) % suffix_modulus_;
}

std::string Population::XUserId(uint32_t i) const {
  // Multiplying by an odd number is a bijection of 32-bit integers; X user ids are long decimal numbers.
  return std::to_string(1000000000000ULL + static_cast<uint32_t>(i * 2654435761u));
}

std::string Population::Name(uint32_t i) const {
  return fmt::format("{} {}", kFirstNames[people_[i].first], kLastNames[people_[i].last]);
}
std::string_view Population::FirstName(uint32_t i) const { return kFirstNames[people_[i].first]; }

std::string Population::RedditHandle(uint32_t i) const {
  const Person& p = people_[i];
  const std::string number = std::to_string(Suffix(i, 2));
  switch (i % 4) {
    case 0: return fmt::format("{}_{}{}", kAdjectives[(i / 5) % std::size(kAdjectives)],
                               kNouns[(i / 11) % std::size(kNouns)], number);
    case 1: return fmt::format("{}_{}_{}", Capitalised(kFirstNames[p.first]), Capitalised(kLastNames[p.last]), number);
    case 2: return fmt::format("throwaway{}", number);
    default: return fmt::format("{}{}{}", Ascii(kNouns[(i / 13) % std::size(kNouns)]), Ascii(kFirstNames[p.first]),
                                number);
  }
}

std::string Population::MastodonUser(uint32_t i) const {
  const Person& p = people_[i];
  return fmt::format("{}{}", Ascii(kFirstNames[p.first]), Suffix(i, 3));
}
std::string_view Population::MastodonInstance(uint32_t i) const {
  return kMastodonInstances[people_[i].mastodon_instance];
}

std::string Population::Email(uint32_t i) const {
  const Person& p = people_[i];
  const std::string first = Ascii(kFirstNames[p.first]);
  const std::string last = Ascii(kLastNames[p.last]);
  const uint64_t number = Suffix(i, 4);
  std::string local;
  switch ((i / 3) % 5) {
    case 0: local = fmt::format("{}.{}{}", first, last, number); break;
    case 1: local = fmt::format("{}{}{}", first, last, number); break;
    case 2: local = fmt::format("{}.{}{}", first.substr(0, 1), last, number); break;
    case 3: local = fmt::format("{}_{}{}", first, last, number); break;
    default: local = fmt::format("{}{}{}", last, first, number); break;
  }
  return fmt::format("{}@{}", local, kEmailDomains[p.email_domain]);
}

std::string Population::CustomerId(uint32_t i) const {
  return fmt::format("C{:08}", (uint64_t{i} * 7 + 1234567) % 100000000);
}

std::string Population::ReferralCode(uint32_t i) const {
  std::string first = Ascii(kFirstNames[people_[i].first]).substr(0, 6);
  for (char& c : first) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return fmt::format("{}{:0{}}", first, Suffix(i, 0), suffix_digits_);
}

}  // namespace vouch::synth
