// From token scores to word scores, with LLMLingua-2's force rules.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "mooscomp/compressor.h"
#include "mooscomp/tokenizer.h"
#include "segmenter.h"

namespace mooscomp {

struct ScoredWord {
  float score = 0.0f;     // with the force rules: what the budget ranks
  float unforced = 0.0f;  // without them: what the context-level filter averages
  bool forced = false;    // a force token, or every aggregated token forced by a digit
  bool has_tokens = false;
};

// Scores words [word_begin, word_end) of one context. A word's score is the mean (or the
// first) of its tokens' scores; force-token words score 1.0; with `force_reserve_digit`
// each token whose text holds an ASCII digit scores 1.0 before aggregation (as
// LLMLingua-2, so "abc123" split as "abc" "123" is not necessarily 1.0). A word without
// tokens scores 1.0 if forced, else 0.
void ScoreWords(std::string_view text, const Encoding& tokens, const std::vector<WordSpan>& words,
                uint32_t word_begin, uint32_t word_end, const std::vector<float>& token_scores,
                WordScore mode, bool force_reserve_digit, std::vector<ScoredWord>* out);

}  // namespace mooscomp
