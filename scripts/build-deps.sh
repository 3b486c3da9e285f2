#!/usr/bin/env bash
# Builds the SentencePiece static library from the upstream source that scripts/setup.sh
# unpacked, once per target, into .deps/spm-<target>/{lib,include}. Cached: a target is
# rebuilt only when its stamp (this script's hash) changes.
#   scripts/build-deps.sh [native|wasm|all]    (default: all)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
SPM_SRC="$DEPS/src/sentencepiece-0.1.97"
JOBS="${JOBS:-2}"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

[ -f "$SPM_SRC/CMakeLists.txt" ] || { echo "build-deps: run scripts/setup.sh first" >&2; exit 1; }
# Bump when the way the library is configured or built changes.
STAMP_VALUE="spm-0.1.97-build-1"

# The processor header, and the protos (with the protobuf-lite headers they need) that give
# the byte offsets of pieces and the model's normaliser data. Cheap: copied on every run.
copy_spm_headers() {
  local include="$1/include"
  rm -rf "$include"
  mkdir -p "$include"
  cp "$SPM_SRC/src/sentencepiece_processor.h" "$SPM_SRC/src/builtin_pb/sentencepiece.pb.h" \
     "$SPM_SRC/src/builtin_pb/sentencepiece_model.pb.h" "$include/"
  cp -r "$SPM_SRC/third_party/protobuf-lite/google" "$include/"
}

build_spm() {
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

case "${1:-all}" in
  native) build_spm native ;;
  wasm) build_spm wasm ;;
  all) build_spm native; build_spm wasm ;;
  *) echo "usage: $0 [native|wasm|all]" >&2; exit 2 ;;
esac
