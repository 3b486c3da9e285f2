#include "context_filter.h"

#include <cstddef>
#include <cstdint>

#include "percentile.h"

namespace mooscomp {

std::vector<uint8_t> FilterContexts(const std::vector<float>& scores, double context_level_rate,
                                    const std::vector<int>& force_context_ids) {
  std::vector<WeightedValue> sample;
  sample.reserve(scores.size());
  for (float s : scores) sample.push_back({s, 1});
  double threshold = 0.0;
  std::vector<uint8_t> kept(scores.size(), 0);
  if (!WeightedPercentile(&sample, static_cast<int>(100 * (1 - context_level_rate)), &threshold)) return kept;
  for (size_t i = 0; i < scores.size(); ++i) kept[i] = scores[i] >= threshold;
  for (int id : force_context_ids) {
    if (id >= 0 && static_cast<size_t>(id) < kept.size()) kept[id] = 1;
  }
  return kept;
}

}  // namespace mooscomp
