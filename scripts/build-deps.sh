#!/usr/bin/env bash
# Builds static libraries from the upstream sources that scripts/setup.sh unpacked, cached:
# a library is rebuilt only when its stamp changes.
# - SentencePiece, once per target, into .deps/spm-<target>/{lib,include} (the build needs it);
# - Google Benchmark for wasm, into .deps/benchmark-wasm/{lib,include} (only the wasm core
#   micro-benchmarks need it, bench/run.sh asks for it; natively libbenchmark-dev serves).
#   scripts/build-deps.sh [native|wasm|all|benchmark-wasm]    (default: all = native + wasm)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
SPM_SRC="$DEPS/src/sentencepiece-0.1.97"
BENCHMARK_SRC="$DEPS/src/benchmark-1.7.1"
JOBS="${JOBS:-2}"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

need_source() {
  [ -f "$1/CMakeLists.txt" ] || { echo "build-deps: $1 is missing: run scripts/setup.sh first" >&2; exit 1; }
}
# Bump when the way the library is configured or built changes.
STAMP_VALUE="spm-0.1.97-build-1"

# The processor header, and the protos (with the protobuf-lite headers they need) that give
# the byte offsets of pieces and the model's normaliser data. Cheap: copied on every run, with
# the source's timestamps, so a copy alone never recompiles what includes them.
copy_spm_headers() {
  local include="$1/include"
  rm -rf "$include"
  mkdir -p "$include"
  cp --preserve=timestamps "$SPM_SRC/src/sentencepiece_processor.h" "$SPM_SRC/src/builtin_pb/sentencepiece.pb.h" \
     "$SPM_SRC/src/builtin_pb/sentencepiece_model.pb.h" "$include/"
  cp -r --preserve=timestamps "$SPM_SRC/third_party/protobuf-lite/google" "$include/"
}

build_spm() {
  need_source "$SPM_SRC"
  local target="$1"
  local build="$DEPS/build/spm-$target"
  local prefix="$DEPS/spm-$target"
  if [ -f "$prefix/stamp" ] && [ "$(cat "$prefix/stamp")" = "$STAMP_VALUE" ]; then
    copy_spm_headers "$prefix"
    echo "build-deps: sentencepiece ($target) up to date"
    return
  fi
  echo "build-deps: building sentencepiece ($target)"
  local start=$SECONDS
  rm -rf "$build" "$prefix"
  mkdir -p "$DEPS/build"
  local args=(-S "$SPM_SRC" -B "$build" -DCMAKE_BUILD_TYPE=Release
              -DSPM_ENABLE_SHARED=OFF -DSPM_ENABLE_TCMALLOC=OFF
              -DCMAKE_POSITION_INDEPENDENT_CODE=ON)
  if [ "$target" = wasm ]; then
    # The wasm module runs single-threaded: no thread_local storage needed.
    emcmake cmake "${args[@]}" -DSPM_NO_THREADLOCAL=ON \
      -DCMAKE_CXX_FLAGS="-msimd128" >"$build.configure.log" 2>&1 \
      || { cat "$build.configure.log"; exit 1; }
  else
    cmake "${args[@]}" >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
  fi
  cmake --build "$build" --target sentencepiece-static -j "$JOBS" >"$build.build.log" 2>&1 \
    || { tail -50 "$build.build.log"; exit 1; }

  mkdir -p "$prefix/lib"
  cp "$build/src/libsentencepiece.a" "$prefix/lib/"
  copy_spm_headers "$prefix"
  echo "$STAMP_VALUE" >"$prefix/stamp"
  echo "build-deps: sentencepiece ($target) built in $((SECONDS - start)) s"
}

BENCHMARK_STAMP_VALUE="benchmark-1.7.1-wasm-build-1"

build_benchmark_wasm() {
  need_source "$BENCHMARK_SRC"
  local build="$DEPS/build/benchmark-wasm"
  local prefix="$DEPS/benchmark-wasm"
  if [ -f "$prefix/stamp" ] && [ "$(cat "$prefix/stamp")" = "$BENCHMARK_STAMP_VALUE" ]; then
    echo "build-deps: google benchmark (wasm) up to date"
    return
  fi
  echo "build-deps: building google benchmark (wasm)"
  local start=$SECONDS
  rm -rf "$build" "$prefix"
  mkdir -p "$DEPS/build"
  # Its own tests would need GoogleTest for wasm; libpfm and -Werror do not apply here.
  emcmake cmake -S "$BENCHMARK_SRC" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DBENCHMARK_ENABLE_TESTING=OFF -DBENCHMARK_ENABLE_GTEST_TESTS=OFF -DBENCHMARK_ENABLE_WERROR=OFF \
    -DBENCHMARK_ENABLE_INSTALL=OFF -DBENCHMARK_ENABLE_LIBPFM=OFF -DCMAKE_CXX_FLAGS="-msimd128" \
    >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
  cmake --build "$build" --target benchmark -j "$JOBS" >"$build.build.log" 2>&1 \
    || { tail -50 "$build.build.log"; exit 1; }
  mkdir -p "$prefix/lib" "$prefix/include/benchmark"
  cp "$build/src/libbenchmark.a" "$prefix/lib/"
  cp "$BENCHMARK_SRC"/include/benchmark/*.h "$prefix/include/benchmark/"
  echo "$BENCHMARK_STAMP_VALUE" >"$prefix/stamp"
  echo "build-deps: google benchmark (wasm) built in $((SECONDS - start)) s"
}

case "${1:-all}" in
  native) build_spm native ;;
  wasm) build_spm wasm ;;
  all) build_spm native; build_spm wasm ;;
  benchmark-wasm) build_benchmark_wasm ;;
  *) echo "usage: $0 [native|wasm|all|benchmark-wasm]" >&2; exit 2 ;;
esac
