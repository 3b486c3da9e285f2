#include "percentile.h"

#include <gtest/gtest.h>

namespace mooscomp {
namespace {

double Percentile(std::vector<WeightedValue> sample, double q) {
  double out = -1.0;
  EXPECT_TRUE(WeightedPercentile(&sample, q, &out));
  return out;
}

// Expected values are numpy.percentile(sample, q) by hand: virtual index (n-1)*q/100,
// linear between its floor and the next sorted value.
TEST(PercentileTest, SingleValueIsEveryPercentile) {
  EXPECT_EQ(Percentile({{0.25f, 1}}, 0), 0.25);
  EXPECT_EQ(Percentile({{0.25f, 1}}, 51), 0.25);
  EXPECT_EQ(Percentile({{0.25f, 1}}, 100), 0.25);
}

TEST(PercentileTest, InterpolatesLinearly) {
  // [1,2,3,4] at 50: index 1.5 -> 2.5; at 51: index 1.53 -> 2.53.
  EXPECT_DOUBLE_EQ(Percentile({{4, 1}, {1, 1}, {3, 1}, {2, 1}}, 50), 2.5);
  EXPECT_DOUBLE_EQ(Percentile({{4, 1}, {1, 1}, {3, 1}, {2, 1}}, 51), 2.53);
  EXPECT_DOUBLE_EQ(Percentile({{4, 1}, {1, 1}, {3, 1}, {2, 1}}, 25), 1.75);
}

TEST(PercentileTest, EndsAndClamping) {
  const std::vector<WeightedValue> s = {{0.5f, 1}, {0.25f, 1}, {0.75f, 1}};
  EXPECT_EQ(Percentile(s, 0), 0.25);
  EXPECT_EQ(Percentile(s, 100), 0.75);
  EXPECT_EQ(Percentile(s, 101), 0.75);  // numpy would raise; LLMLingua-2 can ask for 101
  EXPECT_EQ(Percentile(s, -3), 0.25);
}

TEST(PercentileTest, TiesAndAllEqualGiveTheValueExactly) {
  // [.25,.25,.25,.75] at 51: index 1.53 between two .25s.
  EXPECT_EQ(Percentile({{0.25f, 1}, {0.75f, 1}, {0.25f, 1}, {0.25f, 1}}, 51), 0.25);
  EXPECT_EQ(Percentile({{1.0f, 1}, {1.0f, 1}, {1.0f, 1}}, 51), 1.0);
  EXPECT_EQ(Percentile({{1.0f, 2}, {1.0f, 5}}, 99), 1.0);
}

TEST(PercentileTest, WeightsRepeatValues) {
  // [.25 x3, .75 x1] = [.25,.25,.25,.75] at 75: index 2.25 -> .25 + .5 * .25.
  EXPECT_DOUBLE_EQ(Percentile({{0.75f, 1}, {0.25f, 3}}, 75), 0.375);
  // Zero weight leaves a value out.
  EXPECT_EQ(Percentile({{0.5f, 0}, {0.25f, 1}}, 100), 0.25);
}

TEST(PercentileTest, NearerEndInterpolationAsNumpy) {
  // Index 2.55 over [.., .25, .75]: numpy computes .75 - (.75 - .25) * .45 from the upper end.
  EXPECT_DOUBLE_EQ(Percentile({{0.0f, 1}, {0.0f, 1}, {0.25f, 1}, {0.75f, 1}, {1.0f, 1}, {1.0f, 1}}, 51),
                   0.75 - 0.5 * (1.0 - 2.55 + 2.0));
}

TEST(PercentileTest, EmptySampleHasNoPercentile) {
  std::vector<WeightedValue> empty;
  double out = 0;
  EXPECT_FALSE(WeightedPercentile(&empty, 50, &out));
  std::vector<WeightedValue> weightless = {{0.5f, 0}};
  EXPECT_FALSE(WeightedPercentile(&weightless, 50, &out));
}

}  // namespace
}  // namespace mooscomp
