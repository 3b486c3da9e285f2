// LLMLingua-2's context-level filter over a list of contexts.
#pragma once

#include <cstdint>
#include <vector>

namespace mooscomp {

// Keeps context i iff its score is >= the percentile of all scores at
// int(100 * (1 - context_level_rate)), or i is in `force_context_ids`.
std::vector<uint8_t> FilterContexts(const std::vector<float>& scores, double context_level_rate,
                                    const std::vector<int>& force_context_ids);

}  // namespace mooscomp
