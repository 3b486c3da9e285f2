// One binary for every core micro-benchmark, on Google Benchmark (natively and in wasm).
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
