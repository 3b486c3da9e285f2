// Tokenises one context around its force-token matches and groups tokens into words.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "force_tokens.h"
#include "mooscomp/status.h"
#include "mooscomp/tokenizer.h"
#include "word_span.h"

namespace mooscomp {

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
