#!/usr/bin/env bash
# Quick start, one command on a fresh Debian 12 machine: install what the project needs,
# build the wasm core into js/dist, then compress the sample prompt with the embedded model.
# Only what the CLI runs is built; scripts/test.sh builds the native side and the tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh
bash scripts/build.sh dist

echo
echo "== mooscomp compress --rate 0.33 examples/meeting.txt"
node js/bin/mooscomp.js compress --rate 0.33 examples/meeting.txt
