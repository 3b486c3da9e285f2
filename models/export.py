"""Exports a trained model.pt to a model folder (models/MANIFEST.md): int8 ONNX, tokenizer,
manifest.json with the unigram -log-frequency table.

    /usr/bin/python3 models/export.py --model models/runs/<run>/model.pt --out models/default

Also writes model.fp32.onnx next to the int8 one unless --no-fp32 (kept out of the shipped
folder by the caller; used by eval.py to check int8 against fp32).

With --stats-text FILE (or --stats-silver FILE) the manifest also gets the training-text
statistics of the hidden-train and word-rarity outliers (add_stats.py, ref_stats.py), computed
with the trained PyTorch model.
"""
import argparse
import json

from mooscomp_models import ref_stats
from mooscomp_models.checkpoint import load_model
from mooscomp_models.model_folder import write_model_folder
from mooscomp_models.quantize import DEFAULT_MODE, MODES


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", default=None)
    p.add_argument("--tokenizer", default=None, help="default: the one recorded in model.pt")
    p.add_argument("--max-seq-len", type=int, default=512)
    p.add_argument("--outlier", default="none", help="manifest defaults.outlier")
    p.add_argument("--alpha", type=float, default=1.0, help="manifest defaults.alpha")
    p.add_argument("--no-fp32", action="store_true")
    p.add_argument("--quantize", choices=MODES, default=DEFAULT_MODE,
                   help="int8 layout of model.onnx (mooscomp_models/quantize.py): 'weight' (int8 file, "
                        "fp32 arithmetic) or 'dynamic' (int8 GEMM on activations quantised at run time)")
    p.add_argument("--stats-text", help="training text (one unit a line) for the outlier statistics")
    p.add_argument("--stats-silver", help="or silver JSON lines {words} for them")
    p.add_argument("--stats-limit", type=int, default=300, help="units of that text (default 300)")
    args = p.parse_args(argv)

    if args.outlier in ("hidden-train", "word-rarity", "word-rarity-first") and not (args.stats_text or args.stats_silver):
        p.error(f"--outlier {args.outlier} needs the statistics: give --stats-text or --stats-silver")
    model, ck = load_model(args.model)
    units = None
    if args.stats_text or args.stats_silver:
        units = ref_stats.read_units(text=args.stats_text, silver=args.stats_silver, limit=args.stats_limit)
    sizes = write_model_folder(model, args.tokenizer or ck["tokenizer"], args.out,
                               (args.name, args.max_seq_len, args.outlier, args.alpha), args.quantize,
                               keep_fp32=not args.no_fp32, stats_units=units)
    print(json.dumps({"out": args.out, "step": ck.get("step"), "bytes": sizes}))


if __name__ == "__main__":
    main()
