// LoadTokenizer: the spec's kind picks the loader and that loader's options travel with it.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "mooscomp/tokenizer.h"

namespace mooscomp {
namespace {

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::string(MOOSCOMP_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<int32_t> Ids(const TokenizerSpec& spec, const std::string& bytes, const std::string& text) {
  auto tokenizer = LoadTokenizer(bytes, spec);
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().message();
  if (!tokenizer.ok()) return {};
  Encoding enc;
  EXPECT_TRUE(tokenizer.value()->Encode(text, 0, &enc).ok());
  return enc.ids;
}

TEST(LoadTokenizerTest, WordPieceOptionsTravelWithTheSpec) {
  const std::string vocab = ReadFile("wordpiece_vocab.txt");
  auto plain = LoadWordPiece(vocab, WordPieceOptions());
  ASSERT_TRUE(plain.ok());
  Encoding cafe;
  ASSERT_TRUE(plain.value()->Encode("cafe", 0, &cafe).ok());

  TokenizerSpec spec;  // WordPiece, lowercase; accents stripped as lowercase is on
  EXPECT_EQ(Ids(spec, vocab, "Café"), cafe.ids);
  spec.wordpiece.lowercase = false;  // strip_accents unset follows it: "Café" stays whole
  const std::vector<int32_t> cased = Ids(spec, vocab, "Café");
  ASSERT_EQ(cased.size(), 1u);
  EXPECT_NE(cased, cafe.ids);
  spec.wordpiece.strip_accents = true;
  EXPECT_NE(Ids(spec, vocab, "Café"), cased);
}

TEST(LoadTokenizerTest, SentencePieceOptionsTravelWithTheSpec) {
  const std::string model = ReadFile("tiny_spm.model");
  TokenizerSpec spec;
  spec.kind = TokenizerKind::kSentencePiece;
  auto direct = LoadSentencePiece(model, SentencePieceOptions());
  ASSERT_TRUE(direct.ok());
  Encoding want;
  ASSERT_TRUE(direct.value()->Encode("the quick brown fox", 0, &want).ok());
  const std::vector<int32_t> ids = Ids(spec, model, "the quick brown fox");
  EXPECT_EQ(ids, want.ids);

  spec.sentencepiece.fairseq_offset = true;
  auto shifted = LoadTokenizer(model, spec);
  ASSERT_TRUE(shifted.ok());
  EXPECT_EQ(shifted.value()->cls_id(), 0);  // <s> in the fairseq layout
  EXPECT_EQ(Ids(spec, model, "the quick brown fox").size(), ids.size());
}

TEST(LoadTokenizerTest, TheKindDecidesTheLoader) {
  TokenizerSpec spec;
  spec.kind = TokenizerKind::kSentencePiece;
  EXPECT_EQ(LoadTokenizer(ReadFile("wordpiece_vocab.txt"), spec).status().code(), StatusCode::kInvalidModel);
}

TEST(LoadTokenizerTest, AnUnknownKindIsAnInvalidModel) {
  TokenizerSpec spec;
  spec.kind = static_cast<TokenizerKind>(-1);  // what the wasm binding makes of an unknown name
  const auto result = LoadTokenizer(ReadFile("wordpiece_vocab.txt"), spec);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(result.status().message().find("tokenizer kind"), std::string::npos);
}

}  // namespace
}  // namespace mooscomp
