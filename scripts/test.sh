#!/usr/bin/env bash
# Runs every test suite that exists: native core (ctest; again under ASan+UBSan, built in
# build-asan/ here), the libFuzzer targets for a bounded time, wasm core (ctest under Node), the
# SIMD check on the shipped wasm, JS (node --test) and models (Python unittest). A suite
# whose inputs are absent is skipped; the script exits non-zero if any suite fails.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
ASAN_BUILD_DIR="${ASAN_BUILD_DIR:-build-asan}"
WASM_BUILD_DIR="${WASM_BUILD_DIR:-build-wasm}"
JOBS="${JOBS:-2}"
PYTHON="${PYTHON:-/usr/bin/python3}"

declare -a SUMMARY=()
failed=0

run_suite() {
  local name="$1"; shift
  local start=$SECONDS
  echo
  echo "== test: $name"
  if "$@"; then
    SUMMARY+=("PASS  $name ($((SECONDS - start)) s)")
  else
    SUMMARY+=("FAIL  $name ($((SECONDS - start)) s)")
    failed=1
  fi
}

skip_suite() {
  SUMMARY+=("SKIP  $1: $2")
  echo
  echo "== test: $1 skipped: $2"
}

# The wasm core must contain 128-bit SIMD code (the scoring kernels are built with -msimd128).
check_simd() {
  local wasm=js/dist/mooscomp-core.wasm objdump count
  objdump="$(command -v llvm-objdump || ls /usr/lib/llvm-*/bin/llvm-objdump 2>/dev/null | head -1)"
  if [ -n "$objdump" ]; then
    count=$("$objdump" -d "$wasm" | grep -cE '\b(f32x4|v128)\.')
  elif command -v wasm-dis >/dev/null; then
    count=$(wasm-dis "$wasm" | grep -cE '\b(f32x4|v128)\.')
  else
    echo "no wasm disassembler (llvm-objdump or wasm-dis) found"
    return 1
  fi
  echo "$wasm: $count f32x4/v128 instructions"
  [ "$count" -gt 0 ]
}

if [ -f "$BUILD_DIR/CTestTestfile.cmake" ]; then
  run_suite "core native (ctest)" ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
else
  skip_suite "core native (ctest)" "$BUILD_DIR is not built (scripts/build.sh)"
fi

# The same native tests built with AddressSanitizer and UBSan (scripts/build.sh's sanitizer
# build, brought up to date here as scripts/fuzz.sh does its own); a sanitizer finding
# aborts the test that hit it. SKIP_ASAN=1 leaves it out.
asan_suite() {
  SKIP_WASM=1 BUILD_DIR="$ASAN_BUILD_DIR" NATIVE_CMAKE_ARGS=-DMOOSCOMP_SANITIZE=ON scripts/build.sh || return 1
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    ctest --test-dir "$ASAN_BUILD_DIR" --output-on-failure -j "$JOBS"
}
if [ "${SKIP_ASAN:-0}" = 1 ]; then
  skip_suite "core native ASan+UBSan (ctest)" "SKIP_ASAN=1"
else
  run_suite "core native ASan+UBSan (ctest)" asan_suite
fi

# libFuzzer targets (fuzz/), each for FUZZ_SECONDS from its seed corpus; FUZZ_SECONDS=0 skips.
if [ "${FUZZ_SECONDS:-25}" = 0 ]; then
  skip_suite "core fuzz (libFuzzer)" "FUZZ_SECONDS=0"
elif command -v clang++ >/dev/null || ls /usr/bin/clang++-* >/dev/null 2>&1; then
  run_suite "core fuzz (libFuzzer, ASan+UBSan)" scripts/fuzz.sh
else
  skip_suite "core fuzz (libFuzzer)" "no clang++ (scripts/setup.sh installs it)"
fi

if [ -f "$WASM_BUILD_DIR/CTestTestfile.cmake" ]; then
  run_suite "core wasm (ctest, Node)" ctest --test-dir "$WASM_BUILD_DIR" --output-on-failure -j "$JOBS"
else
  skip_suite "core wasm (ctest, Node)" "$WASM_BUILD_DIR is not built (scripts/build.sh)"
fi

if [ -f js/dist/mooscomp-core.wasm ]; then
  run_suite "wasm SIMD instructions" check_simd
else
  skip_suite "wasm SIMD instructions" "js/dist/mooscomp-core.wasm is not built"
fi

if [ -n "$(find tests/js -maxdepth 2 \( -name '*.test.mjs' -o -name '*.test.js' -o -name '*.test.cjs' \) 2>/dev/null)" ]; then
  run_suite "js (node --test)" node --test tests/js/
else
  skip_suite "js (node --test)" "no tests in tests/js"
fi

run_suite "e2e web demo (node --test; skips itself without Chromium or js/dist)" node --test tests/e2e/

# The packed npm package in clean projects (Node, TypeScript, Chromium), the edge worker in
# workerd and the extension in Chromium; each skips, saying why, when its runtime is absent.
if [ -d tests/consumers ]; then
  run_suite "package consumers, workerd, extension (node --test)" \
    node --test --test-concurrency=1 tests/consumers/ tests/workerd/ tests/extension/
else
  skip_suite "package consumers, workerd, extension (node --test)" "no tests in tests/consumers"
fi

if [ -n "$(find tests/models -maxdepth 2 -name 'test*.py' 2>/dev/null)" ]; then
  run_suite "models (python unittest)" "$PYTHON" -m unittest discover -s tests/models
else
  skip_suite "models (python unittest)" "no tests in tests/models"
fi

echo
echo "== test summary"
printf '  %s\n' "${SUMMARY[@]}"
exit "$failed"
