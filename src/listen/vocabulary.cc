#include "vouch/listen/vocabulary.h"

#include <xxhash.h>

#include <algorithm>

namespace vouch::listen {

uint64_t Vocabulary::HashOf(std::string_view text) {
  return XXH3_64bits(text.data(), text.size());
}

void Vocabulary::Insert(uint64_t hash, uint32_t id) {
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    if (slots_[i].id == kUnknown) {
      slots_[i] = {hash, id};
      return;
    }
  }
}

uint32_t Vocabulary::Add(std::string_view text, uint8_t flags) {
  const uint64_t hash = HashOf(text);
  const uint32_t existing = Find(text, hash);
  if (existing != kUnknown) {
    flags_[existing] |= flags;
    return existing;
  }
  const auto id = static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(text);
  flags_.push_back(flags);
  // Keep the table at most half full; rebuild on growth.
  if ((texts_.size() * 2) > slots_.size()) {
    const size_t capacity = std::max<size_t>(64, slots_.size() * 2);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (uint32_t k = 0; k < texts_.size(); ++k) Insert(HashOf(texts_[k]), k);
  } else {
    Insert(hash, id);
  }
  return id;
}

void Vocabulary::AddPrefix(std::string_view prefix, uint32_t tag) {
  if (prefix.size() < 3) return;  // shorter prefixes would match half the language
  prefixes_[std::string(prefix)] = tag;
  prefix_starts_.set(StartKey(prefix));
  min_prefix_ = min_prefix_ == 0 ? prefix.size() : std::min(min_prefix_, prefix.size());
  max_prefix_ = std::max(max_prefix_, prefix.size());
}

uint32_t Vocabulary::FindPrefix(std::string_view text) const {
  if (prefixes_.empty() || text.size() < min_prefix_ || !prefix_starts_.test(StartKey(text))) return kUnknown;
  // Longest first: "cancel*" covers "cancel", "cancelled", "cancellation".
  for (size_t n = std::min(max_prefix_, text.size()); n >= min_prefix_; --n) {
    auto it = prefixes_.find(text.substr(0, n));
    if (it != prefixes_.end()) return it->second;
    if (n == 0) break;
  }
  return kUnknown;
}

}  // namespace vouch::listen
