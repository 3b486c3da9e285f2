#include "word_units.h"

#include "unicode.h"
#include "utf8.h"

namespace mooscomp {
namespace {

bool IsIn(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

bool IsVisible(char32_t c) { return !(unicode::Properties(c) & unicode::kSpace); }

// Letters, digits and other symbols (°, €, accents) that make up the body of a unit.
bool IsAtom(char32_t c) {
  if (c < 0x80) return IsAsciiAlnum(c);
  if (unicode::IsSpacelessScript(c)) return false;
  return !(unicode::Properties(c) & (unicode::kPunct | unicode::kSpace | unicode::kControl));
}

constexpr std::u32string_view kJoiners = U".,:/\\-_@'\u2019&?=+#~%\u2032\u2033\u2013";
constexpr std::u32string_view kPrefixes = U"$#@+-~_\\";
constexpr std::u32string_view kSuffixes = U"%\u2030+#/_\u2032\u2033";
constexpr size_t kMaxSigns = 3;  // prefix or suffix characters: "--x", "C++"
constexpr size_t kMaxBracketed = 4;  // "(A)", "(iv)", "[12]", "(2024)"

// The run decoded into code points with their byte offsets (one past the end last).
struct CodePoints {
  std::u32string cp;
  std::vector<uint32_t> at;

  explicit CodePoints(std::string_view run) {
    size_t pos = 0;
    while (pos < run.size()) {
      at.push_back(static_cast<uint32_t>(pos));
      char32_t c = 0;
      if (!DecodeUtf8(run, &pos, &c)) {  // validated upstream; never merge through junk
        c = 0;
        ++pos;
      }
      cp.push_back(c);
    }
    at.push_back(static_cast<uint32_t>(run.size()));
  }
  size_t size() const { return cp.size(); }
  char32_t operator[](size_t i) const { return i < cp.size() ? cp[i] : 0; }
};

size_t AtomEnd(const CodePoints& s, size_t i) {
  while (i < s.size() && IsAtom(s[i])) ++i;
  return i;
}

// End of the joiner at i ("://" or one joiner character), or i when there is none.
size_t JoinerEnd(const CodePoints& s, size_t i) {
  if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') return i + 3;
  return i < s.size() && IsIn(s[i], kJoiners) ? i + 1 : i;
}

// End of a bracketed short atom starting at i ("(A)"), or i.
size_t BracketEnd(const CodePoints& s, size_t i) {
  const char32_t open = s[i];
  const char32_t close = open == '(' ? ')' : open == '[' ? ']' : open == '{' ? '}' : 0;
  if (close == 0) return i;
  const size_t end = AtomEnd(s, i + 1);
  const size_t length = end - (i + 1);
  return length > 0 && length <= kMaxBracketed && s[end] == close ? end + 1 : i;
}

// Start of the atom after the prefix signs at i, or i when there is no prefixed atom.
size_t PrefixEnd(const CodePoints& s, size_t i) {
  size_t j = i;
  while (j - i < kMaxSigns && IsIn(s[j], kPrefixes)) ++j;
  if (s[j] == '.' && s[j + 1] >= '0' && s[j + 1] <= '9') ++j;  // ".5", "-.5"
  return j < s.size() && IsAtom(s[j]) ? j : i;
}

// End of the unit whose first atom starts at `atom` (after its prefix).
size_t UnitEnd(const CodePoints& s, size_t atom) {
  size_t end = AtomEnd(s, atom);
  bool abbreviation = end - atom == 1 && IsAsciiLetter(s[atom]);  // "e.g.", "U.S."
  bool dotted = false;
  for (;;) {
    const size_t joiner = JoinerEnd(s, end);
    if (joiner == end || !IsAtom(s[joiner])) break;
    const size_t next = AtomEnd(s, joiner);
    abbreviation = abbreviation && s[end] == '.' && joiner == end + 1 && next - joiner == 1 && IsAsciiLetter(s[joiner]);
    dotted = true;
    end = next;
  }
  if (abbreviation && dotted && s[end] == '.') return end + 1;
  const size_t atoms_end = end;
  while (end - atoms_end < kMaxSigns && end < s.size() && IsIn(s[end], kSuffixes)) ++end;
  return end;
}

}  // namespace

void FindUnits(std::string_view run, std::vector<std::pair<uint32_t, uint32_t>>* units) {
  const CodePoints s(run);
  size_t i = 0;
  while (i < s.size()) {
    size_t end = BracketEnd(s, i);
    if (end == i) {
      const size_t atom = PrefixEnd(s, i);
      if (atom > i || IsAtom(s[i])) end = UnitEnd(s, atom);
    }
    if (end == i) {
      ++i;  // not part of a unit: the tokenizer's grouping stays
      continue;
    }
    units->push_back({s.at[i], s.at[end]});
    i = end;
  }
}

void MergeUnitWords(std::string_view text, size_t first_word, std::vector<WordSpan>* words) {
  std::vector<WordSpan>& w = *words;
  std::vector<std::pair<uint32_t, uint32_t>> units;
  size_t out = first_word;  // words before `out` are final
  size_t run = first_word;
  while (run < w.size()) {
    size_t run_end = run + 1;  // one past the last word touching its predecessor
    while (run_end < w.size() && w[run_end].begin == w[run_end - 1].end) ++run_end;
    const uint32_t base = w[run].begin;
    units.clear();
    if (run_end - run > 1) FindUnits(text.substr(base, w[run_end - 1].end - base), &units);
    // Words join where a unit spans the boundary between them. Boundaries and units both
    // go left to right, so one pass over each; a word may thus join two units
    // ("sqrt((41" between "sqrt" and "41.00-37.00"), and the group is their union.
    size_t u = 0;
    size_t group = run;  // the first word of the current group
    for (size_t i = run; i < run_end; ++i) {
      bool joins_next = false;
      if (i + 1 < run_end) {
        const uint32_t boundary = w[i].end - base;
        while (u < units.size() && units[u].second <= boundary) ++u;
        joins_next = u < units.size() && units[u].first < boundary;
      }
      if (joins_next) continue;
      if (i > group && w[i].token_end - w[group].token_begin <= kMaxUnitTokens) {
        WordSpan merged = w[group];
        merged.end = w[i].end;
        merged.token_end = w[i].token_end;
        w[out++] = merged;
      } else {
        for (size_t k = group; k <= i; ++k) w[out++] = w[k];
      }
      group = i + 1;
    }
    run = run_end;
  }
  w.resize(out);
}

bool SpacelessSplitter::StartsWord(std::string_view token_text, bool starts_word) {
  char32_t first = 0, last = 0;
  bool visible = false;
  size_t pos = 0;
  while (pos < token_text.size()) {
    char32_t c = 0;
    if (!DecodeUtf8(token_text, &pos, &c)) {
      ++pos;
      continue;
    }
    if (!IsVisible(c)) continue;
    if (!visible) first = c;
    last = c;
    visible = true;
  }
  const bool split = starts_word || (visible && word_visible_ &&
                                     (last_spaceless_ || unicode::IsSpacelessScript(first)));
  if (split) word_visible_ = last_spaceless_ = false;
  if (visible) {
    word_visible_ = true;
    last_spaceless_ = unicode::IsSpacelessScript(last);
  }
  return split;
}

}  // namespace mooscomp
