#include "budget.h"

#include <algorithm>

namespace mooscomp {
namespace {

double CappedRatio(double part, double whole) { return whole > 0 ? std::min(part / whole, 1.0) : 1.0; }

}  // namespace

double ContextLevelRate(const SelectOptions& options, size_t contexts, int64_t origin_tokens) {
  double rate = options.context_level_rate;
  int64_t target_token = options.context_level_target_token;
  const bool unset = options.target_context <= 0 && rate >= 1.0 && target_token <= 0;
  if (unset && options.target_tokens <= 0 && options.rate < 1.0) {
    rate = options.use_token_level_filter ? (options.rate + 1.0) / 2 : options.rate;
  }
  if (unset && options.target_tokens > 0) {
    target_token = options.use_token_level_filter ? options.target_tokens * 2 : options.target_tokens;
  }
  if (options.target_context > 0) rate = CappedRatio(options.target_context, static_cast<double>(contexts));
  if (target_token > 0) rate = CappedRatio(static_cast<double>(target_token), static_cast<double>(origin_tokens));
  return rate;
}

Budget TokenLevelBudget(const SelectOptions& options, int64_t scope_tokens, int64_t protected_tokens) {
  Budget budget;
  budget.drop_consecutive = options.drop_consecutive;
  if (!options.use_token_level_filter) return budget;
  if (options.threshold >= 0) {
    budget.mode = Budget::Mode::kThreshold;
    budget.value = options.threshold;
    return budget;
  }
  double rate = options.rate;
  if (options.target_tokens > 0) {
    const auto left = std::max<int64_t>(0, options.target_tokens - protected_tokens);
    rate = CappedRatio(static_cast<double>(left), static_cast<double>(scope_tokens));
  }
  const double reduce_rate = std::max(0.0, 1.0 - rate);
  if (reduce_rate > 0) {
    budget.mode = Budget::Mode::kReduceRate;
    budget.value = reduce_rate;
  }
  return budget;
}

}  // namespace mooscomp
