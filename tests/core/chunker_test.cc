#include "chunker.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

struct Chunked {
  std::string text;
  Encoding tokens;
  std::vector<WordSpan> words;
  std::vector<Window> windows;

  // Each window as its token texts joined by " ", then "|" and its word texts.
  std::vector<std::string> Describe() const {
    std::vector<std::string> out;
    for (const Window& w : windows) {
      std::string s;
      for (uint32_t t = w.token_begin; t < w.token_end; ++t) {
        if (t > w.token_begin) s += " ";
        s += text.substr(tokens.begin[t], tokens.end[t] - tokens.begin[t]);
      }
      s += "|";
      for (uint32_t i = w.word_begin; i < w.word_end; ++i) {
        s += (i > w.word_begin ? "," : "") + text.substr(words[i].begin, words[i].end - words[i].begin);
      }
      out.push_back(s);
    }
    return out;
  }
};

Chunked Chunk(std::string text, uint32_t limit, const std::vector<std::string>& force = {}, size_t piece = 4,
              const std::vector<std::string>& ends = {".", "\n"}) {
  Chunked c;
  c.text = std::move(text);
  test::ToyTokenizer tokenizer(piece);
  auto matcher = ForceTokenMatcher::Create(force);
  std::vector<ForceMatch> matches;
  matcher.value().FindAll(c.text, &matches);
  EXPECT_TRUE(SegmentContext(tokenizer, c.text, matches, &c.tokens, &c.words).ok());
  ChunkInput in;
  in.text = c.text;
  in.tokens = &c.tokens;
  in.words = &c.words;
  in.word_end = static_cast<uint32_t>(c.words.size());
  in.token_end = static_cast<uint32_t>(c.tokens.size());
  std::vector<uint8_t> scratch;
  ChunkContext(in, ends, limit, &scratch, &c.windows);
  return c;
}

using V = std::vector<std::string>;

TEST(ChunkerTest, CutsAfterTheLastChunkEndWithinTheLimit) {
  EXPECT_EQ(Chunk("a b. c d. e f", 5).Describe(), (V{"a b .|a,b,.", "c d . e f|c,d,.,e,f"}));
  EXPECT_EQ(Chunk("a. b. c d e", 5).Describe(), (V{"a . b .|a,.,b,.", "c d e|c,d,e"}));
}

TEST(ChunkerTest, WithoutChunkEndCutsAtAWordStart) {
  EXPECT_EQ(Chunk("a b c d e f g", 3).Describe(), (V{"a b c|a,b,c", "d e f|d,e,f", "g|g"}));
  // "abcd" and "efgh" are two-token words (piece 2): never cut between their tokens.
  EXPECT_EQ(Chunk("abcd efgh ij", 3, {}, 2).Describe(), (V{"ab cd|abcd", "ef gh ij|efgh,ij"}));
}

TEST(ChunkerTest, ForcedWordIsNeverSplit) {
  EXPECT_EQ(Chunk("a b x y z c", 4, {"x y z"}).Describe(), (V{"a b|a,b", "x y z c|x y z,c"}));
}

TEST(ChunkerTest, NewlinesTheTokenizerDropsStillEndChunks) {
  EXPECT_EQ(Chunk("a b\nc d", 3).Describe(), (V{"a b|a,b", "c d|c,d"}));
  // As a token-less forced word, "\n" stays with the window before the cut.
  EXPECT_EQ(Chunk("a b\nc d", 3, {"\n"}).Describe(), (V{"a b|a,b,\n", "c d|c,d"}));
  // Custom chunk ends only.
  EXPECT_EQ(Chunk("a b! c d", 3, {}, 4, {"!"}).Describe(), (V{"a b !|a,b,!", "c d|c,d"}));
}

TEST(ChunkerTest, WordLongerThanTheWindowIsSplitAtTheLimit) {
  // "abcdefghij" = ab cd ef gh ij (piece 2), limit 3.
  EXPECT_EQ(Chunk("abcdefghij k", 3, {}, 2).Describe(), (V{"ab cd ef|abcdefghij", "gh ij k|k"}));
}

TEST(ChunkerTest, OneTokenLimit) {
  EXPECT_EQ(Chunk("abcd ef", 1, {}, 2).Describe(), (V{"ab|abcd", "cd|", "ef|ef"}));
}

TEST(ChunkerTest, ContextsWithoutTokens) {
  EXPECT_TRUE(Chunk("", 3).windows.empty());
  EXPECT_TRUE(Chunk("   ", 3).windows.empty());
  EXPECT_EQ(Chunk("\n\n", 3, {"\n"}).Describe(), (V{"|\n,\n"}));
}

TEST(ChunkerTest, WindowsCoverEveryTokenAndWordWithinTheLimit) {
  std::mt19937 rng(7);
  const char* pieces[] = {"alpha", "be", "c", ".", "\n", "delta!", "epsilonzeta", "42", "?", " "};
  for (int round = 0; round < 30; ++round) {
    std::string text;
    for (int i = 0; i < 300; ++i) text += std::string(pieces[rng() % 10]) + (rng() % 3 ? " " : "");
    for (uint32_t limit : {1u, 2u, 5u, 16u, 510u}) {
      const Chunked c = Chunk(text, limit, {"\n", "delta!"}, 3);
      uint32_t next_token = 0, next_word = 0;
      for (const Window& w : c.windows) {
        EXPECT_EQ(w.token_begin, next_token);
        EXPECT_LE(w.token_end - w.token_begin, limit);
        EXPECT_EQ(w.word_begin, next_word);
        next_token = w.token_end;
        next_word = w.word_end;
      }
      EXPECT_EQ(next_token, c.tokens.size());
      EXPECT_EQ(next_word, c.words.size());
    }
  }
}

}  // namespace
}  // namespace mooscomp
