#include "budget.h"

#include <gtest/gtest.h>

#include "context_filter.h"

namespace mooscomp {
namespace {

TEST(BudgetTest, TokenLevelFromRateTargetOrThreshold) {
  CompressOptions o;
  o.rate = 0.3;
  Budget b = TokenLevelBudget(o, 100);
  EXPECT_EQ(b.mode, Budget::Mode::kReduceRate);
  EXPECT_DOUBLE_EQ(b.value, 0.7);

  o.target_tokens = 25;  // overrides rate: 25 / 100
  b = TokenLevelBudget(o, 100);
  EXPECT_DOUBLE_EQ(b.value, 0.75);
  b = TokenLevelBudget(o, 20);  // more than there is: keep everything
  EXPECT_EQ(b.mode, Budget::Mode::kKeepAll);

  o.threshold = 0.4;  // overrides both
  b = TokenLevelBudget(o, 100);
  EXPECT_EQ(b.mode, Budget::Mode::kThreshold);
  EXPECT_DOUBLE_EQ(b.value, 0.4);

  o.use_token_level_filter = false;
  EXPECT_EQ(TokenLevelBudget(o, 100).mode, Budget::Mode::kKeepAll);
}

TEST(BudgetTest, RateOneKeepsAll) {
  CompressOptions o;
  o.rate = 1.0;
  o.drop_consecutive = true;
  const Budget b = TokenLevelBudget(o, 100);
  EXPECT_EQ(b.mode, Budget::Mode::kKeepAll);
  EXPECT_TRUE(b.drop_consecutive);
}

TEST(BudgetTest, ContextLevelRateDefaultsAsLLMLingua2) {
  CompressOptions o;
  o.rate = 0.5;
  EXPECT_DOUBLE_EQ(ContextLevelRate(o, 4, 1000), 0.75);  // (rate + 1) / 2
  o.use_token_level_filter = false;
  EXPECT_DOUBLE_EQ(ContextLevelRate(o, 4, 1000), 0.5);
  o.use_token_level_filter = true;
  o.target_tokens = 200;  // 2 * 200 / 1000
  EXPECT_DOUBLE_EQ(ContextLevelRate(o, 4, 1000), 0.4);
  o.target_context = 1;  // explicit settings win over the defaults
  EXPECT_DOUBLE_EQ(ContextLevelRate(o, 4, 1000), 0.25);
  o.target_context = -1;
  o.context_level_target_token = 100;
  EXPECT_DOUBLE_EQ(ContextLevelRate(o, 4, 1000), 0.1);
  o.context_level_target_token = -1;
  o.target_tokens = -1;
  o.context_level_rate = 0.6;
  EXPECT_DOUBLE_EQ(ContextLevelRate(o, 4, 1000), 0.6);
  o.target_context = 9;  // capped
  EXPECT_DOUBLE_EQ(ContextLevelRate(o, 4, 1000), 1.0);
}

TEST(ContextFilterTest, KeepsContextsAtOrAboveThePercentile) {
  // rate .75 -> q 25 of [.1 .5 .9] -> index .5 -> .3: keep 0 and 2.
  EXPECT_EQ(FilterContexts({.9f, .1f, .5f}, 0.75, {}), (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(FilterContexts({.9f, .1f, .5f}, 0.75, {1}), (std::vector<uint8_t>{1, 1, 1}));
  // rate 1 -> q 0 -> the minimum: all kept (>=).
  EXPECT_EQ(FilterContexts({.9f, .1f, .5f}, 1.0, {}), (std::vector<uint8_t>{1, 1, 1}));
  // Ties at the threshold are kept.
  EXPECT_EQ(FilterContexts({.5f, .5f, .25f}, 0.34, {}), (std::vector<uint8_t>{1, 1, 0}));
  EXPECT_TRUE(FilterContexts({}, 0.5, {}).empty());
}

}  // namespace
}  // namespace mooscomp
