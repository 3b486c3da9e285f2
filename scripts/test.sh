#!/usr/bin/env bash
# Runs the test suites: every one, or those named (tests/README.md says what each holds).
#   scripts/test.sh [suite ...]     scripts/test.sh --list
# Each suite first brings what it tests up to date through scripts/build.sh (seconds when
# nothing changed), so it runs after any partial build, a quick start's included. A suite
# whose runtime is absent skips, saying why; the script exits non-zero if any suite fails.
# Knobs: BUILD_DIR, ASAN_BUILD_DIR, WASM_BUILD_DIR, JOBS, PYTHON; SKIP_ASAN=1;
# FUZZ_SECONDS=N (0 skips the fuzz suite); SKIP_BUILD=1 builds nothing and skips the ctest
# and SIMD suites whose build is absent (scripts/fuzz.sh still builds build-fuzz/ itself).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
ASAN_BUILD_DIR="${ASAN_BUILD_DIR:-build-asan}"
WASM_BUILD_DIR="${WASM_BUILD_DIR:-build-wasm}"
JOBS="${JOBS:-2}"
PYTHON="${PYTHON:-/usr/bin/python3}"

# The suites, in the order a full run takes them.
SUITES=(native asan fuzz wasm simd js e2e consumers models)
declare -A ABOUT=(
  [native]="core C++ tests (tests/core/, GoogleTest), native: ctest in $BUILD_DIR/"
  [asan]="the same native tests under ASan+UBSan: ctest in $ASAN_BUILD_DIR/ (SKIP_ASAN=1 skips)"
  [fuzz]="libFuzzer targets (fuzz/), ${FUZZ_SECONDS:-25} s each: scripts/fuzz.sh (FUZZ_SECONDS=0 skips)"
  [wasm]="core C++ tests compiled to wasm, under Node: ctest in $WASM_BUILD_DIR/"
  [simd]="js/dist/mooscomp-core.wasm contains 128-bit SIMD instructions"
  [js]="JS API, CLI, bindings and model loading (tests/js/, node --test)"
  [e2e]="web demo and its server in headless Chromium (tests/e2e/, node --test)"
  [consumers]="packed npm package: clean projects, workerd, extension (tests/consumers/, workerd/, extension/)"
  [models]="Python tooling in models/: training, export, conversion, quality (tests/models/, unittest)"
)

usage() {
  echo "usage: scripts/test.sh [suite ...]   (no suite: all of them)"
  echo "       scripts/test.sh --list"
}

list_suites() {
  local s
  for s in "${SUITES[@]}"; do printf '  %-10s %s\n' "$s" "${ABOUT[$s]}"; done
}

selected=()
for arg in "$@"; do
  case "$arg" in
    -l|--list) list_suites; exit 0 ;;
    -h|--help) usage; echo; list_suites; exit 0 ;;
  esac
done
for arg in "$@"; do
  if [ -z "$arg" ] || [ -z "${ABOUT[$arg]+x}" ]; then
    echo "test: unknown suite '$arg'; the suites are:" >&2
    list_suites >&2
    exit 2
  fi
  [[ " ${selected[*]} " == *" $arg "* ]] || selected+=("$arg")
done
if [ "${#selected[@]}" -eq 0 ]; then selected=("${SUITES[@]}"); fi

declare -a SUMMARY=()
failed=0

# run_suite NAME LABEL COMMAND...
run_suite() {
  local name="$1" label="$2"; shift 2
  local start=$SECONDS
  echo
  echo "== test: $name: $label"
  if "$@"; then
    SUMMARY+=("PASS  $name: $label ($((SECONDS - start)) s)")
  else
    SUMMARY+=("FAIL  $name: $label ($((SECONDS - start)) s)")
    failed=1
  fi
}

skip_suite() {
  SUMMARY+=("SKIP  $1: $2")
  echo
  echo "== test: $1 skipped: $2"
}

# build_part PART: scripts/build.sh PART, at most once a run; its exit status.
declare -A BUILT=()
build_part() {
  local part="$1"
  if [ "${SKIP_BUILD:-0}" = 1 ]; then return 0; fi
  if [ -z "${BUILT[$part]:-}" ]; then
    BUILD_DIR="$BUILD_DIR" WASM_BUILD_DIR="$WASM_BUILD_DIR" JOBS="$JOBS" scripts/build.sh "$part"
    BUILT[$part]=$?
    # The wasm part makes js/dist too.
    if [ "$part" = wasm ] && [ "${BUILT[wasm]}" = 0 ]; then BUILT[dist]=0; fi
  fi
  return "${BUILT[$part]}"
}

# unbuilt FILE: true when builds are off and FILE is absent.
unbuilt() { [ "${SKIP_BUILD:-0}" = 1 ] && [ ! -e "$1" ]; }

# with_dist COMMAND...: the wasm core in js/dist up to date, then COMMAND.
with_dist() { build_part dist || return 1; "$@"; }

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

native_tests() {
  build_part native || return 1
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
}
suite_native() {
  if unbuilt "$BUILD_DIR/CTestTestfile.cmake"; then
    skip_suite native "$BUILD_DIR is not built (SKIP_BUILD=1)"
  else
    run_suite native "core native (ctest)" native_tests
  fi
}

# The native tests built with AddressSanitizer and UBSan in their own folder; a sanitizer
# finding aborts the test that hit it.
asan_tests() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    BUILD_DIR="$ASAN_BUILD_DIR" NATIVE_CMAKE_ARGS=-DMOOSCOMP_SANITIZE=ON JOBS="$JOBS" \
      scripts/build.sh native || return 1
  fi
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    ctest --test-dir "$ASAN_BUILD_DIR" --output-on-failure -j "$JOBS"
}
suite_asan() {
  if [ "${SKIP_ASAN:-0}" = 1 ]; then
    skip_suite asan "SKIP_ASAN=1"
  elif unbuilt "$ASAN_BUILD_DIR/CTestTestfile.cmake"; then
    skip_suite asan "$ASAN_BUILD_DIR is not built (SKIP_BUILD=1)"
  else
    run_suite asan "core native ASan+UBSan (ctest)" asan_tests
  fi
}

# scripts/fuzz.sh builds its own clang build (build-fuzz/) and runs each target from its seeds.
suite_fuzz() {
  if [ "${FUZZ_SECONDS:-25}" = 0 ]; then
    skip_suite fuzz "FUZZ_SECONDS=0"
  elif command -v clang++ >/dev/null || ls /usr/bin/clang++-* >/dev/null 2>&1; then
    run_suite fuzz "core fuzz (libFuzzer, ASan+UBSan)" scripts/fuzz.sh
  else
    skip_suite fuzz "no clang++ (scripts/setup.sh installs it)"
  fi
}

wasm_tests() {
  build_part wasm || return 1
  ctest --test-dir "$WASM_BUILD_DIR" --output-on-failure -j "$JOBS"
}
suite_wasm() {
  if unbuilt "$WASM_BUILD_DIR/CTestTestfile.cmake"; then
    skip_suite wasm "$WASM_BUILD_DIR is not built (SKIP_BUILD=1)"
  else
    run_suite wasm "core wasm (ctest, Node)" wasm_tests
  fi
}

suite_simd() {
  if unbuilt js/dist/mooscomp-core.wasm; then
    skip_suite simd "js/dist/mooscomp-core.wasm is not built (SKIP_BUILD=1)"
  else
    run_suite simd "wasm SIMD instructions" with_dist check_simd
  fi
}

suite_js() {
  run_suite js "js (node --test)" with_dist node --test tests/js/
}

suite_e2e() {
  run_suite e2e "web demo (node --test; skips itself without Chromium)" with_dist node --test tests/e2e/
}

# Each file skips, saying why, when its runtime (TypeScript, workerd, Chromium) is absent.
suite_consumers() {
  run_suite consumers "package consumers, workerd, extension (node --test)" \
    with_dist node --test --test-concurrency=1 tests/consumers/ tests/workerd/ tests/extension/
}

# Parts that compress through the package need js/dist; others need only Python.
suite_models() {
  run_suite models "models (python unittest)" \
    with_dist env PYTHONPATH=models "$PYTHON" -m unittest discover -s tests/models
}

for s in "${selected[@]}"; do "suite_$s"; done

echo
echo "== test summary"
printf '  %s\n' "${SUMMARY[@]}"
exit "$failed"
