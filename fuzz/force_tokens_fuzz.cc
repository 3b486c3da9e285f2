// Force-token matching: up to a few tokens taken from the input, then a text. Matches are
// in range, in order, do not overlap, and are the bytes of their token.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "force_tokens.h"
#include "fuzz_support.h"

using namespace mooscomp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<std::string> tokens(in.ConsumeIntegralInRange<size_t>(0, 6));
  for (std::string& t : tokens) t = in.ConsumeRandomLengthString(12);
  const std::string text = in.ConsumeRemainingBytesAsString();
  auto matcher = ForceTokenMatcher::Create(tokens);
  if (!matcher.ok()) return 0;  // empty or ill-formed tokens are refused, as documented
  std::vector<ForceMatch> matches;
  const std::string_view valid = fuzz::ValidPrefix(text);
  matcher.value().FindAll(valid, &matches);
  uint32_t last = 0;
  for (const ForceMatch& m : matches) {
    FUZZ_CHECK(m.index >= 0 && static_cast<size_t>(m.index) < tokens.size());
    FUZZ_CHECK(m.begin >= last && m.begin < m.end && m.end <= valid.size());
    FUZZ_CHECK(valid.substr(m.begin, m.end - m.begin) == tokens[m.index]);
    last = m.end;
  }
  return 0;
}
