#!/usr/bin/env bash
# shellcheck disable=SC2086  # flag lists (EXTRA, QUALITY_FLAGS) split into words
# Stage 3 recipes (llm_style.sh) compared by k-fold over the 40 LLM-compressed SAT passages,
# by passage: for each fold K of N, every recipe trains on the other passages
# (train.py --sat-fold K/N) and is measured on fold K (quality.py --sat-fold K/N --only
# agreement: "SAT val" beside the part-of-speech rule, stopwords-first and random on the same
# passages, and Google and broadcast); kfold_report.py then prints each fold, the mean and the
# spread.
#
#   bash models/kfold.sh [DATA] [OUT] [DEVICE] [RECIPES]
#   # defaults: ../shared/data models/runs/kfold cpu default; RECIPES: llm_style.sh's run names
#
# INIT (env): the stage-2 model folder stage 3 starts from. By default the stage-2 export is
# taken from the project's history (the default model of commit 7cdce28, which stage 3 was
# trained from) into OUT/init, so no stage 1 or 2 run is needed.
# Resumable: llm_style.sh skips every finished step, train.py resumes its run folder. On 2 CPU
# cores the silver labels take about 5 minutes once, a recipe about 12 minutes a fold and its
# figures half a minute; on a GPU (DEVICE=cuda) minutes in all. FOLDS (default 5); ONLY_FOLDS
# (e.g. "4"): run only these folds (a fold without fold 0's silver labels makes its own). EXTRA
# and QUALITY_FLAGS as in llm_style.sh, for a smoke test.
set -euo pipefail
DATA=${1:-../shared/data} OUT=${2:-models/runs/kfold} DEVICE=${3:-cpu} RECIPES=${4:-default}
FOLDS=${FOLDS:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
cd "$ROOT"
mkdir -p "$OUT"

INIT=${INIT:-$OUT/init}
if [ ! -f "$INIT/manifest.json" ]; then
  mkdir -p "$INIT"
  for f in model.onnx tokenizer.model manifest.json; do
    git show "7cdce28:models/default/$f" > "$INIT/$f.part" && mv "$INIT/$f.part" "$INIT/$f"
  done
fi

# The silver labels do not depend on the fold: made once (by the first fold's llm_style.sh run)
# and linked into the others.
for k in ${ONLY_FOLDS:-$(seq 0 $((FOLDS - 1)))}; do
  dir=$OUT/fold-$k
  mkdir -p "$dir"
  for f in silver.jsonl silver-k5.jsonl; do
    [ -f "$dir/$f" ] || [ ! -f "$OUT/fold-0/$f" ] || ln "$OUT/fold-0/$f" "$dir/$f"
  done
  for recipe in $RECIPES; do
    ONLY=$recipe PARALLEL=1 EXTRA="--sat-fold $k/$FOLDS ${EXTRA:-}" \
      QUALITY_FLAGS="--sat-fold $k/$FOLDS --settings word-rarity:0.7 --only agreement ${QUALITY_FLAGS:-}" \
      bash models/llm_style.sh "$DATA" "$dir" "$DEVICE" "$INIT"
  done
done
$PY models/kfold_report.py "$OUT" $RECIPES
