// WordPiece (the test vocabulary) on any valid UTF-8: spans in order and inside the text.
#include <cstddef>
#include <cstdint>

#include "tokenizer_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mooscomp::fuzz;
  EncodeAndCheck(WordPiece(), ValidPrefix({reinterpret_cast<const char*>(data), size}));
  return 0;
}
