"""The tiny random-weight test model of models/fixture/ (make_fixture.py): deterministic, from a
fixed seed and a tokenizer trained on a small committed corpus."""
import json
import os

import torch

from . import tokenizer_train as tk
from .bert import BertConfig, BertForTokenClassification
from .export import export_onnx

SEED = 1234
REFERENCE_TEXTS = [
    "The answer is 61.",
    "Alice: I think we should keep the schedule, but the testing plan needs two more days.",
]


def build_model(vocab_size):
    torch.manual_seed(SEED)
    cfg = BertConfig(vocab_size=vocab_size, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=128, initializer_range=0.1)
    model = BertForTokenClassification(cfg)
    # A larger head than BERT's init so that preserve probabilities spread over (0, 1)
    # instead of sitting at 0.5: tests of thresholds and budgets need distinct scores.
    with torch.no_grad():
        torch.nn.init.normal_(model.classifier.weight, std=0.35)
    return model.eval()


def reference_batch(model_path):
    rows = [[tk.BOS_ID] + ids + [tk.EOS_ID] for ids in tk.encode_lines(model_path, REFERENCE_TEXTS)]
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [tk.PAD_ID] * (width - len(r)) for r in rows], dtype=torch.int64)
    return ids, (ids != tk.PAD_ID).to(torch.int64)


def write_fixture(corpus, out):
    """model.onnx (fp32), tokenizer.model, manifest.json and reference.json into `out`."""
    os.makedirs(out, exist_ok=True)
    with open(corpus, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    # Soft limit: the corpus is small, so the trainer stops short of 1,000 pieces.
    spm = tk.train_spm(corpus, os.path.join(out, "tokenizer.model"), 1000, hard_vocab_limit=False)
    vocab_size = len(tk.load_pieces(spm))
    table = tk.neg_log_freq(tk.encode_lines(spm, lines), vocab_size)

    model = build_model(vocab_size)
    export_onnx(model, os.path.join(out, "model.onnx"))

    manifest = {
        "format": "mooscomp-model/1",
        "name": "fixture-tiny",
        "onnx": "model.onnx",
        "tokenizer": {"kind": "sentencepiece", "file": "tokenizer.model", "fairseq_offset": False},
        "max_seq_len": 512,
        "preserve_label": 1,
        "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
        "outputs": {"logits": "logits", "hidden": "hidden"},
        "hidden_size": model.config.hidden_size,
        "lexical": {"neg_log_freq": [round(v, 5) for v in table]},
        "defaults": {"outlier": "none", "alpha": 1.0},
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")

    ids, mask = reference_batch(spm)
    with torch.no_grad():
        logits, hidden = model(ids, mask)
    ref = {
        "texts": REFERENCE_TEXTS,
        "input_ids": ids.tolist(),
        "attention_mask": mask.tolist(),
        "logits": [[[round(v, 6) for v in tok] for tok in row] for row in logits.tolist()],
        "hidden": [[[round(v, 6) for v in tok] for tok in row] for row in hidden.tolist()],
    }
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(ref, f)
        f.write("\n")
    p = torch.softmax(logits, -1)[..., 1][mask.bool()]
    print(f"vocab {vocab_size}; preserve prob min {p.min():.3f} mean {p.mean():.3f} max {p.max():.3f}")

