// The compressed text, sliced from the original text (never detokenised), and word
// offsets in UTF-16 code units for JavaScript.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "word_span.h"

namespace mooscomp {

// Appends the kept words [word_begin, word_end) of one context, from its first kept word to
// its last. Between kept words A and B: the original text between them if no word between
// them was dropped; otherwise the whitespace right before B, else the whitespace right
// after A, else nothing if A ends or B starts with whitespace or a character of a script
// written without spaces (unicode::IsSpacelessScript: Han, kana, Hangul, Thai, ...), else
// one space.
void AppendCompressedText(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                          uint32_t word_end, const std::vector<uint8_t>& keep, std::string* out);

// Converts increasing byte offsets of valid UTF-8 text into UTF-16 offsets; moving back is
// allowed and costs the distance moved.
class Utf16Cursor {
 public:
  explicit Utf16Cursor(std::string_view text) : text_(text) {}
  uint32_t At(uint32_t byte_offset);

 private:
  std::string_view text_;
  uint32_t byte_ = 0, units_ = 0;
};

}  // namespace mooscomp
