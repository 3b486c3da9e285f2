// From token scores to word scores, with LLMLingua-2's force rules.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "mooscomp/options.h"
#include "mooscomp/tokenizer.h"
#include "segmenter.h"

namespace mooscomp {

// Whether a word's text holds an ASCII digit: force_reserve_digit's rule for a number.
bool HasAsciiDigit(std::string_view s);

struct ScoredWord {
  float score = 0.0f;     // with the force rules: what the budget ranks
  float unforced = 0.0f;  // without them: what the context-level filter averages
  bool forced = false;    // a force token, or a word holding a digit under force_reserve_digit
  bool has_tokens = false;
};

// Scores words [word_begin, word_end) of one context. A word's score is the mean (or the
// first) of its tokens' scores; force-token words and kKeep structure marks score 1.0; with `force_reserve_digit`
// a word whose text holds an ASCII digit scores 1.0 and is forced. The rule is per word,
// not per token as in LLMLingua-2, so a unit such as "$1,234.56" or "5pm" is kept whole.
// A word without tokens scores 1.0 if forced, else 0.
void ScoreWords(std::string_view text, const std::vector<WordSpan>& words,
                uint32_t word_begin, uint32_t word_end, const std::vector<float>& token_scores,
                WordScore mode, bool force_reserve_digit, std::vector<ScoredWord>* out);

}  // namespace mooscomp
