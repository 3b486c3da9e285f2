"""Word F1 at the reference's own keep rate through the compressor: each dataset word takes the
compressor's score, next to the random, stopwords-first and part-of-speech baselines."""
import bisect
import os
import subprocess
import sys

from .. import data as D
from ..baselines import baseline_scores
from ..word_f1 import f1_at_refs
from .compressor import compress_all
from .settings import SEEDS, label, option


def word_spans(text, words):
    spans, pos = [], 0
    for w in words:
        i = text.index(w, pos)
        spans.append((i, i + len(w)))
        pos = i + len(w)
    return spans


def dataset_word_scores(text, spans, comp_words):
    """Score of each dataset word: max over the overlapping compressor words [s, e, score],
    those with a letter or digit first."""
    starts = [w[0] for w in comp_words]
    out = []
    for s, e in spans:
        i = max(0, bisect.bisect_right(starts, s) - 1)
        over = []
        while i < len(comp_words) and comp_words[i][0] < e:
            if comp_words[i][1] > s:
                over.append(comp_words[i])
            i += 1
        alnum = [w[2] for w in over if any(c.isalnum() for c in text[w[0]:w[1]])]
        out.append(max(alnum or [w[2] for w in over] or [0.0]))
    return out


def baseline_f1(rows, pos_scores):
    """random and stopwords-first (eval.baselines, mean of SEEDS) and the pos rule, as f1_at_refs."""
    out = {"random": 0.0, "stopwords_first": 0.0}
    for seed in SEEDS:
        for name, scores in baseline_scores(rows, seed).items():
            out[name] += f1_at_refs(rows, scores) / len(SEEDS)
    out["pos_rule"] = f1_at_refs(rows, pos_scores) if pos_scores is not None else None
    return out


def pos_rule_scores(docs):
    try:
        from ..pos_rule import rule_scores
        return rule_scores(docs)
    except (ImportError, OSError, subprocess.CalledProcessError) as e:
        print(f"pos rule baseline unavailable: {e}", file=sys.stderr)
        return None


def agreement(args, settings, sat, quick):
    """Word F1 at reference rate for each setting and baseline, on SAT val/all, Google, broadcast."""
    google = D.read_jsonl(os.path.join(args.data, "compression", "google", "test.jsonl"), args.google)
    broadcast = D.read_jsonl(os.path.join(args.data, "compression", "broadcast", "dev.jsonl"),
                             40 if quick else None)
    for r in google:
        r["refs"] = [r["keep"]]
    for r in broadcast:
        r["refs"] = r["keep_refs"]
    human = google + broadcast
    res = compress_all(args.model, human, [option(s, 1 / 3) for s in settings], scores=True)
    sets = {"sat_val": [r for r in sat if r["val"]], "sat_all": sat, "google": google, "broadcast": broadcast}
    pos = pos_rule_scores([r["words"] for r in sat + human])
    pos_of = {id(r): p for r, p in zip(sat + human, pos)} if pos is not None else None
    table = {}
    for si, s in enumerate(settings):
        for r, per in zip(human, res):
            spans = word_spans(r["text"], r["words"])
            r.setdefault("scores", {})[si] = dataset_word_scores(r["text"], spans, per[si]["words"])
        table[label(s)] = {name: f1_at_refs(rows, [r["scores"][si] for r in rows]) for name, rows in sets.items()}
    for name, rows in sets.items():
        for b, v in baseline_f1(rows, [pos_of[id(r)] for r in rows] if pos_of else None).items():
            table.setdefault(b, {})[name] = v
    counts = {"sat_val": len(sets["sat_val"]), "sat_all": len(sat), "google": len(google),
              "broadcast": f"{len(broadcast)} sentences, up to 3 refs"}
    return table, counts
