#include "mooscomp/compressor.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "model_runner.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

using test::RunFakeModel;
using test::ToyTokenizer;

Compressor MakeCompressor(ModelSpec spec = {}) {
  return Compressor(std::make_unique<ToyTokenizer>(), std::move(spec));
}

// Preserve probabilities by token text; unlisted tokens get `otherwise`.
std::function<float(int64_t)> Probs(std::map<std::string, float> by_text, float otherwise = 0.1f) {
  std::map<int64_t, float> by_id;
  for (const auto& [text, p] : by_text) by_id[ToyTokenizer::IdOf(text)] = p;
  return [by_id, otherwise](int64_t id) {
    auto it = by_id.find(id);
    return it == by_id.end() ? otherwise : it->second;
  };
}

CompressResult CompressWith(const Compressor& c, const std::vector<std::string>& contexts, const CompressOptions& o,
                   const std::function<float(int64_t)>& prob) {
  auto job = c.Prepare(contexts, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  RunFakeModel(job.value().get(), c.spec().hidden_size, prob);
  auto result = job.value()->Finish();
  EXPECT_TRUE(result.ok()) << result.status().message();
  return std::move(result).value();
}

TEST(CompressorTest, KeepsTheHighScoringHalf) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 0.5;
  const CompressResult r = CompressWith(c, {"The cat sat on the mat"}, o, Probs({{"cat", 0.9f}, {"sat", 0.8f}, {"mat", 0.7f}}));
  EXPECT_EQ(r.compressed_prompt, "cat sat mat");
  ASSERT_EQ(r.words.size(), 6u);
  EXPECT_EQ(r.windows, 1);
  EXPECT_EQ(r.model_tokens, 6);
  EXPECT_EQ(r.origin_tokens, 6);
  EXPECT_EQ(r.compressed_tokens, 3);
}

}  // namespace
}  // namespace mooscomp
