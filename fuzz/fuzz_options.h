// CompressOptions and ModelSpec drawn from fuzz bytes: any double (NaN, inf, negative), any
// enum value, force and chunk-end tokens of any bytes.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstring>
#include <string>
#include <vector>

#include "mooscomp/compressor.h"

namespace mooscomp {
namespace fuzz {

// Raw bytes as a double half the time (so NaN and inf come up), else a value in [lo, hi].
inline double AnyDouble(FuzzedDataProvider& in, double lo, double hi) {
  if (in.ConsumeBool()) {
    const uint64_t bits = in.ConsumeIntegral<uint64_t>();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  return in.ConsumeFloatingPointInRange<double>(lo, hi);
}

inline CompressOptions AnyOptions(FuzzedDataProvider& in) {
  CompressOptions o;
  o.rate = AnyDouble(in, 0.0, 1.0);
  o.target_tokens = in.ConsumeBool() ? -1 : in.ConsumeIntegralInRange<int64_t>(-5, 5000);
  o.threshold = in.ConsumeBool() ? -1.0 : AnyDouble(in, 0.0, 1.0);
  o.scope = static_cast<BudgetScope>(in.ConsumeIntegralInRange<int>(0, 2));
  o.force_tokens.resize(in.ConsumeIntegralInRange<size_t>(0, 4));
  for (std::string& t : o.force_tokens) t = in.ConsumeRandomLengthString(8);
  if (in.ConsumeBool()) {
    o.chunk_end_tokens.resize(in.ConsumeIntegralInRange<size_t>(0, 3));
    for (std::string& t : o.chunk_end_tokens) t = in.ConsumeRandomLengthString(4);
  }
  o.force_reserve_digit = in.ConsumeBool();
  o.drop_consecutive = in.ConsumeBool();
  o.keep_meaning = in.ConsumeBool();
  o.keep_structure = in.ConsumeBool();
  o.word_score = static_cast<WordScore>(in.ConsumeIntegralInRange<int>(0, 2));
  o.outlier = static_cast<OutlierKind>(in.ConsumeIntegralInRange<int>(0, 6));
  o.alpha = AnyDouble(in, 0.0, 1.0);
  o.use_context_level_filter = in.ConsumeBool();
  o.use_token_level_filter = in.ConsumeBool();
  o.target_context = in.ConsumeIntegralInRange<int>(-1, 4);
  o.context_level_rate = AnyDouble(in, 0.0, 1.0);
  o.context_level_target_token = in.ConsumeBool() ? -1 : in.ConsumeIntegralInRange<int64_t>(-2, 2000);
  o.force_context_ids.resize(in.ConsumeIntegralInRange<size_t>(0, 3));
  for (int& id : o.force_context_ids) id = in.ConsumeIntegralInRange<int>(-1, 4);
  o.max_batch_size = in.ConsumeIntegralInRange<int>(0, 4);
  return o;
}

}  // namespace fuzz
}  // namespace mooscomp
