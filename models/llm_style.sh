#!/usr/bin/env bash
# shellcheck disable=SC2086  # flag lists (RUNS, EXTRA, SILVER_FLAGS, QUALITY_FLAGS) split into words
# Stage 3 of the default model's recipe and its ablations (models/default/MODEL_CARD.md,
# "LLM-style fine-tuning"): silver labels, fine-tuning of the stage-2 model, int8 export with
# the outlier statistics, and the quality table of every run. reproduce_default.sh runs the
# stages before it and then this one.
#
#   bash models/llm_style.sh DATA OUT DEVICE INIT    # e.g. ../shared/data models/runs/llm cpu models/runs/reproduce/export-stage2
#
# INIT: the model folder of stage 2 (model.onnx, tokenizer.model, manifest.json with the -log
# frequency table); every run starts from its int8 weights (train.py --init-onnx) and shares
# its tokenizer.
# Resumable: every step is skipped when its output exists, and train.py resumes its run folder.
# On 2 CPU cores one run takes about 25 minutes alone (three side by side, one thread each,
# about 35 minutes); PARALLEL (default 3) runs that many at once, ONLY=name runs just one.
# The shipped model is export-default (models/default/ holds its model.onnx and manifest.json).
# EXTRA (train.py flags, last so they win), SILVER_FLAGS (silver.py) and QUALITY_FLAGS
# (quality.py) shrink everything for a smoke test of this script.
set -euo pipefail
DATA=${1:?usage: llm_style.sh DATA OUT DEVICE INIT} OUT=${2:?OUT missing} DEVICE=${3:?DEVICE missing}
INIT=${4:?INIT missing: the stage-2 model folder (reproduce_default.sh makes it)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
PARALLEL=${PARALLEL:-3}
cd "$ROOT"
mkdir -p "$OUT/tok"

# Inputs: silver labels; the initial model; its tokenizer with the -log frequency table that
# export.py puts in the manifest; a sample of the silver text for the outlier statistics.
[ -f "$OUT/silver.jsonl" ] || $PY models/silver.py --data "$DATA" --out "$OUT/silver.jsonl" ${SILVER_FLAGS:-}
[ -f "$OUT/silver-k5.jsonl" ] || $PY models/silver.py --data "$DATA" --out "$OUT/silver-k5.jsonl" --keep-class 5 ${SILVER_FLAGS:-}
[ -f "$OUT/init.onnx" ] || cp "$INIT/model.onnx" "$OUT/init.onnx"
TOK=$OUT/tok/tokenizer.model
if [ ! -f "$TOK.neglogfreq.json" ]; then
  cp "$INIT/tokenizer.model" "$TOK"
  $PY -c 'import json, sys; json.dump(json.load(sys.stdin)["lexical"]["neg_log_freq"], sys.stdout)' \
    < "$INIT/manifest.json" > "$TOK.neglogfreq.json"
fi
[ -f "$OUT/stats-sample.jsonl" ] || awk 'NR % 44 == 1' "$OUT/silver.jsonl" > "$OUT/stats-sample.jsonl"

COMMON=(--data "$DATA" --tokenizer "$TOK" --init-onnx "$OUT/init.onnx" --silver "$OUT/silver.jsonl"
        --warmup 150 --lr 5e-4 --dropout 0.1 --eval-every 400 --log-every 50 --device "$DEVICE")
declare -A RUNS=(  # name -> the flags that differ; "default" is the shipped recipe
  [default]="--sat-repeat 10 --train-limit 60000 --steps 1861 --beta 0.1"
  [google20k]="--sat-repeat 10 --train-limit 20000 --epochs 1.5 --beta 0.1"
  [beta0]="--sat-repeat 10 --train-limit 20000 --epochs 1.5 --beta 0"
  [nosat]="--sat-repeat 0 --train-limit 20000 --steps 1861 --beta 0.1"
  [steps3000]="--sat-repeat 10 --train-limit 60000 --steps 3000 --beta 0.1"
  [keep5]="--sat-repeat 10 --train-limit 60000 --steps 1861 --beta 0.1 --silver $OUT/silver-k5.jsonl"
)

train_one() {
  local name=$1
  [ -f "$OUT/$name/model.pt" ] && return
  mkdir -p "$OUT/$name"
  $PY models/train.py "${COMMON[@]}" --out "$OUT/$name" --threads $(( PARALLEL > 1 ? 1 : 2 )) \
    ${RUNS[$name]} ${EXTRA:-} >> "$OUT/$name/stdout.txt" 2>&1
}

names=("${!RUNS[@]}")
[ -n "${ONLY:-}" ] && names=("$ONLY")
for name in "${names[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n; done
  train_one "$name" &
done
wait

for name in "${names[@]}"; do
  [ -f "$OUT/export-$name/manifest.json" ] ||
    $PY models/export.py --model "$OUT/$name/model.pt" --out "$OUT/export-$name" --tokenizer "$TOK" \
      --name mooscomp-default-4x128 --stats-silver "$OUT/stats-sample.jsonl" --outlier word-rarity --alpha 0.7
  [ -f "$OUT/quality-$name.json" ] ||
    $PY models/quality.py --data "$DATA" --model "$OUT/export-$name" \
      --settings none:1,word-rarity:0.9,word-rarity:0.8,word-rarity:0.7,word-rarity-first:0.7,hidden-train:0.8 --json "$OUT/quality-$name.json" \
      ${QUALITY_FLAGS:-} > "$OUT/quality-$name.txt"
done
echo "llm_style: exports in $OUT/export-*, tables in $OUT/quality-*.txt"
