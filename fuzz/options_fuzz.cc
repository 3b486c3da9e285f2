// Option checks on any options against specs with and without hidden output and tables:
// a status, never a crash; an accepted option set has its values in their ranges.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_options.h"
#include "fuzz_support.h"
#include "options_check.h"

using namespace mooscomp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  ModelSpec spec;
  spec.max_seq_len = in.ConsumeIntegralInRange<int>(-1, 1024);
  spec.preserve_label = in.ConsumeIntegralInRange<int>(-1, 2);
  spec.hidden_size = in.ConsumeIntegralInRange<int>(-1, 8);
  if (in.ConsumeBool()) spec.neg_log_freq.assign(in.ConsumeIntegralInRange<size_t>(0, 64), 3.0f);
  if (in.ConsumeBool() && spec.hidden_size > 0) {
    spec.hidden_mean.assign(spec.hidden_size, static_cast<float>(fuzz::AnyDouble(in, -1, 1)));
    spec.hidden_std.assign(spec.hidden_size, static_cast<float>(fuzz::AnyDouble(in, 0, 1)));
    spec.hidden_score_mean = fuzz::AnyDouble(in, 0, 2);
    spec.hidden_score_std = fuzz::AnyDouble(in, 0, 2);
  }
  spec.word_rarity_mean = fuzz::AnyDouble(in, 0, 20);
  spec.word_rarity_std = fuzz::AnyDouble(in, 0, 5);
  const size_t contexts = in.ConsumeIntegralInRange<size_t>(0, 4);
  const CompressOptions o = fuzz::AnyOptions(in);

  (void)CheckModelSpec(spec, 32);
  const Status prepare = CheckPrepareOptions(o, spec);
  if (prepare.ok()) {
    FUZZ_CHECK(o.max_batch_size >= 1 && o.max_batch_size <= 1024);
  } else {
    FUZZ_CHECK(!prepare.message().empty());
  }
  const Status select = CheckSelectOptions(o, contexts);
  if (select.ok()) {
    FUZZ_CHECK(o.rate > 0.0 && o.rate <= 1.0);
    FUZZ_CHECK(o.alpha >= 0.0 && o.alpha <= 1.0);
    FUZZ_CHECK(!std::isnan(o.threshold) && o.threshold <= 1.0);
    for (int id : o.force_context_ids) FUZZ_CHECK(id >= 0 && static_cast<size_t>(id) < contexts);
  } else {
    FUZZ_CHECK(!select.message().empty());
  }
  return 0;
}
