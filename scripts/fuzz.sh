#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan and UBSan) in build-fuzz/ and runs
# each for FUZZ_SECONDS (default 25) from its committed seed corpus (fuzz/corpus/<name>/,
# read only: new inputs go to a scratch folder). Exits non-zero on any crash, leak, sanitizer
# finding or timeout; the failing input is left in test-output/fuzz/. Prints each target's
# executions and coverage (libFuzzer's -print_final_stats).
#   scripts/fuzz.sh [target...]      (FUZZ_SECONDS=N, FUZZ_BUILD_DIR=dir, CXX=clang++-N)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${FUZZ_BUILD_DIR:-build-fuzz}"
SECONDS_EACH="${FUZZ_SECONDS:-25}"
JOBS="${JOBS:-2}"
OUT="$ROOT/test-output/fuzz"

pick_clang() {
  local c
  for c in "${CXX:-}" clang++ clang++-19 clang++-18 clang++-17 clang++-16 clang++-15 clang++-14; do
    [ -n "$c" ] && command -v "$c" >/dev/null && [[ "$("$c" --version 2>/dev/null)" == *clang* ]] && { echo "$c"; return; }
  done
}
CLANGXX="$(pick_clang)"
if [ -z "$CLANGXX" ]; then
  echo "fuzz: no clang++ found (scripts/setup.sh installs it)"
  exit 1
fi
CLANG="${CLANGXX/clang++/clang}"

echo "== fuzz: building with $CLANGXX in $BUILD_DIR"
CC="$CLANG" CXX="$CLANGXX" cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOOSCOMP_FUZZ=ON \
  -DMOOSCOMP_BUILD_TESTS=OFF -DMOOSCOMP_BUILD_BENCH=OFF >/dev/null || exit 1
cmake --build "$BUILD_DIR" -j "$JOBS" >/dev/null || { cmake --build "$BUILD_DIR" -j1; exit 1; }

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/*_fuzz.cc; do targets+=("$(basename "$f" .cc)"); done
fi

mkdir -p "$OUT"
failed=0
declare -a SUMMARY=()
for t in "${targets[@]}"; do
  seeds="fuzz/corpus/${t%_fuzz}"
  work="$(mktemp -d)"
  log="$OUT/$t.log"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a leak or blow-up.
  "$BUILD_DIR/fuzz/$t" "$work" "$seeds" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$OUT/$t-" >"$log" 2>&1
  rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  corpus=$(find "$work" -type f | wc -l)
  rm -rf "$work"
  if [ "$rc" -eq 0 ]; then
    SUMMARY+=("PASS  $t: ${execs:-?} runs, $cov, corpus $corpus")
  else
    SUMMARY+=("FAIL  $t (exit $rc): see $log")
    grep -E 'ERROR|FUZZ_CHECK|runtime error|SUMMARY' "$log" | head -5
    failed=1
  fi
done
echo "== fuzz summary (${SECONDS_EACH} s each)"
printf '  %s\n' "${SUMMARY[@]}"
exit "$failed"
