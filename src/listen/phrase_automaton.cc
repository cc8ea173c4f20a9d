#include "vouch/listen/phrase_automaton.h"

#include <algorithm>
#include <cassert>
#include <deque>

#include "vouch/listen/vocabulary.h"

namespace vouch::listen {

uint32_t PhraseAutomaton::Add(const std::vector<uint32_t>& phrase) {
  assert(!built_ && !phrase.empty());
  if (terminal_.empty()) terminal_.emplace_back();  // the root
  uint32_t state = 0;
  for (const uint32_t symbol : phrase) {
    uint32_t next = Goto(state, symbol);
    if (next == kNone) {
      next = static_cast<uint32_t>(terminal_.size());
      terminal_.emplace_back();
      edges_.emplace(Key(state, symbol), next);
    }
    state = next;
  }
  const auto pattern = static_cast<uint32_t>(lengths_.size());
  lengths_.push_back(static_cast<uint32_t>(phrase.size()));
  terminal_[state].push_back(pattern);
  return pattern;
}

void PhraseAutomaton::Build() {
  if (terminal_.empty()) terminal_.emplace_back();
  const size_t states = terminal_.size();
  fail_.assign(states, 0);
  // Children of each state, for the breadth-first pass.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> children(states);
  for (const auto& [key, to] : edges_) {
    children[static_cast<uint32_t>(key >> 32)].emplace_back(static_cast<uint32_t>(key & 0xffffffffu), to);
  }
  std::vector<std::vector<uint32_t>> all(states);
  std::deque<uint32_t> queue;
  for (const auto& [symbol, child] : children[0]) {
    fail_[child] = 0;
    queue.push_back(child);
  }
  std::vector<uint32_t> order;
  while (!queue.empty()) {
    const uint32_t state = queue.front();
    queue.pop_front();
    order.push_back(state);
    for (const auto& [symbol, child] : children[state]) {
      uint32_t f = fail_[state];
      while (f != 0 && Goto(f, symbol) == kNone) f = fail_[f];
      const uint32_t g = Goto(f, symbol);
      fail_[child] = (g != kNone && g != child) ? g : 0;
      queue.push_back(child);
    }
  }
  // Outputs in BFS order so a state's fail target is complete before the state itself.
  for (const uint32_t state : order) {
    all[state] = terminal_[state];
    const auto& inherited = all[fail_[state]];
    all[state].insert(all[state].end(), inherited.begin(), inherited.end());
  }
  out_begin_.assign(states + 1, 0);
  outputs_.clear();
  for (size_t s = 0; s < states; ++s) {
    out_begin_[s] = static_cast<uint32_t>(outputs_.size());
    outputs_.insert(outputs_.end(), all[s].begin(), all[s].end());
  }
  out_begin_[states] = static_cast<uint32_t>(outputs_.size());
  uint32_t max_symbol = 0;
  for (const auto& [symbol, child] : children[0]) max_symbol = std::max(max_symbol, symbol);
  root_.assign(children[0].empty() ? 0 : size_t{max_symbol} + 1, kNone);
  for (const auto& [symbol, child] : children[0]) root_[symbol] = child;
  built_ = true;
}

uint32_t PhraseAutomaton::Next(uint32_t state, uint32_t symbol) const {
  if (symbol == Vocabulary::kUnknown) return 0;
  while (true) {
    const uint32_t g = Goto(state, symbol);
    if (g != kNone) return g;
    if (state == 0) return 0;
    state = fail_[state];
  }
}

}  // namespace vouch::listen
