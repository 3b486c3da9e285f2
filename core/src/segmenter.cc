#include "segmenter.h"

#include <algorithm>

#include "utf8.h"
#include "word_units.h"

namespace mooscomp {
namespace {


// Shrinks [*begin, *end) to its non-whitespace core, if it has one.
void TrimWhitespace(std::string_view text, uint32_t* begin, uint32_t* end) {
  uint32_t b = *begin, e = *end;
  while (b < e && IsAsciiSpace(text[b])) ++b;
  while (e > b && IsAsciiSpace(text[e - 1])) --e;
  if (b < e) *begin = b, *end = e;
}

Status EncodePiece(const Tokenizer& tokenizer, std::string_view text, uint32_t begin, uint32_t end,
                   Encoding* tokens) {
  const size_t first = tokens->size();
  MOOSCOMP_RETURN_IF_ERROR(tokenizer.Encode(text.substr(begin, end - begin), begin, tokens));
  for (size_t i = first; i < tokens->size(); ++i) {
    if (tokens->begin[i] < begin || tokens->end[i] > end || tokens->begin[i] > tokens->end[i]) {
      return Internal("tokenizer returned a span outside its input");
    }
  }
  return Status::Ok();
}

Status AppendFreeText(const Tokenizer& tokenizer, std::string_view text, uint32_t begin, uint32_t end,
                      Encoding* tokens, std::vector<WordSpan>* words) {
  if (begin == end) return Status::Ok();
  const uint32_t first = static_cast<uint32_t>(tokens->size());
  const size_t first_word = words->size();
  MOOSCOMP_RETURN_IF_ERROR(EncodePiece(tokenizer, text, begin, end, tokens));
  const uint32_t last = static_cast<uint32_t>(tokens->size());
  SpacelessSplitter spaceless;
  for (uint32_t i = first; i < last; ++i) {
    const std::string_view token = text.substr(tokens->begin[i], tokens->end[i] - tokens->begin[i]);
    if (spaceless.StartsWord(token, i == first || tokens->word_start[i])) {
      words->push_back({tokens->begin[i], tokens->end[i], i, i + 1, -1});
    } else {
      WordSpan& w = words->back();
      w.end = std::max(w.end, tokens->end[i]);
      w.token_end = i + 1;
    }
  }
  for (size_t w = first_word; w < words->size(); ++w) {
    TrimWhitespace(text, &(*words)[w].begin, &(*words)[w].end);
  }
  MergeUnitWords(text, first_word, words);  // only free text: a force match stays its own word
  return Status::Ok();
}

}  // namespace

Status SegmentContext(const Tokenizer& tokenizer, std::string_view text,
                      const std::vector<ForceMatch>& matches, Encoding* tokens,
                      std::vector<WordSpan>* words) {
  uint32_t pos = 0;
  for (const ForceMatch& m : matches) {
    MOOSCOMP_RETURN_IF_ERROR(AppendFreeText(tokenizer, text, pos, m.begin, tokens, words));
    const uint32_t first = static_cast<uint32_t>(tokens->size());
    MOOSCOMP_RETURN_IF_ERROR(EncodePiece(tokenizer, text, m.begin, m.end, tokens));
    words->push_back({m.begin, m.end, first, static_cast<uint32_t>(tokens->size()), m.index, m.mark});
    pos = m.end;
  }
  return AppendFreeText(tokenizer, text, pos, static_cast<uint32_t>(text.size()), tokens, words);
}

}  // namespace mooscomp
