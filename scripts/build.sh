#!/usr/bin/env bash
# Builds the core, all of it or the parts named; each part is incremental (a part that is up
# to date takes seconds) and first builds its SentencePiece (cached in .deps/).
#   scripts/build.sh [native] [wasm] [dist]
#   native  the core, its tests, test tools and benchmarks in build/ (BUILD_DIR)
#   wasm    the wasm core and its tests in build-wasm/ (WASM_BUILD_DIR), the core copied to js/dist/
#   dist    only the wasm core, copied to js/dist/: what the JS API, the CLI and the demo run
# No part: native + wasm (SKIP_WASM=1: native only). A sanitizer build of the native side:
#   BUILD_DIR=build-asan NATIVE_CMAKE_ARGS=-DMOOSCOMP_SANITIZE=ON scripts/build.sh native
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-2}"
BUILD_DIR="${BUILD_DIR:-build}"
WASM_BUILD_DIR="${WASM_BUILD_DIR:-build-wasm}"
read -r -a NATIVE_ARGS <<<"${NATIVE_CMAKE_ARGS:-}"
# Debian's emcc needs Debian's node modules (acorn) for optimised links.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
export JOBS

parts=("$@")
if [ "${#parts[@]}" -eq 0 ]; then
  parts=(native)
  if [ "${SKIP_WASM:-0}" != 1 ]; then parts+=(wasm); fi
fi
for p in "${parts[@]}"; do
  case "$p" in
    native|wasm|dist) ;;
    *) echo "usage: $0 [native] [wasm] [dist]   (no part: native + wasm)" >&2; exit 2 ;;
  esac
done

step() {
  local name="$1"; shift
  local start=$SECONDS
  echo "== build: $name"
  "$@"
  echo "== build: $name took $((SECONDS - start)) s"
}

deps() {
  scripts/build-deps.sh "$1"
}

build_native() {
  step "sentencepiece (native)" deps native
  step "native" bash -c '
    cmake -S . -B "$0" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${@}" >/dev/null
    cmake --build "$0" -j "$JOBS"' "$BUILD_DIR" "${NATIVE_ARGS[@]}"
}

# build_wasm [TARGET]: the whole wasm build, or only TARGET.
build_wasm() {
  local target=("$@")
  step "sentencepiece (wasm)" deps wasm
  step "wasm${1:+ ($1)}" bash -c '
    emcmake cmake -S . -B "$0" -DCMAKE_BUILD_TYPE=Release \
      "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch" >/dev/null
    cmake --build "$0" -j "$JOBS" ${1:+--target "$1"}' "$WASM_BUILD_DIR" "${target[@]}"
  copy_dist
}

# Copies only what changed, through a temporary name, so a test or server reading js/dist
# never sees a half-written file.
copy_dist() {
  local f
  mkdir -p js/dist
  for f in mooscomp-core.mjs mooscomp-core.wasm; do
    if ! cmp -s "$WASM_BUILD_DIR/wasm/$f" "js/dist/$f"; then
      cp "$WASM_BUILD_DIR/wasm/$f" "js/dist/.$f.tmp"
      mv "js/dist/.$f.tmp" "js/dist/$f"
    fi
  done
  local raw gz
  raw=$(stat -c %s js/dist/mooscomp-core.wasm)
  gz=$(gzip -9 -c js/dist/mooscomp-core.wasm | wc -c)
  echo "== build: js/dist/mooscomp-core.wasm: $raw bytes, $gz gzip -9"
}

wasm_done=0
for p in "${parts[@]}"; do
  case "$p" in
    native) build_native ;;
    wasm) build_wasm; wasm_done=1 ;;
    # The wasm part already made js/dist.
    dist) if [ "$wasm_done" = 0 ]; then build_wasm mooscomp_core_wasm; fi ;;
  esac
done
