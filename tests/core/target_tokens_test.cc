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
  EXPECT_EQ(EstimateTargetTokens("internationalization"), 4);  // 20 letters / 6
  EXPECT_EQ(EstimateTargetTokens("你好世界"), 4);                // one per ideograph
  EXPECT_EQ(EstimateTargetTokens("привет"), 3);                 // two code points a piece
  EXPECT_EQ(EstimateTargetTokens("café"), 1);                   // Latin-1 letters join words
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
