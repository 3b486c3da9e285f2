"""Adds the training-text statistics of the outlier readings to a model folder's manifest.json:
`hidden_stats` (for `hidden-train`) and `lexical.word_mean` / `lexical.word_std` (for
`word-rarity`); see models/MANIFEST.md and mooscomp_models/ref_stats.py.

    /usr/bin/python3 models/add_stats.py --model-dir models/default --silver models/runs/silver.jsonl
    /usr/bin/python3 models/add_stats.py --model-dir DIR --text ../shared/data/pretrain/qmsum/train.txt --limit 2000

The model is rebuilt in PyTorch from DIR/model.onnx (its shape read from the graph; the
hidden size and vocabulary are checked against the manifest), or loaded from --pt. With node
and onnxruntime-web at hand, one window is also run through the ONNX file to check that the
rebuild agrees with it. Other manifest fields are left as they are.
"""
import argparse
import json
import os

import torch

from mooscomp_models import ref_stats
from mooscomp_models.folder_stats import folder_stats


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-dir", required=True, help="a model folder with manifest.json, model.onnx, tokenizer")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help="training text, one unit per line")
    src.add_argument("--silver", help="JSON lines {words: [...]} (models/silver.py); words joined by spaces")
    p.add_argument("--limit", type=int, default=300, help="units (lines) of the text to use (default 300)")
    p.add_argument("--pt", help="a training checkpoint (model.pt) instead of rebuilding from model.onnx")
    p.add_argument("--heads", type=int, help="attention heads, if the graph does not tell")
    p.add_argument("--position-bias", choices=["none", "alibi"], help="if the graph does not tell")
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    p.add_argument("--no-check", action="store_true", help="skip the onnxruntime-web comparison")
    p.add_argument("--dry-run", action="store_true", help="print the statistics, write nothing")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    path = os.path.join(args.model_dir, "manifest.json")
    with open(path) as f:
        manifest = json.load(f)
    overrides = {k: v for k, v in {"num_attention_heads": args.heads, "position_bias": args.position_bias}.items()
                 if v is not None}
    units = ref_stats.read_units(text=args.text, silver=args.silver, limit=args.limit)
    stats, info = folder_stats(args.model_dir, manifest, units, args.pt, overrides, check=not args.no_check)
    print(json.dumps(info))
    if args.dry_run:
        return stats
    ref_stats.add_to_manifest(manifest, stats)
    with open(path, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    return stats


if __name__ == "__main__":
    main()
