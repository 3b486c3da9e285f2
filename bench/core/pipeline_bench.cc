// The stages around inference: tokenise+chunk+batch (Prepare), word aggregation, threshold
// selection, and the whole post-inference stage (Score and Select) of one 512-token window, with fake
// logits (and hidden states for the outlier-fused variant). WordPiece, as the BERT models.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <memory>

#include "bench_data.h"
#include "mooscomp/compressor.h"
#include "segmenter.h"
#include "selector.h"
#include "target_tokens.h"
#include "word_scores.h"

namespace mooscomp {
namespace {

constexpr uint32_t kWindowTokens = 510;  // a full window: 512 with CLS and SEP

// A WordPiece compressor whose model reports `hidden` dims (0: no hidden output).
const Compressor& CompressorWithHidden(int hidden) {
  static std::map<int, std::unique_ptr<Compressor>> made;
  std::unique_ptr<Compressor>& slot = made[hidden];
  if (!slot) {
    ModelSpec spec;
    spec.hidden_size = hidden;
    slot = std::make_unique<Compressor>(Compressor::Create(bench::NewWordPiece(), spec).value());
  }
  return *slot;
}

CompressOptions Options(int hidden) {
  CompressOptions o;
  o.rate = 0.33;
  if (hidden > 0) {
    o.outlier = OutlierKind::kHidden;
    o.alpha = 0.5;
  }
  return o;
}

void FillOutputs(Job* job, int hidden) {
  uint32_t seed = 7;
  for (Batch& b : job->batches()) {
    const size_t cells = static_cast<size_t>(b.rows) * b.seq_len;
    b.logits = bench::RandomFloats(cells * 2, seed++);
    if (job->needs_hidden()) b.hidden = bench::RandomFloats(cells * hidden, seed++);
  }
}

// Prepare over `range(0)` tokens: normalise, tokenise, segment words, chunk, batch; with
// range(1) = keep_structure (markup scan, meaning and line bonds), to compare in one run.
void BM_Prepare(benchmark::State& state) {
  const Compressor& c = CompressorWithHidden(0);
  const std::vector<std::string> contexts = {bench::TextOfTokens(c.tokenizer(), static_cast<uint32_t>(state.range(0)))};
  CompressOptions o = Options(0);
  o.keep_structure = state.range(1) != 0;
  for (auto _ : state) {
    auto job = c.Prepare(contexts, o);
    if (!job.ok()) state.SkipWithError("prepare failed");
    benchmark::DoNotOptimize(job);
  }
  state.SetBytesProcessed(static_cast<int64_t>(contexts[0].size()) * state.iterations());
  state.SetItemsProcessed(state.range(0) * state.iterations());  // tokens (about)
}
BENCHMARK(BM_Prepare)->Args({512, 1})->Args({10000, 0})->Args({10000, 1})->Unit(benchmark::kMicrosecond);

// Score and Select of one full window: softmax, (outlier scores, fusion,) word scores, target-token
// estimates, percentile threshold, output text and UTF-16 offsets. range(0) = hidden size,
// 0 = LLMLingua-2 scoring without outliers.
void BM_PostInference512(benchmark::State& state) {
  const int hidden = static_cast<int>(state.range(0));
  const Compressor& c = CompressorWithHidden(hidden);
  const std::vector<std::string> contexts = {bench::TextOfTokens(c.tokenizer(), kWindowTokens)};
  auto probe = c.Prepare(contexts, Options(hidden));
  if (!probe.ok()) return state.SkipWithError("prepare failed");
  for (auto _ : state) {
    auto job = c.Prepare(contexts, Options(hidden));
    FillOutputs(job.value().get(), hidden);
    const auto t0 = std::chrono::steady_clock::now();
    auto result = job.value()->Select(Options(hidden));
    const auto t1 = std::chrono::steady_clock::now();
    if (!result.ok()) state.SkipWithError("finish failed");
    benchmark::DoNotOptimize(result);
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
  }
  state.SetItemsProcessed(kWindowTokens * state.iterations());
  state.SetLabel(std::to_string(probe.value()->batches().size()) + " batch(es)");
}
BENCHMARK(BM_PostInference512)->Arg(0)->Arg(256)->Arg(768)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Tokens and words of one window, for the two kernels below.
struct WindowWords {
  std::string text;
  Encoding tokens;
  std::vector<WordSpan> words;
};

const WindowWords& Window() {
  static WindowWords w;
  if (w.words.empty()) {
    const Tokenizer& t = bench::WordPiece();
    w.text = bench::TextOfTokens(t, kWindowTokens);
    if (!SegmentContext(t, w.text, {}, &w.tokens, &w.words).ok()) std::exit(2);
  }
  return w;
}

// Token scores -> word scores (mean), for every word of a ~512-token text.
void BM_WordScores(benchmark::State& state) {
  const WindowWords& w = Window();
  const std::vector<float> token_scores = bench::RandomFloats(w.tokens.size(), 3);
  std::vector<ScoredWord> scored(w.words.size());
  for (auto _ : state) {
    ScoreWords(w.text, w.words, 0, static_cast<uint32_t>(w.words.size()), token_scores, WordScore::kMean,
               false, &scored);
    benchmark::DoNotOptimize(scored.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(w.tokens.size()) * state.iterations());
}
BENCHMARK(BM_WordScores)->Unit(benchmark::kMicrosecond);

// The LLMLingua-2 budget over one window: target-token weights, weighted percentile, keep.
void BM_SelectWindow(benchmark::State& state) {
  const WindowWords& w = Window();
  const std::vector<float> scores = bench::RandomFloats(w.words.size(), 5);
  std::vector<SelectableWord> words(w.words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    words[i].text = std::string_view(w.text).substr(w.words[i].begin, w.words[i].end - w.words[i].begin);
    words[i].score = scores[i];
    words[i].weight = static_cast<uint32_t>(EstimateTargetTokens(words[i].text));
  }
  Budget budget;
  budget.mode = Budget::Mode::kReduceRate;
  budget.value = 0.67;
  const std::vector<WordRange> ranges = {{0, static_cast<uint32_t>(words.size())}};
  std::vector<uint8_t> keep(words.size());
  std::vector<WeightedValue> scratch;
  for (auto _ : state) {
    SelectUnit(ranges, budget, &words, &keep, &scratch);
    benchmark::DoNotOptimize(keep.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(words.size()) * state.iterations());  // words
}
BENCHMARK(BM_SelectWindow)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mooscomp
