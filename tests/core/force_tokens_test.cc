#include "force_tokens.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mooscomp {
namespace {

std::vector<std::string> Find(const std::vector<std::string>& force, std::string_view text) {
  auto matcher = ForceTokenMatcher::Create(force);
  EXPECT_TRUE(matcher.ok()) << matcher.status().message();
  std::vector<ForceMatch> matches;
  matcher.value().FindAll(text, &matches);
  std::vector<std::string> found;
  for (const ForceMatch& m : matches) {
    EXPECT_EQ(text.substr(m.begin, m.end - m.begin), force[m.index]);
    found.push_back(std::to_string(m.begin) + ":" + force[m.index]);
  }
  return found;
}

using V = std::vector<std::string>;

TEST(ForceTokensTest, FindsEveryOccurrence) {
  EXPECT_EQ(Find({"?"}, "a? b?"), (V{"1:?", "4:?"}));  // "a?b" is a unit (PunctuationInside...)
  EXPECT_EQ(Find({"\n"}, "x\ny\n\n"), (V{"1:\n", "3:\n", "4:\n"}));
  EXPECT_EQ(Find({"?"}, "none here"), V{});
  EXPECT_EQ(Find({}, "anything"), V{});
}

TEST(ForceTokensTest, LongestMatchFirstWithoutOverlap) {
  EXPECT_EQ(Find({"\n", "\n\n"}, "a\n\n\nb"), (V{"1:\n\n", "3:\n"}));
  EXPECT_EQ(Find({"-+", "+="}, "-+="), (V{"0:-+"}));        // leftmost wins
  EXPECT_EQ(Find({"-", "--", "---"}, "----"), (V{"0:---", "3:-"}));
}

TEST(ForceTokensTest, MultiTokenStrings) {
  EXPECT_EQ(Find({"The answer is"}, "So The answer is 4. The answer is"),
            (V{"3:The answer is", "20:The answer is"}));
}

TEST(ForceTokensTest, AlphanumericEdgesRespectWordBoundaries) {
  EXPECT_EQ(Find({"is"}, "this is his"), (V{"5:is"}));
  EXPECT_EQ(Find({"3"}, "3 13 3x 3"), (V{"0:3", "8:3"}));
  EXPECT_EQ(Find({"$5"}, "a$5 $50"), (V{"1:$5"}));  // "$" edge is free, "5" edge is not
  EXPECT_EQ(Find({"。"}, "我爱。北京。"), (V{"6:。", "15:。"}));  // no boundary rule off ASCII
}

TEST(ForceTokensTest, PunctuationInsideAUnitIsNotAMatch) {
  const V p = {".", ",", ":", "-", "/"};
  // The "." of "3.14" is inside the unit; the sentence's final "." is at its edge.
  EXPECT_EQ(Find(p, "pi is 3.14."), (V{"10:."}));
  EXPECT_EQ(Find(p, "in 2024. Next"), (V{"7:."}));
  EXPECT_EQ(Find(p, "2,400 seats, at 11:05 on 2024-06-12"), (V{"11:,"}));
  EXPECT_EQ(Find(p, "v1.2.3 and a.b.c and 3/4 and 1e-6"), V{});
  EXPECT_EQ(Find(p, "$4.2M, -3.5%"), (V{"5:,"}));  // a sign is part of its number
  EXPECT_EQ(Find(p, "e.g. this"), V{});              // an abbreviation's final dot is its own
  EXPECT_EQ(Find(p, "Marcus: hi"), (V{"6::"}));
  EXPECT_EQ(Find({"/", ".", ":", "?", "=", "://"}, "see https://x.org/a?b=1."), (V{"23:."}));
  EXPECT_EQ(Find({"1\u2013"}, "pages 1\u20132"), (V{"6:1\u2013"}));  // not punctuation only
  EXPECT_EQ(Find({"\u2013"}, "pages 1\u20132 \u2013 3"), (V{"12:\u2013"}));
  // Punctuation outside units stays: no atom on one side, or not a joiner.
  EXPECT_EQ(Find({"."}, "a..b"), (V{"1:.", "2:."}));
  EXPECT_EQ(Find({".."}, "a..b"), (V{"1:.."}));
  EXPECT_EQ(Find({";", ","}, "a;b, c"), (V{"1:;", "3:,"}));
  EXPECT_EQ(Find({"."}, "\u6771.\u4eac"), (V{"3:."}));  // Han is not a unit's atom
  // Other force tokens keep their own rules.
  EXPECT_EQ(Find({"\n", "?"}, "a?\nb"), (V{"1:?", "2:\n"}));
}

TEST(ForceTokensTest, SignsAndUnitMarksAreNotMatches) {
  // A number's sign, currency or percent belongs to the number, whatever the sign is.
  const V signs = {"-", "+", "%", "$", "\u20ac", "\u2212", "\u2013", "#"};
  EXPECT_EQ(Find(signs, "x -5 +6 7% $8 \u20ac9 \u221210 \u201311 C# y"), V{});
  EXPECT_EQ(Find({"-"}, "x -5 -6 -7 y"), V{});
  EXPECT_EQ(Find({"-"}, "(-3.7%)"), V{});
  EXPECT_EQ(Find({"%."}, "up 5%. ok"), V{});  // partly in the unit: the unit wins
  // Standing alone or next to a unit without being part of it, they stay matches.
  EXPECT_EQ(Find({"-"}, "a - b"), (V{"2:-"}));
  EXPECT_EQ(Find({"-", "%"}, "5 - 3 %"), (V{"2:-", "6:%"}));
  EXPECT_EQ(Find({"."}, "in 2024."), (V{"7:."}));
  // A force token with a letter or digit keeps its own rule (README: "3" in "3.14").
  EXPECT_EQ(Find({"-5"}, "x -5 y"), (V{"2:-5"}));
}

TEST(ForceTokensTest, PunctuationInsideAddressesNamesUrlsAndMeasuresIsNotAMatch) {
  const V p = {":", "::", ".", "/", "<", ">", "'", "\"", "@"};
  EXPECT_EQ(Find(p, "at 2001:db8::1 or fe80:: or ::1 now"), V{});
  EXPECT_EQ(Find(p, "ns::Class<T> and std::vector<int>"), V{});
  // The URL ends before the sentence's final dot, which stays a match.
  EXPECT_EQ(Find(p, "see https://\u4f8b\u3048.jp/\u30d1\u30b9."), (V{"28:."}));
  EXPECT_EQ(Find(p, "mail \u7530\u4e2d@\u4f8b\u3048.jp"), V{});
  EXPECT_EQ(Find(p, "he is 5'11\" tall"), V{});
}

TEST(ForceTokensTest, Limits) {
  std::vector<std::string> many(100, "x");
  EXPECT_TRUE(ForceTokenMatcher::Create(many).ok());
  many.push_back("y");
  auto too_many = ForceTokenMatcher::Create(many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument);
  auto empty = ForceTokenMatcher::Create({"a", ""});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto bad = ForceTokenMatcher::Create({"\xff"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidUtf8);
}

}  // namespace
}  // namespace mooscomp
