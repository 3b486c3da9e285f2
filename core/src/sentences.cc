#include "sentences.h"

#include <algorithm>
#include <iterator>
#include <tuple>
#include <utility>

#include "unicode.h"
#include "utf8.h"

namespace mooscomp {
namespace {

// Closing quotes and brackets that may follow a sentence's final mark: " ' ) ] ” ’ 」 』 ）.
constexpr std::string_view kClosers[] = {"\"", "'", ")", "]", "\xE2\x80\x9D", "\xE2\x80\x99",
                                         "\xE3\x80\x8D", "\xE3\x80\x8F", "\xEF\xBC\x89"};
// . ! ? 。 ！ ？, the Devanagari danda । and ॥, the Arabic question mark ؟ and full stop ۔
constexpr std::string_view kSentenceEnds[] = {".", "!", "?", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F",
                                              "\xE0\xA5\xA4", "\xE0\xA5\xA5", "\xD8\x9F", "\xDB\x94"};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool EndsSentence(std::string_view word) {
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view c : kClosers) {
      if (EndsWith(word, c)) {
        word.remove_suffix(c.size());
        stripped = true;
      }
    }
  }
  for (std::string_view e : kSentenceEnds) {
    if (EndsWith(word, e)) return true;
  }
  return false;
}

bool HasLineBreak(std::string_view s) { return s.find('\n') != std::string_view::npos; }

// A letter, a digit or a symbol: a word that says something, unlike punctuation or space.
bool SaysSomething(std::string_view text) {
  size_t pos = 0;
  char32_t c = 0;
  while (pos < text.size() && DecodeUtf8(text, &pos, &c)) {
    const bool says = c < 0x80 ? IsAsciiAlnum(c)
                               : unicode::IsWordChar(c);
    if (says) return true;
  }
  return false;
}

// Words [first, last) kept or dropped with word w: its merged bond, or itself.
std::pair<uint32_t, uint32_t> BondOf(const std::vector<WordBond>& bonds, uint32_t w) {
  auto it = std::upper_bound(bonds.begin(), bonds.end(), w, [](uint32_t x, const WordBond& b) { return x < b.first; });
  if (it != bonds.begin() && w < std::prev(it)->last) return {std::prev(it)->first, std::prev(it)->last};
  return {w, w + 1};
}

class Cover {
 public:
  Cover(const SentenceCover& in, std::vector<uint8_t>* keep) : in_(in), keep_(*keep) {}

  void Run() {
    const std::vector<uint32_t>& starts = *in_.sentence_starts;
    if (starts.size() < 2) return;
    const size_t n = keep_.size();
    sentence_of_.assign(n, 0);
    content_.assign(n, 0);
    kept_content_.assign(starts.size() - 1, 0);
    added_.assign(n, 0);
    int32_t units = 0;
    for (uint32_t s = 0; s + 1 < starts.size(); ++s) {
      for (uint32_t w = starts[s]; w < starts[s + 1]; ++w) {
        sentence_of_[w] = s;
        const MarkKind mark = (*in_.words)[w].mark;
        content_[w] = (*in_.unit)[w] >= 0 && mark != MarkKind::kLine && mark != MarkKind::kLabel &&
                      SaysSomething((*in_.selectable)[w].text);
        if (content_[w] && keep_[w]) ++kept_content_[s];
        units = std::max(units, (*in_.unit)[w] + 1);
      }
    }
    owed_.assign(static_cast<size_t>(units), 0);
    for (uint32_t s = 0; s + 1 < starts.size(); ++s) {
      if (kept_content_[s] > 0) continue;
      const auto words = std::count(content_.begin() + starts[s], content_.begin() + starts[s + 1], 1);
      const bool covered = words >= in_.min_words || (words > 0 && Labelled(starts[s], starts[s + 1]));
      if (covered) KeepBestWord(starts[s], starts[s + 1]);
    }
    if (std::any_of(owed_.begin(), owed_.end(), [](int64_t t) { return t > 0; })) DropWeakestWords();
    if (std::any_of(owed_.begin(), owed_.end(), [](int64_t t) { return t > 0; })) UndoUnpaidWords();
  }

 private:
  // Neither chosen nor dropped here: forced words, and marks (a marker follows its line).
  bool Protected(uint32_t w) const { return (*in_.scored)[w].forced || (*in_.words)[w].mark != MarkKind::kNone; }
  float Score(uint32_t w) const { return (*in_.selectable)[w].score; }
  // An option "(B) kite" or a key "name: x": a list item however short, which the answer
  // "(B)" or the key names; it keeps a word and its label like a sentence.
  bool Labelled(uint32_t first, uint32_t last) const {
    for (uint32_t w = first; w < last; ++w) {
      if ((*in_.words)[w].mark == MarkKind::kLabel) return true;
    }
    return false;
  }

  void Keep(uint32_t w) {
    if (keep_[w]) return;
    keep_[w] = 1;
    added_[w] = 1;
    if (content_[w]) ++kept_content_[sentence_of_[w]];
    const int32_t unit = (*in_.unit)[w];
    if (unit >= 0) owed_[unit] += (*in_.selectable)[w].weight;
    groups_.back().words.push_back(w);
  }

  void KeepBestWord(uint32_t first, uint32_t last) {
    uint32_t best = last;
    for (uint32_t w = first; w < last; ++w) {
      if (content_[w] && !Protected(w) && (best == last || Score(w) > Score(best))) best = w;
    }
    if (best == last) return;
    groups_.push_back({Score(best), (*in_.unit)[best], {}});
    const auto [bond_first, bond_last] = BondOf(*in_.bonds, best);
    for (uint32_t w = bond_first; w < bond_last; ++w) Keep(w);
    // The markers of its line ("-", "#", "key:"), so a list item keeps its bullet.
    const std::vector<LineBond>& lines = *in_.line_bonds;
    auto it = std::upper_bound(lines.begin(), lines.end(), best,
                               [](uint32_t x, const LineBond& b) { return x < b.first; });
    for (; it != lines.begin() && best < std::prev(it)->last; --it) Keep(std::prev(it)->marker);
  }

  // Drops the group [first, last) if none of its kept words is protected and every sentence
  // it touches keeps another word; returns the weight dropped.
  int64_t TryDrop(uint32_t first, uint32_t last) {
    for (uint32_t w = first; w < last; ++w) {
      if (keep_[w] && (added_[w] || Protected(w))) return 0;
    }
    for (uint32_t w = first; w < last; ++w) {
      if (keep_[w] && content_[w]) --kept_content_[sentence_of_[w]];
    }
    bool sentences_kept = true;
    for (uint32_t w = first; w < last; ++w) {
      if (keep_[w] && content_[w]) sentences_kept = sentences_kept && kept_content_[sentence_of_[w]] > 0;
    }
    int64_t dropped = 0;
    if (sentences_kept) dropped_.push_back({Score(first), (*in_.unit)[first], {}});
    for (uint32_t w = first; w < last; ++w) {
      if (!keep_[w]) continue;
      if (!sentences_kept) {
        if (content_[w]) ++kept_content_[sentence_of_[w]];
        continue;
      }
      keep_[w] = 0;
      dropped += (*in_.selectable)[w].weight;
      dropped_.back().words.push_back(w);
    }
    return dropped;
  }

  void DropWeakestWords() {
    const std::vector<int32_t>& unit = *in_.unit;
    std::vector<uint32_t> order;
    for (uint32_t w = 0; w < keep_.size(); ++w) {
      if (keep_[w] && !added_[w] && !Protected(w) && unit[w] >= 0 && owed_[unit[w]] > 0) order.push_back(w);
    }
    // Words with a digit pay last: at 5x the weakest kept words are often numbers, and a
    // sentence's word bought with a number cost GSM8K numbers 0.597 -> 0.558 (0.570 so).
    auto digit = [&](uint32_t w) { return HasAsciiDigit((*in_.selectable)[w].text); };
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return std::make_tuple(unit[a], digit(a), Score(a), b) < std::make_tuple(unit[b], digit(b), Score(b), a);
    });
    // A group is tried once, at its first word in this order: a refused one stays refused
    // (sentences only lose kept words).
    std::vector<uint8_t> tried(keep_.size(), 0);
    for (uint32_t w : order) {
      if (tried[w] || owed_[unit[w]] <= 0) continue;
      const auto [first, last] = BondOf(*in_.bonds, w);
      std::fill(tried.begin() + first, tried.begin() + last, 1);
      owed_[unit[w]] -= TryDrop(first, last);
    }
  }

  // A unit that could not pay for what it gained (too few kept words that may go) takes
  // back its added words, the lowest-scored sentence's first, until it owes nothing, then
  // keeps again the words it dropped for them, the last dropped (best) first, as far as the
  // budget allows: the budget holds, and its weakest sentences stay empty.
  void UndoUnpaidWords() {
    std::stable_sort(groups_.begin(), groups_.end(), [](const Added& a, const Added& b) { return a.score < b.score; });
    for (const Added& g : groups_) {
      if (g.unit < 0 || owed_[g.unit] <= 0) continue;
      for (uint32_t w : g.words) {
        keep_[w] = 0;
        added_[w] = 0;
        const int32_t unit = (*in_.unit)[w];
        if (unit >= 0) owed_[unit] -= (*in_.selectable)[w].weight;
      }
    }
    for (auto g = dropped_.rbegin(); g != dropped_.rend(); ++g) {
      int64_t weight = 0;
      for (uint32_t w : g->words) weight += (*in_.selectable)[w].weight;
      if (g->unit < 0 || owed_[g->unit] + weight > 0) continue;
      for (uint32_t w : g->words) keep_[w] = 1;
      owed_[g->unit] += weight;
    }
  }

  // The words one sentence's best word brought in (its bond, its line's markers).
  struct Added {
    float score = 0.0f;
    int32_t unit = -1;
    std::vector<uint32_t> words;
  };

  const SentenceCover& in_;
  std::vector<uint8_t>& keep_;
  std::vector<Added> groups_;   // words added, per sentence
  std::vector<Added> dropped_;  // words dropped to pay, per bond, in drop order
  std::vector<uint32_t> sentence_of_;
  std::vector<uint8_t> content_, added_;
  std::vector<uint32_t> kept_content_;  // per sentence
  std::vector<int64_t> owed_;           // per unit: target-LLM tokens added and not yet dropped
};

}  // namespace

void AppendSentenceStarts(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                          uint32_t word_end, std::vector<uint32_t>* starts) {
  bool starts_sentence = true;
  for (uint32_t w = word_begin; w < word_end; ++w) {
    if (starts_sentence) starts->push_back(w);
    const WordSpan& word = words[w];
    const std::string_view own = text.substr(word.begin, word.end - word.begin);
    const uint32_t gap_end = w + 1 < word_end ? std::max(words[w + 1].begin, word.end) : word.end;
    starts_sentence = EndsSentence(own) || HasLineBreak(own) || HasLineBreak(text.substr(word.end, gap_end - word.end));
  }
}

void KeepEverySentence(const SentenceCover& in, std::vector<uint8_t>* keep) { Cover(in, keep).Run(); }

}  // namespace mooscomp
