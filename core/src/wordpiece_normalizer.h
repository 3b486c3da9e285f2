// BERT normalisation and pre-tokenisation (BertNormalizer + BertPreTokenizer), streamed
// word by word, with every normalised character mapped back to the original bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mooscomp/status.h"

namespace mooscomp {

struct BertNormalizerOptions {
  bool lowercase = true;
  bool strip_accents = true;  // NFD, then drop Mn
  bool split_cjk = true;      // CJK ideographs become words of their own
};

// One pre-tokenised word. Character i of the normalised text occupies bytes
// [char_byte[i], char_byte[i + 1]) of `bytes` and came from original bytes
// [src_begin[i], src_end[i]) (offsets into the text given to SplitBertWords). src_end
// reaches over what normalisation dropped after the character (accents, controls), so
// consecutive characters tile the original word. Characters made from one original code
// point (a Hangul syllable's jamo, U+0130's "i") share its span.
struct NormalizedWord {
  const char* bytes;
  const uint32_t* char_byte;  // num_chars + 1 entries
  const uint32_t* src_begin;
  const uint32_t* src_end;
  size_t num_chars;

  // Normalised UTF-8 of characters [first, last).
  std::string_view Text(size_t first, size_t last) const {
    return std::string_view(bytes + char_byte[first], char_byte[last] - char_byte[first]);
  }
};

class WordSink {
 public:
  virtual ~WordSink() = default;
  virtual void OnWord(const NormalizedWord& word) = 0;
};

// Reusable buffers, so that encoding many texts does not allocate per word.
struct BertWordBuffers {
  std::string bytes;
  std::vector<uint32_t> char_byte;
  std::vector<uint32_t> src_begin;
  std::vector<uint32_t> src_end;
};

// Normalises `text` as Hugging Face's BertNormalizer does (in the transformers.js reading:
// see the .cc) and hands each BertPreTokenizer word to `sink`, in order. Fails with
// kInvalidUtf8 on ill-formed input (words before the error may have been delivered).
Status SplitBertWords(std::string_view text, const BertNormalizerOptions& options,
                      BertWordBuffers* buffers, WordSink* sink);

}  // namespace mooscomp
