// Vocabulary: interned, normalised word forms (the output of TextNormalizer) and the few things the listen module
// needs to know about each: its numeric id and role flags (negator, intensifier, contrast). Also holds prefix
// patterns ("cancel*") so one cue can cover a word's inflections without listing them.
//
// Built once (Add/AddPrefix), then read concurrently: Find/FindPrefix/Flags are const and thread-safe while no
// thread adds.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vouch::listen {

// Role flags of a word, OR-ed together.
enum WordFlag : uint8_t {
  kWordNegator = 1,      // starts a negation scope: "not", "never", "no"
  kWordIntensifier = 2,  // boosts the next sentiment word: "very", "so"
  kWordDampener = 4,     // softens the next sentiment word: "kinda", "slightly"
  kWordContrast = 8,     // "but": what follows outweighs what came before
  kWordNeutral = 16,     // its lexicon valence is ignored: "like", "please", mostly function words in posts
};

class Vocabulary final {
 public:
  static constexpr uint32_t kUnknown = 0xffffffffu;
  // The entry every number token without an entry of its own maps to (cue terms write it as "0").
  static constexpr std::string_view kNumber = "<number>";

  // Interns a normalised form (already folded); returns its id, the same one on every call for the same text.
  uint32_t Add(std::string_view text, uint8_t flags = 0);
  // Registers a prefix pattern: any word starting with `prefix` (itself included) gets `tag` from FindPrefix.
  // Tags are the caller's numbers (a cue family); the longest registered prefix wins.
  void AddPrefix(std::string_view prefix, uint32_t tag);

  uint32_t Find(std::string_view text) const { return Find(text, HashOf(text)); }
  // Same, with the text's HashOf() already at hand (the normaliser computes it once per token).
  uint32_t Find(std::string_view text, uint64_t hash) const {
    if (slots_.empty()) return kUnknown;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.id == kUnknown) return kUnknown;
      if (slot.hash == hash && texts_[slot.id] == text) return slot.id;
    }
  }
  static uint64_t HashOf(std::string_view text);
  // The tag of the longest registered prefix of `text`, or kUnknown.
  uint32_t FindPrefix(std::string_view text) const;
  uint8_t Flags(uint32_t id) const { return id < flags_.size() ? flags_[id] : 0; }
  const std::string& Text(uint32_t id) const { return texts_[id]; }
  size_t size() const { return texts_.size(); }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t id = kUnknown;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  void Insert(uint64_t hash, uint32_t id);
  // Open addressing with linear probing over XXH3 hashes: a lookup is one probe or two on a hot cache line,
  // where std::unordered_map hashed again and chased a node pointer (half the classifier's time).
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<std::string> texts_;
  std::vector<uint8_t> flags_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> prefixes_;
  // Which three-letter starts some prefix has: most words are turned away with one bit test.
  static size_t StartKey(std::string_view s) {
    return (static_cast<unsigned char>(s[0]) * 961u + static_cast<unsigned char>(s[1]) * 31u +
            static_cast<unsigned char>(s[2])) &
           4095u;
  }
  std::bitset<4096> prefix_starts_;
  size_t min_prefix_ = 0;
  size_t max_prefix_ = 0;
};

}  // namespace vouch::listen
