"""Evaluation on labelled sentences: token F1/accuracy and the inter-class cosine S^L.

Each sentence is scored as its own sequence ([CLS] sentence [SEP]), as a compressor would see a
short prompt; batches are padded and sorted by length to waste little work.
"""
import torch

from .data import IGNORE, collate
from .losses import interclass_cosine
from . import tokenizer_train as tk


@torch.no_grad()
def predict(model, examples, batch_size=64, max_len=512):
    """examples: list of (ids, labels). Returns per-example preserve probabilities (lists) and
    the mean inter-class cosine of the final layer over examples holding both classes."""
    model.eval()
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    probs = [None] * len(examples)
    cos_sum, cos_n = 0.0, 0
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        windows = [([tk.BOS_ID] + examples[i][0][:max_len - 2] + [tk.EOS_ID],
                    [IGNORE] + examples[i][1][:max_len - 2] + [IGNORE]) for i in idx]
        dev = next(model.parameters()).device
        ids, mask, labels = (t.to(dev) for t in collate(windows))
        logits, hidden = model(ids, mask)
        p = torch.softmax(logits.float(), -1)[..., 1]
        for b, i in enumerate(idx):
            probs[i] = p[b, 1:1 + min(len(examples[i][0]), max_len - 2)].tolist()
        cos, n = interclass_cosine(hidden, labels)
        cos_sum += float(cos) * n
        cos_n += n
    return probs, (cos_sum / cos_n if cos_n else float("nan"))


def token_scores(examples, probs, threshold=0.5):
    """Token-level accuracy and preserve-class precision/recall/F1 at `threshold`."""
    tp = fp = fn = tn = 0
    for (_, labels), p in zip(examples, probs):
        for y, q in zip(labels, p):
            pred = q > threshold
            if pred and y == 1:
                tp += 1
            elif pred:
                fp += 1
            elif y == 1:
                fn += 1
            else:
                tn += 1
    prec = tp / max(tp + fp, 1)
    rec = tp / max(tp + fn, 1)
    return {
        "accuracy": (tp + tn) / max(tp + fp + fn + tn, 1),
        "precision": prec,
        "recall": rec,
        "f1": 2 * prec * rec / max(prec + rec, 1e-12),
        "tokens": tp + fp + fn + tn,
    }


def evaluate(model, examples, batch_size=64):
    probs, cos = predict(model, examples, batch_size)
    out = token_scores(examples, probs)
    out["interclass_cos"] = cos
    return out
