#include "outlier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace mooscomp {
namespace {

TEST(OutlierTest, HiddenScoresByHand) {
  // Dims 2, rows (0,0) (0,0) (3,3): mean 1, std sqrt(2); |z| = 1/sqrt2, 1/sqrt2, 2/sqrt2.
  const std::vector<float> h = {0, 0, 0, 0, 3, 3};
  std::vector<float> scratch(4), out(3);
  HiddenOutlierScoresScalar(h.data(), 3, 2, scratch.data(), out.data());
  const float inv = 1.0f / (std::sqrt(2.0f) + kOutlierEps);
  EXPECT_FLOAT_EQ(out[0], inv);
  EXPECT_FLOAT_EQ(out[1], inv);
  EXPECT_FLOAT_EQ(out[2], 2 * inv);
  MinMaxNormalize(out.data(), out.size());
  EXPECT_EQ(out, (std::vector<float>{0, 0, 1}));
}

TEST(OutlierTest, OneTokenOrEqualTokensScoreZero) {
  std::vector<float> h = {5, -1, 2}, scratch(6), out(1);
  HiddenOutlierScoresSimd(h.data(), 1, 3, scratch.data(), out.data());
  EXPECT_EQ(out[0], 0.0f);
  std::vector<float> same = {1, 2, 1, 2}, out2(2);
  HiddenOutlierScoresSimd(same.data(), 2, 2, scratch.data(), out2.data());
  MinMaxNormalize(out2.data(), out2.size());
  EXPECT_EQ(out2, (std::vector<float>{0, 0}));
}

TEST(OutlierTest, ZScoresThenMinMax) {
  const std::vector<float> v = {1, 2, 3, 10};
  std::vector<float> z(4);
  ZScores(v.data(), v.size(), z.data());
  // mean 4, population std sqrt((9+4+1+36)/4) = sqrt(12.5)
  EXPECT_NEAR(z[0], -3 / (std::sqrt(12.5) + 1e-6), 1e-6);
  EXPECT_NEAR(z[3], 6 / (std::sqrt(12.5) + 1e-6), 1e-6);
  MinMaxNormalize(z.data(), z.size());
  EXPECT_FLOAT_EQ(z[0], 0.0f);
  EXPECT_NEAR(z[1], 1.0 / 9, 1e-6);
  EXPECT_FLOAT_EQ(z[3], 1.0f);
}

TEST(OutlierTest, MinMaxOfEqualOrNaNValuesIsZero) {
  std::vector<float> v = {0.5f, 0.5f};
  MinMaxNormalize(v.data(), v.size());
  EXPECT_EQ(v, (std::vector<float>{0, 0}));
  std::vector<float> nan = {NAN, NAN};
  MinMaxNormalize(nan.data(), nan.size());
  EXPECT_EQ(nan, (std::vector<float>{0, 0}));
  MinMaxNormalize(nullptr, 0);
}

// The SIMD kernel (wasm SIMD128 under Node, SSE2 natively) against its scalar twin.
TEST(OutlierTest, SimdMatchesScalar) {
  std::mt19937 rng(1234);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int dims_list[] = {1, 3, 5, 64, 255, 256, 384, 767, 768, 1023, 1024};
  const int rows_list[] = {1, 2, 3, 4, 5, 7, 17, 64, 127, 128, 255, 256, 384, 511, 512};
  for (int dims : dims_list) {
    for (int rows : rows_list) {
      if (static_cast<long>(dims) * rows > 300000 && rows != 512) continue;  // keep it quick
      std::vector<float> h(static_cast<size_t>(dims) * rows);
      for (float& x : h) x = normal(rng) * 3.0f + 0.5f;
      if (rows > 3) h[static_cast<size_t>(rows / 2) * dims] += 40.0f;  // an outlier
      std::vector<float> scratch(2 * dims), a(rows), b(rows);
      HiddenOutlierScoresScalar(h.data(), rows, dims, scratch.data(), a.data());
      HiddenOutlierScoresSimd(h.data(), rows, dims, scratch.data(), b.data());
      for (int k = 0; k < rows; ++k) {
        ASSERT_NEAR(a[k], b[k], 1e-5f * std::max(std::fabs(a[k]), std::fabs(b[k])) + 1e-6f)
            << "dims " << dims << " rows " << rows << " row " << k;
      }
    }
  }
}

TEST(OutlierTest, HiddenTrainScoresByHand) {
  // Training statistics mu = (1, -1), sigma = (2, 0.5): z of (3, -1) = (1, 0) -> s = 0.5;
  // of (1, 0) = (0, 2) -> 1; of (1, -1) = 0.
  const std::vector<float> h = {3, -1, 1, 0, 1, -1};
  const std::vector<float> mean = {1, -1}, std = {2, 0.5f};
  std::vector<float> scratch(2), a(3), b(3);
  HiddenTrainOutlierScoresScalar(h.data(), 3, 2, mean.data(), std.data(), scratch.data(), a.data());
  HiddenTrainOutlierScoresSimd(h.data(), 3, 2, mean.data(), std.data(), scratch.data(), b.data());
  EXPECT_NEAR(a[0], 0.5f, 1e-5);  // sigma + eps
  EXPECT_NEAR(a[1], 1.0f, 1e-5);
  EXPECT_EQ(a[2], 0.0f);
  EXPECT_EQ(a, b);
  // Normalised against the training distribution of s (mean 0.5, std 0.25): no min-max.
  LogisticNormalize(a.data(), a.size(), 0.5, 0.25);
  EXPECT_NEAR(a[0], 0.5f, 1e-5);
  EXPECT_NEAR(a[1], 1.0 / (1.0 + std::exp(-2.0)), 1e-5);
  EXPECT_NEAR(a[2], 1.0 / (1.0 + std::exp(2.0)), 1e-5);
}

TEST(OutlierTest, HiddenTrainKeepsAWindowOfOutliers) {
  // Every token of the window is far from the training mean: the window reading sees no
  // outlier at all (all equal), the training reading scores them all high.
  const std::vector<float> h = {9, 9, 9, 9, 9, 9};
  const std::vector<float> mean = {0, 0}, std = {1, 1};
  std::vector<float> scratch(4), window(3), train(3);
  HiddenOutlierScoresSimd(h.data(), 3, 2, scratch.data(), window.data());
  MinMaxNormalize(window.data(), window.size());
  EXPECT_EQ(window, (std::vector<float>{0, 0, 0}));
  HiddenTrainOutlierScoresSimd(h.data(), 3, 2, mean.data(), std.data(), scratch.data(), train.data());
  LogisticNormalize(train.data(), train.size(), 0.8, 0.3);
  for (float s : train) EXPECT_GT(s, 0.99f);
}

TEST(OutlierTest, LogisticIsBoundedAndOverflowFree) {
  EXPECT_EQ(Logistic(0.0), 0.5f);
  EXPECT_EQ(Logistic(1e6), 1.0f);
  EXPECT_EQ(Logistic(-1e6), 0.0f);
  EXPECT_NEAR(Logistic(1.0), 0.7310586f, 1e-6);
}

// The training-statistics entry point (SIMD, with the mean-|z| pass shared with the window
// kernel) against its scalar twin.
TEST(OutlierTest, HiddenTrainSimdMatchesScalar) {
  std::mt19937 rng(4321);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> positive(0.0f, 2.0f);
  const int dims_list[] = {1, 3, 5, 64, 127, 128, 255, 256, 384, 767, 768, 1024};
  const int rows_list[] = {1, 2, 3, 4, 5, 7, 17, 64, 127, 255, 511, 512};
  for (int dims : dims_list) {
    std::vector<float> mean(dims), std(dims);
    for (float& x : mean) x = normal(rng);
    for (float& x : std) x = positive(rng);
    std[0] = 0.0f;  // a dimension that never varied in training: eps keeps it finite
    for (int rows : rows_list) {
      if (static_cast<long>(dims) * rows > 300000 && rows != 512) continue;  // keep it quick
      std::vector<float> h(static_cast<size_t>(dims) * rows);
      for (float& x : h) x = normal(rng) * 3.0f + 0.5f;
      if (rows > 3) h[static_cast<size_t>(rows / 2) * dims + dims - 1] += 40.0f;  // an outlier
      std::vector<float> scratch(dims), a(rows), b(rows);
      HiddenTrainOutlierScoresScalar(h.data(), rows, dims, mean.data(), std.data(), scratch.data(), a.data());
      HiddenTrainOutlierScoresSimd(h.data(), rows, dims, mean.data(), std.data(), scratch.data(), b.data());
      for (int k = 0; k < rows; ++k) {
        ASSERT_NEAR(a[k], b[k], 1e-5f * std::max(std::fabs(a[k]), std::fabs(b[k])) + 1e-6f)
            << "dims " << dims << " rows " << rows << " row " << k;
      }
    }
  }
}

}  // namespace
}  // namespace mooscomp
