// Test helper: the words of an Encoding as byte spans, a word running from a token that
// starts one to the next (tokens inside a word may split differently, words may not).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "mooscomp/tokenizer.h"

namespace mooscomp {
namespace test {

inline std::vector<std::pair<uint32_t, uint32_t>> TokenWords(const Encoding& e) {
  std::vector<std::pair<uint32_t, uint32_t>> words;
  for (size_t i = 0; i < e.size(); ++i) {
    if (words.empty() || e.word_start[i]) {
      words.push_back({e.begin[i], e.end[i]});
    } else {
      words.back().second = std::max(words.back().second, e.end[i]);
    }
  }
  return words;
}

}  // namespace test
}  // namespace mooscomp
