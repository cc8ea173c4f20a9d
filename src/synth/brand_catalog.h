// The fictional market of the example world: the brand (Nimbus, coffee machines) and its two competitors, with
// the terms Vouch's listener matches and the prices the shop charges. Everything here is invented.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vouch::synth {

struct ProductSpec {
  std::string_view name;   // "Nimbus Pro"
  std::string_view slug;   // "nimbus-pro" (links)
  std::string_view part;   // a part that breaks or gets replaced: "water tank"
  int64_t price_minor;     // USD cents
};

struct BrandSpec {
  std::string_view name;
  std::span<const std::string_view> aliases;
  std::span<const std::string_view> handles;    // with '@'; the first is the main account
  std::span<const std::string_view> hashtags;   // with '#'
  std::span<const std::string_view> cashtags;   // with '$'
  std::span<const ProductSpec> products;
  std::span<const std::string_view> exclusions;
  std::span<const std::string_view> competitors;
  std::string_view site;       // the shop's domain
  std::string_view subreddit;  // its community on Reddit
};

inline constexpr int kBrandCount = 3;
inline constexpr int kOwnBrand = 0;  // the brand the world's shop and referral program belong to
const BrandSpec& Brand(int index);

// brands.toml: one [[brand]] table a brand, ready to append to vouch.toml.
std::string BrandsToml();

}  // namespace vouch::synth
