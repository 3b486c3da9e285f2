#!/usr/bin/env bash
# Every benchmark, in order, each printing a report and a last `BENCH_SUMMARY {json}` line;
# the whole suite takes about 10-15 minutes on 2 cores. Not part of the tests.
#   bash bench/run.sh [--quick]        (logs: bench/out/*.txt, results: bench/out/*.json)
# Needs: scripts/build.sh done once (js/dist), Google Benchmark (libbenchmark-dev), emscripten.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p bench/out
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"  # Debian's emcc needs its acorn

echo "== build: native and wasm micro-benchmarks (build-bench/, build-wasm-bench/)"
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMOOSCOMP_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target mooscomp_core_bench >/dev/null
scripts/build-deps.sh benchmark-wasm
emcmake cmake -S . -B build-wasm-bench -DCMAKE_BUILD_TYPE=Release -DMOOSCOMP_BUILD_TESTS=OFF \
  -DMOOSCOMP_BUILD_BENCH=ON "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch" >/dev/null
cmake --build build-wasm-bench -j2 --target mooscomp_core_bench >/dev/null

echo "== core micro-benchmarks"
node bench/core/report.mjs "$@" | tee bench/out/core.txt
echo "== end to end, Node (with the peer side by side)"
node bench/e2e/run.mjs "$@" | tee bench/out/e2e-node.txt
echo "== end to end, Chromium"
node bench/browser/run.mjs "$@" | tee bench/out/e2e-browser.txt
