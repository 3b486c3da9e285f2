// The Encoding contract (mooscomp/tokenizer.h) checked on any text.
#pragma once

#include "fuzz_support.h"

namespace mooscomp {
namespace fuzz {

inline void EncodeAndCheck(const Tokenizer& tokenizer, std::string_view text) {
  constexpr uint32_t kBase = 7;
  Encoding enc;
  const Status s = tokenizer.Encode(text, kBase, &enc);
  FUZZ_CHECK(s.ok());
  FUZZ_CHECK(enc.begin.size() == enc.size() && enc.end.size() == enc.size() && enc.word_start.size() == enc.size());
  uint32_t last = kBase;
  for (size_t i = 0; i < enc.size(); ++i) {
    FUZZ_CHECK(enc.ids[i] >= 0 && enc.ids[i] < tokenizer.vocab_size());
    FUZZ_CHECK(enc.begin[i] >= kBase && enc.begin[i] <= enc.end[i] && enc.end[i] <= kBase + text.size());
    FUZZ_CHECK(enc.begin[i] >= last);  // in order, not overlapping
    last = enc.end[i];
  }
}

}  // namespace fuzz
}  // namespace mooscomp
