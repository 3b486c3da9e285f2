#include "word_scores.h"

namespace mooscomp {
namespace {

bool HasAsciiDigit(std::string_view s) {
  for (char c : s) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

}  // namespace

void ScoreWords(std::string_view text, const Encoding& tokens, const std::vector<WordSpan>& words,
                uint32_t word_begin, uint32_t word_end, const std::vector<float>& token_scores,
                WordScore mode, bool force_reserve_digit, std::vector<ScoredWord>* out) {
  for (uint32_t w = word_begin; w < word_end; ++w) {
    const WordSpan& word = words[w];
    ScoredWord& scored = (*out)[w];
    scored.has_tokens = word.token_end > word.token_begin;
    const uint32_t last = mode == WordScore::kFirst && scored.has_tokens ? word.token_begin + 1 : word.token_end;
    double sum = 0.0, forced_sum = 0.0;
    bool all_digit_forced = scored.has_tokens;
    for (uint32_t t = word.token_begin; t < last; ++t) {
      sum += token_scores[t];
      const bool digit = force_reserve_digit &&
                         HasAsciiDigit(text.substr(tokens.begin[t], tokens.end[t] - tokens.begin[t]));
      forced_sum += digit ? 1.0 : token_scores[t];
      all_digit_forced = all_digit_forced && digit;
    }
    const uint32_t count = last - word.token_begin;
    scored.unforced = count > 0 ? static_cast<float>(sum / count) : 0.0f;
    scored.forced = word.force_index >= 0 || all_digit_forced;
    if (word.force_index >= 0) {
      scored.score = 1.0f;
    } else {
      scored.score = count > 0 ? static_cast<float>(forced_sum / count) : 0.0f;
    }
  }
}

}  // namespace mooscomp
