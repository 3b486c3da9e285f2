#include "selector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mooscomp {
namespace {

struct W {
  const char* text;
  float score;
  uint32_t weight;
  bool force;
};

std::vector<uint8_t> Select(const std::vector<W>& in, Budget budget, std::vector<float>* scores = nullptr) {
  std::vector<SelectableWord> words;
  for (const W& w : in) words.push_back({w.text, w.score, w.weight, w.force});
  std::vector<uint8_t> keep(words.size(), 0);
  std::vector<WeightedValue> scratch;
  SelectUnit({{0u, static_cast<uint32_t>(words.size())}}, budget, &words, &keep, &scratch);
  if (scores) {
    scores->clear();
    for (const SelectableWord& w : words) scores->push_back(w.score);
  }
  return keep;
}

Budget Rate(double rate, bool drop_consecutive = false) {
  return {Budget::Mode::kReduceRate, 1.0 - rate, drop_consecutive};
}

using K = std::vector<uint8_t>;

TEST(SelectorTest, PercentileOfWordScores) {
  // reduce .5 -> q 51; [.25 .5 .75] -> index 1.02 -> .505: keep only .75.
  EXPECT_EQ(Select({{"a", .25f, 1, false}, {"b", .75f, 1, false}, {"c", .5f, 1, false}}, Rate(.5)), (K{0, 1, 0}));
}

TEST(SelectorTest, WordsWeighByTheirTargetTokens) {
  // "a" counts 3 times: [.25 .25 .25 .5 .75] -> index 2.04 -> .26: keep .5 and .75.
  EXPECT_EQ(Select({{"a", .25f, 3, false}, {"b", .75f, 1, false}, {"c", .5f, 1, false}}, Rate(.5)), (K{0, 1, 1}));
  // Weight 0 takes no part in the percentile.
  EXPECT_EQ(Select({{"", .9f, 0, false}, {"b", .75f, 1, false}, {"c", .5f, 1, false}}, Rate(.5)), (K{1, 1, 0}));
}

TEST(SelectorTest, StrictlyAboveTheThreshold) {
  // [.25 .5 .5 .75] at 51 -> index 1.53 -> .5: the ties at .5 are not above it.
  EXPECT_EQ(Select({{"a", .5f, 1, false}, {"b", .75f, 1, false}, {"c", .5f, 1, false}, {"d", .25f, 1, false}},
                   Rate(.5)),
            (K{0, 1, 0, 0}));
}

TEST(SelectorTest, ARateNeverKeepsNothing) {
  // All equal: the threshold equals every score and nothing beats it (LLMLingua-2 keeps
  // nothing); the first of the best words is kept.
  EXPECT_EQ(Select({{"a", .5f, 1, false}, {"b", .5f, 1, false}}, Rate(.5)), (K{1, 0}));
  // A single word is its own percentile, and is kept.
  EXPECT_EQ(Select({{"a", .5f, 1, false}}, Rate(.9)), (K{1}));
  // The best word with visible text: whitespace-only words ("\n" force tokens) do not count.
  EXPECT_EQ(Select({{"\n", .9f, 1, true}, {"x", .2f, 1, false}, {"\n", .9f, 1, true}}, Rate(.5)), (K{0, 1, 0}));
  // Only words with no visible text: nothing to keep.
  EXPECT_EQ(Select({{" ", .5f, 1, false}, {"\n", .5f, 1, false}}, Rate(.5)), (K{0, 0}));
  // With drop_consecutive too.
  EXPECT_EQ(Select({{"a", .5f, 1, false}, {"b", .6f, 1, false}}, Rate(.001, true)), (K{0, 1}));
  // An explicit threshold may keep nothing.
  EXPECT_EQ(Select({{"a", .5f, 1, false}, {"b", .5f, 1, false}}, {Budget::Mode::kThreshold, .5, false}), (K{0, 0}));
}

TEST(SelectorTest, TheNonEmptyRuleIsPerRange) {
  std::vector<SelectableWord> words = {{"a", .5f, 1, false}, {"b", .5f, 1, false}, {"c", .5f, 1, false},
                                       {"d", .9f, 1, false}, {"e", .1f, 1, false}};
  std::vector<uint8_t> keep(words.size(), 0);
  std::vector<WeightedValue> scratch;
  // Two ranges under one threshold (the global scope): q 51 of [.1 .5 .5 .5 .9] -> .5.
  SelectUnit({{0u, 3u}, {3u, 5u}}, Rate(.5), &words, &keep, &scratch);
  EXPECT_EQ(keep, (K{1, 0, 0, 1, 0}));
}

TEST(SelectorTest, ThresholdOfOneKeepsScoresOfOne) {
  EXPECT_EQ(Select({{"a", 1.f, 1, true}, {"b", 1.f, 1, true}}, Rate(.5)), (K{1, 1}));
  // [.5 1 1 1] at 51 -> index 1.53 between 1s -> threshold 1.0: forced words only.
  EXPECT_EQ(Select({{"x", 1.f, 1, true}, {"y", .5f, 1, false}, {"z", 1.f, 1, true}, {"w", 1.f, 1, true}}, Rate(.5)),
            (K{1, 0, 1, 1}));
  EXPECT_EQ(Select({{"x", 1.f, 1, true}, {"y", .5f, 1, false}}, {Budget::Mode::kThreshold, 1.0, false}), (K{1, 0}));
}

TEST(SelectorTest, TinyRateKeepsOnlyWhatBeatsTheMaximum) {
  // rate .001: q = int(100 * .999 + 1) = 100 -> the maximum; nothing is above it, and
  // the non-empty rule keeps the best word.
  EXPECT_EQ(Select({{"a", .25f, 1, false}, {"b", .75f, 1, false}}, Rate(.001)), (K{0, 1}));
  EXPECT_EQ(Select({{"a", .25f, 1, false}, {"b", 1.f, 1, true}}, Rate(.001)), (K{0, 1}));
}

TEST(SelectorTest, KeepAllAndFixedThreshold) {
  EXPECT_EQ(Select({{"a", 0.f, 1, false}, {"b", .1f, 1, false}}, Budget{}), (K{1, 1}));
  EXPECT_EQ(Select({{"a", .25f, 1, false}, {"b", .75f, 1, false}, {"c", .5f, 1, false}},
                   {Budget::Mode::kThreshold, 0.5, false}),
            (K{0, 1, 0}));
}

TEST(SelectorTest, DropConsecutiveZeroesRepeatedForceTokens) {
  // Plain percentile (q 50) of [1 .25 1 1 .75 1] = 1.0, so no word between the "\n"s
  // counts; the 2nd, 3rd and 4th "\n" score 0. Weighted q 51 of
  // [0 0 0 .25 .75 1] -> index 2.55 -> .1375: keep "\n", a, b.
  std::vector<float> scores;
  const K keep = Select({{"\n", 1.f, 1, true},
                         {"a", .25f, 1, false},
                         {"\n", 1.f, 1, true},
                         {"\n", 1.f, 1, true},
                         {"b", .75f, 1, false},
                         {"\n", 1.f, 1, true}},
                        Rate(.5, true), &scores);
  EXPECT_EQ(keep, (K{1, 1, 0, 0, 1, 0}));
  EXPECT_EQ(scores, (std::vector<float>{1, .25f, 0, 0, .75f, 0}));
  // Without drop_consecutive every "\n" stays.
  EXPECT_EQ(Select({{"\n", 1.f, 1, true}, {"a", .25f, 1, false}, {"\n", 1.f, 1, true}}, Rate(.5)), (K{1, 0, 1}));
}

TEST(SelectorTest, DropConsecutiveSparesForceTokensAfterAStrongWord) {
  // Plain q 50 of [1 .75 1 .25 .25 .25] -> index 2.5 -> .5; "a" (.75) is above it, so the
  // second "\n" keeps score 1. Weighted ("\n" x10) q 51 -> 1.0: only 1.0 scores pass, and
  // the second "\n" repeats the last kept word, so it is dropped at keep time.
  std::vector<float> scores;
  const std::vector<W> words = {{"\n", 1.f, 10, true}, {"a", .75f, 1, false}, {"\n", 1.f, 10, true},
                                {"z", .25f, 1, false}, {"y", .25f, 1, false}, {"x", .25f, 1, false}};
  EXPECT_EQ(Select(words, Rate(.5, true), &scores), (K{1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(scores[2], 1.0f);
  EXPECT_EQ(Select(words, Rate(.5, false)), (K{1, 0, 1, 0, 0, 0}));
}

TEST(SelectorTest, DifferentForceTokensAreNotConsecutive) {
  EXPECT_EQ(Select({{"\n", 1.f, 1, true}, {"?", 1.f, 1, true}, {"\n", 1.f, 1, true}, {"a", .5f, 1, false}},
                   Rate(.5, true)),
            (K{1, 1, 1, 0}));
}

TEST(SelectorTest, RangesShareOneThreshold) {
  // Global scope: one percentile over both ranges; [.25 .5 .75 1] q51 -> index 1.53 -> .6325.
  std::vector<SelectableWord> words = {{"a", .25f, 1, false}, {"b", .75f, 1, false},
                                       {"c", .5f, 1, false},  {"d", 1.f, 1, false}};
  std::vector<uint8_t> keep(4, 0);
  std::vector<WeightedValue> scratch;
  SelectUnit({{0u, 2u}, {2u, 4u}}, Rate(.5), &words, &keep, &scratch);
  EXPECT_EQ(keep, (K{0, 1, 0, 1}));
}

TEST(SelectorTest, EmptyUnit) {
  EXPECT_EQ(Select({}, Rate(.5)), K{});
  EXPECT_EQ(Select({}, Rate(.5, true)), K{});
}

}  // namespace
}  // namespace mooscomp
