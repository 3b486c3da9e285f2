// Per-token fused scores of one window: m_k = alpha * p_k + (1 - alpha) * s_k, with p_k the
// classifier's preserve probability and s_k the window-normalised outlier score.
#pragma once

#include <cstdint>
#include <vector>

#include "mooscomp/compressor.h"

namespace mooscomp {

struct TokenScoreConfig {
  int preserve_label = 1;
  double alpha = 1.0;
  OutlierKind outlier = OutlierKind::kNone;
  int hidden_size = 0;
  const std::vector<float>* neg_log_freq = nullptr;  // for kLexical, indexed by token id
};

// Buffers reused across windows.
struct TokenScoreScratch {
  std::vector<float> outlier;
  std::vector<float> values;
  std::vector<float> stats;
};

// Scores the `n` tokens of the window in `row` of `batch` (columns 1..n; CLS, SEP and
// padding are excluded from the outlier statistics). `ids` are the window's token ids.
// A non-finite result (NaN logits or hidden states) scores 0.
void ScoreWindowTokens(const Batch& batch, int row, uint32_t n, const int32_t* ids,
                       const TokenScoreConfig& config, TokenScoreScratch* scratch, float* out);

}  // namespace mooscomp
