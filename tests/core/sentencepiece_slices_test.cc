// Long text is encoded in slices cut before spaces (SentencePieceOptions::encode_slice_bytes)
// to bound the library's per-call memory. Words must be exactly those of one call (same
// spans), on every test model and on text with every kind of whitespace, punctuation and
// script; token ids may differ only inside a word whose splits tie in score (tokenizer.h),
// which the last test pins down.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mooscomp/tokenizer.h"
#include "word_spans.h"

namespace mooscomp {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Deterministic text from pieces that stress the cut points: spaces after letters, digits
// and punctuation, runs of spaces, tabs and newlines, non-ASCII before a space, CJK.
std::string MixedText(size_t bytes, uint32_t seed) {
  static const std::vector<std::string> parts = {
      "The", "answer", "is", "61.", " ", "  ", "   ", "\t", "\n", "\n\n", " \n ", "(A)", "[12]", "3.14",
      "e.g.", "café", "naïve", "—", "…", "“quoted”", "x", ",", "?", "!", "会議は", "午後", "👩‍👩‍👧",
      "\u3000", "\u00a0", "https://x.org/a?b=1", "ÅNGSTRÖM", "don't", "v1.2.3", "-", "$4.2M"};
  std::string out;
  uint32_t x = seed;
  while (out.size() < bytes) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    out += parts[x % parts.size()];
    if ((x >> 8) % 3 != 0) out += ' ';
  }
  return out;
}

void ExpectSlicedLikeWhole(const std::string& model_path, bool fairseq) {
  const std::string model = ReadFile(model_path);
  if (model.empty()) GTEST_SKIP() << model_path << " is missing";
  SentencePieceOptions whole_options, sliced_options;
  whole_options.fairseq_offset = sliced_options.fairseq_offset = fairseq;
  whole_options.encode_slice_bytes = 0;
  sliced_options.encode_slice_bytes = 40;  // many cuts in a short text
  auto whole = LoadSentencePiece(model, whole_options);
  auto sliced = LoadSentencePiece(model, sliced_options);
  ASSERT_TRUE(whole.ok() && sliced.ok());
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    const std::string text = MixedText(3000 + seed * 37, seed);
    Encoding a, b;
    ASSERT_TRUE(whole.value()->Encode(text, 5, &a).ok());
    ASSERT_TRUE(sliced.value()->Encode(text, 5, &b).ok());
    ASSERT_EQ(test::TokenWords(a), test::TokenWords(b)) << "seed " << seed;
    size_t same = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) same += a.ids[i] == b.ids[i];
    EXPECT_GE(same * 100, a.size() * 99) << "seed " << seed << ": ids differ beyond score ties";
  }
}

TEST(SentencePieceSlicesTest, TinyTestModel) {
  ExpectSlicedLikeWhole(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm.model", false);
}

TEST(SentencePieceSlicesTest, ByteFallbackModel) {
  ExpectSlicedLikeWhole(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm_bytes.model", false);
}

TEST(SentencePieceSlicesTest, FixtureModel) {
  ExpectSlicedLikeWhole(std::string(MOOSCOMP_SOURCE_DIR) + "/models/fixture/tokenizer.model", false);
}

TEST(SentencePieceSlicesTest, DefaultModel) {
  ExpectSlicedLikeWhole(std::string(MOOSCOMP_SOURCE_DIR) + "/models/default/tokenizer.model", false);
}

TEST(SentencePieceSlicesTest, FairseqLayout) {
  ExpectSlicedLikeWhole(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm.model", true);
}

// A run without spaces is not cut, whatever its length.
TEST(SentencePieceSlicesTest, TextWithoutSpacesIsOneCall) {
  const std::string model = ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm.model");
  SentencePieceOptions whole_options, sliced_options;
  whole_options.encode_slice_bytes = 0;
  sliced_options.encode_slice_bytes = 16;
  auto whole = LoadSentencePiece(model, whole_options);
  auto sliced = LoadSentencePiece(model, sliced_options);
  ASSERT_TRUE(whole.ok() && sliced.ok());
  const std::string text = std::string(500, '.') + "abc" + std::string(300, 'x');
  Encoding a, b;
  ASSERT_TRUE(whole.value()->Encode(text, 0, &a).ok());
  ASSERT_TRUE(sliced.value()->Encode(text, 0, &b).ok());
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.begin, b.begin);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.word_start, b.word_start);
}

// The tie: the same word after different text splits differently in one call already; the
// slices give the same words.
TEST(SentencePieceSlicesTest, TiedSplitsFollowTheTextBefore) {
  const std::string model = ReadFile(std::string(MOOSCOMP_SOURCE_DIR) + "/models/fixture/tokenizer.model");
  if (model.empty()) GTEST_SKIP() << "models/fixture is missing";
  SentencePieceOptions whole_options, sliced_options;
  whole_options.encode_slice_bytes = 0;
  sliced_options.encode_slice_bytes = 24;
  auto whole = LoadSentencePiece(model, whole_options);
  auto sliced = LoadSentencePiece(model, sliced_options);
  ASSERT_TRUE(whole.ok() && sliced.ok());
  const std::string text = "The answer is 61. Meeeeting at 105 on 2024-~6-12.";
  Encoding a, b, alone;
  ASSERT_TRUE(whole.value()->Encode(text, 0, &a).ok());
  ASSERT_TRUE(sliced.value()->Encode(text, 0, &b).ok());
  ASSERT_TRUE(whole.value()->Encode(" Meeeeting at 105 on 2024-~6-12.", 17, &alone).ok());
  EXPECT_EQ(test::TokenWords(a), test::TokenWords(b));
  EXPECT_EQ(std::vector<int32_t>(b.ids.begin() + 7, b.ids.end()), alone.ids);  // the slice is the text alone
}

// "…" normalises to "...", so "61.…" holds "....": "."+"..." and "..."+"." tie, and the pick
// follows the text before it in the call ("(A) 61.…" whole and " 61.…" after the cut differ
// under the default model). The run of dots is one word either way.
TEST(SentencePieceSlicesTest, TiedPunctuationRunIsOneWord) {
  const std::string model = ReadFile(std::string(MOOSCOMP_SOURCE_DIR) + "/models/default/tokenizer.model");
  if (model.empty()) GTEST_SKIP() << "models/default is missing";
  SentencePieceOptions whole_options, sliced_options;
  whole_options.encode_slice_bytes = 0;
  sliced_options.encode_slice_bytes = 4;  // cut before " 61"
  auto whole = LoadSentencePiece(model, whole_options);
  auto sliced = LoadSentencePiece(model, sliced_options);
  ASSERT_TRUE(whole.ok() && sliced.ok());
  for (const std::string text : {"(A) 61.\u2026", "is ? e.g.\u2026", "x .... y"}) {
    Encoding a, b;
    ASSERT_TRUE(whole.value()->Encode(text, 0, &a).ok());
    ASSERT_TRUE(sliced.value()->Encode(text, 0, &b).ok());
    EXPECT_EQ(test::TokenWords(a), test::TokenWords(b)) << text;
  }
}

}  // namespace
}  // namespace mooscomp
