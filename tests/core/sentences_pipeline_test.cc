// keep_every_sentence (on by default) through the whole pipeline, with a fake classifier: at a
// low rate the budget alone drops whole sentences; with the option every sentence keeps a word, the kept
// tokens stay about the budget's, bonds and forced words hold, in both scopes, with
// target_tokens and a threshold, and over one analysis selected at many rates.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "model_runner.h"
#include "mooscomp/compressor.h"
#include "target_tokens.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

using test::ToyTokenizer;

const std::vector<std::string> kSentences = {
    "The cat sat on the mat.", "A dog ran far away!", "Did the bird sing at dawn?", "Rain fell all night\n",
    "The river rose fast.", "We do not mention the old plan.", "Kids play in the park for 5 days.",
    "She reads old books.", "He cooks rice and beans?", "They walk to work in 12 minutes.",
    "Our team won the cup.", "Then the town went quiet."};

std::string Text() {
  std::string text;
  for (const std::string& s : kSentences) text += s + (s.back() == '\n' ? "" : " ");
  return text;
}

// Fixed pseudo-random preserve probabilities: the budget's winners fall anywhere.
float Prob(int64_t id) { return static_cast<float>((id * 37) % 100) / 100.0f + 0.005f; }

Compressor MakeCompressor() {
  ModelSpec spec;
  spec.max_seq_len = 24;  // several windows
  return Compressor::Create(std::make_unique<ToyTokenizer>(), spec).value();
}

CompressResult Compress(const Compressor& c, const CompressOptions& o) {
  auto job = c.Prepare({Text()}, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  if (!job.ok()) return {};
  test::RunFakeModel(job.value().get(), 0, Prob);
  auto r = job.value()->Select(o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : CompressResult{};
}

bool SaysSomething(const std::string& text, const Word& w) {
  for (uint32_t i = w.begin; i < w.end; ++i) {
    if (std::isalnum(static_cast<unsigned char>(text[i]))) return true;
  }
  return false;
}

// How many of kSentences keep no word with a letter or digit.
int LostSentences(const CompressResult& r) {
  const std::string text = Text();
  std::vector<size_t> begins;
  for (const std::string& s : kSentences) begins.push_back(text.find(s));
  std::vector<int> kept(kSentences.size(), 0);
  for (const Word& w : r.words) {
    if (!w.keep || !SaysSomething(text, w)) continue;
    ++kept[std::upper_bound(begins.begin(), begins.end(), w.begin) - begins.begin() - 1];
  }
  int lost = 0;
  for (int k : kept) lost += k == 0;
  return lost;
}

// Target-LLM tokens of the kept words: what the budget counts.
int64_t KeptTokens(const CompressResult& r) {
  const std::string text = Text();
  int64_t n = 0;
  for (const Word& w : r.words) n += w.keep ? EstimateTargetTokens(text.substr(w.begin, w.end - w.begin)) : 0;
  return n;
}

const Word* Find(const CompressResult& r, const std::string& word) {
  const std::string text = Text();
  for (const Word& w : r.words) {
    if (text.compare(w.begin, w.end - w.begin, word) == 0) return &w;
  }
  return nullptr;
}

TEST(SentencesPipelineTest, OnByDefaultOffIsTheBudgetAlone) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.rate = 0.2;
  const CompressResult plain = Compress(c, o);
  o.keep_every_sentence = true;
  EXPECT_EQ(Compress(c, o).compressed_prompt, plain.compressed_prompt);
  o.keep_every_sentence = false;
  const CompressResult off = Compress(c, o);
  EXPECT_GT(LostSentences(off), 2) << "the budget alone loses sentences: " << off.compressed_prompt;
  EXPECT_LT(LostSentences(plain), LostSentences(off)) << plain.compressed_prompt;
}

TEST(SentencesPipelineTest, EverySentenceKeepsAWordWithinTheBudget) {
  const Compressor c = MakeCompressor();
  for (BudgetScope scope : {BudgetScope::kWindow, BudgetScope::kGlobal}) {
    for (int target : {-1, 15, 30}) {
      for (double rate : {0.1, 0.2, 0.33, 0.5}) {
        CompressOptions o;
        o.scope = scope;
        o.rate = rate;
        o.target_tokens = target;
        o.force_reserve_digit = true;
        o.force_tokens = {"?"};
        o.keep_every_sentence = false;
        const CompressResult off = Compress(c, o);
        o.keep_every_sentence = true;
        const CompressResult on = Compress(c, o);
        const std::string where = "scope " + std::to_string(static_cast<int>(scope)) + ", target " +
                                  std::to_string(target) + ", rate " + std::to_string(rate) + ": " +
                                  on.compressed_prompt;
        // Every word here is one token: the budget holds within a word. With room for a word
        // of each of the 12 sentences besides the forced ones (about 20 tokens) every
        // sentence keeps one; below that, the weakest sentences stay empty.
        EXPECT_LE(LostSentences(on), LostSentences(off)) << where;
        EXPECT_NEAR(KeptTokens(on), KeptTokens(off), 1) << where;
        const bool room = target > 0 ? target >= 30 : rate >= 0.33;
        if (room) {
          EXPECT_EQ(LostSentences(on), 0) << where;
          EXPECT_GT(LostSentences(off), 0) << where;  // so words were added and others dropped
        }
        for (size_t w = 0; w < on.words.size(); ++w) {
          if (on.words[w].forced) {
            EXPECT_TRUE(on.words[w].keep) << where << ", word " << w;
          }
        }
        // Bonds hold: "not mention", "5 days".
        EXPECT_EQ(Find(on, "not")->keep, Find(on, "mention")->keep) << where;
        EXPECT_EQ(Find(on, "5")->keep, Find(on, "days")->keep) << where;
        if (target > 0) break;  // the rate does not matter then
      }
    }
  }
}

TEST(SentencesPipelineTest, AThresholdOnlyAddsWords) {
  const Compressor c = MakeCompressor();
  CompressOptions o;
  o.threshold = 0.8;
  o.keep_every_sentence = false;
  const CompressResult off = Compress(c, o);
  ASSERT_GT(LostSentences(off), 0);
  o.keep_every_sentence = true;
  const CompressResult on = Compress(c, o);
  EXPECT_EQ(LostSentences(on), 0) << on.compressed_prompt;
  for (size_t w = 0; w < on.words.size(); ++w) {
    if (off.words[w].keep) {
      EXPECT_TRUE(on.words[w].keep) << w;
    }
  }
}

TEST(SentencesPipelineTest, OneAnalysisSelectedAtManyRates) {
  const Compressor c = MakeCompressor();
  PrepareOptions p;
  auto analysis = c.Prepare({Text()}, p);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  test::RunFakeModel(analysis.value().get(), 0, Prob);
  for (bool on : {true, false, true}) {
    for (double rate : {0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0}) {
      SelectOptions s;
      s.rate = rate;
      s.keep_every_sentence = on;
      auto selected = analysis.value()->Select(s);
      ASSERT_TRUE(selected.ok()) << selected.status().message();
      CompressOptions o;
      static_cast<SelectOptions&>(o) = s;
      const CompressResult fresh = Compress(c, o);
      EXPECT_EQ(selected.value().compressed_prompt, fresh.compressed_prompt) << rate << (on ? " on" : " off");
      if (on && rate >= 0.33) {
        EXPECT_EQ(LostSentences(selected.value()), 0) << rate << ": " << fresh.compressed_prompt;
      }
    }
  }
}

}  // namespace
}  // namespace mooscomp
