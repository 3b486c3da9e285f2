"""Retention of critical tokens when the real compressor (wasm core + onnxruntime-web, through
models/compress_many.mjs) shrinks real prompts, with and without MOOSComp's outlier scores.

    /usr/bin/python3 models/retention.py --data ../shared/data --model models/default [--json out.json]

Prompts (all from ../shared/data/eval, never trained on):
- GSM8K: chain-of-thought few-shot prompts of 8 worked examples drawn from GSM8K *train*
  ("Question: ... Let's think step by step ... The answer is N"), the demonstrations compressed;
  critical: every number (digits, with . , / or : inside).
- BBH: the 27 chain-of-thought prompts; critical: option letters "(A)".."(R)", and numbers.
- LongBench: --per-task prompts of each of the 21 MiniLongBench tasks; critical: the words of
  the gold answers (lower-cased, stopwords and 1-letter words left out) that occur in the prompt.
A number or option counts as kept when all its characters are in kept words; an answer word
when at least one of its occurrences is. Also reported, as the price of the fusion: word F1 at
the reference keep rate on --google test sentences, ranking words by the fused score.

Each setting is (rate, outlier, alpha): rates 1/2, 1/3, 1/5 of the target-LLM tokens; alpha = 1
is the classifier alone (LLMLingua-2), lower alphas mix in the hidden or lexical outlier score.
"""
import argparse
import bisect
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from eval import STOPWORDS, kept_f1  # noqa: E402
from mooscomp_models import data as D  # noqa: E402

RATES = {"2x": 1 / 2, "3x": 1 / 3, "5x": 1 / 5}
NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
OPTION = re.compile(r"\([A-R]\)")
WORD = re.compile(r"\w+")


def settings(alphas):
    out = [("none", 1.0)]
    for kind in ("hidden", "lexical"):
        out += [(kind, a) for a in alphas]
    return out


def gsm8k_prompts(data, n, shots=8, seed=0):
    rows = D.read_jsonl(os.path.join(data, "eval", "gsm8k", "train.jsonl"))
    rng = random.Random(seed)
    prompts = []
    for _ in range(n):
        demos = []
        for r in rng.sample(rows, shots):
            work, final = r["answer"].split("####")
            work = re.sub(r"<<[^>]*>>", "", work).strip()
            demos.append(f"Question: {r['question']}\nLet's think step by step\n{work}\nThe answer is {final.strip()}")
        prompts.append({"text": "\n\n".join(demos)})
    return prompts


def bbh_prompts(data):
    folder = os.path.join(data, "eval", "bbh", "cot-prompts")
    out = []
    for name in sorted(os.listdir(folder)):
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        text = text.split("-----", 1)[1].strip() if "-----" in text else text.strip()  # canary header
        out.append({"text": text, "task": name[:-4]})
    return out


def longbench_prompts(data, per_task):
    rows = D.read_jsonl(os.path.join(data, "eval", "longbench", "minilongbench.jsonl"))
    taken, out = {}, []
    for r in rows:
        if taken.get(r["task"], 0) < per_task:
            taken[r["task"]] = taken.get(r["task"], 0) + 1
            out.append({"text": r["prompt"], "task": r["task"], "answers": r["answers"]})
    return out


def kept_mask(text, kept):
    mask = bytearray(len(text))
    for s, e in kept:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def span_kept(text, mask, s, e):
    return all(mask[i] or text[i].isspace() for i in range(s, e))


def pattern_retention(text, mask, pattern):
    spans = [m.span() for m in pattern.finditer(text)]
    return sum(span_kept(text, mask, s, e) for s, e in spans), len(spans)


def answer_words(answers):
    words = set()
    for a in answers:
        for w in WORD.findall(a.lower()):
            if w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
                words.add(w)
    return words


def answer_retention(text, mask, answers):
    low = text.lower()
    kept = present = 0
    for w in answer_words(answers):
        ascii_word = w.isascii()
        pat = re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)") if ascii_word else re.compile(re.escape(w))
        spans = [m.span() for m in pat.finditer(low)]
        if spans:
            present += 1
            kept += any(span_kept(text, mask, s, e) for s, e in spans)
    return kept, present


def compress_all(model, items, configs, scores=False):
    with tempfile.TemporaryDirectory() as d:
        inp, outp = os.path.join(d, "in.json"), os.path.join(d, "out.json")
        with open(inp, "w") as f:
            json.dump({"configs": configs, "items": [{"text": it["text"]} for it in items], "scores": scores}, f)
        subprocess.run(["node", os.path.join(HERE, "compress_many.mjs"), model, inp, outp], cwd=ROOT, check=True)
        with open(outp) as f:
            return json.load(f)


def google_f1(data, model, limit, kinds):
    """Word F1 at the reference rate when words are ranked by the fused score."""
    rows = D.read_jsonl(os.path.join(data, "compression", "google", "test.jsonl"), limit)
    items = [{"text": " ".join(r["words"])} for r in rows]
    configs = [{"rate": 0.5, "outlier": k, "alpha": a} for k, a in kinds]
    res = compress_all(model, items, configs, scores=True)["results"]
    out = {}
    for ci, (k, a) in enumerate(kinds):
        per_row = []
        for r, it, per in zip(rows, items, res):
            starts, pos = [], 0
            for w in r["words"]:
                starts.append(pos)
                pos += len(w) + 1
            best = [0.0] * len(r["words"])
            for s, e, score in per[ci]["words"]:  # a compressor word lies inside one space-separated word
                i = max(0, bisect.bisect_right(starts, s) - 1)
                best[i] = max(best[i], score)
            per_row.append(best)
        out[f"{k}@{a:g}"] = kept_f1(rows, per_row)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", default=os.path.join(ROOT, "models", "default"), help="model folder (manifest.json)")
    p.add_argument("--gsm8k", type=int, default=40, help="few-shot prompts to build")
    p.add_argument("--per-task", type=int, default=3, help="LongBench prompts per task")
    p.add_argument("--google", type=int, default=2000, help="test sentences for the F1 price")
    p.add_argument("--alphas", default="0.9,0.8,0.6")
    p.add_argument("--json", help="also write the results here")
    args = p.parse_args(argv)

    kinds = settings([float(a) for a in args.alphas.split(",")])
    configs = [{"rate": r, "outlier": k, "alpha": a} for r in RATES.values() for k, a in kinds]
    label = [(rn, f"{k}@{a:g}") for rn in RATES for k, a in kinds]
    sets = {
        "gsm8k": (gsm8k_prompts(args.data, args.gsm8k), {"numbers": NUMBER}),
        "bbh": (bbh_prompts(args.data), {"options": OPTION, "numbers": NUMBER}),
        "longbench": (longbench_prompts(args.data, args.per_task), {"answer_words": None}),
    }
    table = {}
    for name, (items, metrics) in sets.items():
        res = compress_all(args.model, items, configs)
        for ci, (rn, setting) in enumerate(label):
            row = table.setdefault(setting, {})
            orig = sum(per[ci]["originTokens"] for per in res["results"])
            comp = sum(per[ci]["compressedTokens"] for per in res["results"])
            row[f"{name}.{rn}.ratio"] = orig / max(comp, 1)
            for metric, pattern in metrics.items():
                kept = total = 0
                for it, per in zip(items, res["results"]):
                    mask = kept_mask(it["text"], per[ci]["kept"])
                    k, t = (answer_retention(it["text"], mask, it["answers"]) if pattern is None
                            else pattern_retention(it["text"], mask, pattern))
                    kept, total = kept + k, total + t
                row[f"{name}.{rn}.{metric}"] = kept / max(total, 1)
                table.setdefault("_counts", {})[f"{name}.{metric}"] = total
        print(f"{name}: {len(items)} prompts, {res['inferMs'] / 1000:.0f}s in ORT, {res['totalMs'] / 1000:.0f}s in all",
              file=sys.stderr)
    if args.google:
        for setting, f1 in google_f1(args.data, args.model, args.google, kinds).items():
            table[setting]["google.word_f1_at_ref_rate"] = f1

    cols = [("gsm8k", "numbers"), ("bbh", "options"), ("bbh", "numbers"), ("longbench", "answer_words")]
    print("| setting | " + " | ".join(f"{d} {m} {rn}" for rn in RATES for d, m in cols) + " | Google word F1 |")
    print("|---" * (1 + len(RATES) * len(cols) + 1) + "|")
    for setting, row in table.items():
        if setting.startswith("_"):
            continue
        cells = [f"{row[f'{d}.{rn}.{m}']:.3f}" for rn in RATES for d, m in cols]
        print(f"| {setting} | " + " | ".join(cells) + f" | {row.get('google.word_f1_at_ref_rate', float('nan')):.4f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table, f, indent=1)


if __name__ == "__main__":
    main()
