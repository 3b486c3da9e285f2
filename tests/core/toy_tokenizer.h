// A tiny test-only Tokenizer, so pipeline tests need no real vocabulary:
// - ASCII letter/digit runs become words, split into pieces of at most `piece` bytes
//   (the first piece starts the word, the rest continue it, like WordPiece "##");
// - every other ASCII non-space byte is its own one-token word;
// - every non-ASCII code point is its own one-token word (as BERT splits CJK);
// - whitespace yields no token.
// Ids: 5 + a hash of the token text, below vocab_size; CLS 1, SEP 2, PAD 0, UNK 3.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "mooscomp/model_spec.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {
namespace test {

class ToyTokenizer : public Tokenizer {
 public:
  explicit ToyTokenizer(size_t piece = 4) : piece_(piece) {}

  Status Encode(std::string_view text, uint32_t base, Encoding* out) const override {
    size_t i = 0;
    while (i < text.size()) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        ++i;
      } else if (IsAlnum(c)) {
        size_t end = i;
        while (end < text.size() && IsAlnum(static_cast<unsigned char>(text[end]))) ++end;
        for (size_t p = i; p < end; p += piece_) Push(text, i, p, std::min(end, p + piece_), base, out);
        i = end;
      } else {
        size_t end = i + 1;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
        Push(text, i, i, end, base, out);
        i = end;
      }
    }
    return Status::Ok();
  }

  int32_t cls_id() const override { return 1; }
  int32_t sep_id() const override { return 2; }
  int32_t pad_id() const override { return 0; }
  int32_t unk_id() const override { return 3; }
  int32_t vocab_size() const override { return kVocab; }

  static int32_t IdOf(std::string_view token) {
    uint32_t h = 2166136261u;
    for (char c : token) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return 5 + static_cast<int32_t>(h % (kVocab - 5));
  }

  static constexpr int32_t kVocab = 1000;

 private:
  static bool IsAlnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static void Push(std::string_view text, size_t word_begin, size_t b, size_t e, uint32_t base, Encoding* out) {
    out->ids.push_back(IdOf(text.substr(b, e - b)));
    out->begin.push_back(base + static_cast<uint32_t>(b));
    out->end.push_back(base + static_cast<uint32_t>(e));
    out->word_start.push_back(b == word_begin ? 1 : 0);
  }

  size_t piece_;
};

// Word statistics of "training text" for the toy vocabulary: mean 5, std 2, every token
// equally frequent (-log f = 3, as SentencePiece digits are). With one-letter pieces a word
// of n letters then weighs (3n - 5) / 2 + 1: long words are rare.
inline ModelSpec FrequentToyPieces() {
  ModelSpec spec;
  spec.neg_log_freq.assign(ToyTokenizer::kVocab, 3.0f);
  spec.word_rarity_mean = 5.0;
  spec.word_rarity_std = 2.0;
  return spec;
}

}  // namespace test
}  // namespace mooscomp
