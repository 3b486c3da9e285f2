// Scalar kernels: the reference twin of the SIMD hidden kernel and the cheap O(T) helpers.
#include <algorithm>
#include <cmath>

#include "outlier.h"

namespace mooscomp {

void HiddenOutlierScoresScalar(const float* hidden, size_t rows, size_t dims, float* scratch, float* out) {
  if (rows == 0) return;
  float* mean = scratch;
  float* inv_std = scratch + dims;
  std::fill(mean, mean + 2 * dims, 0.0f);
  // Row-major passes (rows outer) keep memory access sequential; the per-dimension
  // summation order matches the SIMD kernel lane by lane.
  for (size_t k = 0; k < rows; ++k) {
    const float* h = hidden + k * dims;
    for (size_t d = 0; d < dims; ++d) mean[d] += h[d];
  }
  const float inv_rows = 1.0f / static_cast<float>(rows);
  for (size_t d = 0; d < dims; ++d) mean[d] *= inv_rows;
  for (size_t k = 0; k < rows; ++k) {
    const float* h = hidden + k * dims;
    for (size_t d = 0; d < dims; ++d) {
      const float c = h[d] - mean[d];
      inv_std[d] += c * c;
    }
  }
  for (size_t d = 0; d < dims; ++d) inv_std[d] = 1.0f / (std::sqrt(inv_std[d] * inv_rows) + kOutlierEps);
  MeanAbsZScalar(hidden, rows, dims, mean, inv_std, out);
}

void MeanAbsZScalar(const float* hidden, size_t rows, size_t dims, const float* mean, const float* inv_std,
                    float* out) {
  const float inv_dims = dims > 0 ? 1.0f / static_cast<float>(dims) : 0.0f;
  for (size_t k = 0; k < rows; ++k) {
    const float* h = hidden + k * dims;
    float sum = 0.0f;
    for (size_t d = 0; d < dims; ++d) sum += std::fabs((h[d] - mean[d]) * inv_std[d]);
    out[k] = sum * inv_dims;
  }
}

void HiddenTrainOutlierScoresScalar(const float* hidden, size_t rows, size_t dims, const float* mean,
                                    const float* std, float* scratch, float* out) {
  if (rows == 0) return;
  for (size_t d = 0; d < dims; ++d) scratch[d] = 1.0f / (std[d] + kOutlierEps);
  MeanAbsZScalar(hidden, rows, dims, mean, scratch, out);
}

float Logistic(double x) {
  // exp of a large positive argument is inf, and 1 / (1 + inf) = 0: no overflow trap.
  return static_cast<float>(1.0 / (1.0 + std::exp(-x)));
}

void LogisticNormalize(float* values, size_t n, double mean, double std) {
  const double inv = 1.0 / std;
  for (size_t i = 0; i < n; ++i) values[i] = Logistic((values[i] - mean) * inv);
}

void ZScores(const float* values, size_t n, float* out) {
  if (n == 0) return;
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += values[i];
  const double mean = sum / static_cast<double>(n);
  double squares = 0.0;
  for (size_t i = 0; i < n; ++i) squares += (values[i] - mean) * (values[i] - mean);
  const double scale = 1.0 / (std::sqrt(squares / static_cast<double>(n)) + kOutlierEps);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>((values[i] - mean) * scale);
}

void MinMaxNormalize(float* values, size_t n) {
  if (n == 0) return;
  const auto [lo, hi] = std::minmax_element(values, values + n);
  const float min = *lo, range = *hi - *lo;
  if (!(range > 0.0f)) {  // all equal, or NaN in the input
    std::fill(values, values + n, 0.0f);
    return;
  }
  for (size_t i = 0; i < n; ++i) values[i] = (values[i] - min) / range;
}

}  // namespace mooscomp
