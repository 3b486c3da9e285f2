#include "segmenter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

struct Segmented {
  Encoding tokens;
  std::vector<WordSpan> words;
  std::vector<std::string> texts;  // word texts, "*" prefixed when forced
};

Segmented Segment(std::string_view text, const std::vector<std::string>& force = {}, size_t piece = 4) {
  test::ToyTokenizer tokenizer(piece);
  auto matcher = ForceTokenMatcher::Create(force);
  EXPECT_TRUE(matcher.ok());
  std::vector<ForceMatch> matches;
  matcher.value().FindAll(text, &matches);
  Segmented s;
  EXPECT_TRUE(SegmentContext(tokenizer, text, matches, &s.tokens, &s.words).ok());
  for (const WordSpan& w : s.words) {
    s.texts.push_back((w.force_index >= 0 ? "*" : "") + std::string(text.substr(w.begin, w.end - w.begin)));
  }
  return s;
}

using V = std::vector<std::string>;

TEST(SegmenterTest, TokensGroupIntoWords) {
  const Segmented s = Segment("hello world");  // hell o | worl d
  EXPECT_EQ(s.texts, (V{"hello", "world"}));
  ASSERT_EQ(s.words.size(), 2u);
  EXPECT_EQ(s.words[0].token_begin, 0u);
  EXPECT_EQ(s.words[0].token_end, 2u);
  EXPECT_EQ(s.words[1].token_begin, 2u);
  EXPECT_EQ(s.words[1].token_end, 4u);
  EXPECT_EQ(s.tokens.size(), 4u);
}

TEST(SegmenterTest, ScriptsWithoutSpacesSplitPerTokenButNeverBeforeAMark) {
  // The toy tokenizer makes each Thai code point a token: "ก็" is ko kai + maitaikhu, and
  // the mark stays with its letter; Han splits per character.
  EXPECT_EQ(Segment("\u0e01\u0e47\u0e14\u0e35").texts, (V{"\u0e01\u0e47", "\u0e14\u0e35"}));
  EXPECT_EQ(Segment("\u4f1a\u8bae").texts, (V{"\u4f1a", "\u8bae"}));
}

TEST(SegmenterTest, ForcedMatchIsOneWordEvenWithoutTokens) {
  const Segmented s = Segment("a\nb", {"\n"});
  EXPECT_EQ(s.texts, (V{"a", "*\n", "b"}));
  EXPECT_EQ(s.words[1].token_begin, s.words[1].token_end);  // the toy tokenizer drops "\n"
  EXPECT_EQ(s.words[1].begin, 1u);
  EXPECT_EQ(s.words[1].end, 2u);
}

TEST(SegmenterTest, MultiTokenForcedWordIsAtomic) {
  const Segmented s = Segment("x The answer y", {"The answer"});
  EXPECT_EQ(s.texts, (V{"x", "*The answer", "y"}));
  EXPECT_EQ(s.words[1].token_end - s.words[1].token_begin, 3u);  // The | answ | er
}

TEST(SegmenterTest, ForcedMatchInsideAWordSplitsIt) {
  const Segmented s = Segment("cafés ok", {"é"});
  EXPECT_EQ(s.texts, (V{"caf", "*é", "s", "ok"}));
  // Punctuation inside a unit is no force match (force_tokens.h); at its edge it is.
  EXPECT_EQ(Segment("3.14 ok", {"."}).texts, (V{"3.14", "ok"}));
  EXPECT_EQ(Segment("3.14. ok", {"."}).texts, (V{"3.14", "*.", "ok"}));
  const Segmented t = Segment("abcdefgh", {}, 4);  // abcd + efgh continue one word
  EXPECT_EQ(t.texts, (V{"abcdefgh"}));
}

TEST(SegmenterTest, EmptyAndWhitespaceOnly) {
  EXPECT_TRUE(Segment("").words.empty());
  EXPECT_TRUE(Segment(" \t\n ").words.empty());
  EXPECT_EQ(Segment(" \n ", {"\n"}).texts, (V{"*\n"}));
}

TEST(SegmenterTest, SpansAreOriginalBytes) {
  const Segmented s = Segment("  café, 東京  ");  // the toy splits "caf" "é"; one unit again
  EXPECT_EQ(s.texts, (V{"café", ",", "東", "京"}));
  EXPECT_EQ(s.words[0].token_end - s.words[0].token_begin, 2u);
}

}  // namespace
}  // namespace mooscomp
