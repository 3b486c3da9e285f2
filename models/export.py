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
import os
import shutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from mooscomp_models import ref_stats  # noqa: E402
from mooscomp_models import tokenizer_train as tk  # noqa: E402
from mooscomp_models.bert import BertConfig, BertForTokenClassification  # noqa: E402
from mooscomp_models.export import export_onnx  # noqa: E402
from mooscomp_models.quantize import DEFAULT_MODE, MODES, quantize_file  # noqa: E402


def load_model(path):
    ck = torch.load(path, map_location="cpu")
    assert ck.get("task", "tag") == "tag", "export needs a token-classification model"
    model = BertForTokenClassification(BertConfig(**ck["config"]))
    model.load_state_dict(ck["state_dict"])
    return model.eval(), ck


def neg_log_freq_for(tokenizer, vocab_size):
    cached = tokenizer + ".neglogfreq.json"
    if os.path.exists(cached):
        with open(cached) as f:
            table = json.load(f)
        if len(table) == vocab_size:
            return table
    raise SystemExit(f"missing {cached}: the table is written when train.py builds the tokenizer")


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
    tok = args.tokenizer or ck["tokenizer"]
    os.makedirs(args.out, exist_ok=True)
    fp32 = os.path.join(args.out, "model.fp32.onnx")
    export_onnx(model, fp32)
    quantize_file(fp32, os.path.join(args.out, "model.onnx"), args.quantize)
    if args.no_fp32:
        os.remove(fp32)
    shutil.copyfile(tok, os.path.join(args.out, "tokenizer.model"))
    cfg = model.config
    vocab_size = len(tk.load_pieces(tok))
    assert vocab_size == cfg.vocab_size, (vocab_size, cfg.vocab_size)
    manifest = {
        "format": "mooscomp-model/1",
        "name": args.name or f"mooscomp-{cfg.num_hidden_layers}x{cfg.hidden_size}",
        "onnx": "model.onnx",
        "tokenizer": {"kind": "sentencepiece", "file": "tokenizer.model", "fairseq_offset": False},
        "max_seq_len": min(args.max_seq_len, cfg.max_position_embeddings),
        "preserve_label": 1,
        "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
        "outputs": {"logits": "logits", "hidden": "hidden"},
        "hidden_size": cfg.hidden_size,
        "lexical": {"neg_log_freq": [round(v, 4) for v in neg_log_freq_for(tok, vocab_size)]},
        "defaults": {"outlier": args.outlier, "alpha": args.alpha},
    }
    if args.stats_text or args.stats_silver:
        units = ref_stats.read_units(text=args.stats_text, silver=args.stats_silver, limit=args.stats_limit)
        stats = ref_stats.compute_stats(model, tok, units, manifest["lexical"]["neg_log_freq"])
        ref_stats.check_stats(stats)
        ref_stats.add_to_manifest(manifest, stats)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    sizes = {n: os.path.getsize(os.path.join(args.out, n)) for n in sorted(os.listdir(args.out))}
    print(json.dumps({"out": args.out, "step": ck.get("step"), "bytes": sizes}))


if __name__ == "__main__":
    main()
