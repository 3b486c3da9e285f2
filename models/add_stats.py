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
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from export import load_model as load_checkpoint  # noqa: E402
from mooscomp_models import ref_stats  # noqa: E402
from mooscomp_models.onnx_weights import model_from_onnx  # noqa: E402
from mooscomp_models import tokenizer_train as tk  # noqa: E402

ORT_RUN = os.path.join(ROOT, "tests", "models", "ort_run.mjs")


def load_model(model_dir, manifest, pt=None, overrides=None):
    if pt:
        model, _ = load_checkpoint(pt)
    else:
        overrides = dict(manifest.get("config") or {}, **(overrides or {}))
        model = model_from_onnx(os.path.join(model_dir, manifest["onnx"]), overrides)
    cfg = model.config
    if manifest.get("hidden_size") not in (None, cfg.hidden_size):
        raise SystemExit(f"the model's hidden size {cfg.hidden_size} is not the manifest's {manifest['hidden_size']}")
    table = manifest.get("lexical", {}).get("neg_log_freq")
    if table is not None and len(table) != cfg.vocab_size:
        raise SystemExit(f"the model's vocabulary {cfg.vocab_size} is not the table's {len(table)}")
    return model


def check_against_onnx(model, onnx_path, ids, tokens=128):
    """Max |hidden| difference between the rebuild and onnxruntime-web on one window, relative
    to the hidden states' spread; None when node or onnxruntime-web is missing."""
    if not (shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "onnxruntime-web"))):
        return None
    row = [tk.BOS_ID] + ids[:tokens] + [tk.EOS_ID]
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "in.json")
        with open(inp, "w") as f:
            json.dump({"input_ids": [row], "attention_mask": [[1] * len(row)]}, f)
        out = subprocess.run(["node", ORT_RUN, onnx_path, inp], cwd=ROOT, check=True, capture_output=True,
                             timeout=300)
    got = np.asarray(json.loads(out.stdout)["hidden"], dtype=np.float64).reshape(len(row), -1)
    with torch.no_grad():
        _, want = model(torch.tensor([row]), torch.ones(1, len(row), dtype=torch.int64))
    want = want[0].double().numpy()
    return float(np.abs(got - want).max() / (want.std() + 1e-12))


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
    tok = manifest["tokenizer"]
    if tok.get("kind") != "sentencepiece" or tok.get("fairseq_offset"):
        raise SystemExit("add_stats.py handles SentencePiece models without fairseq_offset (this project's)")
    table = manifest.get("lexical", {}).get("neg_log_freq")
    if table is None:
        raise SystemExit("the manifest has no lexical.neg_log_freq table")
    has_hidden = "hidden" in (manifest.get("outputs") or {})
    overrides = {k: v for k, v in {"num_attention_heads": args.heads, "position_bias": args.position_bias}.items()
                 if v is not None}
    model = load_model(args.model_dir, manifest, args.pt, overrides) if has_hidden else None

    units = ref_stats.read_units(text=args.text, silver=args.silver, limit=args.limit)
    tokenizer = os.path.join(args.model_dir, tok["file"])
    stats = ref_stats.compute_stats(model, tokenizer, units, table, hidden=has_hidden)
    ref_stats.check_stats(stats)
    info = dict(stats["info"], word_mean=stats["lexical"]["word_mean"], word_std=stats["lexical"]["word_std"])
    if stats["hidden_stats"]:
        hs = stats["hidden_stats"]
        info.update(score_mean=hs["score_mean"], score_std=hs["score_std"])
        if not args.no_check:
            ids = tk.encode_lines(tokenizer, units[:1])[0]
            diff = check_against_onnx(model, os.path.join(args.model_dir, manifest["onnx"]), ids)
            info["onnx_rel_max_diff"] = diff
            if diff is not None and diff > 0.5:
                raise SystemExit(f"the rebuilt model disagrees with the ONNX file (max |diff| {diff:.2f} std): "
                                 "wrong shape? pass --heads / --position-bias or --pt")
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
