// SentencePiece (the fixture model's tokenizer) on any valid UTF-8: spans in order and
// inside the text, and encoding in slices (encode_slice_bytes) gives the words of one call
// (ids inside a word may differ where splits tie in score: tokenizer.h).
#include <cstddef>
#include <cstdint>

#include "tokenizer_check.h"
#include "word_spans.h"

namespace {

const mooscomp::Tokenizer& Sliced() {
  static const std::unique_ptr<mooscomp::Tokenizer> tokenizer = [] {
    mooscomp::SentencePieceOptions options;
    options.encode_slice_bytes = 24;
    auto r = mooscomp::LoadSentencePiece(mooscomp::fuzz::ReadFile(MOOSCOMP_SENTENCEPIECE_MODEL), options);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return *tokenizer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mooscomp;
  const std::string_view text = fuzz::ValidPrefix({reinterpret_cast<const char*>(data), size});
  fuzz::EncodeAndCheck(fuzz::SentencePiece(), text);  // default slices: one call at this size
  Encoding whole, sliced;
  FUZZ_CHECK(fuzz::SentencePiece().Encode(text, 0, &whole).ok());
  FUZZ_CHECK(Sliced().Encode(text, 0, &sliced).ok());
  FUZZ_CHECK(test::TokenWords(whole) == test::TokenWords(sliced));
  return 0;
}
