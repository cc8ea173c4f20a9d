#include "synth/brand_catalog.h"

#include <vector>

#include <fmt/format.h>

namespace vouch::synth {
namespace {

using SV = std::string_view;

constexpr SV kNimbusAliases[] = {"Nimbus", "Nimbus Coffee"};
constexpr SV kNimbusHandles[] = {"@nimbuscoffee", "@nimbus_help"};
constexpr SV kNimbusHashtags[] = {"#nimbuscoffee", "#nimbuspro"};
constexpr SV kNimbusCashtags[] = {"$NMBS"};
constexpr ProductSpec kNimbusProducts[] = {
    {"Nimbus Pro", "nimbus-pro", "steam wand", 34900},
    {"Nimbus Mini", "nimbus-mini", "water tank", 14900},
    {"Nimbus Grinder", "nimbus-grinder", "burr set", 18900},
    {"Nimbus Pods", "nimbus-pods", "pod holder", 1999},
    {"Nimbus Frother", "nimbus-frother", "whisk", 7900},
};
// "Nimbus" is also a cloud and a famous broomstick: the listener must not count those.
constexpr SV kNimbusExclusions[] = {"nimbus cloud", "nimbus clouds", "nimbus 2000", "cumulonimbus"};
constexpr SV kNimbusCompetitors[] = {"Brewlux", "Kaffio"};

constexpr SV kBrewluxAliases[] = {"Brewlux"};
constexpr SV kBrewluxHandles[] = {"@brewlux"};
constexpr SV kBrewluxHashtags[] = {"#brewlux"};
constexpr ProductSpec kBrewluxProducts[] = {
    {"Brewlux Aria", "aria", "drip tray", 29900},
    {"Brewlux Solo", "solo", "heating element", 12900},
    {"Brewlux Capsules", "capsules", "capsule drawer", 1799},
};
constexpr SV kBrewluxCompetitors[] = {"Nimbus"};

constexpr SV kKaffioAliases[] = {"Kaffio"};
constexpr SV kKaffioHandles[] = {"@kaffio_official"};
constexpr SV kKaffioHashtags[] = {"#kaffio"};
constexpr ProductSpec kKaffioProducts[] = {
    {"Kaffio K1", "k1", "pump", 24900},
    {"Kaffio Duo", "duo", "milk jug", 39900},
    {"Kaffio Beans Club", "beans-club", "bag clip", 2499},
};
constexpr SV kKaffioCompetitors[] = {"Nimbus"};

const BrandSpec kBrands[kBrandCount] = {
    {"Nimbus", kNimbusAliases, kNimbusHandles, kNimbusHashtags, kNimbusCashtags, kNimbusProducts, kNimbusExclusions,
     kNimbusCompetitors, "nimbus.coffee", "nimbuscoffee"},
    {"Brewlux", kBrewluxAliases, kBrewluxHandles, kBrewluxHashtags, {}, kBrewluxProducts, {}, kBrewluxCompetitors,
     "brewlux.com", "brewlux"},
    {"Kaffio", kKaffioAliases, kKaffioHandles, kKaffioHashtags, {}, kKaffioProducts, {}, kKaffioCompetitors,
     "kaffio.co", "kaffio"},
};

std::string TomlList(std::span<const SV> items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += fmt::format("{}\"{}\"", i ? ", " : "", items[i]);
  return out + "]";
}

}  // namespace

const BrandSpec& Brand(int index) { return kBrands[index]; }

std::string BrandsToml() {
  std::string out =
      "# The example world's brands (written by `vouch synth`): append to vouch.toml.\n"
      "# Nimbus is the brand whose shop, referral program and advocates the world holds; Brewlux and Kaffio are its\n"
      "# competitors. All three are fictional.\n";
  for (const BrandSpec& b : kBrands) {
    std::vector<SV> products;
    for (const auto& p : b.products) products.push_back(p.name);
    out += fmt::format(
        "\n[[brand]]\nname = \"{}\"\naliases = {}\nhandles = {}\nhashtags = {}\ncashtags = {}\nproducts = {}\n"
        "exclusions = {}\ncompetitors = {}\n",
        b.name, TomlList(b.aliases), TomlList(b.handles), TomlList(b.hashtags), TomlList(b.cashtags),
        TomlList(products), TomlList(b.exclusions), TomlList(b.competitors));
  }
  return out;
}

}  // namespace vouch::synth
