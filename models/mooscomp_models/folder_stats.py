"""add_stats.py's work: the training-text statistics of the outlier readings computed for an
existing model folder, its PyTorch model rebuilt from model.onnx (or loaded from a model.pt),
the rebuild checked against onnxruntime-web on one window."""
import json
import os
import shutil
import tempfile

import numpy as np
import torch

from . import ref_stats
from . import tokenizer_train as tk
from .checkpoint import load_model as load_checkpoint
from .node import ROOT, helper, run_helper
from .onnx_weights import model_from_onnx


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
    if not (shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "onnxruntime-web"))
            and os.path.isfile(helper("ort_run.mjs"))):
        return None
    row = [tk.BOS_ID] + ids[:tokens] + [tk.EOS_ID]
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "in.json")
        with open(inp, "w") as f:
            json.dump({"input_ids": [row], "attention_mask": [[1] * len(row)]}, f)
        out = run_helper("ort_run.mjs", onnx_path, inp, check=True, capture_output=True, timeout=300)
    got = np.asarray(json.loads(out.stdout)["hidden"], dtype=np.float64).reshape(len(row), -1)
    with torch.no_grad():
        _, want = model(torch.tensor([row]), torch.ones(1, len(row), dtype=torch.int64))
    want = want[0].double().numpy()
    return float(np.abs(got - want).max() / (want.std() + 1e-12))


def folder_stats(model_dir, manifest, units, pt=None, overrides=None, check=True):
    """(statistics, info to print) for the folder's model over `units` of training text."""
    tok = manifest["tokenizer"]
    if tok.get("kind") != "sentencepiece" or tok.get("fairseq_offset"):
        raise SystemExit("add_stats.py handles SentencePiece models without fairseq_offset (this project's)")
    table = manifest.get("lexical", {}).get("neg_log_freq")
    if table is None:
        raise SystemExit("the manifest has no lexical.neg_log_freq table")
    has_hidden = "hidden" in (manifest.get("outputs") or {})
    model = load_model(model_dir, manifest, pt, overrides) if has_hidden else None

    tokenizer = os.path.join(model_dir, tok["file"])
    stats = ref_stats.compute_stats(model, tokenizer, units, table, hidden=has_hidden)
    ref_stats.check_stats(stats)
    info = dict(stats["info"], word_mean=stats["lexical"]["word_mean"], word_std=stats["lexical"]["word_std"])
    if stats["hidden_stats"]:
        hs = stats["hidden_stats"]
        info.update(score_mean=hs["score_mean"], score_std=hs["score_std"])
        if check:
            ids = tk.encode_lines(tokenizer, units[:1])[0]
            diff = check_against_onnx(model, os.path.join(model_dir, manifest["onnx"]), ids)
            info["onnx_rel_max_diff"] = diff
            if diff is not None and diff > 0.5:
                raise SystemExit(f"the rebuilt model disagrees with the ONNX file (max |diff| {diff:.2f} std): "
                                 "wrong shape? pass --heads / --position-bias or --pt")
    return stats, info
