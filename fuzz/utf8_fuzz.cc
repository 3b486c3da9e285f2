// The UTF-8 validator: FindInvalidUtf8 and DecodeUtf8 agree, and decoding round-trips.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"

using namespace mooscomp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t invalid = FindInvalidUtf8(text);
  FUZZ_CHECK(invalid <= size);
  std::string again;
  size_t pos = 0;
  char32_t cp = 0;
  while (pos < size) {
    const size_t before = pos;
    if (!DecodeUtf8(text, &pos, &cp)) {
      FUZZ_CHECK(pos == before);
      break;
    }
    FUZZ_CHECK(pos > before && pos - before <= 4);
    FUZZ_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
    AppendUtf8(cp, &again);
  }
  FUZZ_CHECK(pos == invalid);
  FUZZ_CHECK(again == text.substr(0, invalid));
  return 0;
}
