// Budget planning, with LLMLingua-2's defaults: the context-level rate and the token-level
// budget derived from rate, target_tokens and threshold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "mooscomp/options.h"
#include "selector.h"

namespace mooscomp {

// The fraction of contexts' worth to keep at context level. Without any context-level
// setting it is (rate + 1) / 2 from a rate (rate itself without the token-level filter),
// or is derived from 2 * target_tokens (target_tokens itself without the token-level
// filter); target_context gives target_context / n; a context-level target token count
// gives that count / origin_tokens. Capped at 1.
double ContextLevelRate(const SelectOptions& options, size_t contexts, int64_t origin_tokens);

// The token-level budget over `scope_tokens` target-LLM tokens (all contexts', or the
// kept contexts' after the context-level filter), not counting `protected_tokens` that are
// kept anyway (a target_tokens budget is what is left after them).
// `fixed_tokens` (a question and an instruction, never compressed) count in the budget: a
// rate r keeps r * (scope + fixed) - fixed of the scope's tokens, a target_tokens budget is
// what is left after them too; when nothing is left each unit keeps its best word.
Budget TokenLevelBudget(const SelectOptions& options, int64_t scope_tokens, int64_t protected_tokens = 0,
                        int64_t fixed_tokens = 0);

// Per-window budgets by relevance to a question (LongLLMLingua's coarse step, as budgets):
// the tokens a kReduceRate `budget` keeps over the windows in scope are shared out so that the
// tokens a window keeps decay with its rank r (0 = most relevant, ties share a rank) as
// exp(-r / kRankDecay) times the longest window's length, capped at the whole window: a short
// relevant window is kept whole. Equal relevance gives every window `budget` itself. Windows
// out of scope get kKeepAll (they are not selected).
std::vector<Budget> RankedWindowBudgets(const Budget& budget, const std::vector<int64_t>& window_tokens,
                                        const std::vector<float>& relevance, const std::vector<uint8_t>& in_scope);

}  // namespace mooscomp
