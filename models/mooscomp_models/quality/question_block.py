"""The question table: with the question given (compress(contexts, {question})) and without
it, at 2x/3x/5x, how often the whole answer survives and what share of its words do, on
multi-passage and one-document QA prompts, answer passages hidden among 4 others and SAT
questions; random and drop-stopwords-first at the same rate alongside."""
import re
import sys
import time

from ..baselines import baseline_scores
from .compressor import compress_all
from .question_data import hidden_among_four, longbench_questions, norm, sat_questions
from .settings import RATES, SEEDS, label, option

# (name, extra compress() options of an item)
QUESTION_CONFIGS = [
    ("no question", lambda it: {}),
    ("question", lambda it: {"question": it["question"]}),
    ("question, no bonus", lambda it: {"question": it["question"], "questionWeight": 0}),
]
QUESTION_GOALS = [("multi-passage", "whole", "3x", 0.90), ("multi-passage", "whole", "5x", 0.85)]


def answer_words(it):
    return it.get("answer_words") or norm(it["answer"]).split()


def scores_of(it, kept_text):
    """(whole answer kept, share of its words kept) for the text kept of an item's contexts."""
    text = norm(kept_text)
    words = set(text.split())
    aw = answer_words(it)
    whole = None if it["answer"] is None else float(norm(it["answer"]) in text)
    return whole, sum(w in words for w in aw) / len(aw)


def kept_text(contexts, kept):
    return " ".join(c[s:e] for c, spans in zip(contexts, kept) for s, e in spans)


def baseline_kept(it, rate, seed):
    """The contexts' whitespace words, top round(rate * n) by each baseline's scores."""
    out = {}
    spans = [[m.span() for m in re.finditer(r"\S+", c)] for c in it["text"]]
    rows = [{"words": [c[s:e] for c, sp in zip(it["text"], spans) for s, e in sp]}]
    k = round(rate * len(rows[0]["words"]))
    for name, (scores,) in baseline_scores(rows, seed).items():
        top = set(sorted(range(len(scores)), key=lambda i: -scores[i])[:k])
        out[name] = " ".join(w for i, w in enumerate(rows[0]["words"]) if i in top)
    return out


def add(table, key, whole, words):
    t = table.setdefault(key, {"n": 0, "whole": 0.0, "words": 0.0, "whole_n": 0})
    t["n"] += 1
    t["words"] += words
    if whole is not None:
        t["whole"] += whole
        t["whole_n"] += 1


def question_block(args, settings, quick):
    t0 = time.time()
    items = longbench_questions(args.data, 6 if quick else None)
    items = items + hidden_among_four(items) + sat_questions(args.data, 2 if quick else None)
    for it in items:
        it["configs"] = [{**option(s, rate), **extra(it)} for s in settings for rate in RATES.values()
                         for _, extra in QUESTION_CONFIGS]
    results = compress_all(args.model, items, None)
    table = {}  # (set, column, rate) -> sums
    for it, per in zip(items, results):
        k = 0
        for s in settings:
            for rate_name in RATES:
                for name, _ in QUESTION_CONFIGS:
                    add(table, (it["set"], f"{label(s)} {name}", rate_name), *scores_of(it, kept_text(it["text"], per[k]["kept"])))
                    k += 1
        for rate_name, rate in RATES.items():
            for seed in SEEDS:
                for name, text in baseline_kept(it, rate, seed).items():
                    add(table, (it["set"], name, rate_name), *scores_of(it, text))
    out = {}
    for (set_name, column, rate_name), t in table.items():
        cell = out.setdefault(set_name, {}).setdefault(column, {})
        cell[rate_name] = {"whole": t["whole"] / t["whole_n"] if t["whole_n"] else None, "words": t["words"] / t["n"]}
    counts = {}
    for it in items:
        counts[it["set"]] = counts.get(it["set"], 0) + 1
    print(f"  question block: {len(items)} prompts in {time.time() - t0:.0f}s", file=sys.stderr)
    return {"table": out, "counts": counts,
            "goals": [{"set": s, "metric": m, "rate": r, "goal": g} for s, m, r, g in QUESTION_GOALS]}
