// Budget planning, with LLMLingua-2's defaults: the context-level rate and the token-level
// budget derived from rate, target_tokens and threshold.
#pragma once

#include <cstddef>
#include <cstdint>

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
Budget TokenLevelBudget(const SelectOptions& options, int64_t scope_tokens, int64_t protected_tokens = 0);

}  // namespace mooscomp
