// The token-level budget: which words to keep, as LLMLingua-2's __compress decides.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "percentile.h"

namespace mooscomp {

struct Budget {
  enum class Mode { kKeepAll, kThreshold, kReduceRate };
  Mode mode = Mode::kKeepAll;
  double value = 0.0;  // the threshold, or reduce_rate = 1 - rate in (0, 1)
  bool drop_consecutive = false;
};

struct SelectableWord {
  std::string_view text;  // for drop_consecutive's equality tests
  float score = 0.0f;     // may be set to 0 by drop_consecutive
  uint32_t weight = 0;    // target-LLM tokens of the word, for kReduceRate
  bool force_token = false;
};

using WordRange = std::pair<uint32_t, uint32_t>;

// Selects the words of one unit (a window, or every kept context for the global scope)
// under one threshold; drop_consecutive's state restarts with each range.
//   kReduceRate: threshold = percentile of the scores, each repeated `weight` times, at
//     int(100 * reduce_rate + 1); keep iff score > threshold, or threshold == 1.0 and
//     score == 1.0 (so forced words survive a unit where most words are forced).
//     If that keeps no word of a range, its highest-scoring word with visible
//     (non-whitespace) text is kept, so a rate never empties a window or, in the global
//     scope, a context (LLMLingua-2 returns "" when all scores are equal).
//   kThreshold: the same test against the given threshold; it may keep nothing.
//   drop_consecutive: a force-token word equal to the previous force-token word, with no
//     word scoring above the plain percentile at int(100 * reduce_rate) (or above the
//     threshold) between them, scores 0; and a force-token word equal to the last kept
//     word is not kept.
void SelectUnit(const std::vector<WordRange>& ranges, const Budget& budget, std::vector<SelectableWord>* words,
                std::vector<uint8_t>* keep, std::vector<WeightedValue>* scratch);

}  // namespace mooscomp
