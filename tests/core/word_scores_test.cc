#include "word_scores.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

struct Scored {
  std::vector<WordSpan> words;
  std::vector<ScoredWord> scores;
};

// Tokenises with 2-byte pieces and gives token i the score token_scores[i].
Scored Score(std::string_view text, const std::vector<float>& token_scores, WordScore mode, bool digits,
             const std::vector<std::string>& force = {}) {
  test::ToyTokenizer tokenizer(2);
  std::vector<ForceMatch> matches;
  ForceTokenMatcher::Create(force).value().FindAll(text, &matches);
  Encoding tokens;
  Scored s;
  EXPECT_TRUE(SegmentContext(tokenizer, text, matches, &tokens, &s.words).ok());
  EXPECT_EQ(tokens.size(), token_scores.size());
  s.scores.resize(s.words.size());
  ScoreWords(text, s.words, 0, static_cast<uint32_t>(s.words.size()), token_scores, mode, digits, &s.scores);
  return s;
}

TEST(WordScoresTest, MeanOrFirstOfTheTokens) {
  // "abcd" = ab cd, "ef" = ef.
  const std::vector<float> t = {.8f, .2f, .4f};
  Scored mean = Score("abcd ef", t, WordScore::kMean, false);
  EXPECT_FLOAT_EQ(mean.scores[0].score, .5f);
  EXPECT_FLOAT_EQ(mean.scores[1].score, .4f);
  Scored first = Score("abcd ef", t, WordScore::kFirst, false);
  EXPECT_FLOAT_EQ(first.scores[0].score, .8f);
  EXPECT_FLOAT_EQ(first.scores[0].unforced, .8f);
  EXPECT_FALSE(first.scores[0].forced);
}

TEST(WordScoresTest, ForceTokensScoreOne) {
  const Scored s = Score("a ? b", {.1f, .2f, .3f}, WordScore::kMean, false, {"?"});
  EXPECT_EQ(s.scores[1].score, 1.0f);
  EXPECT_TRUE(s.scores[1].forced);
  EXPECT_FLOAT_EQ(s.scores[1].unforced, .2f);
  // A token-less forced word: score 1, no unforced score.
  const Scored n = Score("a\nb", {.1f, .3f}, WordScore::kMean, false, {"\n"});
  EXPECT_EQ(n.scores[1].score, 1.0f);
  EXPECT_FALSE(n.scores[1].has_tokens);
}

TEST(WordScoresTest, WordsWithADigitScoreOne) {
  // "ab12" = ab 12 and "2024" = 20 24: both hold a digit, so both are forced (LLMLingua-2
  // forces tokens, giving "ab12" mean(.2, 1) = .6); "x" keeps its score.
  const Scored s = Score("ab12 2024 x", {.2f, .4f, .1f, .1f, .3f}, WordScore::kMean, true);
  EXPECT_EQ(s.scores[0].score, 1.0f);
  EXPECT_TRUE(s.scores[0].forced);
  EXPECT_FLOAT_EQ(s.scores[0].unforced, .3f);
  EXPECT_EQ(s.scores[1].score, 1.0f);
  EXPECT_TRUE(s.scores[1].forced);
  EXPECT_FLOAT_EQ(s.scores[1].unforced, .1f);
  EXPECT_FLOAT_EQ(s.scores[2].score, .3f);
  EXPECT_FALSE(s.scores[2].forced);
  // With "first", a digit anywhere in the word still forces it.
  const Scored f = Score("ab12 12ab", {.2f, .4f, .1f, .1f}, WordScore::kFirst, true);
  EXPECT_EQ(f.scores[0].score, 1.0f);
  EXPECT_FLOAT_EQ(f.scores[0].unforced, .2f);
  EXPECT_EQ(f.scores[1].score, 1.0f);
  // A unit: "$1,234.56" is one word of 7 tokens ($ 1 , 23 4 . 56), forced as a whole.
  const Scored u = Score("pay $1,234.56", {.1f, .1f, .1f, .1f, .1f, .1f, .1f, .1f, .1f}, WordScore::kMean, true);
  ASSERT_EQ(u.words.size(), 2u);
  EXPECT_EQ(u.scores[1].score, 1.0f);
  EXPECT_TRUE(u.scores[1].forced);
  EXPECT_FLOAT_EQ(u.scores[0].score, .1f);
  // Off by default.
  EXPECT_FLOAT_EQ(Score("12", {.1f}, WordScore::kMean, false).scores[0].score, .1f);
  EXPECT_FALSE(Score("12", {.1f}, WordScore::kMean, false).scores[0].forced);
}

}  // namespace
}  // namespace mooscomp
