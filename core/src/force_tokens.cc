#include "force_tokens.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "unicode.h"
#include "utf8.h"
#include "word_units.h"

namespace mooscomp {
namespace {

// True when every character of `s` is punctuation (unicode::kPunct: ". , : - / = %").
bool IsPunctuationOnly(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t c = 0;
    if (!DecodeUtf8(s, &pos, &c) || !(unicode::Properties(c) & unicode::kPunct)) return false;
  }
  return !s.empty();
}

// Drops the punctuation-only matches that lie inside a unit of word_units.h (unit text on
// both sides: the "." of "3.14", the "," of "2,400", a URL's "/"), so the unit stays one
// word, kept or dropped whole; a compressed text can drop a number but never change one.
// A match at a unit's edge ("2024." at the end of a sentence) stays.
void DropMatchesInsideUnits(std::string_view text, std::vector<ForceMatch>* matches) {
  std::vector<std::pair<uint32_t, uint32_t>> units;  // of the run [run_begin, run_end)
  uint32_t run_begin = 0, run_end = 0;
  bool have_run = false;
  size_t out = 0;
  for (const ForceMatch& m : *matches) {
    bool inside = false;
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
      // The last unit starting before the match.
      auto it = std::lower_bound(units.begin(), units.end(), b,
                                 [](const std::pair<uint32_t, uint32_t>& u, uint32_t at) { return u.first < at; });
      inside = it != units.begin() && e < std::prev(it)->second;
    }
    if (!inside) (*matches)[out++] = m;
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
  DropMatchesInsideUnits(text, out);
}

}  // namespace mooscomp
