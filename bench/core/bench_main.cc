// One binary for every core micro-benchmark (Google Benchmark natively, the stand-in in wasm).
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
