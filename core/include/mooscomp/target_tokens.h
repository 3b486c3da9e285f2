// An estimate of how many tokens the TARGET LLM (tiktoken cl100k_base, as LLMLingua-2
// counts) needs for a string. The core ships no BPE tables, so this approximates cl100k's
// pre-tokenisation and guesses how many BPE pieces each pre-token becomes. It drives the
// budget (rate, target_tokens) and the reported token counts; it is an estimate, not a count.
#pragma once

#include <cstdint>
#include <string_view>

namespace mooscomp {

// Linear in the text, no allocation. Empty text -> 0; any other text -> at least 1.
int64_t EstimateTargetTokens(std::string_view text);

}  // namespace mooscomp
