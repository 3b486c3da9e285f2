#!/usr/bin/env bash
# Regenerates the SentencePiece models the core tests load, from spm_corpus.txt (text
# written for these tests). Needs spm_train (Debian: sentencepiece).
# Both: unigram, nmt_nfkc normalisation (so offsets are tested across rewrites),
# ids <unk>=0 <s>=1 </s>=2 <pad>=3.
# tiny_spm.model: 500 pieces; a character outside them is <unk>.
# tiny_spm_bytes.model: 600 pieces with --byte_fallback (the 256 <0x00>..<0xFF> among them),
# as the multilingual models: a character outside them becomes its UTF-8 bytes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
train() {
  spm_train --input=spm_corpus.txt --model_type=unigram --character_coverage=1.0 \
    --normalization_rule_name=nmt_nfkc --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=3 \
    --num_threads=1 "$@"
}
train --model_prefix=tiny_spm --vocab_size=500
train --model_prefix=tiny_spm_bytes --vocab_size=600 --byte_fallback=true
rm -f tiny_spm.vocab tiny_spm_bytes.vocab
