// The outlier readings measured against the training distribution (kHiddenTrain, kWordRarity,
// kWordRarityFirst) through the whole pipeline, next to the window readings they replace.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "model_runner.h"
#include "mooscomp/compressor.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

using test::RunFakeModel;
using test::ToyTokenizer;

float Logistic(double x) { return static_cast<float>(1.0 / (1.0 + std::exp(-x))); }

// Word scores of one run with a constant preserve probability `p`.
std::vector<float> WordScores(const Compressor& c, const std::vector<std::string>& contexts, const CompressOptions& o,
                              float p = 0.5f, const std::function<float(int64_t, int)>& hidden = nullptr) {
  auto job = c.Prepare(contexts, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  if (!job.ok()) return {};
  RunFakeModel(job.value().get(), c.spec().hidden_size, [p](int64_t) { return p; }, hidden);
  auto result = job.value()->Select(o);
  EXPECT_TRUE(result.ok()) << result.status().message();
  std::vector<float> out;
  if (result.ok()) {
    for (const Word& w : result.value().words) out.push_back(w.score);
  }
  return out;
}

void ExpectNear(const std::vector<float>& got, const std::vector<float>& want, float tolerance = 1e-5f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "word " << i;
}

CompressOptions OutlierOnly(OutlierKind kind) {
  CompressOptions o;
  o.outlier = kind;
  o.alpha = 0.0;  // the outlier score only
  o.rate = 1.0;   // keep everything: the test reads the scores
  return o;
}


TEST(TrainOutlierTest, DigitsOfANumberAreRareAsAWord) {
  // One piece per character: "20481" is 5 frequent tokens, as SentencePiece splits digits.
  const Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(1), test::FrequentToyPieces()).value();
  const std::string text = "a 20481 is";
  const std::vector<float> rarity = WordScores(c, {text}, OutlierOnly(OutlierKind::kWordRarity));
  ASSERT_EQ(rarity.size(), 3u);
  EXPECT_NEAR(rarity[0], Logistic((3 - 5) / 2.0), 1e-6);   // "a": x = 3
  EXPECT_NEAR(rarity[1], Logistic((15 - 5) / 2.0), 1e-6);  // "20481": x = 5 * 3
  EXPECT_NEAR(rarity[2], Logistic((6 - 5) / 2.0), 1e-6);   // "is": x = 2 * 3
  // Per token and within the window, every piece is equally frequent: no outlier at all.
  const std::vector<float> lexical = WordScores(c, {text}, OutlierOnly(OutlierKind::kLexical));
  EXPECT_EQ(lexical, (std::vector<float>{0, 0, 0}));
}

TEST(TrainOutlierTest, RareWordScoresAboveACommonOneInAnyWindow) {
  ModelSpec spec;
  spec.neg_log_freq.assign(ToyTokenizer::kVocab, 2.0f);
  spec.neg_log_freq[ToyTokenizer::IdOf("yak")] = 12.0f;
  spec.neg_log_freq[ToyTokenizer::IdOf("womb")] = 10.0f;  // "wombat" = womb + at
  spec.neg_log_freq[ToyTokenizer::IdOf("at")] = 10.0f;
  spec.word_rarity_mean = 3.0;
  spec.word_rarity_std = 2.0;
  const Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(), spec).value();
  const std::vector<std::string> contexts = {"the yak is here", "yak wombat the"};
  const std::vector<float> rarity = WordScores(c, contexts, OutlierOnly(OutlierKind::kWordRarity));
  ASSERT_EQ(rarity.size(), 7u);
  EXPECT_NEAR(rarity[1], Logistic((12 - 3) / 2.0), 1e-6);
  EXPECT_EQ(rarity[1], rarity[4]);                         // "yak" is as rare in both contexts
  EXPECT_NEAR(rarity[5], Logistic((20 - 3) / 2.0), 1e-6);  // "wombat": two rare pieces
  EXPECT_NEAR(rarity[6], Logistic((2 - 3) / 2.0), 1e-6);   // "the"
  EXPECT_GT(rarity[5], rarity[4]);
  EXPECT_GT(rarity[4], rarity[6]);
  // The window reading depends on the neighbours ("yak" 1 alone, lower beside a rarer
  // token) and ranks tokens, not words: "wombat" comes out below "yak".
  const std::vector<float> lexical = WordScores(c, contexts, OutlierOnly(OutlierKind::kLexical));
  EXPECT_EQ(lexical[1], 1.0f);
  EXPECT_EQ(lexical[4], 1.0f);
  EXPECT_LT(lexical[5], lexical[4]);
}

TEST(TrainOutlierTest, WordRarityFusesPerWord) {
  const Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(1), test::FrequentToyPieces()).value();
  CompressOptions o = OutlierOnly(OutlierKind::kWordRarity);
  o.alpha = 0.25;  // m = .25 p + .75 s for every token, so also for the word's mean
  const std::vector<float> fused = WordScores(c, {"a 20481"}, o, 0.8f);
  ASSERT_EQ(fused.size(), 2u);
  EXPECT_NEAR(fused[0], 0.25f * 0.8f + 0.75f * Logistic(-1.0), 1e-5);
  EXPECT_NEAR(fused[1], 0.25f * 0.8f + 0.75f * Logistic(5.0), 1e-5);
  o.word_score = WordScore::kFirst;  // every token of a word has the word's s
  EXPECT_EQ(WordScores(c, {"a 20481"}, o, 0.8f), fused);
}

TEST(TrainOutlierTest, NameLikeWordsAreAtLeastTwoDeviationsRare) {
  // Every piece frequent: "Al" (x = 6) is z = 0.5 wherever it stands, unless written as a name
  // inside a sentence (the tokenizer folds case, so the model cannot tell): then z = 2.
  const Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(1), test::FrequentToyPieces()).value();
  const std::string text = "Al met al and Al; AL met Ax. Al met \"Al\"\nAl";
  const float plain = Logistic(0.5), name = Logistic(2.0);
  std::vector<float> got_al;  // the two-letter words starting "A"/"a", in order
  auto job = c.Prepare({text}, OutlierOnly(OutlierKind::kWordRarity));
  ASSERT_TRUE(job.ok());
  RunFakeModel(job.value().get(), c.spec().hidden_size, [](int64_t) { return 0.5f; });
  const CompressResult r = job.value()->Select(OutlierOnly(OutlierKind::kWordRarity)).value();
  for (const Word& w : r.words) {
    const std::string word = text.substr(w.begin, w.end - w.begin);
    if (word.size() == 2 && (word[0] == 'A' || word[0] == 'a')) got_al.push_back(w.score);
  }
  // Al (text start) al Al AL Ax Al (after ". ") Al (in quotes, mid-sentence) Al (line start)
  EXPECT_EQ(got_al, (std::vector<float>{plain, plain, name, name, name, plain, name, plain}));
}

TEST(TrainOutlierTest, FirstMentionDiscountsRepeats) {
  ModelSpec spec;
  spec.neg_log_freq.assign(ToyTokenizer::kVocab, 2.0f);
  spec.neg_log_freq[ToyTokenizer::IdOf("yak")] = 12.0f;
  spec.neg_log_freq[ToyTokenizer::IdOf("Yak")] = 12.0f;
  spec.word_rarity_mean = 3.0;
  spec.word_rarity_std = 2.0;
  const Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(), spec).value();
  const std::vector<std::string> contexts = {"yak the yak Yak the", "yak"};
  const std::vector<float> all = WordScores(c, contexts, OutlierOnly(OutlierKind::kWordRarity));
  const std::vector<float> first = WordScores(c, contexts, OutlierOnly(OutlierKind::kWordRarityFirst));
  ASSERT_EQ(first.size(), 6u);
  const float rare = Logistic(4.5), common = Logistic(-0.5);
  EXPECT_EQ(all, (std::vector<float>{rare, common, rare, rare, common, rare}));
  // Later mentions (ASCII case folded) are no rarer than the average word; common words
  // keep their score; each context starts afresh.
  EXPECT_EQ(first, (std::vector<float>{rare, common, 0.5f, 0.5f, common, rare}));
}

ModelSpec HiddenStats() {
  ModelSpec spec;
  spec.hidden_size = 2;
  spec.hidden_mean = {0.0f, 0.0f};
  spec.hidden_std = {1.0f, 1.0f};
  spec.hidden_score_mean = 1.0;
  spec.hidden_score_std = 0.5;
  return spec;
}

TEST(TrainOutlierTest, HiddenTrainAgainstTrainingStatistics) {
  const Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(), HiddenStats()).value();
  const int64_t rare = ToyTokenizer::IdOf("rare");
  const auto hidden = [rare](int64_t id, int) { return id == rare ? 4.0f : 1.0f; };  // s = 4 or 1
  const CompressOptions o = OutlierOnly(OutlierKind::kHiddenTrain);
  auto job = c.Prepare({"one"}, o);
  ASSERT_TRUE(job.ok());
  EXPECT_TRUE(job.value()->needs_hidden());
  const std::vector<float> mixed = WordScores(c, {"one rare two"}, o, 0.5f, hidden);
  ExpectNear(mixed, {0.5f, Logistic(6.0), 0.5f});
  // A window of nothing but outliers: all high here, all 0 under the window reading.
  const std::vector<float> all_rare = WordScores(c, {"rare rare rare"}, o, 0.5f, hidden);
  ExpectNear(all_rare, std::vector<float>(3, Logistic(6.0)));
  EXPECT_EQ(WordScores(c, {"rare rare rare"}, OutlierOnly(OutlierKind::kHidden), 0.5f, hidden),
            (std::vector<float>(3, 0.0f)));

  CompressOptions half = o;
  half.alpha = 0.5;
  const std::vector<float> fused = WordScores(c, {"one rare"}, half, 0.9f, hidden);
  EXPECT_NEAR(fused[0], 0.45f + 0.25f, 1e-5);
  EXPECT_NEAR(fused[1], 0.45f + 0.5f * Logistic(6.0), 1e-5);
}

StatusCode PrepareError(const ModelSpec& spec, OutlierKind kind, double alpha = 0.5) {
  auto created = Compressor::Create(std::make_unique<ToyTokenizer>(), spec);
  if (!created.ok()) return created.status().code();
  const Compressor& c = created.value();
  CompressOptions o;
  o.outlier = kind;
  o.alpha = alpha;
  auto job = c.Prepare({"text"}, o);
  return job.ok() ? StatusCode::kOk : job.status().code();
}

TEST(TrainOutlierTest, AKindWithoutItsStatisticsIsAnError) {
  ModelSpec hidden_only;
  hidden_only.hidden_size = 2;
  EXPECT_EQ(PrepareError(hidden_only, OutlierKind::kHidden), StatusCode::kOk);
  EXPECT_EQ(PrepareError(hidden_only, OutlierKind::kHiddenTrain), StatusCode::kInvalidArgument);
  EXPECT_EQ(PrepareError(hidden_only, OutlierKind::kHiddenTrain, 1.0), StatusCode::kOk);  // unused at alpha 1
  EXPECT_EQ(PrepareError(HiddenStats(), OutlierKind::kHiddenTrain), StatusCode::kOk);

  ModelSpec table_only;
  table_only.neg_log_freq.assign(ToyTokenizer::kVocab, 1.0f);
  EXPECT_EQ(PrepareError(table_only, OutlierKind::kLexical), StatusCode::kOk);
  EXPECT_EQ(PrepareError(table_only, OutlierKind::kWordRarity), StatusCode::kInvalidArgument);
  EXPECT_EQ(PrepareError(table_only, OutlierKind::kWordRarityFirst), StatusCode::kInvalidArgument);
  EXPECT_EQ(PrepareError(test::FrequentToyPieces(), OutlierKind::kWordRarity), StatusCode::kOk);
  EXPECT_EQ(PrepareError(test::FrequentToyPieces(), OutlierKind::kWordRarityFirst), StatusCode::kOk);
  ModelSpec stats_only;  // word statistics without the table
  stats_only.word_rarity_mean = 1.0;
  stats_only.word_rarity_std = 1.0;
  EXPECT_EQ(PrepareError(stats_only, OutlierKind::kWordRarity), StatusCode::kInvalidArgument);
  EXPECT_EQ(PrepareError(ModelSpec(), static_cast<OutlierKind>(42)), StatusCode::kInvalidArgument);
}

TEST(TrainOutlierTest, BadStatisticsAreAnInvalidModel) {
  ModelSpec wrong_size = HiddenStats();
  wrong_size.hidden_std.push_back(1.0f);
  EXPECT_EQ(PrepareError(wrong_size, OutlierKind::kNone), StatusCode::kInvalidModel);
  ModelSpec no_score_std = HiddenStats();
  no_score_std.hidden_score_std = 0.0;
  EXPECT_EQ(PrepareError(no_score_std, OutlierKind::kNone), StatusCode::kInvalidModel);
  ModelSpec negative_std = HiddenStats();
  negative_std.hidden_std[1] = -1.0f;
  EXPECT_EQ(PrepareError(negative_std, OutlierKind::kNone), StatusCode::kInvalidModel);
  ModelSpec nan_word = test::FrequentToyPieces();
  nan_word.word_rarity_mean = NAN;
  EXPECT_EQ(PrepareError(nan_word, OutlierKind::kNone), StatusCode::kInvalidModel);
  ModelSpec negative_word = test::FrequentToyPieces();
  negative_word.word_rarity_std = -2.0;
  EXPECT_EQ(PrepareError(negative_word, OutlierKind::kNone), StatusCode::kInvalidModel);
  ModelSpec nan_table = test::FrequentToyPieces();
  nan_table.neg_log_freq[2] = NAN;
  EXPECT_EQ(PrepareError(nan_table, OutlierKind::kNone), StatusCode::kInvalidModel);
  ModelSpec infinite_table = test::FrequentToyPieces();
  infinite_table.neg_log_freq.back() = INFINITY;
  EXPECT_EQ(PrepareError(infinite_table, OutlierKind::kNone), StatusCode::kInvalidModel);
}

// A non-finite hidden score statistic is a broken spec even where the hidden statistics it
// goes with are absent (the binding turns a malformed number into NaN and relies on this).
TEST(TrainOutlierTest, NonFiniteScoreStatisticsWithoutHiddenStatisticsAreAnInvalidModel) {
  for (const double bad : {static_cast<double>(NAN), static_cast<double>(INFINITY), -static_cast<double>(INFINITY)}) {
    ModelSpec mean;
    mean.hidden_score_mean = bad;
    EXPECT_EQ(PrepareError(mean, OutlierKind::kNone), StatusCode::kInvalidModel);
    ModelSpec std_only;
    std_only.hidden_score_std = bad;
    EXPECT_EQ(PrepareError(std_only, OutlierKind::kNone), StatusCode::kInvalidModel);
  }
  EXPECT_EQ(PrepareError(ModelSpec(), OutlierKind::kNone), StatusCode::kOk);
}

}  // namespace
}  // namespace mooscomp
