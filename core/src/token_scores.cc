#include "token_scores.h"

#include <algorithm>
#include <cmath>

#include "outlier.h"

namespace mooscomp {
namespace {

// The preserve class's softmax probability of a 2-way logit pair, overflow-free.
float PreserveProbability(const float* logits, int preserve_label) {
  const double diff = static_cast<double>(logits[1 - preserve_label]) - logits[preserve_label];
  return static_cast<float>(1.0 / (1.0 + std::exp(diff)));
}

// Fills scratch->outlier with the window's normalised outlier scores, in [0, 1].
void OutlierScores(const Batch& batch, int row, uint32_t n, const int32_t* ids, const TokenScoreConfig& config,
                   TokenScoreScratch* scratch) {
  scratch->outlier.resize(n);
  float* out = scratch->outlier.data();
  if (config.external_outlier != nullptr) {
    std::copy(config.external_outlier, config.external_outlier + n, out);
    return;
  }
  if (config.outlier == OutlierKind::kHiddenTrain) {
    const size_t dims = static_cast<size_t>(config.hidden_size);
    const float* first = batch.hidden.data() + (static_cast<size_t>(row) * batch.seq_len + 1) * dims;
    scratch->stats.resize(dims);
    HiddenTrainOutlierScoresSimd(first, n, dims, config.hidden_mean->data(), config.hidden_std->data(),
                                 scratch->stats.data(), out);
    LogisticNormalize(out, n, config.hidden_score_mean, config.hidden_score_std);
    return;
  }
  if (config.outlier == OutlierKind::kHidden) {
    const size_t dims = static_cast<size_t>(config.hidden_size);
    const float* first = batch.hidden.data() + (static_cast<size_t>(row) * batch.seq_len + 1) * dims;
    scratch->stats.resize(2 * dims);
    HiddenOutlierScoresSimd(first, n, dims, scratch->stats.data(), out);
  } else {
    const std::vector<float>& table = *config.neg_log_freq;
    scratch->values.resize(n);
    for (uint32_t k = 0; k < n; ++k) {
      const auto id = static_cast<size_t>(ids[k]);
      scratch->values[k] = id < table.size() ? table[id] : 0.0f;
    }
    ZScores(scratch->values.data(), n, out);
  }
  MinMaxNormalize(out, n);
}

}  // namespace

void ScoreWindowTokens(const Batch& batch, int row, uint32_t n, const int32_t* ids,
                       const TokenScoreConfig& config, TokenScoreScratch* scratch, float* out) {
  const float* logits = batch.logits.data() + (static_cast<size_t>(row) * batch.seq_len + 1) * 2;
  for (uint32_t k = 0; k < n; ++k) out[k] = PreserveProbability(logits + 2 * k, config.preserve_label);

  if (config.outlier != OutlierKind::kNone && config.alpha < 1.0) {
    OutlierScores(batch, row, n, ids, config, scratch);
    const float alpha = static_cast<float>(config.alpha);
    for (uint32_t k = 0; k < n; ++k) out[k] = alpha * out[k] + (1.0f - alpha) * scratch->outlier[k];
  }
  for (uint32_t k = 0; k < n; ++k) {
    if (!std::isfinite(out[k])) out[k] = 0.0f;
  }
}

}  // namespace mooscomp
