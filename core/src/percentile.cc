#include "percentile.h"

#include <algorithm>
#include <cmath>

namespace mooscomp {

bool WeightedPercentile(std::vector<WeightedValue>* sample, double q, double* out) {
  uint64_t total = 0;
  for (const WeightedValue& v : *sample) total += v.weight;
  if (total == 0) return false;
  q = std::min(100.0, std::max(0.0, q));
  std::sort(sample->begin(), sample->end(),
            [](const WeightedValue& a, const WeightedValue& b) { return a.value < b.value; });

  // numpy: virtual index (n - 1) * q/100, then interpolate between its floor and the next.
  const double virtual_index = static_cast<double>(total - 1) * (q / 100.0);
  const double below = std::floor(virtual_index);
  const double gamma = virtual_index - below;
  const uint64_t lo_rank = static_cast<uint64_t>(below);
  const uint64_t hi_rank = std::min(lo_rank + 1, total - 1);

  double lo = 0.0, hi = 0.0;
  uint64_t seen = 0;
  for (const WeightedValue& v : *sample) {
    const uint64_t next = seen + v.weight;
    if (lo_rank >= seen && lo_rank < next) lo = v.value;
    if (hi_rank >= seen && hi_rank < next) {
      hi = v.value;
      break;
    }
    seen = next;
  }
  // numpy's _lerp: from the nearer end, so that equal neighbours give exactly that value.
  const double diff = hi - lo;
  *out = gamma >= 0.5 ? hi - diff * (1.0 - gamma) : lo + diff * gamma;
  return true;
}

}  // namespace mooscomp
