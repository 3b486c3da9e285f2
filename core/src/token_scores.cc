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

}  // namespace

void WindowPreserveProbabilities(const Batch& batch, int row, uint32_t n, int preserve_label, float* out) {
  const float* logits = batch.logits.data() + (static_cast<size_t>(row) * batch.seq_len + 1) * 2;
  for (uint32_t k = 0; k < n; ++k) out[k] = PreserveProbability(logits + 2 * k, preserve_label);
}

void WindowOutlierScores(const Batch& batch, int row, uint32_t n, const int32_t* ids,
                         const TokenScoreConfig& config, TokenScoreScratch* scratch, float* out) {
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

void FuseTokenScores(const float* p, const float* s, double alpha, uint32_t n, float* out) {
  if (s != nullptr && alpha < 1.0) {
    const float a = static_cast<float>(alpha);
    for (uint32_t k = 0; k < n; ++k) out[k] = a * p[k] + (1.0f - a) * s[k];
  } else {
    std::copy(p, p + n, out);
  }
  for (uint32_t k = 0; k < n; ++k) {
    if (!std::isfinite(out[k])) out[k] = 0.0f;
  }
}

void ScoreWindowTokens(const Batch& batch, int row, uint32_t n, const int32_t* ids,
                       const TokenScoreConfig& config, TokenScoreScratch* scratch, float* out) {
  WindowPreserveProbabilities(batch, row, n, config.preserve_label, out);
  const float* s = nullptr;
  if (config.outlier != OutlierKind::kNone && config.alpha < 1.0) {
    scratch->outlier.resize(n);
    WindowOutlierScores(batch, row, n, ids, config, scratch, scratch->outlier.data());
    s = scratch->outlier.data();
  }
  FuseTokenScores(out, s, config.alpha, n, out);
}

}  // namespace mooscomp
