#!/usr/bin/env bash
# Regenerates tiny_spm.model, the SentencePiece model the core tests load, from
# spm_corpus.txt (text written for these tests). Needs spm_train (Debian: sentencepiece).
# Unigram, 500 pieces, nmt_nfkc normalisation (so offsets are tested across rewrites),
# ids <unk>=0 <s>=1 </s>=2 <pad>=3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
spm_train --input=spm_corpus.txt --model_prefix=tiny_spm --vocab_size=500 \
  --model_type=unigram --character_coverage=1.0 --normalization_rule_name=nmt_nfkc \
  --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=3 --num_threads=1
rm -f tiny_spm.vocab
