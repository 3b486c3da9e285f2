// Per-token fused scores of one window: m_k = alpha * p_k + (1 - alpha) * s_k, with p_k the
// classifier's preserve probability and s_k the normalised outlier score: per window
// (min-max) for kHidden and kLexical, against training statistics (logistic) for
// kHiddenTrain, or given per token by the caller (word-level kinds).
#pragma once

#include <cstdint>
#include <vector>

#include "mooscomp/job.h"
#include "mooscomp/model_spec.h"

namespace mooscomp {

struct TokenScoreConfig {
  int preserve_label = 1;
  double alpha = 1.0;
  OutlierKind outlier = OutlierKind::kNone;
  int hidden_size = 0;
  const std::vector<float>* neg_log_freq = nullptr;  // for kLexical, indexed by token id
  // For kHiddenTrain: the model's training statistics (ModelSpec).
  const std::vector<float>* hidden_mean = nullptr;
  const std::vector<float>* hidden_std = nullptr;
  double hidden_score_mean = 0.0, hidden_score_std = 1.0;
  // When set (and `outlier` is not kNone), the window's n outlier values in [0, 1], used as
  // s_k as they are: the word-level kinds, computed over the whole prompt by the caller.
  const float* external_outlier = nullptr;
};

// Buffers reused across windows.
struct TokenScoreScratch {
  std::vector<float> outlier;
  std::vector<float> values;
  std::vector<float> stats;
};

// The preserve probability p_k of the `n` tokens of the window in `row` of `batch`
// (columns 1..n). Non-finite logits give a non-finite p_k.
void WindowPreserveProbabilities(const Batch& batch, int row, uint32_t n, int preserve_label, float* out);

// The normalised outlier score s_k (config.outlier is not kNone) of the same tokens; CLS,
// SEP and padding are excluded from the statistics. `ids` are the window's token ids.
void WindowOutlierScores(const Batch& batch, int row, uint32_t n, const int32_t* ids,
                         const TokenScoreConfig& config, TokenScoreScratch* scratch, float* out);

// m_k = alpha * p_k + (1 - alpha) * s_k (s may be null: m_k = p_k); a non-finite m_k is 0.
void FuseTokenScores(const float* p, const float* s, double alpha, uint32_t n, float* out);

// All three for one window, with config.alpha: a non-finite result (NaN logits or hidden
// states) scores 0.
void ScoreWindowTokens(const Batch& batch, int row, uint32_t n, const int32_t* ids,
                       const TokenScoreConfig& config, TokenScoreScratch* scratch, float* out);

}  // namespace mooscomp
