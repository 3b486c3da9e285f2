#include "word_scores.h"

namespace mooscomp {

bool HasAsciiDigit(std::string_view s) {
  for (char c : s) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

void ScoreWords(std::string_view text, const std::vector<WordSpan>& words,
                uint32_t word_begin, uint32_t word_end, const std::vector<float>& token_scores,
                WordScore mode, bool force_reserve_digit, std::vector<ScoredWord>* out) {
  for (uint32_t w = word_begin; w < word_end; ++w) {
    const WordSpan& word = words[w];
    ScoredWord& scored = (*out)[w];
    scored.has_tokens = word.token_end > word.token_begin;
    const uint32_t last = mode == WordScore::kFirst && scored.has_tokens ? word.token_begin + 1 : word.token_end;
    double sum = 0.0;
    for (uint32_t t = word.token_begin; t < last; ++t) sum += token_scores[t];
    const uint32_t count = last - word.token_begin;
    scored.unforced = count > 0 ? static_cast<float>(sum / count) : 0.0f;
    // A number is kept whole: the rule looks at the word (a unit such as "$1,234.56"),
    // not at its tokens as LLMLingua-2 does.
    const bool digit = force_reserve_digit && scored.has_tokens &&
                       HasAsciiDigit(text.substr(word.begin, word.end - word.begin));
    // A line marker is scored by its line instead (prepared_job.cc, word_bonds.h).
    scored.forced = word.force_index >= 0 || word.mark == MarkKind::kKeep || digit;
    scored.score = scored.forced ? 1.0f : scored.unforced;
  }
}

}  // namespace mooscomp
