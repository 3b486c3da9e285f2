#include "target_tokens.h"

#include <gtest/gtest.h>

#include <string>

namespace mooscomp {
namespace {

// Expectations are cl100k_base's real counts where the estimate is exact.
TEST(TargetTokensTest, CommonEnglishIsExact) {
  EXPECT_EQ(EstimateTargetTokens(""), 0);
  EXPECT_EQ(EstimateTargetTokens("hello"), 1);
  EXPECT_EQ(EstimateTargetTokens("hello world"), 2);         // "hello" " world"
  EXPECT_EQ(EstimateTargetTokens("Hello, world!"), 4);       // "Hello" "," " world" "!"
  EXPECT_EQ(EstimateTargetTokens("don't"), 2);               // "don" "'t"
  EXPECT_EQ(EstimateTargetTokens("we'll see"), 3);           // "we" "'ll" " see"
  EXPECT_EQ(EstimateTargetTokens("a  b"), 3);                // "a" " " " b"
}

TEST(TargetTokensTest, DigitsGroupInThrees) {
  EXPECT_EQ(EstimateTargetTokens("7"), 1);
  EXPECT_EQ(EstimateTargetTokens("123"), 1);
  EXPECT_EQ(EstimateTargetTokens("12345"), 2);     // "123" "45"
  EXPECT_EQ(EstimateTargetTokens("in 2024"), 4);   // "in" " " "202" "4": digits take no space
}

TEST(TargetTokensTest, WhitespaceAndPunctuation) {
  EXPECT_EQ(EstimateTargetTokens(" "), 1);
  EXPECT_EQ(EstimateTargetTokens("\n\n"), 1);
  EXPECT_EQ(EstimateTargetTokens("..."), 1);
  EXPECT_EQ(EstimateTargetTokens("a\nb"), 3);
}

TEST(TargetTokensTest, LongWordsAndOtherScriptsAreEstimated) {
  EXPECT_EQ(EstimateTargetTokens("internationalization"), 4);  // 20 letters / 6 (cl100k: 2)
  EXPECT_EQ(EstimateTargetTokens("你好世界"), 5);                // 1.2 a Han character (cl100k: 5)
  EXPECT_EQ(EstimateTargetTokens("서울"), 3);                    // 1.4 a Hangul syllable (cl100k: 3)
  EXPECT_EQ(EstimateTargetTokens("привет"), 3);                 // two code points a piece
  EXPECT_EQ(EstimateTargetTokens("café"), 2);                   // Latin-1 letters join words, and split them (cl100k: 2)
}

// Expectations are cl100k_base's counts: these are the pre-tokeniser's rules between runs.
TEST(TargetTokensTest, RulesBetweenRunsFollowCl100k) {
  EXPECT_EQ(EstimateTargetTokens("});\n"), 1);             // trailing newlines join punctuation
  EXPECT_EQ(EstimateTargetTokens("x = 1;\n    y"), 7);     // "x" " =" " " "1" ";\n" "   " " y"
  EXPECT_EQ(EstimateTargetTokens("a\n    b"), 4);          // "a" "\n" "   " " b"
  EXPECT_EQ(EstimateTargetTokens("a   12"), 4);            // "a" "  " " " "12": digits take no space
  EXPECT_EQ(EstimateTargetTokens("a.#b"), 3);              // two punctuation characters stay apart
  EXPECT_EQ(EstimateTargetTokens("abc\t\tdef"), 3);        // "abc" "\t" "\tdef"
  EXPECT_EQ(EstimateTargetTokens("x  "), 2);               // trailing spaces: one pre-token
}

TEST(TargetTokensTest, OnePunctuationCharacterJoinsTheWordAfterIt) {
  // "(fn" is one cl100k pre-token; such words split more often, so they weigh 1.2.
  EXPECT_EQ(EstimateTargetTokens("(fn"), 2);
  EXPECT_EQ(EstimateTargetTokens("(fn (fn (fn (fn (fn"), 10);  // " (" and "fn" apart: 2 each
  EXPECT_EQ(EstimateTargetTokens("a.b.c.d.e"), 6);  // "a" + 4 x ".b" at 1.2: tenths add up, rounded once
}

TEST(TargetTokensTest, EmojiAndSymbolsCountTheirBytePieces) {
  EXPECT_EQ(EstimateTargetTokens("🎉"), 3);                // cl100k: 3
  EXPECT_EQ(EstimateTargetTokens("ok 🎉🎉"), 7);           // cl100k: 7 ("ok" " 🎉" split in bytes)
  EXPECT_EQ(EstimateTargetTokens("“quoted”"), 3);          // cl100k: 3
}

TEST(TargetTokensTest, NonEmptyTextCountsAtLeastOne) {
  for (const char* s : {"x", "\t", "-", "😀", "'", "\xc3\xa9"}) EXPECT_GE(EstimateTargetTokens(s), 1) << s;
}

TEST(TargetTokensTest, LinearOnLargeText) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "word ";
  EXPECT_EQ(EstimateTargetTokens(text), 100000 + 1);  // the trailing space stands alone
}

}  // namespace
}  // namespace mooscomp
