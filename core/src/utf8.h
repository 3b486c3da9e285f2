// UTF-8 decoding and validation shared by the tokenisers and the pipeline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mooscomp {

// Decodes the code point starting at text[*pos] and advances *pos past it. Returns
// false (and leaves *pos unchanged) on an ill-formed sequence: overlong forms,
// surrogates, values above U+10FFFF and truncated sequences are all rejected.
bool DecodeUtf8(std::string_view text, size_t* pos, char32_t* cp);

// Byte offset of the first ill-formed sequence, or text.size() if the text is valid.
size_t FindInvalidUtf8(std::string_view text);

// ASCII whitespace (space, \t \n \v \f \r): what separates words and surrounds trimmed spans.
inline bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// ASCII classes, for bytes and code points alike (a char above 0x7F is never ASCII here).
inline bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAsciiAlnum(char32_t c) { return (c >= '0' && c <= '9') || IsAsciiLetter(c); }
// Python's string.punctuation: visible ASCII that is neither letter nor digit.
inline bool IsAsciiPunctuation(char32_t c) { return c > 0x20 && c < 0x7F && !IsAsciiAlnum(c); }

// Number of UTF-16 code units of a code point (2 above the BMP).
inline uint32_t Utf16Units(char32_t cp) { return cp >= 0x10000 ? 2u : 1u; }

// Appends the UTF-8 encoding of cp.
template <typename String>
void AppendUtf8(char32_t cp, String* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace mooscomp
