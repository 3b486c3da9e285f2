#!/usr/bin/env bash
# The default model's recipe and its ablations (models/default/MODEL_CARD.md, "LLM-style
# fine-tuning"): silver labels, fine-tuning of the previous default, int8 export with the
# outlier statistics, and the quality table of every run.
#
#   bash models/llm_style.sh [DATA] [OUT] [DEVICE]      # defaults: ../shared/data models/runs/llm cpu
#
# Resumable: every step is skipped when its output exists, and train.py resumes its run folder.
# On 2 CPU cores one run takes about 25 minutes alone (three side by side, one thread each,
# about 35 minutes); PARALLEL (default 3) runs that many at once, ONLY=name runs just one.
# The shipped model is export-default (models/default/ holds its model.onnx and manifest.json).
# The start is the previous default (commit 800e74e: MLM pre-training, then the Google
# labels), read back from its int8 ONNX file; its tokenizer is the shipped one.
set -euo pipefail
DATA=${1:-../shared/data} OUT=${2:-models/runs/llm} DEVICE=${3:-cpu}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
PARALLEL=${PARALLEL:-3}
INIT_COMMIT=800e74e
cd "$ROOT"
mkdir -p "$OUT/tok"

# Inputs: silver labels; the initial model; its tokenizer with the -log frequency table that
# export.py puts in the manifest; a sample of the silver text for the outlier statistics.
[ -f "$OUT/silver.jsonl" ] || $PY models/silver.py --data "$DATA" --out "$OUT/silver.jsonl"
[ -f "$OUT/silver-k5.jsonl" ] || $PY models/silver.py --data "$DATA" --out "$OUT/silver-k5.jsonl" --keep-class 5
[ -f "$OUT/init.onnx" ] || git show "$INIT_COMMIT:models/default/model.onnx" > "$OUT/init.onnx"
TOK=$OUT/tok/tokenizer.model
if [ ! -f "$TOK.neglogfreq.json" ]; then
  git show "$INIT_COMMIT:models/default/tokenizer.model" > "$TOK"
  git show "$INIT_COMMIT:models/default/manifest.json" |
    $PY -c 'import json, sys; json.dump(json.load(sys.stdin)["lexical"]["neg_log_freq"], sys.stdout)' > "$TOK.neglogfreq.json"
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
  # shellcheck disable=SC2086  # the flags are word lists
  $PY models/train.py "${COMMON[@]}" --out "$OUT/$name" --threads $(( PARALLEL > 1 ? 1 : 2 )) \
    ${RUNS[$name]} >> "$OUT/$name/stdout.txt" 2>&1
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
      > "$OUT/quality-$name.txt"
done
echo "llm_style: exports in $OUT/export-*, tables in $OUT/quality-*.txt"
