// Sentences (AppendSentenceStarts) and the step that keeps a word of each
// (KeepEverySentence) on hand-made selections; sentences_pipeline_test.cc runs it through
// Compressor.
#include "sentences.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mooscomp {
namespace {

using V = std::vector<std::string>;
using K = std::vector<uint8_t>;

// Words split at ASCII whitespace, so a word's last character is whatever the text has there.
std::vector<WordSpan> SpaceWords(const std::string& text) {
  std::vector<WordSpan> words;
  for (uint32_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\n') {
      ++i;
      continue;
    }
    uint32_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    words.push_back({i, end, 0, 0, -1, MarkKind::kNone});
    i = end;
  }
  return words;
}

// Each sentence's words, joined by one space.
V Sentences(const std::string& text, std::vector<WordSpan> words = {}) {
  if (words.empty()) words = SpaceWords(text);
  std::vector<uint32_t> starts;
  AppendSentenceStarts(text, words, 0, static_cast<uint32_t>(words.size()), &starts);
  starts.push_back(static_cast<uint32_t>(words.size()));
  V out;
  for (size_t s = 0; s + 1 < starts.size(); ++s) {
    std::string sentence;
    for (uint32_t w = starts[s]; w < starts[s + 1]; ++w) {
      if (w > starts[s]) sentence += ' ';
      sentence += text.substr(words[w].begin, words[w].end - words[w].begin);
    }
    out.push_back(sentence);
  }
  return out;
}

TEST(SentencesTest, EndedByAFinalMarkOrALineBreak) {
  EXPECT_EQ(Sentences("One two. Three? Four! Five\nsix seven"),
            (V{"One two.", "Three?", "Four!", "Five", "six seven"}));
  // After closing quotes or brackets; not inside a number or at a comma.
  EXPECT_EQ(Sentences("He said \"stop.\" Then (he left.) Pi is 3.14, or so."),
            (V{"He said \"stop.\"", "Then (he left.)", "Pi is 3.14, or so."}));
  // Chinese and Japanese marks, and their fullwidth forms.
  EXPECT_EQ(Sentences("会议。 推迟！ 好吗？ 是的」 “Yes.” 「はい。」"),
            (V{"会议。", "推迟！", "好吗？", "是的」 “Yes.”", "「はい。」"}));
  // The Devanagari danda and the Arabic question mark.
  EXPECT_EQ(Sentences("बैठक हुई। अगली बैठक ؟ ok"), (V{"बैठक हुई।", "अगली बैठक ؟", "ok"}));
  EXPECT_EQ(Sentences(""), V{});
  EXPECT_EQ(Sentences("no end at all"), (V{"no end at all"}));
}

TEST(SentencesTest, ALineBreakWordEndsItsSentence) {
  // "\n" as a force token is a word of its own.
  const std::string text = "a b\nc";
  std::vector<WordSpan> words = {{0, 1}, {2, 3}, {3, 4}, {4, 5}};
  EXPECT_EQ(Sentences(text, words), (V{"a b \n", "c"}));
}

TEST(SentencesTest, StartsPerContextRange) {
  const std::string text = "x. y z";
  const std::vector<WordSpan> words = SpaceWords(text);
  std::vector<uint32_t> starts = {7};  // appended after what is there
  AppendSentenceStarts(text, words, 0, 3, &starts);
  EXPECT_EQ(starts, (std::vector<uint32_t>{7, 0, 1}));
  AppendSentenceStarts(text, words, 1, 1, &starts);  // no words: no sentence
  EXPECT_EQ(starts.size(), 3u);
}

// A hand-made selection: words with a score and a weight, some kept, in sentences.
struct Case {
  std::vector<WordSpan> words;
  std::vector<ScoredWord> scored;
  std::vector<SelectableWord> selectable;
  std::vector<uint32_t> starts;
  std::vector<WordBond> bonds;
  std::vector<LineBond> line_bonds;
  std::vector<int32_t> unit;
  K keep;
  int64_t min_words = 1;  // the mechanics below, on sentences of a word or two

  // A word; `sentence_start` opens a new sentence with it.
  Case& Add(const char* text, float score, bool kept, bool sentence_start = false, uint32_t weight = 1) {
    if (sentence_start || words.empty()) starts.push_back(static_cast<uint32_t>(words.size()));
    words.push_back({});
    ScoredWord s;
    s.score = score;
    scored.push_back(s);
    selectable.push_back({text, score, weight, false});
    unit.push_back(0);
    keep.push_back(kept);
    return *this;
  }
  Case& Forced() {
    scored.back().forced = true;
    return *this;
  }

  K Run() {
    std::vector<uint32_t> all = starts;
    all.push_back(static_cast<uint32_t>(words.size()));
    SentenceCover in;
    in.sentence_starts = &all;
    in.words = &words;
    in.scored = &scored;
    in.selectable = &selectable;
    in.bonds = &bonds;
    in.line_bonds = &line_bonds;
    in.unit = &unit;
    in.min_words = min_words;
    K out = keep;
    KeepEverySentence(in, &out);
    return out;
  }
};

TEST(SentencesTest, ASentenceWithoutAKeptWordKeepsItsBestAndTheWeakestKeptWordGoes) {
  Case c;
  c.Add("a", .9f, true).Add("b", .8f, true).Add("c", .7f, true).Add(".", .2f, false);
  c.Add("d", .3f, false, true).Add("e", .5f, false).Add("f", .5f, false).Add(".", .6f, false);
  // "e" (first of the best; "." says nothing) in, "c" (lowest kept) out.
  EXPECT_EQ(c.Run(), (K{1, 1, 0, 0, 0, 1, 0, 0}));
}

TEST(SentencesTest, CoveredSentencesAreLeftAlone) {
  Case c;
  c.Add("a", .9f, true).Add("b", .1f, false).Add("c", .2f, true, true).Add(",", .1f, false);
  EXPECT_EQ(c.Run(), c.keep);
  // A kept punctuation word does not cover its sentence.
  Case p;
  p.Add("a", .9f, true).Add("b", .8f, true).Add("c", .1f, false, true).Add("?", .9f, true);
  EXPECT_EQ(p.Run(), (K{1, 0, 1, 1}));
}

TEST(SentencesTest, NeverDropsASentencesLastWordOrAForcedWord) {
  Case c;
  c.Add("a", .9f, true);                               // alone in its sentence
  c.Add("b", .2f, false, true).Add("c", .4f, false);   // no kept word
  c.Add("d", .3f, true, true).Forced().Add("e", .85f, true);
  // "c" in; "a" is its sentence's only word and "d" is forced: "e" goes, though higher.
  EXPECT_EQ(c.Run(), (K{1, 0, 1, 1, 0}));
  // Nothing left to drop: the budget holds, the sentence stays empty.
  Case d;
  d.Add("a", .9f, true).Add("b", .2f, false, true).Add("c", .8f, true, true);
  EXPECT_EQ(d.Run(), (K{1, 0, 1}));
  // Room for one of two: the better sentence's word stays, the weaker one's goes back.
  Case e;
  e.Add("a", .9f, true).Add("z", .1f, true);
  e.Add("b", .2f, false, true).Add("c", .6f, false, true).Add("d", .8f, true, true);
  EXPECT_EQ(e.Run(), (K{1, 0, 0, 1, 1}));
}

TEST(SentencesTest, DropsFollowTheTokensAdded) {
  Case c;
  c.Add("a", .9f, true).Add("b", .6f, true).Add("c", .7f, true).Add("d", .8f, true);
  c.Add("long", .3f, false, true, 3);
  // Three tokens added: "b", "c" (one each) and "d" go, in that order, "a" stays.
  EXPECT_EQ(c.Run(), (K{1, 0, 0, 0, 1}));
  // A fixed threshold weighs nothing: words are only added.
  for (SelectableWord& w : c.selectable) w.weight = 0;
  EXPECT_EQ(c.Run(), (K{1, 1, 1, 1, 1}));
}

TEST(SentencesTest, BondsAreKeptAndDroppedWhole) {
  Case c;
  c.Add("we", .9f, true).Add("not", .4f, true).Add("go", .4f, true).Add("far", .8f, true);  // "not go" bonded
  c.Add("do", .1f, false, true).Add("no", .3f, false).Add("harm", .3f, false);               // "no harm" bonded
  c.bonds = {{1, 3}, {5, 7}};
  // "no harm" comes in (2 tokens); the bond "not go" is the weakest and goes whole.
  EXPECT_EQ(c.Run(), (K{1, 0, 0, 1, 0, 1, 1}));
  // A bond holding a sentence's last word does not go.
  Case d;
  d.Add("not", .4f, true).Add("go", .4f, true).Add("x", .1f, false, true).Add("y", .9f, true, true).Add("z", .8f, true);
  d.bonds = {{0, 2}};
  EXPECT_EQ(d.Run(), (K{1, 1, 1, 1, 0}));
}

TEST(SentencesTest, EachUnitPaysForItsOwnWords) {
  Case c;
  c.Add("a", .9f, true).Add("b", .5f, true).Add("c", .6f, true);
  c.Add("d", .9f, true, true).Add("e", .7f, true).Add("f", .2f, false, true);
  c.unit = {0, 0, 0, 1, 1, 1};
  // "f" is added in unit 1, so "e" goes there although "b" scores lower in unit 0.
  EXPECT_EQ(c.Run(), (K{1, 1, 1, 1, 0, 1}));
  // Words outside every unit (a context the filter dropped) are neither added nor counted.
  c.unit = {0, 0, 0, 1, 1, -1};
  EXPECT_EQ(c.Run(), c.keep);
}

TEST(SentencesTest, NumbersPayLast) {
  Case c;
  c.Add("in", .9f, true).Add("2019", .2f, true).Add("sales", .3f, true).Add("rose", .8f, true);
  c.Add("d", .9f, false, true).Add("e", .1f, false).Add("f", .1f, false);
  // "d" comes in; "sales" goes, not the weaker "2019".
  EXPECT_EQ(c.Run(), (K{1, 1, 0, 1, 1, 0, 0}));
}

TEST(SentencesTest, ShortSentencesMayVanish) {
  // By default a sentence needs 3 words saying something: "Um, yeah." may go, a statement not.
  Case c;
  c.min_words = SentenceCover().min_words;
  c.Add("we", .9f, true).Add("ship", .8f, true).Add("today", .8f, true).Add("now", .7f, true);
  c.Add("um", .1f, false, true).Add(",", .0f, false).Add("yeah", .2f, false).Add(".", .0f, false);
  c.Add("Anna", .3f, false, true).Add("sends", .2f, false).Add("slides", .1f, false);
  EXPECT_EQ(c.Run(), (K{1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0}));
}

TEST(SentencesTest, ALabelledLineKeepsAWordHoweverShort) {
  // "(B) kite": one word, below min_words, but an option the answer "(B)" names keeps it and
  // its label; an unlabelled one-word line may still vanish.
  Case c;
  c.min_words = SentenceCover().min_words;
  c.Add("a", .9f, true).Add("b", .8f, true).Add("c", .7f, true).Add("d", .1f, true);
  c.Add("(B)", .2f, false, true).Add("kite", .3f, false);
  c.Add("Okay", .3f, false, true);
  c.words[4].mark = MarkKind::kLabel;
  c.line_bonds = {{4, 4, 6}};
  EXPECT_EQ(c.Run(), (K{1, 1, 0, 0, 1, 1, 0}));
}

TEST(SentencesTest, AnAddedWordBringsItsLineMarker) {
  Case c;
  c.Add("a", .9f, true).Add("b", .8f, true).Add("c", .7f, true);
  c.Add("-", .3f, false, true).Add("item", .3f, false).Add("text", .2f, false);
  c.words[3].mark = MarkKind::kLine;
  c.line_bonds = {{3, 3, 6}};
  EXPECT_EQ(c.Run(), (K{1, 0, 0, 1, 1, 0}));
  // Without the room for both, the budget holds: nothing is added, nothing dropped.
  Case d;
  d.Add("a", .9f, true).Add("b", .8f, true);
  d.Add("-", .3f, false, true).Add("item", .3f, false).Add("text", .2f, false);
  d.words[2].mark = MarkKind::kLine;
  d.line_bonds = {{2, 2, 5}};
  EXPECT_EQ(d.Run(), d.keep);
}

}  // namespace
}  // namespace mooscomp
