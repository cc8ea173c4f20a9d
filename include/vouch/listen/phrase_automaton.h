// PhraseAutomaton: Aho-Corasick (Aho & Corasick, "Efficient string matching", CACM 1975) over sequences of
// vocabulary ids rather than bytes. Patterns are phrases of normalised tokens ("apple pie", "on hold", "@delta"),
// so word boundaries come for free (a token either is "apple" or is not) and Unicode handling lives in one place,
// the TextNormalizer. One pass over a post's tokens finds every occurrence of every phrase, whatever their number:
// the cost is linear in the tokens plus the matches, independent of the thousands of brand terms.
//
// Why not Hyperscan or a byte automaton: patterns here are token sequences whose tokens are already interned, and
// word boundaries, case folding and NFKC would have to be re-encoded as byte regexes; the token automaton is ~100
// lines, has no dependency, and its transitions are one hash probe per token.
//
// Build with Add() then Build(); after Build() the automaton is immutable and Match() is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace vouch::listen {

class PhraseAutomaton final {
 public:
  struct Match {
    uint32_t pattern = 0;  // the value Add() returned
    uint32_t first = 0;    // token index of the phrase's first token
    uint32_t last = 0;     // token index of its last token (inclusive)
  };

  // Adds a phrase (non-empty, ids from one Vocabulary); returns its pattern number (0, 1, 2, ... in call order).
  uint32_t Add(const std::vector<uint32_t>& phrase);
  void Build();
  size_t patterns() const { return lengths_.size(); }

  // Appends every occurrence (overlapping ones included) to `out`, in order of their last token.
  // `symbols` are the post's token ids (Vocabulary::kUnknown never matches and resets the automaton).
  template <typename SymbolAt>
  void MatchAll(size_t count, SymbolAt symbol_at, std::vector<Match>& out) const {
    uint32_t state = 0;
    for (size_t i = 0; i < count; ++i) {
      state = Next(state, symbol_at(i));
      for (uint32_t k = out_begin_[state]; k < out_begin_[state + 1]; ++k) {
        const uint32_t p = outputs_[k];
        out.push_back({p, static_cast<uint32_t>(i + 1 - lengths_[p]), static_cast<uint32_t>(i)});
      }
    }
  }

 private:
  static uint64_t Key(uint32_t state, uint32_t symbol) { return (uint64_t{state} << 32) | symbol; }
  uint32_t Goto(uint32_t state, uint32_t symbol) const {
    if (state == 0 && built_) return symbol < root_.size() ? root_[symbol] : kNone;
    auto it = edges_.find(Key(state, symbol));
    return it == edges_.end() ? kNone : it->second;
  }
  uint32_t Next(uint32_t state, uint32_t symbol) const;

  static constexpr uint32_t kNone = 0xffffffffu;
  std::unordered_map<uint64_t, uint32_t> edges_;  // (state, symbol) -> state; state 0 is the root
  std::vector<uint32_t> fail_;
  std::vector<std::vector<uint32_t>> terminal_;  // patterns ending exactly at a state (before Build)
  std::vector<uint32_t> out_begin_;              // CSR of all patterns ending at a state, fail chain included
  std::vector<uint32_t> outputs_;
  std::vector<uint32_t> lengths_;
  // The root's transitions as a table indexed by symbol: most tokens start no phrase, and this answers them with
  // one load instead of a hash probe.
  std::vector<uint32_t> root_;
  bool built_ = false;
};

}  // namespace vouch::listen
