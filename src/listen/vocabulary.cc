#include "vouch/listen/vocabulary.h"

#include <algorithm>

namespace vouch::listen {

uint32_t Vocabulary::Add(std::string_view text, uint8_t flags) {
  auto it = ids_.find(text);
  if (it != ids_.end()) {
    flags_[it->second] |= flags;
    return it->second;
  }
  const auto id = static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(text);
  flags_.push_back(flags);
  ids_.emplace(std::string(text), id);
  return id;
}

void Vocabulary::AddPrefix(std::string_view prefix, uint32_t tag) {
  if (prefix.empty()) return;
  prefixes_[std::string(prefix)] = tag;
  min_prefix_ = min_prefix_ == 0 ? prefix.size() : std::min(min_prefix_, prefix.size());
  max_prefix_ = std::max(max_prefix_, prefix.size());
}

uint32_t Vocabulary::FindPrefix(std::string_view text) const {
  if (prefixes_.empty() || text.size() < min_prefix_) return kUnknown;
  // Longest first: "cancel*" covers "cancel", "cancelled", "cancellation".
  for (size_t n = std::min(max_prefix_, text.size()); n >= min_prefix_; --n) {
    auto it = prefixes_.find(text.substr(0, n));
    if (it != prefixes_.end()) return it->second;
    if (n == 0) break;
  }
  return kUnknown;
}

}  // namespace vouch::listen
