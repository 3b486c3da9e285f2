#include "word_bonds.h"

#include <algorithm>
#include <string>

#include "meaning_lexicon.h"
#include "unicode.h"
#include "utf8.h"

namespace mooscomp {
namespace {

constexpr uint32_t kMaxBondWords = 6;
constexpr uint32_t kNegationReach = 3;  // words after a negation searched for what it negates
constexpr uint32_t kMaxCjkComparison = 5;  // words of a comparison without spaces ("少なくとも")
constexpr uint32_t kMaxCounterGap = 3;     // characters between a number and "以上" ("1.5摄氏度之内")

// What selection needs to know of one word's text.
struct WordInfo {
  std::string_view text;
  std::string lower;      // ASCII letters folded
  bool number = false;    // "5", "3.5", "$4", "-2", "14th", "1990s", "１４"
  bool letters = false;   // starts with a letter and holds no digit ("days", "long-term", "Tage")
};

// Bytes of the no-break space (U+00A0, U+202F) that `text` starts with, or 0.
size_t NoBreakSpaceBytes(std::string_view text) {
  if (text.substr(0, 2) == "\xC2\xA0") return 2;
  if (text.substr(0, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

// Bytes of the ASCII or fullwidth digit ("１") that `text` starts with, or 0.
size_t DigitBytes(std::string_view text) {
  if (!text.empty() && text[0] >= '0' && text[0] <= '9') return 1;
  const bool fullwidth = text.size() >= 3 && text.substr(0, 2) == "\xEF\xBC" &&
                         static_cast<unsigned char>(text[2]) >= 0x90 && static_cast<unsigned char>(text[2]) <= 0x99;
  return fullwidth ? 3 : 0;
}

// Han, kana or Hangul: after a number, only a counter of meaning_lexicon.h is its unit ("3我"
// is no "3 apples").
bool StartsWithCjkLetter(std::string_view text) {
  size_t pos = 0;
  char32_t c = 0;
  if (!DecodeUtf8(text, &pos, &c)) return false;
  return unicode::IsHanOrKana(c) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x3130 && c <= 0x318F);  // Hangul syllables and jamo
}

// A word's text without the no-break spaces a tokenizer's piece may start with ("▁20" over
// "\u00A020" after NFKC).
std::string_view TrimNoBreakSpaces(std::string_view text) {
  while (const size_t n = NoBreakSpaceBytes(text)) text.remove_prefix(n);
  return text;
}

WordInfo Describe(std::string_view text) {
  text = TrimNoBreakSpaces(text);
  WordInfo info;
  info.text = text;
  info.lower.assign(text);
  for (char& c : info.lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // Up to three signs or currency prefixes ("$", "-", "€", "£", "−", "±"), as word_units.h
  // makes them part of their number.
  static constexpr std::string_view kSigns[] = {"$", "+", "-", "~", "#", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5",
                                                "\xE2\x88\x92", "\xE2\x80\x93", "\xC2\xB1"};
  size_t i = 0;
  for (int signs = 0; signs < 3; ++signs) {
    size_t n = 0;
    for (std::string_view sign : kSigns) {
      if (text.substr(i, sign.size()) == sign) n = sign.size();
    }
    if (n == 0) break;
    i += n;
  }
  bool digit = false;
  for (size_t k = 0; k < text.size() && !digit; ++k) digit = DigitBytes(text.substr(k)) > 0;
  info.number = DigitBytes(text.substr(i)) > 0;
  if (!digit && !text.empty()) {
    size_t pos = 0;
    char32_t cp = 0;
    if (DecodeUtf8(text, &pos, &cp)) {
      info.letters = unicode::IsWordChar(cp) && cp > 0x20 &&
                     (cp >= 0x80 || IsAsciiLetter(cp));
    }
  }
  return info;
}

// Only spaces, tabs or no-break spaces (U+00A0, U+202F: "June\u00A020") between words a
// and b (adjacent in the list).
bool SameRun(std::string_view text, const WordSpan& a, const WordSpan& b) {
  if (b.begin < a.end) return false;
  for (uint32_t i = a.end; i < b.begin;) {
    const std::string_view rest = text.substr(i, b.begin - i);
    const size_t n = rest[0] == ' ' || rest[0] == '\t' ? 1 : NoBreakSpaceBytes(rest);
    if (n == 0) return false;
    i += static_cast<uint32_t>(n);
  }
  return true;
}

bool IsMarker(const WordSpan& w) { return w.mark == MarkKind::kLine || w.mark == MarkKind::kLabel; }

// A year or a day: one to four digits, or a day with an English ordinal suffix ("14th").
bool IsDayOrYear(const WordInfo& w) {
  if (!w.number || w.text.size() > 4) return false;
  size_t digits = 0;
  while (digits < w.text.size() && w.text[digits] >= '0' && w.text[digits] <= '9') ++digits;
  if (digits == w.text.size()) return true;
  const std::string_view suffix = std::string_view(w.lower).substr(digits);
  return digits <= 2 && (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th" || suffix == ".");
}

class BondFinder {
 public:
  BondFinder(std::string_view text, const std::vector<WordSpan>& words, uint32_t begin, uint32_t end)
      : text_(text), words_(words), begin_(begin), end_(end) {
    info_.reserve(end - begin);
    for (uint32_t w = begin; w < end; ++w) {
      info_.push_back(Describe(text.substr(words[w].begin, words[w].end - words[w].begin)));
    }
  }

  void Find(std::vector<WordBond>* out) {
    for (uint32_t w = begin_; w < end_; ++w) {
      const WordInfo& info = At(w);
      uint32_t first = w, last = w + 1;
      if (lexicon::IsNegation(info.lower)) {
        last = NegatedWordEnd(w);
      } else if (lexicon::IsTrailingNegation(info.lower) && w > begin_ && Linked(w - 1, w) && At(w - 1).letters) {
        first = w - 1;
      } else if (lexicon::IsMonth(info.text)) {
        DateAround(w, &first, &last);
      } else if (lexicon::IsWeekday(info.text)) {
        const uint32_t next = SkipComma(w);
        if (next < end_ && At(next).number && Linked(next - 1, next)) last = next + 1;
      } else if (info.number && w >= chain_end_) {
        NumberBond(w, &first, &last);
        // The comparison comes on top of the number's bond ("少なくとも" is five words).
        last = ComparisonEnd(std::min(last, first + kMaxBondWords));
        first = ComparisonStart(first);
        if (last - first > 1) out->push_back({first, last, BondKind::kMeaning});
        continue;
      } else if (lexicon::IsNameLink(info.text)) {
        NameAround(w, &first, &last);
      }
      if (last - first > 1) {
        out->push_back({first, std::min(last, first + kMaxBondWords), BondKind::kMeaning});
      }
    }
  }

 private:
  const WordInfo& At(uint32_t w) const { return info_[w - begin_]; }
  bool Linked(uint32_t a, uint32_t b) const { return SameRun(text_, words_[a], words_[b]); }

  bool IsContent(uint32_t w) const {
    const WordInfo& info = At(w);
    return info.number || (info.letters && !lexicon::IsFunctionWord(info.lower) && !lexicon::IsTrailingNegation(info.lower));
  }

  // The end of the bond of the negation at w: through function words ("not to mention") and
  // the second part of a negation ("ne pas fumer") to the first word with letters or digits
  // it negates, and the content word right after that one ("don't eat pork", "no steep hikes").
  uint32_t NegatedWordEnd(uint32_t w) const {
    for (uint32_t j = w + 1; j < end_ && j <= w + kNegationReach && Linked(j - 1, j); ++j) {
      if (!At(j).letters && !At(j).number) break;
      if (!IsContent(j)) continue;
      return j + 1 < end_ && Linked(j, j + 1) && IsContent(j + 1) ? j + 2 : j + 1;
    }
    return w + 1;
  }

  // The bond of the number at w: its unit ("5 days", "4 million dollars"), or its counter in
  // Chinese, Japanese, Korean ("3个", "3万元", "第3章") and then the next parts of a date or a
  // time ("2024年3月14日", "3点30分", "3点30"), whole parts up to kMaxBondWords.
  void NumberBond(uint32_t w, uint32_t* first, uint32_t* last) {
    lexicon::CounterKind kind = lexicon::CounterKind::kOther;
    // "20多人", "20余年": the approximation stays with the number, the counter follows it.
    const bool odd = w + 1 < end_ && words_[w + 1].begin == words_[w].end &&
                     lexicon::IsCjkApproximationInside(At(w + 1).text);
    const uint32_t n = odd ? w + 1 : w;
    uint32_t l = CounterEnd(n, &kind);
    if (l == n + 1) {
      *last = odd ? n + 1 : UnitEnd(w);
      return;
    }
    uint32_t f = w;
    if (w > begin_ && Linked(w - 1, w) && At(w - 1).text == "\xE7\xAC\xAC") f = w - 1;  // "第": ordinal
    while (kind == lexicon::CounterKind::kDateTime && l < end_ && Linked(l - 1, l) && At(l).number) {
      lexicon::CounterKind next = lexicon::CounterKind::kOther;
      const uint32_t e = CounterEnd(l, &next);
      const bool bare = e == l + 1;  // the minutes of "3点30", the day of "3月14"
      if (bare ? words_[l].begin != words_[l - 1].end : next != lexicon::CounterKind::kDateTime) break;
      if (e - f > kMaxBondWords) break;
      l = e;
      if (bare) break;
    }
    *first = f;
    *last = chain_end_ = l;
  }

  // The end of the counter right after the number at w, through scales ("3万元", "3千万"),
  // or w + 1; the kind of its last counter in *kind.
  uint32_t CounterEnd(uint32_t w, lexicon::CounterKind* kind) const {
    uint32_t j = w + 1;
    for (int scales = 0; scales < 3 && j < end_ && Linked(j - 1, j); ++scales) {
      const size_t pos = static_cast<size_t>(At(j).text.data() - text_.data());
      const size_t n = lexicon::CounterBytes(text_.substr(pos), kind);
      if (n == 0) break;
      while (j < end_ && words_[j].begin < pos + n) ++j;  // a counter may span words ("小时")
      if (*kind != lexicon::CounterKind::kScale) break;
    }
    return j;
  }

  // The first word of a comparison right before the number bond that starts at w ("more than
  // 20", "at least 3", "no more than 10", "≤ 3"), or w.
  uint32_t ComparisonStart(uint32_t w) const {
    std::string_view near[3];
    uint32_t k = 0;
    for (uint32_t j = w; k < 3 && j > begin_ && Linked(j - 1, j) && !IsMarker(words_[j - 1]); --j) {
      // Not a quote's ">" at a line start; an opening bracket or quote the word starts with
      // is not part of it ("(at least 15", "\"over 3").
      std::string_view word = At(j - 1).lower;
      while (word.size() > 1 && std::string_view("([\"'").find(word[0]) != std::string_view::npos) word.remove_prefix(1);
      near[k++] = word;
    }
    const uint32_t spaced = w - static_cast<uint32_t>(lexicon::ComparisonLength(near[2], near[1], near[0]));
    if (spaced < w) return spaced;
    // Without spaces, the words right before as one text ("超", "过" -> "超过").
    uint32_t best = w;
    for (uint32_t j = w; j > begin_ && w - j < kMaxCjkComparison && Linked(j - 1, j) && !IsMarker(words_[j - 1]); --j) {
      if (j < w && words_[j].begin != words_[j - 1].end) break;
      const size_t from = words_[j - 1].begin;
      if (lexicon::IsCjkComparisonBefore(text_.substr(from, words_[w - 1].end - from))) best = j - 1;
    }
    return best;
  }

  // The end of a comparison right after the number bond that ends at `last` ("20 or more",
  // "65 years and older", "20人以上", "20名以上" and "1.5 摄氏度之内" with a counter the lexicon
  // lacks, "18歳未満"),
  // or `last`.
  uint32_t ComparisonEnd(uint32_t last) const {
    if (last >= end_ || last == begin_ || !Linked(last - 1, last)) return last;
    if (last + 1 < end_ && Linked(last, last + 1) && lexicon::IsTrailingComparison(At(last).lower, At(last + 1).lower)) {
      return last + 2;
    }
    for (uint32_t start = last; start < end_ && start - last <= kMaxCounterGap; ++start) {
      if (start > last && words_[start].begin != words_[start - 1].end) break;
      for (uint32_t j = start + 1; j <= end_ && j - start <= 2; ++j) {
        if (j > start + 1 && words_[j - 1].begin != words_[j - 2].end) break;
        const size_t from = words_[start].begin;
        if (lexicon::IsCjkComparisonAfter(text_.substr(from, words_[j - 1].end - from))) return j;
      }
      if (!StartsWithCjkLetter(At(start).text)) break;  // only a counter's characters are passed over
    }
    return last;
  }

  // The end of the bond of the number at w and its unit ("5 days", "4 million dollars").
  uint32_t UnitEnd(uint32_t w) const {
    uint32_t j = w + 1;
    if (j >= end_ || !Linked(w, j) || !At(j).letters || StartsWithCjkLetter(At(j).text)) return w + 1;
    if (lexicon::IsScaleWord(At(j).lower)) {
      if (j + 1 < end_ && Linked(j, j + 1) && At(j + 1).letters && !lexicon::IsFunctionWord(At(j + 1).lower)) return j + 2;
      return j + 1;
    }
    return lexicon::IsFunctionWord(At(j).lower) ? w + 1 : j + 1;
  }

  // A name through the link at w: the capitalised words right before and after it, with a
  // "the" after "of" ("Kingdom of Hawaii", "Secretary of the Interior"). Dropping the link or
  // one side names another thing ("University of Toronto" -> "Toronto").
  void NameAround(uint32_t w, uint32_t* first, uint32_t* last) const {
    if (w == begin_ || !Linked(w - 1, w) || !Capitalised(w - 1)) return;
    uint32_t next = w + 1;
    if (next + 1 < end_ && At(w).text == "of" && At(next).text == "the" && Linked(w, next)) ++next;
    if (next >= end_ || !Linked(next - 1, next) || !Capitalised(next)) return;
    *first = w - 1;
    *last = next + 1;
  }

  bool Capitalised(uint32_t w) const {
    const WordInfo& info = At(w);
    if (!info.letters) return false;
    size_t pos = 0;
    char32_t cp = 0;
    return DecodeUtf8(info.text, &pos, &cp) && unicode::IsCapital(cp);
  }

  // w itself, or the word after a comma that follows it ("Tuesday, 14").
  uint32_t SkipComma(uint32_t w) const {
    if (w + 2 < end_ && At(w + 1).text == "," && words_[w + 1].begin == words_[w].end) return w + 2;
    return w + 1;
  }

  // The date around the month at m: [weekday [,]] [day [of]] month [day] [[,] year].
  void DateAround(uint32_t m, uint32_t* first, uint32_t* last) const {
    uint32_t f = m, l = m + 1;
    bool number = false;
    if (f > begin_ && Linked(f - 1, f) && IsDayOrYear(At(f - 1))) {
      --f, number = true;
    } else if (f > begin_ + 1 && At(f - 1).lower == "of" && Linked(f - 1, f) && Linked(f - 2, f - 1) && IsDayOrYear(At(f - 2))) {
      f -= 2, number = true;
    } else if (f > begin_ + 1 && At(f - 1).text == "." && Linked(f - 1, f) && words_[f - 2].end == words_[f - 1].begin &&
               IsDayOrYear(At(f - 2)) && At(f - 2).text.size() <= 2) {
      f -= 2, number = true;  // an ordinal day with its own period: "21. März", "14. mai"
    }
    if (l < end_ && Linked(m, l) && IsDayOrYear(At(l))) ++l, number = true;
    if (number && l < end_) {  // a year after the day, with or without a comma
      uint32_t y = l;
      if (At(l).text == "," && words_[l].begin == words_[l - 1].end) y = l + 1;
      if (y < end_ && Linked(y - 1, y) && IsDayOrYear(At(y)) && At(y).text.size() == 4) l = y + 1;
    }
    if (!number) return;
    if (f > begin_ && lexicon::IsWeekday(At(f - 1).text) && Linked(f - 1, f)) {
      --f;
    } else if (f > begin_ + 1 && At(f - 1).text == "," && Linked(f - 1, f) &&
               words_[f - 2].end == words_[f - 1].begin && lexicon::IsWeekday(At(f - 2).text)) {
      f -= 2;
    }
    *first = f;
    *last = l;
  }

  std::string_view text_;
  const std::vector<WordSpan>& words_;
  uint32_t begin_, end_;
  std::vector<WordInfo> info_;
  uint32_t chain_end_ = 0;  // numbers before it are in the bond of a date or a time already
};

}  // namespace

void FindMeaningBonds(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                      uint32_t word_end, std::vector<WordBond>* out) {
  BondFinder(text, words, word_begin, word_end).Find(out);
}

void AppendSpanBonds(const std::vector<std::pair<uint32_t, uint32_t>>& spans, const std::vector<WordSpan>& words,
                     uint32_t word_begin, uint32_t word_end, std::vector<WordBond>* out) {
  uint32_t w = word_begin;
  for (const auto& [begin, end] : spans) {
    while (w < word_end && words[w].end <= begin) ++w;
    uint32_t last = w;
    while (last < word_end && words[last].begin < end) ++last;
    if (last - w > 1) out->push_back({w, last, BondKind::kStructure});
  }
}

void AppendLineBonds(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                     uint32_t word_end, std::vector<LineBond>* out) {
  auto has_newline = [&](uint32_t begin, uint32_t end) {
    return begin < end && text.substr(begin, end - begin).find('\n') != std::string_view::npos;
  };
  uint32_t line_first = word_begin;
  size_t open = out->size();  // the bonds of the current line start here
  auto close_line = [&](uint32_t line_last) {
    for (; open < out->size(); ++open) (*out)[open].last = line_last;
  };
  for (uint32_t w = word_begin; w < word_end; ++w) {
    const WordSpan& word = words[w];
    const bool newline_word = has_newline(word.begin, word.end);  // "\n" as a force token
    if (newline_word || (w > word_begin && has_newline(words[w - 1].end, word.begin))) {
      close_line(w);
      line_first = newline_word ? w + 1 : w;
    }
    if (word.mark == MarkKind::kLine || word.mark == MarkKind::kLabel) out->push_back({w, line_first, 0});
  }
  close_line(word_end);
}

float LineMarkerScore(const LineBond& bond, const std::vector<WordSpan>& words, const std::vector<ScoredWord>& scored) {
  bool others = false;
  float best = 0.0f;
  for (uint32_t w = bond.first; w < bond.last; ++w) {
    if (IsMarker(words[w]) || words[w].end == words[w].begin) continue;
    others = true;
    best = std::max(best, scored[w].score);
  }
  if (!others) return 1.0f;
  // A YAML key ("name:") may stand alone, as the model scored it.
  return words[bond.marker].mark == MarkKind::kLabel ? std::max(best, scored[bond.marker].unforced) : best;
}

void ApplyLineBonds(const std::vector<LineBond>& bonds, const std::vector<WordSpan>& words,
                    std::vector<uint8_t>* keep) {
  for (const LineBond& b : bonds) {
    if (words[b.marker].mark == MarkKind::kLabel) continue;
    bool others = false, kept = false;
    for (uint32_t w = b.first; w < b.last && !kept; ++w) {
      if (IsMarker(words[w]) || words[w].end == words[w].begin) continue;
      others = true;
      kept = (*keep)[w] != 0;
    }
    if (others && !kept) (*keep)[b.marker] = 0;
  }
}

std::vector<WordBond> MergeBonds(const std::vector<WordBond>& bonds, bool meaning) {
  std::vector<WordBond> sorted;
  for (const WordBond& b : bonds) {
    if (meaning || b.kind != BondKind::kMeaning) sorted.push_back(b);
  }
  std::sort(sorted.begin(), sorted.end(), [](const WordBond& a, const WordBond& b) { return a.first < b.first; });
  std::vector<WordBond> merged;
  for (const WordBond& b : sorted) {
    if (!merged.empty() && b.first < merged.back().last) {
      merged.back().last = std::max(merged.back().last, b.last);
    } else {
      merged.push_back(b);
    }
  }
  return merged;
}

}  // namespace mooscomp
