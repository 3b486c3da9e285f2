// Tokenises one context around its force-token matches and groups tokens into words.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "force_tokens.h"
#include "mooscomp/status.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {

// A word: tokens [token_begin, token_end) of the job's token arrays and its byte span in
// its context, trimmed of surrounding ASCII whitespace (unless it is only whitespace).
struct WordSpan {
  uint32_t begin = 0, end = 0;
  uint32_t token_begin = 0, token_end = 0;
  int32_t force_index = -1;  // the force token this word is, or -1
  MarkKind mark = MarkKind::kNone;  // the structure mark this word is (structure_marks.h)
};

// Appends the tokens of `text` to `tokens` (spans relative to `text`) and its words to
// `words`. A token starts a new word iff the tokenizer says so, or it is the first token
// after a force match or of one, or it begins or follows text of a script written without
// spaces (word_units.h); a force match (or structure mark) is one word even when it has several tokens or
// none ("\n" under WordPiece). Then, between force matches, touching words that form one
// unit (a number, version, identifier, URL, e-mail address) merge into one word.
Status SegmentContext(const Tokenizer& tokenizer, std::string_view text,
                      const std::vector<ForceMatch>& matches, Encoding* tokens,
                      std::vector<WordSpan>* words);

}  // namespace mooscomp
