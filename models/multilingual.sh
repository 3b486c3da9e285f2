#!/usr/bin/env bash
# shellcheck disable=SC2086  # flag lists (EXTRA, MLM_EXTRA, QUALITY_FLAGS) split into words
# The multilingual model's recipe (models/default/MODEL_CARD.md, "Languages"): a byte-fallback
# SentencePiece tokenizer on English + 18 languages, the English model's encoder moved onto it
# (vocab_transplant.py), MLM on the tokenizer's training mix, then the stage-3 fine-tuning of
# llm_style.sh with silver labels in the other languages beside the English ones.
#
#   bash models/multilingual.sh DATA OUT DEVICE INIT   # e.g. ../shared/data models/runs/multi cpu models/default
#
# INIT: the English model folder whose encoder and classifier start the run (model.onnx,
# tokenizer.model). Needs fetch_multilingual.py's text in TEXT (default
# models/runs/multilingual/text). Resumable: every step is skipped when its output exists, and
# train.py resumes its run folder. On 2 CPU cores: tokenizer ~5 min, silver labels ~10 min,
# MLM ~35 min, fine-tuning ~45 min. EXTRA / MLM_EXTRA (train.py flags, last so they win) and
# QUALITY_FLAGS shrink everything for a smoke test.
set -euo pipefail
DATA=${1:?usage: multilingual.sh DATA OUT DEVICE INIT} OUT=${2:?OUT missing} DEVICE=${3:?DEVICE missing}
INIT=${4:?INIT missing: the English model folder}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
TEXT=${TEXT:-models/runs/multilingual/text}
TOKENIZERS=${TOKENIZERS:-models/runs/multilingual/tokenizers}
HAN=${HAN:-4000}
VOCAB=${VOCAB:-32000}
cd "$ROOT"
mkdir -p "$OUT/tok"

[ -d "$TEXT" ] || $PY models/fetch_multilingual.py --out "$(dirname "$TEXT")"
# The tokenizer: trained (and measured per language) in its mix folder, copied here with its
# -log frequency table over the same mix.
TOK=$OUT/tok/tokenizer.model
if [ ! -f "$TOK.neglogfreq.json" ]; then
  $PY models/measure_tokenizers.py --text "$TEXT" --data "$DATA" --out "$TOKENIZERS" --vocab "$VOCAB" \
    --required-han "$HAN" --mbert ''
  MIX=$(ls -td "$TOKENIZERS"/mix-*/ | head -1)  # the mix folder just measured: its report is rewritten each run
  cp "$MIX/spm-$VOCAB-han$HAN.model" "$TOK"
  cp "$MIX/train.txt" "$OUT/tok/mix.txt"
  $PY -c 'import sys; from mooscomp_models import tokenizer_train as tk; tk.write_neg_log_freq(sys.argv[1], sys.argv[2])' \
    "$TOK" "$OUT/tok/mix.txt"
fi

[ -f "$OUT/silver-en.jsonl" ] || $PY models/silver.py --data "$DATA" --out "$OUT/silver-en.jsonl"
[ -f "$OUT/silver-multi.jsonl" ] || $PY models/silver.py --data "$DATA" --languages "$TEXT" --out "$OUT/silver-multi.jsonl"
[ -f "$OUT/stats-sample.jsonl" ] || awk 'NR % 44 == 1' "$OUT/silver-en.jsonl" > "$OUT/stats-sample.jsonl"

MOVE=(--tokenizer "$TOK" --init-onnx "$INIT/model.onnx" --transplant-from "$INIT/tokenizer.model" --device "$DEVICE")
[ -f "$OUT/mlm/model.pt" ] ||
  $PY models/train.py --task mlm --data "$DATA" --out "$OUT/mlm" "${MOVE[@]}" --mlm-text "$OUT/tok/mix.txt" \
    --train-limit 0 --text-limit 1 --steps 1300 --warmup 130 --lr 5e-4 --log-every 20 ${MLM_EXTRA:-}
[ -f "$OUT/tag/model.pt" ] ||
  $PY models/train.py --data "$DATA" --out "$OUT/tag" "${MOVE[@]}" --init-from "$OUT/mlm/model.pt" \
    --silver "$OUT/silver-en.jsonl" --silver "$OUT/silver-multi.jsonl" --sat-repeat 10 --train-limit 60000 \
    --steps 2400 --beta 0.1 --warmup 150 --lr 5e-4 --dropout 0.1 --eval-every 400 --log-every 50 ${EXTRA:-}
[ -f "$OUT/export/manifest.json" ] ||
  $PY models/export.py --model "$OUT/tag/model.pt" --out "$OUT/export" --tokenizer "$TOK" \
    --name mooscomp-multilingual-4x128 --stats-silver "$OUT/stats-sample.jsonl" --outlier word-rarity --alpha 0.7
[ -f "$OUT/quality.json" ] ||
  $PY models/quality.py --data "$DATA" --model "$OUT/export" --settings none:1,word-rarity:0.7 \
    --json "$OUT/quality.json" ${QUALITY_FLAGS:-} > "$OUT/quality.txt"
echo "multilingual: model in $OUT/export, table in $OUT/quality.txt"
