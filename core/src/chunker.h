// Cuts one context's tokens into model windows of at most `limit` tokens
// (max_seq_len - 2, leaving room for CLS and SEP).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mooscomp/tokenizer.h"
#include "segmenter.h"

namespace mooscomp {

// Tokens [token_begin, token_end) go to the model together; words [word_begin, word_end)
// are the words whose first token is in it (a word without tokens joins the window of the
// word before it). A window may have no tokens (a context of token-less forced words) or
// no words (the tail of a word longer than a window).
struct Window {
  int32_t context = 0;
  uint32_t token_begin = 0, token_end = 0;
  uint32_t word_begin = 0, word_end = 0;
};

struct ChunkInput {
  int32_t context = 0;
  std::string_view text;                 // the context's original text
  const Encoding* tokens = nullptr;      // spans relative to `text`
  const std::vector<WordSpan>* words = nullptr;
  uint32_t word_begin = 0, word_end = 0; // this context's words
  uint32_t token_begin = 0, token_end = 0;
};

// Cuts after the last chunk end that keeps the window within `limit`: a word whose last
// token's text, or whose own text, is one of `chunk_end_tokens`, or after which the text
// up to the next token contains one (a "\n" the tokenizer dropped, a token-less forced
// word). Without one it cuts before the first word that does not fit; a single word
// longer than `limit` is split at the limit. `scratch` is reused between calls.
void ChunkContext(const ChunkInput& in, const std::vector<std::string>& chunk_end_tokens, uint32_t limit,
                  std::vector<uint8_t>* scratch, std::vector<Window>* out);

}  // namespace mooscomp
