// The compressor over the real tokenizers (WordPiece and SentencePiece test models) with a
// fake classifier: word grouping, force tokens and output built from the original text.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "model_runner.h"
#include "mooscomp/compressor.h"

namespace mooscomp {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::unique_ptr<Compressor> WordPieceCompressor() {
  const std::string vocab = ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/wordpiece_vocab.txt");
  auto tokenizer = LoadWordPiece(vocab, WordPieceOptions());
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  if (!tokenizer.ok()) return nullptr;
  return std::make_unique<Compressor>(Compressor::Create(std::move(tokenizer).value(), ModelSpec()).value());
}

std::unique_ptr<Compressor> SentencePieceCompressor() {
  const std::string model = ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm.model");
  auto tokenizer = LoadSentencePiece(model, SentencePieceOptions());
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  if (!tokenizer.ok()) return nullptr;
  return std::make_unique<Compressor>(Compressor::Create(std::move(tokenizer).value(), ModelSpec()).value());
}

CompressResult Compress(const Compressor& c, const std::string& text, const CompressOptions& o) {
  auto job = c.Prepare({text}, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  if (!job.ok()) return {};
  test::RunFakeModel(job.value().get(), 0, [](int64_t id) { return static_cast<float>((id * 37) % 100) / 100.0f + 0.005f; });
  auto result = job.value()->Select(o);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : CompressResult{};
}

std::vector<std::string> WordTexts(const CompressResult& r, const std::string& text) {
  std::vector<std::string> out;
  for (const Word& w : r.words) out.push_back(text.substr(w.begin, w.end - w.begin));
  return out;
}

// Kept words appear in the output in order, sliced from the original text.
void ExpectKeptWordsInOrder(const CompressResult& r, const std::string& text) {
  size_t at = 0;
  for (const Word& w : r.words) {
    if (!w.keep) continue;
    const size_t found = r.compressed_prompt.find(text.substr(w.begin, w.end - w.begin), at);
    ASSERT_NE(found, std::string::npos) << text.substr(w.begin, w.end - w.begin);
    at = found + (w.end - w.begin);
  }
}

const char kText[] = "Hello world, the tokenizer is playing.\n中国人 The answer is 2024!\n\n  Über café.  ";

TEST(PipelineTest, WordPieceWords) {
  auto c = WordPieceCompressor();
  ASSERT_NE(c, nullptr);
  CompressOptions o;
  o.rate = 1.0;
  o.force_tokens = {"\n", "The answer"};
  const std::string text = kText;
  const CompressResult r = Compress(*c, text, o);
  EXPECT_EQ(WordTexts(r, text),
            (std::vector<std::string>{"Hello", "world", ",", "the", "tokenizer", "is", "playing", ".", "\n", "中",
                                      "国", "人", "The answer", "is", "2024", "!", "\n", "\n", "Über", "café", "."}));
  EXPECT_EQ(r.compressed_prompt, "Hello world, the tokenizer is playing.\n中国人 The answer is 2024!\n\n  Über café.");
  EXPECT_TRUE(r.words[12].forced);
}

TEST(PipelineTest, WordPieceCompresses) {
  auto c = WordPieceCompressor();
  ASSERT_NE(c, nullptr);
  const std::string text = kText;
  for (double rate : {0.2, 0.5, 0.8}) {
    CompressOptions o;
    o.rate = rate;
    o.force_tokens = {"\n"};
    const CompressResult r = Compress(*c, text, o);
    ExpectKeptWordsInOrder(r, text);
    EXPECT_LE(r.compressed_tokens, r.origin_tokens);
    int newlines = 0;
    for (const Word& w : r.words) newlines += w.keep && text.substr(w.begin, w.end - w.begin) == "\n";
    EXPECT_EQ(newlines, 3);
  }
}

TEST(PipelineTest, SentencePieceCompresses) {
  auto c = SentencePieceCompressor();
  ASSERT_NE(c, nullptr);
  const std::string text = kText;
  CompressOptions o;
  o.rate = 1.0;
  CompressResult r = Compress(*c, text, o);
  ASSERT_FALSE(r.words.empty());
  EXPECT_EQ(r.compressed_prompt, "Hello world, the tokenizer is playing.\n中国人 The answer is 2024!\n\n  Über café.");
  uint32_t previous_end = 0;
  for (const Word& w : r.words) {
    EXPECT_LE(previous_end, w.begin);
    EXPECT_LT(w.begin, w.end);
    previous_end = w.end;
  }
  o.rate = 0.4;
  o.force_tokens = {"\n"};
  r = Compress(*c, text, o);
  ExpectKeptWordsInOrder(r, text);
  EXPECT_LT(r.compressed_tokens, r.origin_tokens);
}

}  // namespace
}  // namespace mooscomp
