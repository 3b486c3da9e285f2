"""Evaluates token classifiers on the Google test set (held out from training).

    /usr/bin/python3 models/eval.py --data ../shared/data --model models/runs/<run>/model.pt [more.pt ...]
    /usr/bin/python3 models/eval.py --data ../shared/data --onnx models/default/model.onnx \
        --onnx-ref models/default/model.fp32.onnx --tokenizer models/default/tokenizer.model

For PyTorch checkpoints: token F1/accuracy (preserve class, p > 0.5), the mean inter-class
cosine S^L of the final layer, and word-level F1 at the reference's own keep rate (keep the
k highest-scoring words of each sentence, k = the words the reference keeps), next to two
baselines, random and drop-stopwords-first. For ONNX files (run in onnxruntime-web under
Node, single-threaded): the same F1s, and with --onnx-ref the label agreement with a
reference graph (int8 vs fp32).

This is the quick check on PyTorch checkpoints while training. The figures that choose a model
(LLM-style and human agreement through the real compressor, retention of critical tokens at
2x/3x/5x, integrity, outlier settings) come from models/quality.py.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from mooscomp_models import data as D  # noqa: E402
from mooscomp_models import tokenizer_train as tk  # noqa: E402
from mooscomp_models.metrics import predict, token_scores  # noqa: E402
from mooscomp_models.splits import sat_split  # noqa: E402

# English function words, written for the drop-stopwords-first baseline.
STOPWORDS = set("""a an the and or but nor so yet for of to in on at by with from into onto upon about
above below over under after before during since until while as than then that this these those there
here it its it's he him his she her hers they them their theirs we us our ours you your yours i me my
mine who whom whose which what when where why how is am are was were be been being have has had having
do does did doing will would shall should can could may might must not no also just very too only even
all any both each few more most other some such own same again further once if because whether""".split())


def word_index(ids, pieces):
    """Word number of each token (a word starts at a "▁" piece)."""
    out, w = [], -1
    for i in ids:
        if pieces[i].startswith("\u2581") or w < 0:
            w += 1
        out.append(w)
    return out


def word_scores(token_probs, widx, n_words):
    """Mean preserve probability of each word's tokens (LLMLingua-2's default)."""
    sums, counts = [0.0] * n_words, [0] * n_words
    for p, w in zip(token_probs, widx):
        sums[w] += p
        counts[w] += 1
    return [s / max(c, 1) for s, c in zip(sums, counts)]


def kept_f1(rows, scores_per_row):
    """Pooled F1 of kept words when each sentence keeps as many words as its reference."""
    tp = kept = ref = 0
    for r, scores in zip(rows, scores_per_row):
        keep = r["keep"]
        k = sum(keep)
        top = sorted(range(len(keep)), key=lambda i: -scores[i])[:k]
        tp += sum(keep[i] for i in top)
        kept += k
        ref += k
    prec, rec = tp / max(kept, 1), tp / max(ref, 1)
    return 2 * prec * rec / max(prec + rec, 1e-12)


def baseline_scores(rows, seed=0):
    """Word scores of the two baselines: random, and drop-stopwords-first (stopwords go first,
    in random order; every other word, punctuation too, is random after)."""
    rng = random.Random(seed)
    rand = [[rng.random() for _ in r["words"]] for r in rows]
    stop = [[(0.0 if w.lower() in STOPWORDS else 1.0) + 0.5 * rng.random() for w in r["words"]] for r in rows]
    return {"random": rand, "stopwords_first": stop}


def baselines(rows, seed=0):
    return {name: kept_f1(rows, scores) for name, scores in baseline_scores(rows, seed).items()}


def load_test(data_dir, tokenizer, limit=None):
    """Test sentences (cased, real digits) -> rows, (ids, labels) examples, word index per token."""
    rows = D.read_jsonl(os.path.join(data_dir, "compression", "google", "test.jsonl"), limit)
    pieces = tk.load_pieces(tokenizer)
    encoded = tk.encode_lines(tokenizer, [" ".join(r["words"]) for r in rows])
    keep_rows, examples, widx = [], [], []
    for r, ids in zip(rows, encoded):
        labels = D.align_labels(ids, pieces, r["keep"])
        if labels is None or not ids or len(ids) > 510:
            continue
        keep_rows.append(r)
        examples.append((ids, labels))
        widx.append(word_index(ids, pieces))
    return keep_rows, examples, widx


def load_rows(data_dir, name):
    """Labelled rows {"words", "refs": [[0/1...], ...]} of a set: "sat" (the validation passages
    of the LLM-compressed set, splits.py) or "broadcast" (3 human references each)."""
    if name == "sat":
        rows = sat_split(D.read_jsonl(os.path.join(data_dir, "compression", "llm-style", "sat-dev.jsonl")))[1]
    else:
        rows = D.read_jsonl(os.path.join(data_dir, "compression", "broadcast", "dev.jsonl"))
    return [{"words": r["words"], "refs": r["keep_refs"]} for r in rows]


def long_probs(model, tokenizer, rows, room=510):
    """Word scores of rows of any length: each row's tokens cut at word starts into windows of
    <= room tokens, each window scored as its own sequence."""
    pieces = tk.load_pieces(tokenizer)
    encoded = tk.encode_lines(tokenizer, [" ".join(r["words"]) for r in rows])
    parts, owner = [], []
    for n, ids in enumerate(encoded):
        start = 0
        while start < len(ids):
            end = min(len(ids), start + room)
            while end < len(ids) and end > start + 1 and not pieces[ids[end]].startswith("\u2581"):
                end -= 1
            parts.append((ids[start:end], [0] * (end - start)))
            owner.append(n)
            start = end
    probs, _ = predict(model, parts)
    joined = [[] for _ in rows]
    for n, p in zip(owner, probs):
        joined[n] += p
    return [word_scores(p, word_index(ids, pieces), len(r["words"])) for p, ids, r in zip(joined, encoded, rows)]


def f1_at_refs(rows, scores):
    """Word F1 at each reference's own keep rate, pooled over rows, averaged over references."""
    n_refs = max(len(r["refs"]) for r in rows)
    f1s = []
    for k in range(n_refs):
        sub = [(dict(words=r["words"], keep=r["refs"][k]), s) for r, s in zip(rows, scores) if len(r["refs"]) > k]
        f1s.append(kept_f1([a for a, _ in sub], [b for _, b in sub]))
    return sum(f1s) / len(f1s)


def eval_sets(path, args):
    """Word F1 at the references' keep rates on --sets, for a checkpoint."""
    from export import load_model
    model, ck = load_model(path)
    tok = args.tokenizer or ck["tokenizer"]
    return {name: f1_at_refs(rows, long_probs(model, tok, rows))
            for name, rows in ((n, load_rows(args.data, n)) for n in args.sets)}


def report(rows, examples, widx, probs):
    out = token_scores(examples, probs)
    out["word_f1_at_ref_rate"] = kept_f1(rows, [word_scores(p, w, len(r["words"])) for p, w, r in zip(probs, widx, rows)])
    return out


def eval_checkpoint(path, args):
    from export import load_model
    model, ck = load_model(path)
    model.to(args.device)
    tok = args.tokenizer or ck["tokenizer"]
    rows, examples, widx = load_test(args.data, tok, args.limit)
    probs, cos = predict(model, examples)
    out = report(rows, examples, widx, probs)
    out.update({"interclass_cos": cos, "step": ck.get("step"), "beta": ck.get("args", {}).get("beta")})
    return out, rows


def onnx_probs(onnx_path, examples):
    with tempfile.TemporaryDirectory() as d:
        inp, outp = os.path.join(d, "in.json"), os.path.join(d, "out.json")
        with open(inp, "w") as f:
            json.dump({"sequences": [[tk.BOS_ID] + ids + [tk.EOS_ID] for ids, _ in examples]}, f)
        subprocess.run(["node", os.path.join(HERE, "ort_predict.mjs"), onnx_path, inp, outp], cwd=ROOT, check=True)
        with open(outp) as f:
            res = json.load(f)
    return [p[1:-1] for p in res["probs"]], res["ms"]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", nargs="*", default=[], help="model.pt checkpoints")
    p.add_argument("--onnx", help="an ONNX model to run in onnxruntime-web")
    p.add_argument("--onnx-ref", help="a second ONNX (e.g. fp32) to compare --onnx against")
    p.add_argument("--tokenizer", help="needed with --onnx; default for .pt: the recorded one")
    p.add_argument("--limit", type=int, default=None, help="first N test sentences only")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--device", default="cpu", help="for .pt checkpoints: cpu, cuda")
    p.add_argument("--sets", type=lambda v: v.split(","), default=None,
                   help="instead of the Google test set: sat (LLM-style validation passages) and/or broadcast "
                        "(word F1 at the references' rates; the whole picture is models/quality.py's)")
    args = p.parse_args(argv)

    results = {}
    rows = None
    for path in args.model:
        if args.sets:
            results[path] = eval_sets(path, args)
            continue
        r, rows = eval_checkpoint(path, args)
        results[path] = r
    if args.onnx:
        rows, examples, widx = load_test(args.data, args.tokenizer, args.limit)
        probs, ms = onnx_probs(args.onnx, examples)
        r = report(rows, examples, widx, probs)
        r["ort_ms"] = ms
        if args.onnx_ref:
            ref, ref_ms = onnx_probs(args.onnx_ref, examples)
            rr = report(rows, examples, widx, ref)
            same = sum((a > 0.5) == (b > 0.5) for pa, pb in zip(probs, ref) for a, b in zip(pa, pb))
            total = sum(len(pa) for pa in probs)
            r["vs_ref"] = {"label_agreement": same / total, "f1_diff": r["f1"] - rr["f1"],
                           "word_f1_diff": r["word_f1_at_ref_rate"] - rr["word_f1_at_ref_rate"],
                           "ref_f1": rr["f1"], "ref_ms": ref_ms,
                           "max_abs_prob_diff": max(abs(a - b) for pa, pb in zip(probs, ref) for a, b in zip(pa, pb))}
        results[args.onnx] = r
    if rows is not None:
        results["baselines"] = baselines(rows)
        results["test_sentences"] = len(rows)
    print(json.dumps(results, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
