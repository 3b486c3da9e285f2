#include "mooscomp/compressor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
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
  return Compressor::Create(std::make_unique<ToyTokenizer>(), std::move(spec)).value();
}

// Preserve probabilities by token text; unlisted tokens get `otherwise`.
std::function<float(int64_t)> Probs(const std::map<std::string, float>& by_text, float otherwise = 0.1f) {
  std::map<int64_t, float> by_id;
  for (const auto& [text, p] : by_text) by_id[ToyTokenizer::IdOf(text)] = p;
  return [by_id, otherwise](int64_t id) {
    auto it = by_id.find(id);
    return it == by_id.end() ? otherwise : it->second;
  };
}

CompressResult CompressWith(const Compressor& c, const std::vector<std::string>& contexts, const CompressOptions& o,
                            const std::function<float(int64_t)>& prob,
                            const std::function<float(int64_t, int)>& hidden = nullptr) {
  auto job = c.Prepare(contexts, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  if (!job.ok()) return {};
  RunFakeModel(job.value().get(), c.spec().hidden_size, prob, hidden);
  auto result = job.value()->Select(o);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : CompressResult{};
}

StatusCode PrepareError(const std::vector<std::string>& contexts, const CompressOptions& o, ModelSpec spec = {}) {
  auto created = Compressor::Create(std::make_unique<ToyTokenizer>(), std::move(spec));
  if (!created.ok()) return created.status().code();
  const Compressor& c = created.value();
  auto job = c.Prepare(contexts, o);
  return job.ok() ? StatusCode::kOk : job.status().code();
}

std::vector<bool> Kept(const CompressResult& r) {
  std::vector<bool> out;
  for (const Word& w : r.words) out.push_back(w.keep);
  return out;
}

TEST(CompressorTest, KeepsTheHighScoringHalf) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 0.5;
  // [.1 .1 .1 .7 .8 .9] at 51 -> index 2.55 -> .43
  const CompressResult r =
      CompressWith(c, {"The cat sat on the mat"}, o, Probs({{"cat", 0.9f}, {"sat", 0.8f}, {"mat", 0.7f}}));
  EXPECT_EQ(r.compressed_prompt, "cat sat mat");
  EXPECT_EQ(r.compressed_prompt_list, (std::vector<std::string>{"cat sat mat"}));
  ASSERT_EQ(r.words.size(), 6u);
  EXPECT_EQ(r.windows, 1);
  EXPECT_EQ(r.model_tokens, 6);
  EXPECT_EQ(r.origin_tokens, 6);
  EXPECT_EQ(r.compressed_tokens, 3);
  EXPECT_EQ(r.context_kept, (std::vector<uint8_t>{1}));
  EXPECT_NEAR(r.words[1].score, 0.9f, 1e-5);
  EXPECT_EQ(r.words[1].begin, 4u);
  EXPECT_EQ(r.words[1].end, 7u);
}

TEST(CompressorTest, RateOneKeepsTheTextVerbatim) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 1.0;
  const std::string text = "Line one,  with\tspaces.\n\nLine two: 3.14!";
  EXPECT_EQ(CompressWith(c, {text}, o, Probs({})).compressed_prompt, text);
}

TEST(CompressorTest, WindowScopeVersusGlobalScope) {
  ModelSpec spec;
  spec.max_seq_len = 5;  // windows of 3 tokens: [a b c] [d e f]
  const Compressor c = MakeCompressor(spec);
  const auto probs = Probs({{"a", .9f}, {"b", .8f}, {"c", .7f}, {"d", .3f}, {"e", .2f}, {"f", .1f}});
  CompressOptions o;
  o.rate = 0.5;
  o.max_batch_size = 1;
  // Per window, q 51 of 3 scores -> index 1.02: .802 then .202.
  CompressResult r = CompressWith(c, {"a b c d e f"}, o, probs);
  EXPECT_EQ(r.compressed_prompt, "a d");
  EXPECT_EQ(r.windows, 2);
  // Globally, q 51 of 6 scores -> index 2.55 -> .52.
  o.scope = BudgetScope::kGlobal;
  r = CompressWith(c, {"a b c d e f"}, o, probs);
  EXPECT_EQ(r.compressed_prompt, "a b c");
}

TEST(CompressorTest, ForceTokensAndDigitsAreKept) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 0.5;
  o.force_tokens = {"?", "The answer"};
  o.force_reserve_digit = true;
  // Weighted scores: .05 x7, .9 (Why), 1.0 x4 ("?", "The answer" counts 2, "42");
  // q 51 -> index 5.61 -> .05: keep what beats the filler.
  const CompressResult r =
      CompressWith(c, {"Why? The answer is 42 and so on and on"}, o, Probs({{"Why", .9f}}, .05f));
  EXPECT_EQ(r.compressed_prompt, "Why? The answer 42");
  int forced = 0;
  for (const Word& w : r.words) forced += w.forced;
  EXPECT_EQ(forced, 3);
}

TEST(CompressorTest, MeanOrFirstTokenScore) {
  // "abcdefgh" = abcd (.9) efgh (.1): mean .5, first .9; "zz" scores .6.
  const auto probs = Probs({{"abcd", .9f}, {"efgh", .1f}, {"zz", .6f}}, .3f);
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.threshold = 0.55;
  EXPECT_EQ(CompressWith(c, {"abcdefgh zz"}, o, probs).compressed_prompt, "zz");
  o.word_score = WordScore::kFirst;
  EXPECT_EQ(CompressWith(c, {"abcdefgh zz"}, o, probs).compressed_prompt, "abcdefgh zz");
}

TEST(CompressorTest, DropConsecutive) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 0.5;
  o.force_tokens = {"\n"};
  const auto probs = Probs({{"a", .75f}, {"b", .25f}});
  // Scores a .75, \n 1, \n 1, \n 1, b .25: the threshold is 1.0 and only the "\n"s pass.
  CompressResult r = CompressWith(c, {"a\n\n\nb"}, o, probs);
  EXPECT_EQ(r.compressed_prompt, "\n\n\n");
  // The 2nd and 3rd "\n" score 0; [0 0 .25 .75 1] at 51 -> .27.
  o.drop_consecutive = true;
  r = CompressWith(c, {"a\n\n\nb"}, o, probs);
  EXPECT_EQ(r.compressed_prompt, "a\n");
  EXPECT_EQ(Kept(r), (std::vector<bool>{true, true, false, false, false}));
  EXPECT_EQ(r.words[2].score, 0.0f);
}

TEST(CompressorTest, TargetTokensSetsTheRate) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.target_tokens = 2;  // of 4: rate .5 -> q 51 of [.2 .4 .6 .8] -> index 1.53 -> .506
  const auto probs = Probs({{"w", .2f}, {"x", .4f}, {"y", .6f}, {"z", .8f}});
  EXPECT_EQ(CompressWith(c, {"w x y z"}, o, probs).compressed_prompt, "y z");
  o.target_tokens = 100;  // more than there is: everything
  EXPECT_EQ(CompressWith(c, {"w x y z"}, o, probs).compressed_prompt, "w x y z");
}

TEST(CompressorTest, ContextLevelFilter) {
  const Compressor c = MakeCompressor();
  const auto probs = Probs({{"good", .9f}, {"gold", .9f}, {"bad", .1f}, {"junk", .1f}, {"fine", .5f}, {"text", .5f}});
  CompressOptions o;
  o.use_context_level_filter = true;
  o.use_token_level_filter = false;
  o.rate = 0.5;  // context rate .5 (no token-level filter): q 50 of [.1 .5 .9] -> .5
  CompressResult r = CompressWith(c, {"good gold", "bad junk", "fine text"}, o, probs);
  EXPECT_EQ(r.context_kept, (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(r.compressed_prompt, "good gold\n\nfine text");
  EXPECT_EQ(r.compressed_prompt_list.size(), 2u);
  ASSERT_EQ(r.words.size(), 6u);
  EXPECT_EQ(r.words[2].context, 1);
  EXPECT_FALSE(r.words[2].keep);
  EXPECT_EQ(r.compressed_tokens, 4);
  EXPECT_EQ(r.origin_tokens, 6);

  o.force_context_ids = {1};
  r = CompressWith(c, {"good gold", "bad junk", "fine text"}, o, probs);
  EXPECT_EQ(r.context_kept, (std::vector<uint8_t>{1, 1, 1}));

  // With the token-level filter: context rate (.5 + 1) / 2 = .75 -> q 25 -> .3, then
  // each kept context's window keeps q 51 of its two words: nothing beats a tie, so the
  // first of the best is kept (a rate never empties a context).
  o.force_context_ids = {};
  o.use_token_level_filter = true;
  r = CompressWith(c, {"good gold", "bad junk", "fine text"}, o, probs);
  EXPECT_EQ(r.context_kept, (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(r.compressed_prompt_list, (std::vector<std::string>{"good", "fine"}));
  EXPECT_EQ(r.compressed_prompt, "good\n\nfine");

  // A single context is never filtered.
  r = CompressWith(c, {"bad junk"}, o, probs);
  EXPECT_EQ(r.context_kept, (std::vector<uint8_t>{1}));
}

TEST(CompressorTest, ContextFilterRecomputesTheRateFromTargetTokens) {
  const Compressor c = MakeCompressor();
  const auto probs = Probs({{"a", .9f}, {"b", .8f}, {"c", .7f}, {"d", .6f}, {"x", .1f}, {"y", .1f}});
  CompressOptions o;
  o.use_context_level_filter = true;
  o.target_tokens = 2;  // context level: 2 * 2 / 8 = .5 -> q 50 of [.1 .75] -> .425
  CompressResult r = CompressWith(c, {"a b c d", "x y z w"}, o, probs);
  EXPECT_EQ(r.context_kept, (std::vector<uint8_t>{1, 0}));
  // Token level over the 4 kept tokens: rate 2/4 -> q 51 of [.6 .7 .8 .9] -> .753.
  EXPECT_EQ(r.compressed_prompt, "a b");
}

TEST(CompressorTest, HiddenOutlierFusion) {
  ModelSpec spec;
  spec.hidden_size = 6;
  const Compressor c = MakeCompressor(spec);
  CompressOptions o;
  o.outlier = OutlierKind::kHidden;
  o.alpha = 0.0;  // outlier score only
  o.rate = 0.5;
  const int64_t rare = ToyTokenizer::IdOf("rare");
  const auto hidden = [rare](int64_t id, int d) { return id == rare ? 5.0f + d : 1.0f; };
  auto job = c.Prepare({"one two rare four"}, o);
  ASSERT_TRUE(job.ok());
  EXPECT_TRUE(job.value()->needs_hidden());
  const CompressResult r = CompressWith(c, {"one two rare four"}, o, Probs({}, .9f), hidden);
  EXPECT_EQ(r.compressed_prompt, "rare");
  EXPECT_EQ(r.words[2].score, 1.0f);
  EXPECT_EQ(r.words[0].score, 0.0f);

  o.alpha = 0.5;  // m = .5 p + .5 s
  const CompressResult half = CompressWith(c, {"one two rare four"}, o, Probs({}, .5f), hidden);
  EXPECT_NEAR(half.words[2].score, 0.75f, 1e-5);
  EXPECT_NEAR(half.words[0].score, 0.25f, 1e-5);

  o.alpha = 1.0;  // LLMLingua-2: no hidden states needed
  auto plain = c.Prepare({"one"}, o);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain.value()->needs_hidden());
}

TEST(CompressorTest, LexicalOutlierFusion) {
  ModelSpec spec;
  spec.neg_log_freq.assign(ToyTokenizer::kVocab, 2.0f);
  spec.neg_log_freq[ToyTokenizer::IdOf("yak")] = 12.0f;
  const Compressor c = MakeCompressor(spec);
  CompressOptions o;
  o.outlier = OutlierKind::kLexical;
  o.alpha = 0.0;
  o.rate = 0.5;
  const CompressResult r = CompressWith(c, {"the a yak is"}, o, Probs({}, .9f));
  EXPECT_EQ(r.compressed_prompt, "yak");
}

TEST(CompressorTest, WordOffsetsInUtf16) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 1.0;
  const CompressResult r = CompressWith(c, {"x", "😀 é東 ok"}, o, Probs({}));
  ASSERT_EQ(r.words.size(), 5u);
  EXPECT_EQ(r.words[1].context, 1);
  EXPECT_EQ(r.words[1].begin16, 0u);  // 😀
  EXPECT_EQ(r.words[1].end16, 2u);
  EXPECT_EQ(r.words[2].begin16, 3u);  // é
  EXPECT_EQ(r.words[3].begin16, 4u);  // 東
  EXPECT_EQ(r.words[4].begin16, 6u);  // ok
  EXPECT_EQ(r.words[4].end16, 8u);
  EXPECT_EQ(r.words[4].begin, 11u);
  EXPECT_EQ(r.compressed_prompt, "x\n\n😀 é東 ok");
}

TEST(CompressorTest, EmptyAndDegenerateInputs) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.force_tokens = {"\n"};
  for (const std::vector<std::string>& contexts : std::vector<std::vector<std::string>>{
           {}, {""}, {"   "}, {"\n\n"}, {"...!?"}, {"", "  ", "."}}) {
    const CompressResult r = CompressWith(c, contexts, o, Probs({}));
    EXPECT_EQ(r.context_kept.size(), contexts.size());
    EXPECT_EQ(r.compressed_prompt_list.size(), contexts.size());
  }
  EXPECT_EQ(CompressWith(c, {"\n\n"}, o, Probs({})).compressed_prompt, "\n\n");
  EXPECT_EQ(CompressWith(c, {"", ""}, o, Probs({})).compressed_prompt, "\n\n");
}

TEST(CompressorTest, InvalidOptions) {
  auto with = [](auto set) {
    CompressOptions o;
    set(o);
    return PrepareError({"text"}, o);
  };
  EXPECT_EQ(with([](CompressOptions&) {}), StatusCode::kOk);
  EXPECT_EQ(with([](CompressOptions& o) { o.rate = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.rate = 1.5; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.rate = NAN; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.rate = INFINITY; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.alpha = -0.1; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.alpha = 1.1; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.threshold = NAN; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.threshold = 1.01; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.threshold = 1.0; }), StatusCode::kOk);
  EXPECT_EQ(with([](CompressOptions& o) { o.target_tokens = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.target_context = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.context_level_rate = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.max_batch_size = 0; }), StatusCode::kInvalidArgument);
  // The same ranges as core/options.json: -1 is the only "unset".
  EXPECT_EQ(with([](CompressOptions& o) { o.threshold = -0.5; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.target_tokens = -2; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.target_tokens = 2147483648; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.target_tokens = 2147483647; }), StatusCode::kOk);
  EXPECT_EQ(with([](CompressOptions& o) { o.target_context = -7; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.max_batch_size = 1024; }), StatusCode::kOk);
  EXPECT_EQ(with([](CompressOptions& o) { o.max_batch_size = 1025; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.chunk_end_tokens.assign(101, "."); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.force_tokens = {""}; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.force_tokens.assign(101, "x"); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.force_tokens.assign(100, "x"); }), StatusCode::kOk);
  EXPECT_EQ(with([](CompressOptions& o) { o.chunk_end_tokens = {""}; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.chunk_end_tokens = {}; }), StatusCode::kOk);
  EXPECT_EQ(with([](CompressOptions& o) { o.force_context_ids = {1}; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.scope = static_cast<BudgetScope>(7); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(with([](CompressOptions& o) { o.alpha = .5, o.outlier = OutlierKind::kHidden; }),
            StatusCode::kInvalidArgument);  // hidden_size 0
  EXPECT_EQ(with([](CompressOptions& o) { o.alpha = .5, o.outlier = OutlierKind::kLexical; }),
            StatusCode::kInvalidArgument);  // no frequency table
  EXPECT_EQ(with([](CompressOptions& o) { o.outlier = OutlierKind::kHidden; }), StatusCode::kOk);  // alpha 1

  ModelSpec tiny;
  tiny.max_seq_len = 2;
  EXPECT_EQ(PrepareError({"text"}, CompressOptions(), tiny), StatusCode::kInvalidModel);
}

TEST(CompressorTest, InvalidUtf8NamesTheByte) {
  const Compressor c = MakeCompressor();
  auto job = c.Prepare({"fine", "ab\xc3(d"}, CompressOptions());
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kInvalidUtf8);
  EXPECT_NE(job.status().message().find("context 1"), std::string::npos);
  EXPECT_NE(job.status().message().find("byte 2"), std::string::npos);
}

TEST(CompressorTest, ScoreChecksOutputsAndRunsOnce) {
  ModelSpec spec;
  spec.hidden_size = 4;
  const Compressor c = MakeCompressor(spec);
  CompressOptions o;
  o.outlier = OutlierKind::kHidden;
  o.alpha = 0.5;
  auto prepared = c.Prepare({"some words here"}, o);
  ASSERT_TRUE(prepared.ok());
  Job& job = *prepared.value();
  ASSERT_EQ(job.batches().size(), 1u);
  EXPECT_EQ(job.Score().code(), StatusCode::kInvalidState);  // nothing written
  EXPECT_EQ(job.Select(o).status().code(), StatusCode::kInvalidState);

  RunFakeModel(&job, 4, Probs({}), [](int64_t, int d) { return static_cast<float>(d); });
  job.batches()[0].hidden.pop_back();
  EXPECT_EQ(job.Score().code(), StatusCode::kInvalidState);  // hidden too short
  job.batches()[0].hidden.push_back(0.0f);
  job.batches()[0].seq_len += 1;
  EXPECT_EQ(job.Score().code(), StatusCode::kInvalidState);  // reshaped
  job.batches()[0].seq_len -= 1;

  EXPECT_TRUE(job.Score().ok());
  EXPECT_EQ(job.Score().code(), StatusCode::kInvalidState);  // only once
  EXPECT_TRUE(job.Select(o).ok());
  EXPECT_TRUE(job.Select(o).ok());  // selections: any number
}

TEST(CompressorTest, NonFiniteModelOutputsAreRefused) {
  ModelSpec spec;
  spec.hidden_size = 2;
  const Compressor c = MakeCompressor(spec);
  PrepareOptions p;
  p.outlier = OutlierKind::kHidden;
  for (float bad : {NAN, INFINITY, -INFINITY}) {
    for (bool hidden : {false, true}) {
      auto prepared = c.Prepare({"a b c"}, p);
      ASSERT_TRUE(prepared.ok());
      Job& job = *prepared.value();
      RunFakeModel(&job, 2, Probs({}), [](int64_t, int d) { return static_cast<float>(d); });
      (hidden ? job.batches()[0].hidden : job.batches()[0].logits)[3] = bad;
      EXPECT_EQ(job.Score().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(job.Select(SelectOptions()).status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(CompressorTest, ManyWindowsAndBatches) {
  ModelSpec spec;
  spec.max_seq_len = 6;  // 4 tokens a window
  const Compressor c = MakeCompressor(spec);
  CompressOptions o;
  o.max_batch_size = 3;
  auto prepared = c.Prepare({"a b c d. e f g h. i j", "k l m n o p"}, o);
  ASSERT_TRUE(prepared.ok());
  const auto& batches = prepared.value()->batches();
  // Context 0: [a b c d] (no chunk end fits), [.] (the last chunk end within 4 tokens),
  // [e f g h], [. i j]; context 1: [k l m n] [o p]. Six rows in batches of 3.
  ASSERT_EQ(batches.size(), 2u);
  int rows = 0;
  for (const Batch& b : batches) {
    EXPECT_LE(b.rows, 3);
    EXPECT_LE(b.seq_len, 6);
    rows += b.rows;
  }
  RunFakeModel(prepared.value().get(), 0, Probs({}));
  auto r = prepared.value()->Select(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(rows, 6);
  EXPECT_EQ(r.value().windows, 6);
  EXPECT_EQ(r.value().model_tokens, 18);
}

// One job scored once, selected with many option sets: each selection equals a fresh
// one-shot compression with the same options.
TEST(CompressorTest, SelectManyTimesEqualsFreshCompressions) {
  ModelSpec spec;
  spec.max_seq_len = 8;  // several windows
  spec.hidden_size = 3;
  spec.neg_log_freq.assign(ToyTokenizer::kVocab, 0.0f);
  for (size_t i = 0; i < spec.neg_log_freq.size(); ++i) spec.neg_log_freq[i] = static_cast<float>((i * 7) % 13);
  const Compressor c = MakeCompressor(spec);
  const std::vector<std::string> contexts = {"The cat sat on the mat. A dog ran 42 miles.\nThen it slept, and the cat sat.",
                                             "Second context with other words, 7 of them.", "Third: the end."};
  const auto prob = [](int64_t id) { return static_cast<float>((id * 37) % 100) / 100.0f + 0.005f; };
  const auto hidden = [](int64_t id, int d) { return static_cast<float>((id * (d + 3)) % 11); };

  for (OutlierKind kind : {OutlierKind::kNone, OutlierKind::kHidden, OutlierKind::kLexical}) {
    PrepareOptions p;
    p.outlier = kind;
    p.force_tokens = {"\n"};
    p.max_batch_size = 2;
    auto analysis = c.Prepare(contexts, p);
    ASSERT_TRUE(analysis.ok()) << analysis.status().message();
    RunFakeModel(analysis.value().get(), spec.hidden_size, prob, hidden);

    std::vector<SelectOptions> selections(10);
    selections[0].rate = 0.3;
    selections[1].rate = 0.8, selections[1].alpha = 0.4;
    selections[2].target_tokens = 5, selections[2].alpha = 0.0;
    selections[3].threshold = 0.5, selections[3].scope = BudgetScope::kGlobal;
    selections[4].force_reserve_digit = true, selections[4].drop_consecutive = true, selections[4].alpha = 0.7;
    selections[5].use_context_level_filter = true, selections[5].context_level_rate = 0.5;
    selections[5].force_context_ids = {2};
    selections[6].rate = 1.0;
    selections[7].rate = 0.2, selections[7].keep_every_sentence = true;
    selections[8].target_tokens = 8, selections[8].keep_every_sentence = true;
    selections[8].scope = BudgetScope::kGlobal;
    selections[9].rate = 0.3;  // the first again: selections leave no trace
    for (size_t i = 0; i < selections.size(); ++i) {
      CompressOptions o;
      static_cast<PrepareOptions&>(o) = p;
      static_cast<SelectOptions&>(o) = selections[i];
      const CompressResult fresh = CompressWith(c, contexts, o, prob, hidden);
      auto selected = analysis.value()->Select(selections[i]);
      ASSERT_TRUE(selected.ok()) << selected.status().message();
      const CompressResult& r = selected.value();
      const std::string where = "outlier " + std::to_string(static_cast<int>(kind)) + ", selection " + std::to_string(i);
      EXPECT_EQ(r.compressed_prompt, fresh.compressed_prompt) << where;
      EXPECT_EQ(r.compressed_prompt_list, fresh.compressed_prompt_list) << where;
      EXPECT_EQ(r.origin_tokens, fresh.origin_tokens) << where;
      EXPECT_EQ(r.compressed_tokens, fresh.compressed_tokens) << where;
      EXPECT_EQ(r.context_kept, fresh.context_kept) << where;
      EXPECT_EQ(r.windows, fresh.windows) << where;
      ASSERT_EQ(r.words.size(), fresh.words.size()) << where;
      for (size_t w = 0; w < r.words.size(); ++w) {
        EXPECT_EQ(r.words[w].keep, fresh.words[w].keep) << where << ", word " << w;
        EXPECT_EQ(r.words[w].score, fresh.words[w].score) << where << ", word " << w;
        EXPECT_EQ(r.words[w].begin16, fresh.words[w].begin16) << where;
      }
    }
    // A select option out of range is refused; the job stays usable.
    SelectOptions bad;
    bad.rate = 0.0;
    EXPECT_EQ(analysis.value()->Select(bad).status().code(), StatusCode::kInvalidArgument);
    bad.rate = 0.5;
    bad.force_context_ids = {3};
    EXPECT_EQ(analysis.value()->Select(bad).status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(analysis.value()->Select(SelectOptions()).ok());
  }
}

// An analysis computes the outlier reading it was prepared with, so the model must have what
// it needs even if a selection might use alpha 1; a one-shot compression with alpha 1 does not.
TEST(CompressorTest, OutlierReadingNeedsTheModelOnlyWhenUsed) {
  const Compressor c = MakeCompressor();  // no hidden output
  PrepareOptions p;
  p.outlier = OutlierKind::kHidden;
  EXPECT_EQ(c.Prepare({"a b"}, p).status().code(), StatusCode::kInvalidArgument);
  CompressOptions o;
  o.outlier = OutlierKind::kHidden;
  o.alpha = 1.0;
  auto job = c.Prepare({"a b"}, o);
  ASSERT_TRUE(job.ok());
  EXPECT_FALSE(job.value()->needs_hidden());
  o.alpha = 0.5;
  EXPECT_EQ(c.Prepare({"a b"}, o).status().code(), StatusCode::kInvalidArgument);
}

// The caller's token counts replace the estimate: origin tokens, the target's share, and the
// weight each word has in the percentile.
TEST(CompressorTest, CallerTokenCountsDriveTheBudget) {
  const Compressor c = MakeCompressor();
  auto job = c.Prepare({"The cat sat on the mat"}, PrepareOptions());
  ASSERT_TRUE(job.ok());
  Job& j = *job.value();
  EXPECT_EQ(j.SetTokenCounts({6}, {1, 1, 1, 1, 1, 1}).code(), StatusCode::kInvalidState);  // not scored yet
  RunFakeModel(&j, 0, Probs({{"cat", 0.9f}, {"sat", 0.8f}, {"mat", 0.7f}}));
  ASSERT_TRUE(j.Score().ok());
  std::vector<uint32_t> begin16, end16;
  std::vector<int32_t> context;
  ASSERT_TRUE(j.WordSpans(&begin16, &end16, &context).ok());
  EXPECT_EQ(begin16, (std::vector<uint32_t>{0, 4, 8, 12, 15, 19}));
  EXPECT_EQ(end16, (std::vector<uint32_t>{3, 7, 11, 14, 18, 22}));
  EXPECT_EQ(context, (std::vector<int32_t>(6, 0)));

  SelectOptions o;
  o.rate = 0.5;
  EXPECT_EQ(j.Select(o).value().compressed_prompt, "cat sat mat");
  // "mat" weighs 10 tokens: [.1 x3, .7 x10, .8, .9] at 51 -> .7, and only cat and sat are above.
  EXPECT_EQ(j.SetTokenCounts({15}, {1, 1, 1, 1, 1}).code(), StatusCode::kInvalidArgument);  // a word short
  EXPECT_EQ(j.SetTokenCounts({-1}, {1, 1, 1, 1, 1, 10}).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(j.SetTokenCounts({15}, {1, 1, 1, 1, 1, 10}).ok());
  auto r = j.Select(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().compressed_prompt, "cat sat");
  EXPECT_EQ(r.value().origin_tokens, 15);
  o.target_tokens = 12;  // 12 of 15: keep all but the lowest fifth
  EXPECT_EQ(j.Select(o).value().compressed_prompt, "cat sat mat");
}

TEST(CompressorTest, FiveMegabytesInReasonableTime) {
  std::string text;
  const char* words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "42", "zeta,", "eta.", "theta\n"};
  uint32_t state = 1;
  while (text.size() < 5u * 1024 * 1024) {
    state = state * 1103515245u + 12345u;
    text += words[(state >> 16) % 9];
    text += ' ';
  }
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 0.33;
  o.force_tokens = {"\n"};
  o.max_batch_size = 64;
  const auto start = std::chrono::steady_clock::now();
  auto prepared = c.Prepare({text}, o);
  ASSERT_TRUE(prepared.ok());
  RunFakeModel(prepared.value().get(), 0, [](int64_t id) { return static_cast<float>(id % 97) / 97.0f + 0.001f; });
  auto r = prepared.value()->Select(o);
  ASSERT_TRUE(r.ok());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const CompressResult& res = r.value();
  EXPECT_GT(res.origin_tokens, 800000);
  EXPECT_GT(res.compressed_tokens, res.origin_tokens / 5);
  EXPECT_LT(res.compressed_tokens, res.origin_tokens / 2);
  EXPECT_GT(res.windows, 1500);
  EXPECT_LT(seconds, 60.0);  // generous: sanitizers and wasm are slow
}

}  // namespace
}  // namespace mooscomp
