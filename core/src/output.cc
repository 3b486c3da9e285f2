#include "output.h"

#include <algorithm>

#include "unicode.h"
#include "utf8.h"

namespace mooscomp {
namespace {

char32_t FirstCodePoint(std::string_view s) {
  size_t pos = 0;
  char32_t cp = 0;
  return DecodeUtf8(s, &pos, &cp) ? cp : 0;
}

char32_t LastCodePoint(std::string_view s) {
  size_t start = s.size();
  while (start > 0 && (static_cast<unsigned char>(s[start - 1]) & 0xC0) == 0x80) --start;
  return start > 0 ? FirstCodePoint(s.substr(start - 1)) : 0;
}

// A letter, digit or any non-ASCII byte: what could run into its neighbour to form a word or
// a number.
bool CanJoin(char c) { return IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80; }

// After a structure mark (a fence line, a table row's last pipe, a heading marker) that a
// line break followed, the output breaks the line too: the last line break of the gap and
// the indentation after it ("```python" then a line of code, never "```python code").
std::string_view LineBreakAfterMark(std::string_view text, uint32_t a_end, uint32_t b_begin) {
  const size_t newline = text.substr(a_end, b_begin - a_end).rfind('\n');
  if (newline == std::string_view::npos) return {};
  size_t end = a_end + newline + 1;
  while (end < b_begin && (text[end] == ' ' || text[end] == '\t')) ++end;
  return text.substr(a_end + newline, end - (a_end + newline));
}

// What goes between kept words A (ending at a_end) and B (starting at b_begin) when words
// between them were dropped.
std::string_view Separator(std::string_view text, uint32_t a_begin, uint32_t a_end, uint32_t b_begin,
                           uint32_t b_end) {
  uint32_t s = b_begin;
  while (s > a_end && IsAsciiSpace(text[s - 1])) --s;
  if (s < b_begin) return text.substr(s, b_begin - s);
  uint32_t e = a_end;
  while (e < b_begin && IsAsciiSpace(text[e])) ++e;
  if (e > a_end) return text.substr(a_end, e - a_end);
  const std::string_view a = text.substr(a_begin, a_end - a_begin), b = text.substr(b_begin, b_end - b_begin);
  if (a.empty() || b.empty() || IsAsciiSpace(a.back()) || IsAsciiSpace(b.front())) return {};
  if (unicode::IsSpacelessScript(LastCodePoint(a)) || unicode::IsSpacelessScript(FirstCodePoint(b))) return {};
  // A space is only needed where two words or numbers would join ("3" "4", "-" "5"): ASCII
  // punctuation and controls glued in the text stay glued, since a space after each one
  // would make the output longer than the input in tokens ("]]]]", every other one dropped).
  if (!CanJoin(a.back()) && !CanJoin(b.front())) return {};
  return " ";
}

}  // namespace

void AppendCompressedText(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                          uint32_t word_end, const std::vector<uint8_t>& keep, std::string* out) {
  const WordSpan* previous = nullptr;  // the last kept word
  bool dropped_since = false;
  uint32_t written_to = 0;  // text before this is already out (spans may overlap)
  for (uint32_t w = word_begin; w < word_end; ++w) {
    const WordSpan& word = words[w];
    if (!keep[w]) {
      dropped_since = true;
      continue;
    }
    if (previous != nullptr) {
      if (!dropped_since) {
        if (word.begin > written_to) out->append(text.substr(written_to, word.begin - written_to));
      } else {
        const uint32_t b_begin = std::max(word.begin, previous->end);
        const std::string_view line_break =
            previous->mark != MarkKind::kNone ? LineBreakAfterMark(text, previous->end, b_begin) : std::string_view();
        out->append(!line_break.empty() ? line_break : Separator(text, previous->begin, previous->end, b_begin, word.end));
      }
    }
    const uint32_t from = previous != nullptr ? std::max(word.begin, written_to) : word.begin;
    if (word.end > from) out->append(text.substr(from, word.end - from));
    written_to = std::max(written_to, word.end);
    previous = &word;
    dropped_since = false;
  }
}

uint32_t Utf16Cursor::At(uint32_t byte_offset) {
  auto units_of = [](unsigned char b) -> uint32_t {
    if ((b & 0xC0) == 0x80) return 0;  // continuation byte: counted with its lead
    return b >= 0xF0 ? 2 : 1;
  };
  while (byte_ < byte_offset) units_ += units_of(static_cast<unsigned char>(text_[byte_++]));
  while (byte_ > byte_offset) units_ -= units_of(static_cast<unsigned char>(text_[--byte_]));
  return units_;
}

}  // namespace mooscomp
