// Tokeniser throughput (MB/s of UTF-8 input) on meeting transcripts.
#include <benchmark/benchmark.h>

#include "bench_data.h"

namespace mooscomp {
namespace {

void Encode(benchmark::State& state, const Tokenizer& tokenizer, const std::string& source) {
  const std::string& text = bench::Corpus();
  Encoding out;
  for (auto _ : state) {
    out.clear();
    if (!tokenizer.Encode(text, 0, &out).ok()) state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(out.ids.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(text.size()) * state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(out.size()) * state.iterations());  // tokens
  state.SetLabel(source);
}

void BM_WordPieceEncode(benchmark::State& state) {
  std::string source;
  const Tokenizer& t = bench::WordPiece(&source);
  Encode(state, t, source);
}
BENCHMARK(BM_WordPieceEncode)->Unit(benchmark::kMillisecond);

void BM_SentencePieceEncode(benchmark::State& state) {
  std::string source;
  const Tokenizer& t = bench::SentencePiece(&source);
  Encode(state, t, source);
}
BENCHMARK(BM_SentencePieceEncode)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mooscomp
