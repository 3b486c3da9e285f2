#!/usr/bin/env bash
# shellcheck disable=SC2086  # EXTRA is a list of train.py flags, split into words
# The shipped default model (models/default/) from the data alone, stage by stage
# (models/default/MODEL_CARD.md):
#   0. tokenizer: SentencePiece unigram, 12,000 pieces, on the restored Google sentences and the
#      QMSum transcripts (train.py --tokenizer-only, as train.py builds it on first use)
#   1. MLM pre-training of the 4x128 encoder, 5 epochs (ablations.sh's mlm-4x128)
#   2. token classification on the Google labels, L_CE + 0.1 L_CS, 2 epochs (ablations.sh's
#      ft-4x128-b0.1), exported to int8 ONNX: the previous default
#   3. LLM-style fine-tuning from that int8 file, export with the outlier statistics and the
#      quality table (llm_style.sh's "default" run)
#
#   bash models/reproduce_default.sh [DATA] [OUT] [DEVICE]   # defaults: ../shared/data models/runs/reproduce cpu
#
# Resumable: a stage is skipped when its output exists, and an interrupted training run
# continues from its checkpoint when the same command runs again. Stages 1 and 2 took about
# 5 minutes on an H100 (DEVICE=cuda; several hours on 2 CPU cores), stage 3 about 25 minutes
# on 2 CPU cores. Training is not bit-reproducible across machines: compare the result's
# quality table (OUT/llm/quality-default.txt) with the model card's.
# SMOKE=1: a tiny model on a sliver of the data, minutes on 2 cores, to check the wiring.
set -euo pipefail
DATA=${1:-../shared/data} OUT=${2:-models/runs/reproduce} DEVICE=${3:-cpu}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-2}
if [ -n "${SMOKE:-}" ]; then  # explicit flags win over --quick's sizes, so the limits are given
  export EXTRA="--quick --steps 20 --log-every 5 --lr 2e-3 --warmup 5 --train-limit 400 --text-limit 200 --val-limit 50 ${EXTRA:-}"
  export SILVER_FLAGS="--qmsum-words 3000 --chat-words 1000 --doc-words 1000"
  export QUALITY_FLAGS="--quick --settings none:1,word-rarity:0.7"
fi
cd "$ROOT"
mkdir -p "$OUT"

train() {  # train RUN_NAME train.py-flags...: one stage, skipped once its model.pt exists
  local name=$1; shift
  [ -f "$OUT/$name/model.pt" ] && return
  mkdir -p "$OUT/$name"
  echo "reproduce: $name"
  $PY models/train.py --data "$DATA" --out "$OUT/$name" --tokenizer "$TOK" --device "$DEVICE" \
    --threads "$THREADS" --eval-every 1000 "$@" ${EXTRA:-} >> "$OUT/$name/stdout.txt" 2>&1
}

# Stage 0: the tokenizer and its -log frequency table (tokenizer.model.neglogfreq.json).
TOK=$OUT/tokenizer/tokenizer.model
$PY models/train.py --tokenizer-only --data "$DATA" --out "$OUT/tokenizer" --threads "$THREADS" ${EXTRA:-}

# Stages 1 and 2, then the int8 export that stage 3 starts from.
train mlm-4x128 --task mlm --epochs 5 --batch-tokens 16384 --lr 1e-3 --warmup 300
train ft-4x128-b0.1 --init-from "$OUT/mlm-4x128/model.pt" --beta 0.1
[ -f "$OUT/export-stage2/manifest.json" ] ||
  $PY models/export.py --model "$OUT/ft-4x128-b0.1/model.pt" --out "$OUT/export-stage2" --tokenizer "$TOK" \
    --name mooscomp-default-4x128

# Stage 3: the shipped run of llm_style.sh alone.
ONLY=default PARALLEL=1 bash models/llm_style.sh "$DATA" "$OUT/llm" "$DEVICE" "$OUT/export-stage2"

RESULT=$OUT/llm/export-default
if cmp -s "$RESULT/model.onnx" models/default/model.onnx; then
  echo "reproduce: $RESULT/model.onnx is byte for byte models/default/model.onnx"
else
  echo "reproduce: $RESULT differs from models/default in its weights; compare $OUT/llm/quality-default.txt with the model card"
fi
