#!/usr/bin/env bash
# Builds everything: SentencePiece for both targets (cached in .deps/), the native core and
# tests in build/, the wasm core and tests in build-wasm/, and copies the wasm module to
# js/dist/. A sanitizer build of the native side:
#   SKIP_WASM=1 BUILD_DIR=build-asan NATIVE_CMAKE_ARGS=-DMOOSCOMP_SANITIZE=ON scripts/build.sh
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

step() {
  local name="$1"; shift
  local start=$SECONDS
  echo "== build: $name"
  "$@"
  echo "== build: $name took $((SECONDS - start)) s"
}

step "sentencepiece (native + wasm)" scripts/build-deps.sh all

step "native" bash -c '
  cmake -S . -B "$0" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${@}" >/dev/null
  cmake --build "$0" -j "$JOBS"' "$BUILD_DIR" "${NATIVE_ARGS[@]}"

if [ "${SKIP_WASM:-0}" = 1 ]; then exit 0; fi

step "wasm" bash -c '
  emcmake cmake -S . -B "$0" -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch" >/dev/null
  cmake --build "$0" -j "$JOBS"' "$WASM_BUILD_DIR"

mkdir -p js/dist
cp "$WASM_BUILD_DIR/wasm/mooscomp-core.mjs" "$WASM_BUILD_DIR/wasm/mooscomp-core.wasm" js/dist/
raw=$(stat -c %s js/dist/mooscomp-core.wasm)
gz=$(gzip -9 -c js/dist/mooscomp-core.wasm | wc -c)
echo "== build: js/dist/mooscomp-core.wasm: $raw bytes, $gz gzip -9"
