// MOOSComp outlier scores for one window's real tokens (CLS, SEP and padding excluded).
// Hidden: per-dimension population mean mu_d and std sigma_d over the window's T tokens,
// z_kd = (h_kd - mu_d) / (sigma_d + eps), s_k = mean over d of |z_kd|.
// Lexical: z-score of each token's -log unigram frequency within the window.
// Both are then min-max normalised to [0, 1] within the window.
// Hidden-train: the same s_k with mu_d and sigma_d of training text (shipped with the model),
// then logistic((s - score_mean) / score_std) with the training distribution of s; no window
// statistics, so a window of outliers stays a window of outliers.
#pragma once

#include <cstddef>

namespace mooscomp {

constexpr float kOutlierEps = 1e-6f;

// Raw hidden scores of `rows` tokens whose `dims`-float vectors are contiguous rows of
// `hidden`. `scratch` holds 2 * dims floats. The SIMD entry point uses wasm SIMD128 or
// SSE2 where compiled for them and the scalar twin otherwise; both are always built so
// tests can compare them.
void HiddenOutlierScoresScalar(const float* hidden, size_t rows, size_t dims, float* scratch, float* out);
void HiddenOutlierScoresSimd(const float* hidden, size_t rows, size_t dims, float* scratch, float* out);

// Raw hidden scores against fixed per-dimension statistics `mean` and `std` (dims floats
// each; z uses std + eps, as above). `scratch` holds dims floats. SIMD and scalar twin.
void HiddenTrainOutlierScoresScalar(const float* hidden, size_t rows, size_t dims, const float* mean,
                                    const float* std, float* scratch, float* out);
void HiddenTrainOutlierScoresSimd(const float* hidden, size_t rows, size_t dims, const float* mean,
                                  const float* std, float* scratch, float* out);

// The pass both hidden readings share: out[k] = mean over d of |(h_kd - mean_d) * inv_std_d|.
void MeanAbsZScalar(const float* hidden, size_t rows, size_t dims, const float* mean, const float* inv_std,
                    float* out);
void MeanAbsZSimd(const float* hidden, size_t rows, size_t dims, const float* mean, const float* inv_std,
                  float* out);

// 1 / (1 + exp(-x)), overflow-free.
float Logistic(double x);

// In place: logistic((x - mean) / std); `std` must be positive.
void LogisticNormalize(float* values, size_t n, double mean, double std);

// z-scores of `values` (population std, eps as above) into `out`.
void ZScores(const float* values, size_t n, float* out);

// In place: (x - min) / (max - min); all-equal input (or a NaN range) becomes all 0.
void MinMaxNormalize(float* values, size_t n);

}  // namespace mooscomp
