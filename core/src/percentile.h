// numpy.percentile with its default linear interpolation, which LLMLingua-2's budget uses.
#pragma once

#include <cstdint>
#include <vector>

namespace mooscomp {

// A value that occurs `weight` times in the sample (LLMLingua-2 repeats each word's score
// once per target-LLM token of the word; weight 0 leaves it out).
struct WeightedValue {
  float value;
  uint32_t weight;
};

// The q-th percentile (q clamped to [0, 100]) of the sample, as numpy.percentile(sample, q)
// computes it. Sorts `sample`. Returns false when the sample is empty (total weight 0).
bool WeightedPercentile(std::vector<WeightedValue>* sample, double q, double* out);

}  // namespace mooscomp
