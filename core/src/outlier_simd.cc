// The hidden-state outlier kernel over 4 float lanes; the per-dimension statistics are
// vectorised across dimensions, four rows at a time, so each lane sums in the scalar twin's
// order.
#include "outlier.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>

namespace mooscomp {

#if defined(__wasm_simd128__) || defined(__SSE2__)
namespace {

#if defined(__wasm_simd128__)
using F4 = v128_t;
inline F4 Load(const float* p) { return wasm_v128_load(p); }
inline void Store(float* p, F4 v) { wasm_v128_store(p, v); }
inline F4 Splat(float x) { return wasm_f32x4_splat(x); }
inline F4 Add(F4 a, F4 b) { return wasm_f32x4_add(a, b); }
inline F4 Sub(F4 a, F4 b) { return wasm_f32x4_sub(a, b); }
inline F4 Mul(F4 a, F4 b) { return wasm_f32x4_mul(a, b); }
inline F4 Abs(F4 a) { return wasm_f32x4_abs(a); }
inline float Sum(F4 v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}
#else
using F4 = __m128;
inline F4 Load(const float* p) { return _mm_loadu_ps(p); }
inline void Store(float* p, F4 v) { _mm_storeu_ps(p, v); }
inline F4 Splat(float x) { return _mm_set1_ps(x); }
inline F4 Add(F4 a, F4 b) { return _mm_add_ps(a, b); }
inline F4 Sub(F4 a, F4 b) { return _mm_sub_ps(a, b); }
inline F4 Mul(F4 a, F4 b) { return _mm_mul_ps(a, b); }
inline F4 Abs(F4 a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
inline float Sum(F4 v) {
  alignas(16) float lanes[4];
  _mm_store_ps(lanes, v);
  return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
}
#endif

// Per-dimension sums over all rows into `out` (zeroed here). Each lane adds the rows in
// order, as the scalar twin does, so the sums are bit-identical to it; kCentred sums
// (h - centre)^2 instead of h. Rows go four at a time, so each 4-float partial sum is loaded
// and stored once per four rows instead of once per row.
template <bool kCentred>
inline F4 Term(const float* h, const float* centre, size_t d) {
  if (!kCentred) return Load(h + d);
  const F4 x = Sub(Load(h + d), Load(centre + d));
  return Mul(x, x);
}

template <bool kCentred>
void SumAllColumns(const float* hidden, size_t rows, size_t dims, const float* centre, float* out) {
  std::fill(out, out + dims, 0.0f);
  const size_t body = dims & ~static_cast<size_t>(3);
  size_t k = 0;
  for (; k + 4 <= rows; k += 4) {
    const float* h0 = hidden + k * dims;
    const float* h1 = h0 + dims;
    const float* h2 = h1 + dims;
    const float* h3 = h2 + dims;
    for (size_t d = 0; d < body; d += 4) {
      F4 acc = Load(out + d);
      acc = Add(acc, Term<kCentred>(h0, centre, d));
      acc = Add(acc, Term<kCentred>(h1, centre, d));
      acc = Add(acc, Term<kCentred>(h2, centre, d));
      acc = Add(acc, Term<kCentred>(h3, centre, d));
      Store(out + d, acc);
    }
  }
  for (; k < rows; ++k) {
    const float* h = hidden + k * dims;
    for (size_t d = 0; d < body; d += 4) Store(out + d, Add(Load(out + d), Term<kCentred>(h, centre, d)));
  }
  for (size_t d = body; d < dims; ++d) {  // the scalar tail, in the twin's order
    for (size_t r = 0; r < rows; ++r) {
      const float v = hidden[r * dims + d];
      if (kCentred) {
        const float x = v - centre[d];
        out[d] += x * x;
      } else {
        out[d] += v;
      }
    }
  }
}

}  // namespace

void HiddenOutlierScoresSimd(const float* hidden, size_t rows, size_t dims, float* scratch, float* out) {
  if (rows == 0) return;
  float* mean = scratch;
  float* inv_std = scratch + dims;
  const size_t body = dims & ~static_cast<size_t>(3);

  SumAllColumns<false>(hidden, rows, dims, nullptr, mean);
  const float inv_rows = 1.0f / static_cast<float>(rows);
  {
    const F4 scale = Splat(inv_rows);
    size_t d = 0;
    for (; d < body; d += 4) Store(mean + d, Mul(Load(mean + d), scale));
    for (; d < dims; ++d) mean[d] *= inv_rows;
  }
  SumAllColumns<true>(hidden, rows, dims, mean, inv_std);
  // O(dims) once per window: the scalar sqrt keeps this bit-identical to the twin.
  for (size_t d = 0; d < dims; ++d) inv_std[d] = 1.0f / (std::sqrt(inv_std[d] * inv_rows) + kOutlierEps);
  MeanAbsZSimd(hidden, rows, dims, mean, inv_std, out);
}

void MeanAbsZSimd(const float* hidden, size_t rows, size_t dims, const float* mean, const float* inv_std,
                  float* out) {
  const size_t body = dims & ~static_cast<size_t>(3);
  const float inv_dims = dims > 0 ? 1.0f / static_cast<float>(dims) : 0.0f;
  for (size_t k = 0; k < rows; ++k) {
    const float* h = hidden + k * dims;
    F4 acc = Splat(0.0f);
    size_t d = 0;
    for (; d < body; d += 4) acc = Add(acc, Abs(Mul(Sub(Load(h + d), Load(mean + d)), Load(inv_std + d))));
    float sum = Sum(acc);
    for (; d < dims; ++d) sum += std::fabs((h[d] - mean[d]) * inv_std[d]);
    out[k] = sum * inv_dims;
  }
}

#else

void HiddenOutlierScoresSimd(const float* hidden, size_t rows, size_t dims, float* scratch, float* out) {
  HiddenOutlierScoresScalar(hidden, rows, dims, scratch, out);
}

void MeanAbsZSimd(const float* hidden, size_t rows, size_t dims, const float* mean, const float* inv_std,
                  float* out) {
  MeanAbsZScalar(hidden, rows, dims, mean, inv_std, out);
}

#endif

void HiddenTrainOutlierScoresSimd(const float* hidden, size_t rows, size_t dims, const float* mean,
                                  const float* std, float* scratch, float* out) {
  if (rows == 0) return;
  // O(dims) once per window, scalar as in the twin.
  for (size_t d = 0; d < dims; ++d) scratch[d] = 1.0f / (std[d] + kOutlierEps);
  MeanAbsZSimd(hidden, rows, dims, mean, scratch, out);
}

}  // namespace mooscomp
