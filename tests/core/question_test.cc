// Question-aware compression: relevance by BM25 over word units, budgets by relevance rank,
// the nearness bonus, the instruction and question placed around the contexts and counted in
// the budget, and the context orders.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "budget.h"
#include "model_runner.h"
#include "mooscomp/compressor.h"
#include "question_relevance.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

using test::ToyTokenizer;

const std::vector<std::string> kPassages = {
    "The river runs through the old town and past the mill where farmers bring grain every autumn.",
    "Paris is the capital of France and its largest city, with museums along the Seine.",
    "Bread is baked at dawn in the village and sold at the market square before noon.",
};

CompressResult Compress(const std::vector<std::string>& contexts, const CompressOptions& o,
                        std::unique_ptr<Tokenizer> tokenizer = std::make_unique<ToyTokenizer>(16),
                        ModelSpec spec = ModelSpec(), float (*prob)(int64_t) = [](int64_t) { return 0.5f; }) {
  Compressor c = Compressor::Create(std::move(tokenizer), std::move(spec)).value();
  auto job = c.Prepare(contexts, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  test::RunFakeModel(job.value().get(), 0, prob);
  auto result = job.value()->Select(o);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.value();
}

// Each passage's relevance to the question, with one-letter toy pieces and word statistics
// (long words are rare).
std::vector<float> Relevance(const std::vector<std::string>& passages, const std::string& question) {
  CompressOptions o;
  o.rate = 0.4;
  o.question = question;
  return Compress(passages, o, std::make_unique<ToyTokenizer>(1), test::FrequentToyPieces()).context_relevance;
}

TEST(QuestionTest, TermKeysFoldCaseAndTrimPunctuation) {
  EXPECT_EQ(TermKey("France?"), "france");
  EXPECT_EQ(TermKey("\"Paris\","), "paris");
  EXPECT_EQ(TermKey("Anna's"), "anna");
  EXPECT_EQ(TermKey("..."), "");
}

TEST(QuestionTest, TheRelevantPassageKeepsMostOfItsWords) {
  CompressOptions o;
  o.rate = 0.4;
  o.question = "What is the capital of France?";
  const CompressResult r = Compress(kPassages, o);
  ASSERT_EQ(r.compressed_prompt_list.size(), 3u);
  EXPECT_GT(r.context_relevance[1], r.context_relevance[0]);
  EXPECT_GT(r.context_relevance[1], r.context_relevance[2]);
  // The toy model scores every word alike, so the question's own words and their neighbours win.
  EXPECT_NE(r.compressed_prompt_list[1].find("capital of France"), std::string::npos) << r.compressed_prompt_list[1];
  EXPECT_GT(r.compressed_prompt_list[1].size(), r.compressed_prompt_list[0].size());
  EXPECT_GT(r.compressed_prompt_list[1].size(), r.compressed_prompt_list[2].size());
  // The question stands last, whole; no passage is emptied.
  const std::string tail = "\n\nWhat is the capital of France?";
  EXPECT_EQ(r.compressed_prompt.substr(r.compressed_prompt.size() - tail.size()), tail);
  for (const std::string& p : r.compressed_prompt_list) EXPECT_FALSE(p.empty());
}

TEST(QuestionTest, WithoutAQuestionNothingChanges) {
  CompressOptions plain;
  plain.rate = 0.4;
  CompressOptions empty = plain;
  empty.question = "";
  CompressOptions unrelated = plain;
  unrelated.question = "quelle heure est-il ?";  // no word in common: every window ties
  unrelated.question_weight = 0.0;
  const CompressResult a = Compress(kPassages, plain), b = Compress(kPassages, empty), c = Compress(kPassages, unrelated);
  EXPECT_EQ(a.compressed_prompt, b.compressed_prompt);
  EXPECT_EQ(a.compressed_prompt_list, c.compressed_prompt_list);
  EXPECT_EQ(a.context_order, (std::vector<int32_t>{0, 1, 2}));
}

TEST(QuestionTest, InstructionAndQuestionAreCountedInTheBudget) {
  CompressOptions o;
  o.target_tokens = 40;
  o.instruction = "Answer in one word, from the passages below only.";
  o.question = "What is the capital of France?";
  const CompressResult r = Compress(kPassages, o);
  EXPECT_EQ(r.compressed_prompt.rfind(o.instruction, 0), 0u) << r.compressed_prompt;
  EXPECT_LE(r.compressed_tokens, 40 + 6) << r.compressed_prompt;  // a word per window may exceed
  // A question longer than the budget still leaves a word in every passage.
  o.target_tokens = 5;
  const CompressResult tight = Compress(kPassages, o);
  for (const std::string& p : tight.compressed_prompt_list) EXPECT_FALSE(p.empty());
}

TEST(QuestionTest, ReorderPutsTheRelevantFirstOrAtBothEnds) {
  std::vector<std::string> passages = kPassages;
  passages.push_back("France exports wine, and Paris hosts many fairs.");
  CompressOptions o;
  o.rate = 0.5;
  o.question = "What is the capital of France?";
  o.reorder = ContextOrder::kRelevance;
  const CompressResult by_relevance = Compress(passages, o);
  ASSERT_EQ(by_relevance.context_order.size(), 4u);
  EXPECT_EQ(by_relevance.context_order[0], 1);
  o.reorder = ContextOrder::kTwoEnds;
  const CompressResult two_ends = Compress(passages, o);
  // Ranks 0, 2 at the front, 3, 1 at the back: the two most relevant at both ends.
  EXPECT_EQ(two_ends.context_order.front(), by_relevance.context_order[0]);
  EXPECT_EQ(two_ends.context_order.back(), by_relevance.context_order[1]);
  EXPECT_EQ(two_ends.compressed_prompt_list[0], by_relevance.compressed_prompt_list[0]);
}

TEST(QuestionTest, RankedBudgetsShareTheKeptTokensByRank) {
  Budget rate;
  rate.mode = Budget::Mode::kReduceRate;
  rate.value = 0.6;  // keep 40 %
  const std::vector<int64_t> tokens = {100, 100, 100};
  const std::vector<uint8_t> all = {1, 1, 1};
  // Ties: the budget itself everywhere.
  for (const Budget& b : RankedWindowBudgets(rate, tokens, {0.0f, 0.0f, 0.0f}, all)) EXPECT_DOUBLE_EQ(b.value, 0.6);
  const std::vector<Budget> ranked = RankedWindowBudgets(rate, tokens, {0.1f, 3.0f, 1.0f}, all);
  auto kept = [&](const Budget& b) { return b.mode == Budget::Mode::kKeepAll ? 1.0 : 1.0 - b.value; };
  EXPECT_GT(kept(ranked[1]), kept(ranked[2]));
  EXPECT_GT(kept(ranked[2]), kept(ranked[0]));
  EXPECT_NEAR(100 * (kept(ranked[0]) + kept(ranked[1]) + kept(ranked[2])), 120.0, 1e-6);
  // Out-of-scope windows are not selected.
  EXPECT_EQ(RankedWindowBudgets(rate, tokens, {0.1f, 3.0f, 1.0f}, {1, 0, 1})[1].mode, Budget::Mode::kKeepAll);
}

TEST(QuestionTest, AShortRelevantWindowIsKeptWhole) {
  Budget rate;
  rate.mode = Budget::Mode::kReduceRate;
  rate.value = 0.6;  // keep 40 % of 420 tokens
  const std::vector<Budget> ranked = RankedWindowBudgets(rate, {200, 20, 200}, {1.0f, 3.0f, 0.1f}, {1, 1, 1});
  EXPECT_EQ(ranked[1].mode, Budget::Mode::kKeepAll);  // a short passage at rank 1 costs little
  ASSERT_EQ(ranked[0].mode, Budget::Mode::kReduceRate);
  ASSERT_EQ(ranked[2].mode, Budget::Mode::kReduceRate);
  EXPECT_NEAR(20 + 200 * (1 - ranked[0].value) + 200 * (1 - ranked[2].value), 168.0, 1e-6);
  EXPECT_GT(1 - ranked[0].value, 1 - ranked[2].value);
}

TEST(QuestionTest, TheBridgePassageOfATwoHopQuestionIsFound) {
  // The question names the film; the answer stands in the passage about its director, which
  // shares no word with the question, only the director's name with the film's passage. The
  // distractor's own rare words stand nowhere else and must not crowd that name out.
  const std::vector<std::string> passages = {
      "Bread is baked at dawn in the village and sold at noon.",
      "Sweepstakes is a comedy film directed by Albert Rogell.",
      "Dana Blankenship is a film director, photographer, screenwriter, storyteller and film academy administrator.",
      "Rogell was born in Oklahoma City and made movies.",
      "Rivers run through the old town past the mill.",
  };
  const std::vector<float> r = Relevance(passages, "What is the birthplace of the director of film Sweepstakes?");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_GT(r[3], 0.0f);
  EXPECT_GT(r[3], r[0]);
  EXPECT_GT(r[3], r[4]);
}

TEST(QuestionTest, APassageStatingTheRelationTheOtherWayIsFound) {
  // "The father of Anna Holm" is answered by "his daughter Anna Holm": the question's relation
  // word brings its converse at half its weight; a passage that only repeats the name ranks below.
  const std::vector<std::string> passages = {
      "Anna Holm paints boats. Anna Holm lives in Bergen with a dog and paints the harbour at dawn.",
      "Peter Lund was a sailor, and his daughter Anna Holm paints.",
      "Bread is baked at dawn in the village and sold at noon.",
  };
  const std::vector<float> r = Relevance(passages, "Who is the father of Anna Holm?");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_GT(r[1], r[0]);
  // "Which country" is answered by a kingdom, a republic, an empire.
  const std::vector<float> c = Relevance({"Lake Orvo is cold. Lake Orvo freezes in winter and thaws late in spring.",
                                          "Lake Orvo lies in the Kingdom of Norvia.", "Bread is baked at dawn in the village."},
                                         "Which country is Lake Orvo in?");
  EXPECT_GT(c[1], c[0]);
}

TEST(QuestionTest, PassagesRankedLowCoverNoSentence) {
  // keep_every_sentence (on by default) gives each sentence a word where its window has room;
  // with a question, a passage ranked to keep less than the plain budget pays for the
  // relevant one instead: its short sentences are left to the budget.
  std::string other;
  for (const char* s : {"Bread rises slowly.", "Rivers run east.", "Farmers bring grain.", "Birds sing loudly.",
                        "Ships sail north.", "Clocks tick softly.", "Bells ring twice.", "Goats climb rocks.",
                        "Lamps glow dimly.", "Winds blow hard."}) {
    other += std::string(s) + " ";
  }
  const std::vector<std::string> passages = {
      "Paris is the capital of France and its largest city, with museums along the Seine.", other};
  auto lost = [&](const CompressResult& r) {  // sentences of the second passage without a kept word
    std::vector<int> kept(10, 0);
    for (const Word& w : r.words) {
      if (w.context != 1 || !w.keep || other[w.begin] == '.') continue;
      ++kept[std::count(other.begin(), other.begin() + w.begin, '.')];
    }
    return std::count(kept.begin(), kept.end(), 0);
  };
  // Fixed pseudo-random preserve probabilities, so the budget has winners.
  auto compress = [&](const CompressOptions& o) {
    return Compress(passages, o, std::make_unique<ToyTokenizer>(16), ModelSpec(),
                    [](int64_t id) { return static_cast<float>((id * 37) % 100) / 100.0f + 0.005f; });
  };
  CompressOptions o;
  o.rate = 0.4;
  EXPECT_EQ(lost(compress(o)), 0);
  o.question = "What is the capital of France?";
  const CompressResult asked = compress(o);
  EXPECT_GT(lost(asked), 0) << asked.compressed_prompt;
  o.keep_every_sentence = false;
  EXPECT_EQ(compress(o).compressed_prompt, asked.compressed_prompt) << "as without the option there";
}

TEST(QuestionTest, BadQuestionsAreClearErrors) {
  Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(16), ModelSpec()).value();
  PrepareOptions o;
  o.question = std::string("caf\xC3", 4);
  EXPECT_EQ(c.Prepare(kPassages, o).status().code(), StatusCode::kInvalidUtf8);
  o.question.clear();
  o.instruction = std::string(4 * 1024 * 1024, 'a');
  EXPECT_EQ(c.Prepare(kPassages, o).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mooscomp
