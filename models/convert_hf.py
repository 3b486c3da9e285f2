"""Converts a Hugging Face token-classifier checkpoint folder (LLMLingua-2: BERT or XLM-R) into a
mooscomp model folder (models/MANIFEST.md): model.onnx (int8 unless --fp32), the tokenizer
file, manifest.json and MODEL_CARD.md. Offline; no `transformers` needed.

    /usr/bin/python3 models/convert_hf.py CHECKPOINT_DIR --out OUT_DIR [--fp32]
        [--name NAME] [--max-seq-len N] [--unigram-from TEXTFILE] [--force]

Exit codes: 0 ok, 2 a problem with the input (missing file, unsupported model, bad weights).
"""
import argparse
import json
import sys

from mooscomp_models import hf_checkpoint as hf
from mooscomp_models.hf_convert import convert
from mooscomp_models.quantize import DEFAULT_MODE, MODES


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", help="Hugging Face checkpoint folder (config.json, weights, tokenizer)")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--fp32", action="store_true", help="keep fp32 weights (default: int8)")
    p.add_argument("--quantize", choices=MODES, default=DEFAULT_MODE,
                   help="int8 layout (mooscomp_models/quantize.py): 'weight' (fp32 arithmetic) or 'dynamic' "
                        "(activations quantised at run time)")
    p.add_argument("--name", default=None, help="manifest name (default: the checkpoint folder's name)")
    p.add_argument("--max-seq-len", type=int, default=512)
    p.add_argument("--unigram-from", metavar="TEXTFILE", default=None,
                   help="write a lexical -log-frequency table from this text (SentencePiece models)")
    p.add_argument("--force", action="store_true", help="write into a non-empty --out")
    args = p.parse_args(argv)
    try:
        print(json.dumps(convert(args)))
    except hf.CheckpointError as err:
        print(f"convert_hf: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
