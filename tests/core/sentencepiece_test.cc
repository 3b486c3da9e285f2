// LoadSentencePiece over tiny models trained from tests/core/data/spm_corpus.txt
// (regenerate with tests/core/data/make_spm_model.sh): tiny_spm.model, and
// tiny_spm_bytes.model whose characters outside the vocabulary fall back to byte pieces.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "mooscomp/tokenizer.h"
#include "sentencepiece_charsmap_check.h"

namespace mooscomp {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::string& ModelBytes() {
  static const std::string bytes = ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm.model");
  return bytes;
}

const std::string& ByteFallbackModelBytes() {
  static const std::string bytes = ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm_bytes.model");
  return bytes;
}

std::unique_ptr<Tokenizer> Load(bool fairseq = false, const std::string& model = ModelBytes()) {
  SentencePieceOptions options;
  options.fairseq_offset = fairseq;
  auto result = LoadSentencePiece(model, options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : nullptr;
}

Encoding Encode(const Tokenizer& tok, std::string_view text, uint32_t base = 0) {
  Encoding enc;
  const Status status = tok.Encode(text, base, &enc);
  EXPECT_TRUE(status.ok()) << status.message();
  return enc;
}

// Every span lies in [base, base + size], spans never go backwards, arrays are parallel.
void ExpectWellFormed(const Encoding& enc, size_t size, uint32_t base, int32_t vocab_size) {
  ASSERT_EQ(enc.ids.size(), enc.begin.size());
  ASSERT_EQ(enc.ids.size(), enc.end.size());
  ASSERT_EQ(enc.ids.size(), enc.word_start.size());
  uint32_t previous_end = base;
  for (size_t i = 0; i < enc.size(); ++i) {
    EXPECT_GE(enc.begin[i], previous_end) << "token " << i;
    EXPECT_LE(enc.begin[i], enc.end[i]) << "token " << i;
    EXPECT_LE(enc.end[i], base + size) << "token " << i;
    EXPECT_GE(enc.ids[i], 0);
    EXPECT_LT(enc.ids[i], vocab_size);
    previous_end = enc.end[i];
  }
}

std::string Slice(std::string_view text, const Encoding& enc, size_t i, uint32_t base = 0) {
  return std::string(text.substr(enc.begin[i] - base, enc.end[i] - enc.begin[i]));
}

TEST(SentencePieceTest, LoadsTheModelWithItsSpecialIds) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->vocab_size(), 500);
  EXPECT_EQ(tok->unk_id(), 0);
  EXPECT_EQ(tok->cls_id(), 1);
  EXPECT_EQ(tok->sep_id(), 2);
  EXPECT_EQ(tok->pad_id(), 3);
}

TEST(SentencePieceTest, SpansSliceTheOriginalText) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  const std::string text = "The committee met on Tuesday to review the budget.";
  const Encoding enc = Encode(*tok, text);
  ASSERT_GT(enc.size(), 3u);
  ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
  // Plain ASCII with single spaces: the spans tile the text exactly.
  std::string joined;
  for (size_t i = 0; i < enc.size(); ++i) joined += Slice(text, enc, i);
  EXPECT_EQ(joined, text);
  EXPECT_EQ(enc.begin.front(), 0u);
  EXPECT_EQ(enc.end.back(), text.size());
}

TEST(SentencePieceTest, BaseShiftsEverySpan) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  const std::string text = "Bake the tart for thirty-five minutes.";
  const Encoding plain = Encode(*tok, text);
  const Encoding shifted = Encode(*tok, text, 1000);
  ASSERT_EQ(plain.size(), shifted.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    EXPECT_EQ(plain.ids[i], shifted.ids[i]);
    EXPECT_EQ(plain.begin[i] + 1000, shifted.begin[i]);
    EXPECT_EQ(plain.end[i] + 1000, shifted.end[i]);
  }
}

TEST(SentencePieceTest, EncodeAppendsToExistingTokens) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  Encoding enc = Encode(*tok, "Hello");
  const size_t first = enc.size();
  ASSERT_TRUE(tok->Encode(" world", 5, &enc).ok());
  EXPECT_GT(enc.size(), first);
  EXPECT_GE(enc.begin[first], 5u);
  EXPECT_TRUE(Encode(*tok, "").ids.empty());
}

TEST(SentencePieceTest, WordStartsFollowTheBoundaryMarkAndPunctuation) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  const std::string text = "Hello, world! Goodbye?";
  const Encoding enc = Encode(*tok, text);
  ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
  ASSERT_FALSE(enc.word_start.empty());
  EXPECT_EQ(enc.word_start[0], 1);  // the first piece carries the dummy-prefix mark
  for (size_t i = 0; i < enc.size(); ++i) {
    const std::string slice = Slice(text, enc, i);
    if (slice == "," || slice == "!" || slice == "?") {
      EXPECT_EQ(enc.word_start[i], 1) << "punctuation '" << slice << "'";
    }
    if (!slice.empty() && slice[0] == ' ') {
      EXPECT_EQ(enc.word_start[i], 1) << "'" << slice << "'";
    }
  }
  // Inside a word the continuation pieces do not start words.
  const Encoding word = Encode(*tok, "Hellooooo");
  ASSERT_GT(word.size(), 1u);
  EXPECT_EQ(word.word_start[0], 1);
  for (size_t i = 1; i < word.size(); ++i) EXPECT_EQ(word.word_start[i], 0);
}

// Groups tokens into words the way the pipeline does: a word starts at the first token and
// at every word start.
std::vector<std::string> Words(std::string_view text, const Encoding& enc) {
  std::vector<std::string> words;
  for (size_t i = 0; i < enc.size(); ++i) {
    if (i == 0 || enc.word_start[i]) words.emplace_back();
    words.back() += Slice(text, enc, i);
  }
  return words;
}

TEST(SentencePieceTest, EveryWordHasTextOfItsOwn) {
  for (const std::string* model : {&ModelBytes(), &ByteFallbackModelBytes()}) {
    auto tok = Load(false, *model);
    ASSERT_NE(tok, nullptr);
    for (const std::string text :
         {"?!... ,;:-- (( )) \"\"'' !!! ??? ...", "wait\xE2\x80\xA6 what? \xE2\x80\xA6", "\xC2\xBD cup, \xEF\xAC\x81ne",
          "\xF0\x9F\xA6\x84 \xF0\x9F\xA6\x84x", "(x) [y] {z}", " leading and trailing  "}) {
      const Encoding enc = Encode(*tok, text);
      ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
      for (const std::string& word : Words(text, enc)) {
        EXPECT_NE(word.find_first_not_of(" \t\n"), std::string::npos)
            << "an empty or blank word in '" << text << "'";
      }
    }
    // A space before punctuation stays with it: " ?" is one word.
    const std::string text = "Why ? Because !";
    const std::vector<std::string> words = Words(text, Encode(*tok, text));
    EXPECT_EQ(words, (std::vector<std::string>{"Why", " ?", " Because", " !"}));
  }
}

TEST(SentencePieceTest, NormalisedInputKeepsOriginalSpans) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  // Full-width letters, a ligature and a fraction are rewritten by nmt_nfkc; the spans
  // must still cover the original bytes, and the spans must cover all non-space bytes.
  const std::string text = "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 \xEF\xAC\x81rst \xC2\xBD cup";
  const Encoding enc = Encode(*tok, text);
  ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
  std::string joined;
  for (size_t i = 0; i < enc.size(); ++i) joined += Slice(text, enc, i);
  EXPECT_EQ(joined, text);
  // The first word's pieces cover exactly the nine bytes of the full-width "ABC".
  size_t i = 0;
  uint32_t abc_end = 0;
  while (i < enc.size() && enc.end[i] <= 9) abc_end = enc.end[i++];
  EXPECT_EQ(abc_end, 9u);
}

TEST(SentencePieceTest, ExtraWhitespaceStaysOutsideTokens) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  const std::string text = "  two   spaces \n and\ta newline  ";
  const Encoding enc = Encode(*tok, text);
  ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
  for (size_t i = 0; i < enc.size(); ++i) {
    const std::string slice = Slice(text, enc, i);
    if (slice.find_first_not_of(" \t\n") == std::string::npos) continue;
    EXPECT_NE(slice.find_first_not_of(" \t\n"), std::string::npos);
  }
}

TEST(SentencePieceTest, CjkEmojiAndUnknownCharactersAreCovered) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  const std::string text =
      "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF \xF0\x9F\x99\x82 \xF0\x9F\xA6\x84 "
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";  // 東京は 🙂 🦄 Привет
  const Encoding enc = Encode(*tok, text);
  ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
  bool saw_unknown = false;
  for (size_t i = 0; i < enc.size(); ++i) {
    if (enc.ids[i] == tok->unk_id()) {
      saw_unknown = true;
      EXPECT_LT(enc.begin[i], enc.end[i]) << "an unknown piece keeps its original bytes";
    }
  }
  EXPECT_TRUE(saw_unknown) << "the unicorn and Cyrillic are not in the tiny vocabulary";
  std::string joined;
  for (size_t i = 0; i < enc.size(); ++i) joined += Slice(text, enc, i);
  EXPECT_EQ(joined, text);
}

// An unknown run in a script without spaces is one token per character, so that selection
// can cut inside it; the rest of an unknown run stays one token.
TEST(SentencePieceTest, UnknownRunsInScriptsWithoutSpacesAreOneTokenPerCharacter) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  // "团队决定推迟" (six Han characters), then a space and "Привет" (Cyrillic, not spaceless).
  const std::string han = "\xE5\x9B\xA2\xE9\x98\x9F\xE5\x86\xB3\xE5\xAE\x9A\xE6\x8E\xA8\xE8\xBF\x9F";
  const std::string text = "plan " + han + " \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";
  const Encoding enc = Encode(*tok, text);
  ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
  std::vector<std::string> han_tokens;
  for (size_t i = 0; i < enc.size(); ++i) {
    if (enc.ids[i] != tok->unk_id()) continue;
    const std::string piece = Slice(text, enc, i);
    if (piece.find("\xD0") == std::string::npos && piece.find("\xD1") == std::string::npos) han_tokens.push_back(piece);
  }
  ASSERT_EQ(han_tokens.size(), 6u) << "one unknown token per Han character";
  for (const std::string& piece : han_tokens) {
    std::string trimmed = piece;
    trimmed.erase(0, trimmed.find_first_not_of(' '));
    EXPECT_EQ(trimmed.size(), 3u) << "one character: " << piece;
  }
  std::string joined;
  for (size_t i = 0; i < enc.size(); ++i) joined += Slice(text, enc, i);
  EXPECT_EQ(joined, text);
}

// tiny_spm_bytes.model: after the four special ids come the byte pieces <0x00>..<0xFF>.
constexpr int32_t kFirstBytePiece = 4;
bool IsBytePiece(int32_t id) { return id >= kFirstBytePiece && id < kFirstBytePiece + 256; }

// Han outside the vocabulary ("团队决定"), an emoji, a rare Latin letter ("ǂ") and "~"
// (no ASCII "~" in the corpus) become byte pieces; "京" and "🙂" are pieces of their own.
const std::string kByteFallbackText =
    "plan \xE5\x9B\xA2\xE9\x98\x9F\xE5\x86\xB3\xE5\xAE\x9A \xE4\xBA\xAC \xF0\x9F\xA6\x84 \xF0\x9F\x99\x82 "
    "caf\xC3\xA9 \xC7\x82x ~y \xEF\xBC\xA1 end.";

TEST(SentencePieceTest, ByteFallbackSpansSliceTheText) {
  auto tok = Load(false, ByteFallbackModelBytes());
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->vocab_size(), 600);
  const std::string& text = kByteFallbackText;
  const Encoding enc = Encode(*tok, text, 3);
  ExpectWellFormed(enc, text.size(), 3, tok->vocab_size());
  size_t byte_pieces = 0;
  std::string joined;
  for (size_t i = 0; i < enc.size(); ++i) {
    EXPECT_NE(enc.ids[i], tok->unk_id()) << "no text is unknown";
    byte_pieces += IsBytePiece(enc.ids[i]);
    joined += Slice(text, enc, i, 3);
  }
  EXPECT_GE(byte_pieces, 4u * 3 + 4 + 2 + 1);
  EXPECT_EQ(joined, text);
}

// UTF-8 length of a character from its first byte.
size_t Utf8Length(uint8_t lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

// A character spelled in byte pieces is held whole by its first piece; the others have no
// text and start no word, so that no word is empty and none splits a character's pieces.
TEST(SentencePieceTest, ByteFallbackKeepsEachCharacterInOneToken) {
  auto tok = Load(false, ByteFallbackModelBytes());
  ASSERT_NE(tok, nullptr);
  for (const std::string& text : {kByteFallbackText, std::string("\xE5\x9B\xA2\xE9\x98\x9F"),
                                  std::string(" \xE5\x9B\xA2 x\xF0\x9F\xA6\x84\xC7\x82")}) {
    const Encoding enc = Encode(*tok, text);
    ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
    for (size_t i = 0; i < enc.size(); ++i) {
      if (!IsBytePiece(enc.ids[i])) continue;
      const size_t length = Utf8Length(static_cast<uint8_t>(enc.ids[i] - kFirstBytePiece));
      ASSERT_LE(i + length, enc.size());
      std::string spelled;
      for (size_t k = i; k < i + length; ++k) {
        ASSERT_TRUE(IsBytePiece(enc.ids[k])) << "token " << k << " in '" << text << "'";
        spelled += static_cast<char>(enc.ids[k] - kFirstBytePiece);
        if (k == i) continue;
        EXPECT_EQ(enc.begin[k], enc.end[k]) << "token " << k << " in '" << text << "'";
        EXPECT_EQ(enc.word_start[k], 0) << "token " << k << " in '" << text << "'";
      }
      EXPECT_EQ(Slice(text, enc, i), spelled) << "token " << i << " in '" << text << "'";
      i += length - 1;
    }
    for (const std::string& word : Words(text, enc)) {
      EXPECT_NE(word.find_first_not_of(" "), std::string::npos) << "an empty word in '" << text << "'";
    }
  }
}

TEST(SentencePieceTest, ByteFallbackModelEncodesOddInputSafely) {
  auto tok = Load(true, ByteFallbackModelBytes());
  ASSERT_NE(tok, nullptr);
  std::mt19937 rng(4321);
  for (int round = 0; round < 200; ++round) {
    std::string text(rng() % 64, '\0');
    for (auto& c : text) c = static_cast<char>(rng());
    const Encoding enc = Encode(*tok, text, 9);
    ExpectWellFormed(enc, text.size(), 9, tok->vocab_size());
  }
}

TEST(SentencePieceTest, OddInputDoesNotCrash) {
  auto tok = Load();
  ASSERT_NE(tok, nullptr);
  const std::vector<std::string> inputs = {
      std::string("\xFF\xFE\xC0\x80 \xED\xA0\x80 \xF4\x90\x80\x80", 13),  // ill-formed
      std::string("a\0b\0", 4),                                          // NUL bytes
      std::string("\xE6\x9D", 2),                                        // truncated
      std::string(5000, ' '),
      std::string(20000, 'x'),
      "\xE2\x96\x81\xE2\x96\x81 \xE2\x96\x81x",  // the boundary mark itself
  };
  for (const auto& text : inputs) {
    const Encoding enc = Encode(*tok, text, 7);
    ExpectWellFormed(enc, text.size(), 7, tok->vocab_size());
  }
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    std::string text(rng() % 64, '\0');
    for (auto& c : text) c = static_cast<char>(rng());
    const Encoding enc = Encode(*tok, text);
    ExpectWellFormed(enc, text.size(), 0, tok->vocab_size());
  }
}

TEST(SentencePieceTest, FairseqOffsetUsesTheXlmRobertaLayout) {
  auto plain = Load(false);
  auto fairseq = Load(true);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(fairseq, nullptr);
  EXPECT_EQ(fairseq->cls_id(), 0);
  EXPECT_EQ(fairseq->pad_id(), 1);
  EXPECT_EQ(fairseq->sep_id(), 2);
  EXPECT_EQ(fairseq->unk_id(), 3);
  EXPECT_EQ(fairseq->vocab_size(), 502);  // + the fairseq shift, + <mask>
  const std::string text = "The river rose near the bridge \xF0\x9F\xA6\x84.";
  const Encoding a = Encode(*plain, text);
  const Encoding b = Encode(*fairseq, text);
  ASSERT_EQ(a.size(), b.size());
  bool saw_unknown = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.ids[i] == plain->unk_id()) {
      saw_unknown = true;
      EXPECT_EQ(b.ids[i], 3);
    } else {
      EXPECT_EQ(b.ids[i], a.ids[i] + 1);
    }
    EXPECT_EQ(a.begin[i], b.begin[i]);
    EXPECT_EQ(a.end[i], b.end[i]);
    EXPECT_EQ(a.word_start[i], b.word_start[i]);
  }
  EXPECT_TRUE(saw_unknown);
}

// A model that loads must also encode safely; one that does not must say kInvalidModel.
void ExpectInvalidOrUsable(std::string_view bytes) {
  auto result = LoadSentencePiece(bytes, SentencePieceOptions());
  if (!result.ok()) {
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidModel);
    return;
  }
  const auto& tok = *result.value();
  const std::string text =
      "Caf\xC3\xA9 \xEF\xBC\xA1\xEF\xAC\x81 \xE6\x9D\xB1\xE4\xBA\xAC 12,000 dollars! \xF0\x9F\x99\x82";
  Encoding enc;
  if (tok.Encode(text, 0, &enc).ok()) ExpectWellFormed(enc, text.size(), 0, tok.vocab_size());
}

TEST(SentencePieceTest, CorruptModelsAreRejected) {
  for (const std::string& bytes :
       {std::string(), std::string("not a model"), std::string(64, '\xFF'),
        std::string("\x0a\x05\x0a\x03" "abc", 7)}) {
    auto result = LoadSentencePiece(bytes, SentencePieceOptions());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidModel);
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::string bytes(1 + rng() % 4096, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    ExpectInvalidOrUsable(bytes);
  }
}

TEST(SentencePieceTest, TruncatedModelsAreRejectedOrUsable) {
  const std::string& model = ModelBytes();
  ASSERT_FALSE(model.empty());
  for (size_t length = 1; length < model.size(); length += 1 + length / 3) {
    ExpectInvalidOrUsable(std::string_view(model).substr(0, length));
  }
  ExpectInvalidOrUsable(std::string_view(model).substr(0, model.size() - 1));
}

TEST(SentencePieceTest, FlippedBytesAreRejectedOrUsable) {
  const std::string& model = ModelBytes();
  ASSERT_FALSE(model.empty());
  std::mt19937 rng(99);
  for (int round = 0; round < 150; ++round) {
    std::string bytes = model;
    for (int flips = 0; flips < 4; ++flips) bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
    ExpectInvalidOrUsable(bytes);
  }
}

TEST(CharsMapCheckTest, RejectsBlobsWhoseTrieWouldBeReadOutOfBounds) {
  EXPECT_TRUE(IsSafePrecompiledCharsMap(""));
  EXPECT_FALSE(IsSafePrecompiledCharsMap("abc"));
  // Trie size larger than the blob.
  EXPECT_FALSE(IsSafePrecompiledCharsMap(std::string("\xFF\x00\x00\x00xxxx", 8)));
  // A single unit: the root state's byte transitions would read past it.
  EXPECT_FALSE(IsSafePrecompiledCharsMap(std::string("\x04\x00\x00\x00\x00\x00\x00\x00", 8)));
  // 256 zero units: the root has no transitions that match, so nothing is read out of range.
  std::string ok_blob("\x00\x04\x00\x00", 4);
  ok_blob += std::string(1024, '\0');
  EXPECT_TRUE(IsSafePrecompiledCharsMap(ok_blob));
  // Root offset pointing far outside the trie.
  std::string far = ok_blob;
  far[4 + 1] = '\xFC';  // unit 0: offset bits set
  far[4 + 2] = '\xFF';
  EXPECT_FALSE(IsSafePrecompiledCharsMap(far));
}

}  // namespace
}  // namespace mooscomp
