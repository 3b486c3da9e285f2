#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (root; Debian packages and npm reachable) to build
# and test the project. Idempotent: every step is skipped when its result is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
SPM_VERSION=0.1.97
SPM_TARBALL="sentencepiece_${SPM_VERSION}.orig.tar.gz"
BENCHMARK_VERSION=1.7.1
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  cmake g++ make dpkg-dev
  emscripten binaryen llvm
  sentencepiece libsentencepiece-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  chromium
  python3-torch python3-onnx python3-numpy libopenblas0-pthread
  liblingua-en-tagger-perl python3-jieba mecab mecab-ipadic-utf8
  gzip ca-certificates
  clang libclang-rt-dev
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -q
    apt_updated=1
  fi
}

# 1. Debian packages.
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt_update_once
  as_root apt-get install -y -q "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

# 2. npm dependencies, exactly as package-lock.json pins them (`npm ci` never rewrites it;
#    the lock lists every platform's optional binaries, so it fits any machine).
#    onnxruntime-node's install script would download; skip it. Redone whenever a package
#    manifest or the lock file changes.
npm_stamp_value="$(cd "$ROOT" && cat package.json package-lock.json js/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
npm_stamp="$DEPS/npm.stamp"
if [ ! -d "$ROOT/node_modules" ] || [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_stamp_value" ]; then
  echo "setup: npm ci"
  (cd "$ROOT" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund)
  mkdir -p "$DEPS"
  echo "$npm_stamp_value" >"$npm_stamp"
else
  echo "setup: npm dependencies up to date"
fi

# 3. Upstream sources of the libraries built for wasm (scripts/build-deps.sh), from Debian's
#    source packages: SentencePiece (its .orig tarball carries protobuf-lite, absl and
#    darts_clone; the Debian-patched tree drops the static library) and Google Benchmark
#    (the same 1.7.1 as the native libbenchmark-dev).
mkdir -p "$DEPS/src"
ensure_deb_src() {
  DEB_SRC=/etc/apt/sources.list.d/mooscomp-deb-src.sources
  if [ ! -f "$DEB_SRC" ] && ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ \
      && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    echo "setup: adding a deb-src entry mirroring the binary sources"
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        | as_root tee "$DEB_SRC" >/dev/null
    else
      grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
        | as_root tee /etc/apt/sources.list.d/mooscomp-deb-src.list >/dev/null
    fi
    apt_updated=0
  fi
  apt_update_once
}
# fetch_source SOURCE_PACKAGE ORIG_TARBALL UNPACKED_DIR
fetch_source() {
  local package="$1" tarball="$2" dir="$3"
  if [ ! -f "$DEPS/src/$tarball" ]; then
    ensure_deb_src
    echo "setup: fetching the $package source package"
    (cd "$DEPS/src" && apt-get source --download-only "$package")
    test -f "$DEPS/src/$tarball" || { echo "setup: $tarball not found" >&2; exit 1; }
  else
    echo "setup: $tarball present"
  fi
  if [ ! -f "$DEPS/src/$dir/CMakeLists.txt" ]; then
    tar -xzf "$DEPS/src/$tarball" -C "$DEPS/src"
  fi
}
fetch_source sentencepiece "$SPM_TARBALL" "sentencepiece-$SPM_VERSION"
fetch_source benchmark "benchmark_${BENCHMARK_VERSION}.orig.tar.gz" "benchmark-$BENCHMARK_VERSION"
echo "setup: done"
