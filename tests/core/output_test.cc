#include "output.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "segmenter.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

// Segments `text` with the toy tokenizer and keeps the words whose text is in `kept`
// (by position: keep[i] for word i).
std::string Compress(std::string_view text, const std::vector<uint8_t>& keep, const std::vector<std::string>& force = {}) {
  test::ToyTokenizer tokenizer;
  std::vector<ForceMatch> matches;
  ForceTokenMatcher::Create(force).value().FindAll(text, &matches);
  Encoding tokens;
  std::vector<WordSpan> words;
  EXPECT_TRUE(SegmentContext(tokenizer, text, matches, &tokens, &words).ok());
  EXPECT_EQ(words.size(), keep.size());
  std::string out;
  AppendCompressedText(text, words, 0, static_cast<uint32_t>(words.size()), keep, &out);
  return out;
}

TEST(OutputTest, AdjacentKeptWordsKeepTheOriginalTextBetween) {
  EXPECT_EQ(Compress("Hello,  world!", {1, 1, 1, 1}), "Hello,  world!");
  EXPECT_EQ(Compress("  padded  ", {1}), "padded");  // from the first kept word to the last
}

TEST(OutputTest, DroppedWordsLeaveTheWhitespaceBeforeTheNextWord) {
  EXPECT_EQ(Compress("Hello, big world", {1, 0, 0, 1}), "Hello world");
  EXPECT_EQ(Compress("line one\n\nline two", {1, 0, 1, 1}), "line\n\nline two");
  EXPECT_EQ(Compress("a b\tc", {1, 0, 1}), "a\tc");
  EXPECT_EQ(Compress("drop first words", {0, 0, 1}), "words");
}

TEST(OutputTest, ElseTheWhitespaceAfterThePreviousWordElseOneSpace) {
  EXPECT_EQ(Compress("a\n,b", {1, 0, 1}), "a\nb");
  EXPECT_EQ(Compress("a;b", {1, 0, 1}), "a b");  // "a,b" would be one unit (word_units.h)
}

TEST(OutputTest, NoSpaceIsInventedBetweenGluedBracketsQuotesOrStops) {
  // A space after each kept "]" of a run would estimate (and tokenise) above the input.
  EXPECT_EQ(Compress("]]]]]]", {1, 0, 1, 0, 1, 0}), "]]]");
  EXPECT_EQ(Compress("a;b;c", {1, 1, 0, 1, 1}), "a;;c");
  EXPECT_EQ(Compress("a;b", {1, 0, 1}), "a b");  // words still get one
}

TEST(OutputTest, NoSpaceIsInventedBetweenCjkOrAroundWhitespaceWords) {
  EXPECT_EQ(Compress("我爱北京", {1, 0, 1, 1}), "我北京");
  EXPECT_EQ(Compress("東京、大阪", {1, 1, 0, 1, 1}), "東京大阪");
  EXPECT_EQ(Compress("a\n,b", {1, 1, 0, 1}, {"\n"}), "a\nb");
}

TEST(OutputTest, NoSpaceIsInventedInsideHangulOrThai) {
  // Every script of unicode::IsSpacelessScript, not only Han and kana: a dropped middle
  // piece of a Korean word or a Thai run leaves its neighbours joined.
  EXPECT_EQ(Compress("회의는 내일", {1, 0, 1, 1, 1}), "회는 내일");
  EXPECT_EQ(Compress("회의는 내일", {1, 1, 1, 0, 1}), "회의는 일");
  EXPECT_EQ(Compress("ภาษาไทย", {1, 1, 0, 0, 1, 1, 1}), "ภาไทย");
  EXPECT_EQ(Compress("ok ภาษา", {1, 1, 0, 0, 1}), "ok ภา");
}

TEST(OutputTest, NothingKept) {
  EXPECT_EQ(Compress("a b", {0, 0}), "");
  EXPECT_EQ(Compress("", {}), "");
}

TEST(OutputTest, Utf16OffsetsCountSurrogatePairs) {
  const std::string text = "a😀é東x";  // 1 + 4 + 2 + 3 + 1 bytes; 1 + 2 + 1 + 1 + 1 units
  Utf16Cursor cursor(text);
  EXPECT_EQ(cursor.At(0), 0u);
  EXPECT_EQ(cursor.At(1), 1u);
  EXPECT_EQ(cursor.At(5), 3u);
  EXPECT_EQ(cursor.At(7), 4u);
  EXPECT_EQ(cursor.At(10), 5u);
  EXPECT_EQ(cursor.At(11), 6u);
  EXPECT_EQ(cursor.At(1), 1u);  // backwards
  EXPECT_EQ(cursor.At(11), 6u);
}

}  // namespace
}  // namespace mooscomp
