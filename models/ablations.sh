#!/usr/bin/env bash
# The ablation grid of MODEL_CARD.md: beta sweep from scratch, MLM pre-training then fine-tuning
# with and without L_CS, two other sizes, longer runs; then eval.py on the Google test set.
#
#   bash models/ablations.sh DATA OUT DEVICE TOKENIZER
#   e.g. bash models/ablations.sh ../shared/data models/runs/grid cuda models/default/tokenizer.model
#
# Every run is an ordinary train.py run folder (resumable: rerun the same command). Runs of a
# phase start together: on a GPU the small models are launch-bound, so several share it well;
# on 2 CPU cores the grid takes about a day, run it with PARALLEL=1.
# DEADLINE (seconds since the start, default none) stops unfinished runs with SIGTERM: they
# keep their checkpoint, and eval falls back to their best.pt. EXTRA (train.py flags, last so
# they win) and EVAL_LIMIT shrink everything for a smoke test of this script.
set -u
DATA=$1 OUT=$2 DEVICE=$3 TOK=$4  # TOK: a tokenizer.model that train.py built (models/README.md)
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
PARALLEL=${PARALLEL:-16}
START=$(date +%s)
mkdir -p "$OUT"

left() { [ -z "${DEADLINE:-}" ] && echo 86400 || echo $(( DEADLINE - ($(date +%s) - START) )); }

run() {  # run NAME train.py-args...: one run in the background, logged to OUT/NAME/stdout.txt
  local name=$1; shift
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n; done
  mkdir -p "$OUT/$name"
  [ -f "$OUT/$name/model.pt" ] && return
  timeout -s TERM "$(left)" $PY "$HERE/train.py" --data "$DATA" --out "$OUT/$name" --tokenizer "$TOK" \
    --device "$DEVICE" --threads 1 --eval-every 1000 "$@" ${EXTRA:-} >> "$OUT/$name/stdout.txt" 2>&1 &
}

# Phase 1: MLM pre-training, and everything that does not depend on it.
run mlm-4x128 --task mlm --epochs 5 --batch-tokens 16384 --lr 1e-3 --warmup 300
MLM=$(jobs -rp | tail -1)
for b in 0 0.05 0.1 0.2 0.5; do run tag-4x128-b$b --beta $b; done
for b in 0 0.1; do run tag-4x128-b$b-s1 --beta $b --seed 1; done
run tag-4x128-b0-e6 --epochs 6
run tag-2x192-b0 --layers 2 --hidden 192 --heads 3
run tag-4x256-b0 --hidden 256 --heads 4
[ -n "$MLM" ] && wait "$MLM"

# Phase 2: fine-tuning the pre-trained encoder, beta = 0 against beta > 0 (two seeds), longer,
# with dropout (the shipped default is ft-4x128-b0.1; see MODEL_CARD.md); and longer MLM (12 epochs in all
# for 4x128: 7 more from phase 1's weights) and MLM for 2x192.
M=$OUT/mlm-4x128/model.pt
if [ -f "$M" ]; then
  for b in 0 0.05 0.1 0.2; do run ft-4x128-b$b --init-from "$M" --beta $b; done
  for b in 0 0.05 0.1; do run ft-4x128-b$b-s1 --init-from "$M" --beta $b --seed 1; done
  for b in 0 0.1; do run ft-4x128-b$b-e6 --init-from "$M" --beta $b --epochs 6; done
  run ft-4x128-b0-e3 --init-from "$M" --epochs 3
  run ft-4x128-b0-d0.1-e4 --init-from "$M" --dropout 0.1 --epochs 4
  run mlm-4x128-e12 --task mlm --init-from "$M" --epochs 7 --batch-tokens 16384 --lr 5e-4 --warmup 200
  M12=$(jobs -rp | tail -1)
fi
run mlm-2x192 --task mlm --layers 2 --hidden 192 --heads 3 --epochs 8 --batch-tokens 16384 --lr 1e-3 --warmup 300
M2=$(jobs -rp | tail -1)
wait ${M12:-} ${M2:-}

# Phase 3: 6-epoch fine-tunes of the longer-trained encoders, 16 windows a step.
FT="--epochs 6 --batch-tokens 8192 --lr 7e-4 --warmup 300"
for b in 0 0.1; do
  [ -f "$OUT/mlm-4x128-e12/model.pt" ] && run ft2-4x128-b$b-e6 --init-from "$OUT/mlm-4x128-e12/model.pt" --beta $b $FT
  [ -f "$OUT/mlm-2x192/model.pt" ] && run ft2-2x192-b$b-e6 --init-from "$OUT/mlm-2x192/model.pt" --layers 2 --hidden 192 --heads 3 --beta $b $FT
done
wait

# Evaluation on the held-out test set: the final weights, else the best checkpoint so far.
models=()
for d in "$OUT"/tag-* "$OUT"/ft-* "$OUT"/ft2-*; do
  if [ -f "$d/model.pt" ]; then models+=("$d/model.pt"); elif [ -f "$d/best.pt" ]; then models+=("$d/best.pt"); fi
done
$PY "$HERE/eval.py" --data "$DATA" --device "$DEVICE" --json "$OUT/eval.json" ${EVAL_LIMIT:+--limit $EVAL_LIMIT} --model "${models[@]}" > "$OUT/eval.txt"
echo "ablations: $(( $(date +%s) - START ))s, results in $OUT/eval.json"
