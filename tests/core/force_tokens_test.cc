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
  EXPECT_EQ(Find({"?"}, "a?b?"), (V{"1:?", "3:?"}));
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
