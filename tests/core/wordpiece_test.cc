// BERT WordPiece on a small hand-written vocabulary (tests/core/data/wordpiece_vocab.txt).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "mooscomp/tokenizer.h"
#include "utf8.h"

#ifndef MOOSCOMP_TEST_DATA_DIR
#define MOOSCOMP_TEST_DATA_DIR "tests/core/data"
#endif

namespace mooscomp {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class WordPieceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    vocab_text_ = new std::string(ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/wordpiece_vocab.txt"));
    ASSERT_FALSE(vocab_text_->empty()) << "missing " << MOOSCOMP_TEST_DATA_DIR << "/wordpiece_vocab.txt";
    tokens_ = new std::vector<std::string>();
    std::istringstream lines(*vocab_text_);
    for (std::string line; std::getline(lines, line);) tokens_->push_back(line);
  }
  static void TearDownTestSuite() {
    delete vocab_text_;
    delete tokens_;
  }

  static std::unique_ptr<Tokenizer> Load(bool lowercase) {
    WordPieceOptions options;
    options.lowercase = lowercase;
    options.strip_accents = lowercase;  // as Hugging Face does when strip_accents is unset
    auto loaded = LoadWordPiece(*vocab_text_, options);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return std::move(loaded).value();
  }

  // Token texts, spans sliced from `text` and word starts, for readable expectations.
  struct Tokens {
    std::vector<std::string> pieces;
    std::vector<std::string> spans;
    std::vector<int> word_starts;
  };

  static Tokens Encode(const Tokenizer& tokenizer, const std::string& text) {
    Encoding enc;
    Status status = tokenizer.Encode(text, 0, &enc);
    EXPECT_TRUE(status.ok()) << status.message();
    Tokens t;
    for (size_t i = 0; i < enc.size(); ++i) {
      t.pieces.push_back((*tokens_)[enc.ids[i]]);
      EXPECT_LE(enc.begin[i], enc.end[i]);
      EXPECT_LE(enc.end[i], text.size());
      t.spans.push_back(text.substr(enc.begin[i], enc.end[i] - enc.begin[i]));
      t.word_starts.push_back(enc.word_start[i]);
    }
    return t;
  }

  using Strings = std::vector<std::string>;
  static std::string* vocab_text_;
  static std::vector<std::string>* tokens_;
};

std::string* WordPieceTest::vocab_text_ = nullptr;
std::vector<std::string>* WordPieceTest::tokens_ = nullptr;

TEST_F(WordPieceTest, SpecialIdsComeFromTheVocab) {
  auto t = Load(true);
  EXPECT_EQ(t->pad_id(), 0);
  EXPECT_EQ(t->unk_id(), 1);
  EXPECT_EQ(t->cls_id(), 2);
  EXPECT_EQ(t->sep_id(), 3);
  EXPECT_EQ(t->vocab_size(), static_cast<int32_t>(tokens_->size()));
}

TEST_F(WordPieceTest, ExactIdsAndSpans) {
  auto t = Load(true);
  const std::string text = "Hello, World! unaffable";
  Encoding enc;
  ASSERT_TRUE(t->Encode(text, 0, &enc).ok());
  EXPECT_EQ(enc.ids, (std::vector<int32_t>{156, 16, 157, 5, 144, 145, 146}));
  EXPECT_EQ(enc.begin, (std::vector<uint32_t>{0, 5, 7, 12, 14, 16, 19}));
  EXPECT_EQ(enc.end, (std::vector<uint32_t>{5, 6, 12, 13, 16, 19, 23}));
  EXPECT_EQ(enc.word_start, (std::vector<uint8_t>{1, 1, 1, 1, 1, 0, 0}));
  const Tokens tokens = Encode(*t, text);
  EXPECT_EQ(tokens.pieces, (Strings{"hello", ",", "world", "!", "un", "##aff", "##able"}));
  EXPECT_EQ(tokens.spans, (Strings{"Hello", ",", "World", "!", "un", "aff", "able"}));
}

TEST_F(WordPieceTest, BaseShiftsSpansAndEncodeAppends) {
  auto t = Load(true);
  Encoding enc;
  ASSERT_TRUE(t->Encode("the", 0, &enc).ok());
  ASSERT_TRUE(t->Encode("playing", 100, &enc).ok());
  EXPECT_EQ(enc.size(), 3u);
  EXPECT_EQ(enc.begin, (std::vector<uint32_t>{0, 100, 104}));
  EXPECT_EQ(enc.end, (std::vector<uint32_t>{3, 104, 107}));
  EXPECT_EQ(enc.word_start, (std::vector<uint8_t>{1, 1, 0}));
}

TEST_F(WordPieceTest, UncasedFoldsCaseAndAccentsButSpansKeepTheOriginal) {
  auto t = Load(true);
  Tokens tokens = Encode(*t, "Café naïve Cafe\u0301");
  EXPECT_EQ(tokens.pieces, (Strings{"cafe", "naive", "cafe"}));
  // The decomposed accent is dropped, yet stays inside its word's span.
  EXPECT_EQ(tokens.spans, (Strings{"Café", "naïve", "Cafe\u0301"}));
  tokens = Encode(*t, "Ünïcödé");
  EXPECT_EQ(tokens.pieces, (Strings{"un", "##i", "##c", "##o", "##d", "##e"}));
  EXPECT_EQ(tokens.spans, (Strings{"Ün", "ï", "c", "ö", "d", "é"}));
  // U+0130 lower-cases to "i" + U+0307, and the dot is stripped.
  tokens = Encode(*t, "İ");
  EXPECT_EQ(tokens.pieces, (Strings{"i"}));
  EXPECT_EQ(tokens.spans, (Strings{"İ"}));
}

TEST_F(WordPieceTest, FinalSigmaAsJavaScriptLowerCases) {
  auto t = Load(true);
  EXPECT_EQ(Encode(*t, "ΑΣ").pieces, (Strings{"α", "##ς"}));
  EXPECT_EQ(Encode(*t, "Σ").pieces, (Strings{"σ"}));
  EXPECT_EQ(Encode(*t, "ΑΣΑ").pieces, (Strings{"α", "##σ", "##α"}));
  // Dropped controls do not separate the sigma from the letter after it.
  EXPECT_EQ(Encode(*t, "ΑΣ\u200BΑ").pieces, (Strings{"α", "##σ", "##α"}));
}

TEST_F(WordPieceTest, CasedKeepsCaseAndAccents) {
  auto t = Load(false);
  EXPECT_EQ(Encode(*t, "Café café Hello").pieces, (Strings{"Café", "café", "Hello"}));
  const Tokens tokens = Encode(*t, "e\u0301");
  EXPECT_EQ(tokens.pieces, (Strings{"e", "##\u0301"}));
  EXPECT_EQ(tokens.spans, (Strings{"e", "\u0301"}));
  EXPECT_EQ(Encode(*t, "hello").pieces, (Strings{"hello"}));
  EXPECT_EQ(Encode(*t, "HELLO").pieces, (Strings{"[UNK]"}));
}

TEST_F(WordPieceTest, CjkIdeographsAreWordsOfTheirOwn) {
  auto t = Load(true);
  Tokens tokens = Encode(*t, "中国人");
  EXPECT_EQ(tokens.pieces, (Strings{"中", "国", "人"}));
  EXPECT_EQ(tokens.spans, (Strings{"中", "国", "人"}));
  EXPECT_EQ(tokens.word_starts, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(Encode(*t, "中a国").pieces, (Strings{"中", "a", "国"}));
}

TEST_F(WordPieceTest, HangulSyllablesDecomposeWhenUncased) {
  // NFD turns 한 into three jamo; pieces inside one original character do not overlap.
  Tokens tokens = Encode(*Load(true), "한");
  EXPECT_EQ(tokens.pieces, (Strings{"ᄒ", "##ᅡ", "##ᆫ"}));
  EXPECT_EQ(tokens.spans, (Strings{"한", "", ""}));
  EXPECT_EQ(Encode(*Load(false), "한국").pieces, (Strings{"한", "##국"}));
}

TEST_F(WordPieceTest, UnknownWordsAreOneUnkSpanningTheWord) {
  auto t = Load(true);
  Tokens tokens = Encode(*t, "a😀b 😀 ok");
  EXPECT_EQ(tokens.pieces, (Strings{"[UNK]", "[UNK]", "o", "##k"}));
  EXPECT_EQ(tokens.spans, (Strings{"a😀b", "😀", "o", "k"}));
}

TEST_F(WordPieceTest, ControlCharactersVanishInsideTheirWord) {
  auto t = Load(true);
  Tokens tokens = Encode(*t, std::string("a\0b x\x07y", 7));
  EXPECT_EQ(tokens.pieces, (Strings{"a", "##b", "x", "##y"}));
  EXPECT_EQ(tokens.spans, (Strings{std::string("a\0", 2), "b", "x\x07", "y"}));
  EXPECT_TRUE(Encode(*t, "\u200B\u200D\uFEFF\x01").pieces.empty());
  EXPECT_EQ(Encode(*t, "a\tb\nc\r\nd\u00A0e\u3000f").pieces, (Strings{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(Encode(*t, "a\xEF\xBF\xBD" "b").pieces, (Strings{"a", "##b"}));  // U+FFFD is dropped
}

TEST_F(WordPieceTest, LongWords) {
  auto t = Load(true);
  Tokens tokens = Encode(*t, std::string(100, 'a'));
  ASSERT_EQ(tokens.pieces.size(), 100u);
  EXPECT_EQ(tokens.pieces[0], "a");
  EXPECT_EQ(tokens.pieces[99], "##a");
  tokens = Encode(*t, std::string(101, 'a') + " the");
  EXPECT_EQ(tokens.pieces, (Strings{"[UNK]", "the"}));
  EXPECT_EQ(tokens.spans[0], std::string(101, 'a'));
  // The limit counts normalised characters: 101 "é" are 202 bytes.
  std::string accents;
  for (int i = 0; i < 101; ++i) accents += "é";
  EXPECT_EQ(Encode(*t, accents).pieces, (Strings{"[UNK]"}));
}

TEST_F(WordPieceTest, EmptyWhitespaceAndPunctuationOnly) {
  auto t = Load(true);
  EXPECT_TRUE(Encode(*t, "").pieces.empty());
  EXPECT_TRUE(Encode(*t, " \t\n\r\u00A0\u2028 ").pieces.empty());
  const Tokens tokens = Encode(*t, "!!?.");
  EXPECT_EQ(tokens.pieces, (Strings{"!", "!", "?", "."}));
  EXPECT_EQ(tokens.word_starts, (std::vector<int>{1, 1, 1, 1}));
  // $ + < = > ^ ` | ~ are symbols in Unicode but punctuation to BERT.
  EXPECT_EQ(Encode(*t, "a$b").pieces, (Strings{"a", "$", "b"}));
  EXPECT_EQ(Encode(*t, "«»").pieces, (Strings{"«", "»"}));
}

TEST_F(WordPieceTest, InvalidUtf8LeavesTheEncodingAsItWas) {
  auto t = Load(true);
  Encoding enc;
  ASSERT_TRUE(t->Encode("the", 0, &enc).ok());
  const Status status = t->Encode("hello \xC3( world", 0, &enc);
  EXPECT_EQ(status.code(), StatusCode::kInvalidUtf8);
  EXPECT_EQ(enc.size(), 1u);
  EXPECT_EQ(enc.begin.size(), 1u);
}

TEST_F(WordPieceTest, RandomTextNeverBreaksSpanInvariants) {
  const std::vector<char32_t> alphabet = {'a', 'B', ' ', '.', '\t', 0, 0x7F, 0xE9, 0x301, 0x3A3, 0x130,
                                          0x4E2D, 0xD55C, 0x200D, 0x1F600, 0x1D16D, 0x316, 0xFFFD, 0x0E01};
  std::mt19937 rng(7);
  for (bool lowercase : {true, false}) {
    auto t = Load(lowercase);
    for (int n = 0; n < 300; ++n) {
      std::string text;
      const int length = static_cast<int>(rng() % 40);
      for (int i = 0; i < length; ++i) AppendUtf8(alphabet[rng() % alphabet.size()], &text);
      Encoding enc;
      ASSERT_TRUE(t->Encode(text, 0, &enc).ok());
      uint32_t previous_end = 0;
      for (size_t i = 0; i < enc.size(); ++i) {
        ASSERT_GE(enc.begin[i], previous_end);
        ASSERT_LE(enc.begin[i], enc.end[i]);
        ASSERT_LE(enc.end[i], text.size());
        if (!enc.word_start[i]) {
          ASSERT_EQ(enc.begin[i], previous_end);
        }
        previous_end = enc.end[i];
      }
    }
  }
}

Status LoadStatus(const std::string& vocab) { return LoadWordPiece(vocab, WordPieceOptions()).status(); }

TEST(WordPieceVocabTest, CorruptVocabulariesAreInvalidModels) {
  const std::string specials = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n";
  EXPECT_TRUE(LoadStatus(specials + "a").ok());  // no final newline
  EXPECT_TRUE(LoadStatus("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n").ok());
  EXPECT_EQ(LoadStatus("").code(), StatusCode::kInvalidModel);
  EXPECT_EQ(LoadStatus(specials + "a\na\n").code(), StatusCode::kInvalidModel);
  EXPECT_EQ(LoadStatus(specials + "a\n\nb\n").code(), StatusCode::kInvalidModel);
  EXPECT_EQ(LoadStatus(specials + "\xFF\n").code(), StatusCode::kInvalidModel);
  EXPECT_EQ(LoadStatus(specials + "\xE2\x82\n").code(), StatusCode::kInvalidModel);
  EXPECT_EQ(LoadStatus("[PAD]\n[CLS]\n[SEP]\n").code(), StatusCode::kInvalidModel);  // no [UNK]
  EXPECT_EQ(LoadStatus("\n\n").code(), StatusCode::kInvalidModel);
}

TEST(WordPieceVocabTest, ContinuationPiecesAreLookedUpByTheirPrefix) {
  auto loaded = LoadWordPiece("[PAD]\n[UNK]\n[CLS]\n[SEP]\nab\n##c\nabc\n##\n", WordPieceOptions());
  ASSERT_TRUE(loaded.ok());
  Encoding enc;
  ASSERT_TRUE(loaded.value()->Encode("abcc ab", 0, &enc).ok());
  EXPECT_EQ(enc.ids, (std::vector<int32_t>{6, 5, 4}));  // abc ##c ab
}

}  // namespace
}  // namespace mooscomp
