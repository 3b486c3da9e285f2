// Word grouping: force matches, SentencePiece tokens, unit merging. Words cover their tokens
// in order, inside the text; units found are inside the run.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "force_tokens.h"
#include "fuzz_support.h"
#include "segmenter.h"
#include "word_units.h"

using namespace mooscomp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const bool with_force = in.ConsumeBool();
  const bool wordpiece = in.ConsumeBool();
  const std::string text = in.ConsumeRemainingBytesAsString();
  const std::string_view valid = fuzz::ValidPrefix(text);

  std::vector<std::pair<uint32_t, uint32_t>> units;
  FindUnits(valid, &units);
  uint32_t last = 0;
  for (const auto& [b, e] : units) {
    FUZZ_CHECK(b >= last && b < e && e <= valid.size());
    last = e;
  }

  std::vector<ForceMatch> matches;
  if (with_force) {
    auto matcher = ForceTokenMatcher::Create({".", "\n", ",", "?", "the", "1", "-"});
    FUZZ_CHECK(matcher.ok());
    matcher.value().FindAll(valid, &matches);
  }
  const Tokenizer& tokenizer = wordpiece ? fuzz::WordPiece() : fuzz::SentencePiece();
  Encoding tokens;
  std::vector<WordSpan> words;
  const Status s = SegmentContext(tokenizer, valid, matches, &tokens, &words);
  FUZZ_CHECK(s.ok());
  uint32_t next_token = 0, end = 0;
  for (const WordSpan& w : words) {
    FUZZ_CHECK(w.token_begin == next_token && w.token_end >= w.token_begin && w.token_end <= tokens.size());
    FUZZ_CHECK(w.begin <= w.end && w.end <= valid.size() && w.begin >= end);
    FUZZ_CHECK(w.force_index < 0 || static_cast<size_t>(w.force_index) < 7);
    next_token = w.token_end;
    end = w.end;
  }
  FUZZ_CHECK(next_token == tokens.size());
  return 0;
}
