#include "budget.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mooscomp {
namespace {

// How fast a window's share of the budget falls with its relevance rank: rank r keeps up to
// exp(-r / kRankDecay) of the tokens the top window keeps (models/quality.py's question block).
constexpr double kRankDecay = 2.0;

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

Budget TokenLevelBudget(const SelectOptions& options, int64_t scope_tokens, int64_t protected_tokens,
                        int64_t fixed_tokens) {
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
    const auto left = std::max<int64_t>(0, options.target_tokens - protected_tokens - fixed_tokens);
    rate = CappedRatio(static_cast<double>(left), static_cast<double>(scope_tokens));
  } else if (fixed_tokens > 0 && scope_tokens > 0) {
    const double left = rate * static_cast<double>(scope_tokens + fixed_tokens) - static_cast<double>(fixed_tokens);
    rate = std::max(0.0, left / static_cast<double>(scope_tokens));
  }
  const double reduce_rate = std::max(0.0, 1.0 - rate);  // 1 still keeps each unit's best word
  if (reduce_rate > 0) {
    budget.mode = Budget::Mode::kReduceRate;
    budget.value = reduce_rate;
  }
  return budget;
}

std::vector<Budget> RankedWindowBudgets(const Budget& budget, const std::vector<int64_t>& window_tokens,
                                        const std::vector<float>& relevance, const std::vector<uint8_t>& in_scope) {
  const size_t n = window_tokens.size();
  std::vector<Budget> out(n, budget);
  Budget keep_all;
  keep_all.drop_consecutive = budget.drop_consecutive;
  std::vector<size_t> scope;
  for (size_t i = 0; i < n; ++i) {
    if (in_scope[i]) scope.push_back(i);
    else out[i] = keep_all;
  }
  if (budget.mode != Budget::Mode::kReduceRate || scope.size() < 2) return out;

  // Competition ranks by relevance: the windows tied with others share the best rank.
  std::vector<size_t> order = scope;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return relevance[a] > relevance[b]; });
  std::vector<double> weight(n, 0.0);
  for (size_t k = 0; k < order.size(); ++k) {
    size_t rank = k;
    while (rank > 0 && relevance[order[rank - 1]] == relevance[order[k]]) --rank;
    weight[order[k]] = std::exp(-static_cast<double>(rank) / kRankDecay);
  }
  bool ties = true;
  for (size_t i : scope) ties = ties && weight[i] == weight[scope[0]];
  if (ties) return out;
  // Water-filling in tokens: the scale c with sum_i min(L_i, c * w_i * L_max) = the kept
  // tokens. A window's share is counted against the longest window, not its own length, so
  // a short relevant passage (a biography's first lines) is kept whole at a small cost.
  double total = 0.0;
  for (size_t i : scope) total += static_cast<double>(window_tokens[i]);
  const double target = (1.0 - budget.value) * total;
  double longest = 1.0;
  for (size_t i : scope) longest = std::max(longest, static_cast<double>(window_tokens[i]));
  auto share = [&](size_t i, double c) {
    const double len = std::max(1.0, static_cast<double>(window_tokens[i]));
    return std::min(1.0, c * weight[i] * longest / len);
  };
  auto kept = [&](double c) {
    double sum = 0.0;
    for (size_t i : scope) sum += share(i, c) * static_cast<double>(window_tokens[i]);
    return sum;
  };
  double lo = 0.0, hi = 1.0;
  while (kept(hi) < target && hi < 1e12) hi *= 2.0;
  for (int iter = 0; iter < 60; ++iter) {
    const double mid = 0.5 * (lo + hi);
    (kept(mid) < target ? lo : hi) = mid;
  }
  for (size_t i : scope) {
    const double rate = share(i, hi);
    if (rate >= 1.0) {
      out[i] = keep_all;
    } else {
      out[i].value = 1.0 - rate;
    }
  }
  return out;
}

}  // namespace mooscomp
