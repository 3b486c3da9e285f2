"""Statistics of training text for the outlier readings measured against it (models/MANIFEST.md,
core/ALGORITHM.md): `hidden_stats` for `hidden-train`, `lexical.word_mean` / `word_std` for
`word-rarity`.

- hidden: the model's last hidden layer over windows of <= 510 tokens of the text ([CLS] ...
  [SEP], CLS and SEP excluded, as the core excludes them): per-dimension mean and population
  std, then the same statistics of s = mean_d |(h_d - mean_d) / (std_d + 1e-6)| over the tokens.
- words: x = the sum of a word's tokens' -log unigram frequency (the manifest's table); mean
  and population std over the text's words. Words follow the core's SentencePiece grouping
  (segmenter.cc): a piece starting with "▁" or a lone ASCII punctuation piece starts a word,
  a bare "▁" carries into the next piece, and a joiner (. , : / - ...) between two
  alphanumeric pieces with no space stays inside (numbers, identifiers: core/src/word_units.h,
  approximated).

The PyTorch model stands in for the ONNX one (Python has no onnxruntime here): a shipped folder
is rebuilt from its model.onnx (onnx_weights.py), its shape read from the graph.
"""
import json
import math

import numpy as np
import torch

from . import tokenizer_train as tk

EPS = 1e-6           # the core's kOutlierEps
WINDOW = 510         # tokens per window, CLS and SEP aside (max_seq_len 512)
JOINERS = set(".,:/\\-_@'&?=+#~%")
BOUNDARY = "\u2581"  # "▁"


# ---------------------------------------------------------------- text


def read_units(text=None, silver=None, limit=300):
    """Up to `limit` units of training text: lines of a text file, or JSON lines {words} of a
    silver file (models/silver.py) with the words joined by spaces. Empty units are skipped."""
    assert (text is None) != (silver is None), "one of text or silver"
    out = []
    with open(text or silver, encoding="utf-8") as f:
        for line in f:
            if len(out) >= limit:
                break
            unit = " ".join(json.loads(line)["words"]) if silver else line
            unit = " ".join(unit.split())  # no newlines or tabs inside a unit
            if unit:
                out.append(unit)
    return out


def word_ranges(ids, pieces):
    """[(begin, end)] token ranges of the words of one encoded unit (see the module doc)."""
    def text(i):
        return pieces[ids[i]] if 0 <= ids[i] < len(pieces) else ""

    starts = []
    carry = False
    for i in range(len(ids)):
        p = text(i)
        start = p.startswith(BOUNDARY) or (len(p) == 1 and p.isascii() and not p.isalnum() and p.isprintable()
                                           and not p.isspace())
        if carry and not p.startswith(BOUNDARY):
            start = False
        if start and len(p) == 1 and p in JOINERS and i > 0 and i + 1 < len(ids):
            prev, nxt = text(i - 1), text(i + 1)
            if prev and prev[-1].isalnum() and nxt and not nxt.startswith(BOUNDARY) and nxt[0].isalnum():
                start = False
        if start or i == 0:
            starts.append(i)
        carry = (start or i == 0) and p == BOUNDARY
    return [(b, e) for b, e in zip(starts, starts[1:] + [len(ids)])]


def word_rarity_stats(id_lists, pieces, neg_log_freq, unk_id=tk.UNK_ID):
    """{"word_mean", "word_std", "words"}: x = sum of -log f over each word's tokens. Words
    holding an unknown piece (markup such as QMSum's "{disfmarker}", ~3% of its words, at the
    table's maximum per piece) are left out: they would stretch the std of ordinary words."""
    xs = []
    for ids in id_lists:
        for b, e in word_ranges(ids, pieces):
            if unk_id in ids[b:e]:
                continue
            xs.append(sum(neg_log_freq[i] if 0 <= i < len(neg_log_freq) else 0.0 for i in ids[b:e]))
    x = np.asarray(xs, dtype=np.float64)
    return {"word_mean": float(x.mean()), "word_std": float(x.std()), "words": len(xs)}


def pack_windows(id_lists, window=WINDOW):
    """Consecutive units packed into windows of at most `window` tokens (a longer unit is cut)."""
    out, cur = [], []
    for ids in id_lists:
        for k in range(0, max(len(ids), 1), window):
            part = ids[k:k + window]
            if not part:
                continue
            if len(cur) + len(part) > window:
                out.append(cur)
                cur = []
            cur = cur + part
    if cur:
        out.append(cur)
    return out


# ---------------------------------------------------------------- hidden states


def hidden_rows(model, windows, batch_size=8, bos=tk.BOS_ID, eos=tk.EOS_ID, pad=tk.PAD_ID):
    """float32 [tokens, H]: the last hidden layer at every real token of every window."""
    rows = []
    model.eval()
    with torch.no_grad():
        for k in range(0, len(windows), batch_size):
            batch = [[bos] + w + [eos] for w in windows[k:k + batch_size]]
            width = max(len(r) for r in batch)
            ids = torch.tensor([r + [pad] * (width - len(r)) for r in batch], dtype=torch.int64)
            mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in batch], dtype=torch.int64)
            _, hidden = model(ids, mask)
            for r, row in enumerate(batch):
                rows.append(hidden[r, 1:len(row) - 1].to(torch.float32).numpy())
    return np.concatenate(rows, axis=0)


def hidden_stats_of(h):
    """manifest hidden_stats from [tokens, H] hidden rows (float64 sums)."""
    h = np.asarray(h, dtype=np.float64)
    mean = h.mean(axis=0)
    std = h.std(axis=0)
    s = np.abs((h - mean) / (std + EPS)).mean(axis=1)
    return {"mean": mean.tolist(), "std": std.tolist(), "score_mean": float(s.mean()),
            "score_std": float(s.std()), "tokens": int(h.shape[0])}


# ---------------------------------------------------------------- all together


def compute_stats(model, tokenizer_path, units, neg_log_freq, hidden=True, batch_size=8):
    """-> {"hidden_stats": {...} or None, "lexical": {"word_mean", "word_std"}, "info": {...}}."""
    pieces = tk.load_pieces(tokenizer_path)
    id_lists = tk.encode_lines(tokenizer_path, units)
    words = word_rarity_stats(id_lists, pieces, neg_log_freq)
    info = {"units": len(units), "words": words["words"]}
    hs = None
    if hidden:
        windows = pack_windows(id_lists)
        hs = hidden_stats_of(hidden_rows(model, windows, batch_size=batch_size))
        info.update(windows=len(windows), tokens=hs.pop("tokens"))
    return {"hidden_stats": hs, "lexical": {"word_mean": words["word_mean"], "word_std": words["word_std"]},
            "info": info}


def add_to_manifest(manifest, stats, digits=6):
    """Writes the statistics into a manifest dict (in place) and returns it."""
    def r(v):
        return float(f"{v:.{digits}g}")

    lexical = manifest.setdefault("lexical", {})
    lexical["word_mean"] = r(stats["lexical"]["word_mean"])
    lexical["word_std"] = r(stats["lexical"]["word_std"])
    hs = stats.get("hidden_stats")
    if hs is not None:
        assert len(hs["mean"]) == manifest.get("hidden_size"), "hidden_stats must match hidden_size"
        manifest["hidden_stats"] = {"mean": [r(v) for v in hs["mean"]], "std": [r(v) for v in hs["std"]],
                                    "score_mean": r(hs["score_mean"]), "score_std": r(hs["score_std"])}
    return manifest


def check_stats(stats):
    """Raises ValueError on statistics the loaders would reject."""
    lex = stats["lexical"]
    if not (math.isfinite(lex["word_mean"]) and math.isfinite(lex["word_std"]) and lex["word_std"] > 0):
        raise ValueError(f"bad word statistics {lex}")
    hs = stats.get("hidden_stats")
    if hs is not None:
        if not all(math.isfinite(v) for v in hs["mean"] + hs["std"]) or min(hs["std"]) < 0:
            raise ValueError("non-finite hidden statistics")
        if not (math.isfinite(hs["score_mean"]) and hs["score_std"] > 0):
            raise ValueError(f"bad hidden score statistics {hs['score_mean']}, {hs['score_std']}")
