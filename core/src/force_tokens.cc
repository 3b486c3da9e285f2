#include "force_tokens.h"

#include <algorithm>
#include <utility>

#include "unicode.h"
#include "utf8.h"
#include "word_units.h"

namespace mooscomp {
namespace {

// A sign that is a symbol rather than punctuation (Unicode S*): currency (¢ £ ¤ ¥ and
// U+20A0..U+20CF, € among them), ° ± × ÷ and the minus sign U+2212.
bool IsSign(char32_t c) {
  return (c >= 0xA2 && c <= 0xA5) || c == 0xB0 || c == 0xB1 || c == 0xD7 || c == 0xF7 || c == 0x2212 ||
         (c >= 0x20A0 && c <= 0x20CF);
}

// True when every character of `s` is punctuation (unicode::kPunct: ". , : - / = %") or a
// sign (IsSign): a string with no letter, digit or space.
bool IsPunctuationOnly(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t c = 0;
    if (!DecodeUtf8(s, &pos, &c) || !((unicode::Properties(c) & unicode::kPunct) || IsSign(c))) return false;
  }
  return !s.empty();
}

// Drops the punctuation-only matches that overlap a unit of word_units.h: inside it (the
// "." of "3.14", the "," of "2,400", a URL's "/") or part of its edge (the sign of "-5" or
// "-3.7%", its "%", the "$" of "$4.2M", the final dot of "e.g."), so the unit stays one
// word, kept or dropped whole; a compressed text can drop a number but never change one,
// nor strip its sign. Punctuation next to a unit but not part of it ("2024." at the end of
// a sentence, "Marcus:") stays a match.
void DropMatchesInUnits(std::string_view text, std::vector<ForceMatch>* matches) {
  std::vector<std::pair<uint32_t, uint32_t>> units;  // of the run [run_begin, run_end)
  uint32_t run_begin = 0, run_end = 0;
  bool have_run = false;
  size_t out = 0;
  for (const ForceMatch& m : *matches) {
    bool in_unit = false;
    if (IsPunctuationOnly(text.substr(m.begin, m.end - m.begin))) {
      if (!have_run || m.begin >= run_end) {  // runs are disjoint and visited left to right
        run_begin = m.begin;
        while (run_begin > 0 && !IsAsciiSpace(text[run_begin - 1])) --run_begin;
        run_end = m.end;
        while (run_end < text.size() && !IsAsciiSpace(text[run_end])) ++run_end;
        units.clear();
        FindUnits(text.substr(run_begin, run_end - run_begin), &units);
        have_run = true;
      }
      const uint32_t b = m.begin - run_begin, e = m.end - run_begin;
      // The first unit ending after the match's start overlaps it iff it starts before its end.
      auto it = std::upper_bound(units.begin(), units.end(), b,
                                 [](uint32_t at, const std::pair<uint32_t, uint32_t>& u) { return at < u.second; });
      in_unit = it != units.end() && it->first < e;
    }
    if (!in_unit) (*matches)[out++] = m;
  }
  matches->resize(out);
}

}  // namespace

Result<ForceTokenMatcher> ForceTokenMatcher::Create(const std::vector<std::string>& force_tokens) {
  if (force_tokens.size() > kMaxForceTokens) {
    return InvalidArgument("at most " + std::to_string(kMaxForceTokens) + " force tokens, got " +
                           std::to_string(force_tokens.size()));
  }
  ForceTokenMatcher matcher;
  for (size_t i = 0; i < force_tokens.size(); ++i) {
    const std::string& t = force_tokens[i];
    if (t.empty()) return InvalidArgument("force token " + std::to_string(i) + " is empty");
    const size_t bad = FindInvalidUtf8(t);
    if (bad != t.size()) {
      return InvalidUtf8("force token " + std::to_string(i) + " is not valid UTF-8 at byte " + std::to_string(bad));
    }
    matcher.tokens_.push_back(t);
    matcher.by_first_byte_[static_cast<unsigned char>(t[0])].push_back(static_cast<int32_t>(i));
  }
  for (auto& bucket : matcher.by_first_byte_) {
    std::stable_sort(bucket.begin(), bucket.end(), [&](int32_t a, int32_t b) {
      return matcher.tokens_[a].size() > matcher.tokens_[b].size();
    });
  }
  return matcher;
}

void AddStructureMarks(const std::vector<StructureMark>& marks, std::vector<ForceMatch>* matches) {
  if (marks.empty()) return;
  std::vector<ForceMatch> merged;
  merged.reserve(marks.size() + matches->size());
  size_t m = 0;
  for (const ForceMatch& f : *matches) {
    while (m < marks.size() && marks[m].end <= f.begin) {
      merged.push_back({marks[m].begin, marks[m].end, -1, marks[m].kind});
      ++m;
    }
    if (m < marks.size() && marks[m].begin < f.end) continue;  // overlaps a mark
    merged.push_back(f);
  }
  for (; m < marks.size(); ++m) merged.push_back({marks[m].begin, marks[m].end, -1, marks[m].kind});
  matches->swap(merged);
}

void ForceTokenMatcher::FindAll(std::string_view text, std::vector<ForceMatch>* out) const {
  out->clear();
  if (tokens_.empty()) return;
  size_t pos = 0;
  while (pos < text.size()) {
    const auto& bucket = by_first_byte_[static_cast<unsigned char>(text[pos])];
    size_t matched = 0;
    for (const int32_t index : bucket) {
      const std::string& t = tokens_[index];
      if (text.size() - pos < t.size() || text.compare(pos, t.size(), t) != 0) continue;
      const size_t end = pos + t.size();
      if (IsAsciiAlnum(t.front()) && pos > 0 && IsAsciiAlnum(text[pos - 1])) continue;
      if (IsAsciiAlnum(t.back()) && end < text.size() && IsAsciiAlnum(text[end])) continue;
      out->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(end), index});
      matched = t.size();
      break;
    }
    pos += matched > 0 ? matched : 1;
  }
  DropMatchesInUnits(text, out);
}

}  // namespace mooscomp
