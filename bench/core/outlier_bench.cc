// The MOOSComp hidden-state outlier kernel, scalar twin vs SIMD (SSE2 natively, wasm SIMD128
// in the wasm build), over one 512-token window at BERT-family hidden sizes. The twin runs
// as the core builds it (the compiler may vectorise it) and as plain scalar code.
#include <benchmark/benchmark.h>

#include "bench_data.h"
#include "outlier.h"

// outlier_scalar_plain.cc: the twin without auto-vectorisation.
namespace mooscomp_plain_scalar {
void HiddenOutlierScoresScalar(const float* hidden, size_t rows, size_t dims, float* scratch, float* out);
}  // namespace mooscomp_plain_scalar

namespace mooscomp {
namespace {

constexpr int64_t kRows = 512;

template <void (*Kernel)(const float*, size_t, size_t, float*, float*)>
void Outlier(benchmark::State& state) {
  const size_t dims = static_cast<size_t>(state.range(0));
  const std::vector<float> hidden = bench::RandomFloats(kRows * dims);
  std::vector<float> scratch(2 * dims), out(kRows);
  for (auto _ : state) {
    Kernel(hidden.data(), kRows, dims, scratch.data(), out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(hidden.size() * sizeof(float)) * state.iterations());
  state.SetItemsProcessed(kRows * state.iterations());  // tokens
}

void BM_OutlierScalar(benchmark::State& state) { Outlier<HiddenOutlierScoresScalar>(state); }
void BM_OutlierSimd(benchmark::State& state) { Outlier<HiddenOutlierScoresSimd>(state); }
void BM_OutlierPlainScalar(benchmark::State& state) {
  Outlier<mooscomp_plain_scalar::HiddenOutlierScoresScalar>(state);
}
BENCHMARK(BM_OutlierScalar)->Arg(256)->Arg(384)->Arg(768)->Arg(1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OutlierPlainScalar)->Arg(256)->Arg(384)->Arg(768)->Arg(1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OutlierSimd)->Arg(256)->Arg(384)->Arg(768)->Arg(1024)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mooscomp
