#include "batcher.h"

#include <gtest/gtest.h>

#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

TEST(BatcherTest, PadsEachBatchToItsLongestWindow) {
  Encoding tokens;
  for (int32_t id : {11, 12, 13, 14, 15, 16}) {
    tokens.ids.push_back(id);
    tokens.begin.push_back(0);
    tokens.end.push_back(0);
    tokens.word_start.push_back(1);
  }
  // Windows of 3, 0 (nothing to run), 1 and 2 tokens.
  const std::vector<Window> windows = {{0, 0, 3, 0, 0}, {0, 3, 3, 0, 0}, {0, 3, 4, 0, 0}, {0, 4, 6, 0, 0}};
  std::vector<Batch> batches;
  std::vector<BatchSlot> slots;
  BuildBatches(tokens, windows, test::ToyTokenizer(), 2, &batches, &slots);

  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].rows, 2);
  EXPECT_EQ(batches[0].seq_len, 5);
  EXPECT_EQ(batches[0].input_ids, (std::vector<int64_t>{1, 11, 12, 13, 2, /**/ 1, 14, 2, 0, 0}));
  EXPECT_EQ(batches[0].attention_mask, (std::vector<int64_t>{1, 1, 1, 1, 1, /**/ 1, 1, 1, 0, 0}));
  EXPECT_EQ(batches[1].rows, 1);
  EXPECT_EQ(batches[1].seq_len, 4);
  EXPECT_EQ(batches[1].input_ids, (std::vector<int64_t>{1, 15, 16, 2}));
  EXPECT_EQ(batches[1].attention_mask, (std::vector<int64_t>{1, 1, 1, 1}));

  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[0].batch, 0);
  EXPECT_EQ(slots[0].row, 0);
  EXPECT_EQ(slots[1].batch, -1);
  EXPECT_EQ(slots[2].batch, 0);
  EXPECT_EQ(slots[2].row, 1);
  EXPECT_EQ(slots[3].batch, 1);
  EXPECT_EQ(slots[3].row, 0);
}

TEST(BatcherTest, NoWindowsNoBatches) {
  std::vector<Batch> batches;
  std::vector<BatchSlot> slots;
  BuildBatches(Encoding(), {}, test::ToyTokenizer(), 8, &batches, &slots);
  EXPECT_TRUE(batches.empty());
  EXPECT_TRUE(slots.empty());
}

}  // namespace
}  // namespace mooscomp
