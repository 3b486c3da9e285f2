"""eval.py's figures: token and word F1 of checkpoints on the held-out Google test set (or on
the SAT / broadcast sets), and an ONNX file in onnxruntime-web against a reference graph."""
import json
import os
import tempfile

from . import data as D
from . import tokenizer_train as tk
from .baselines import baselines
from .checkpoint import load_model
from .metrics import predict, token_scores
from .node import run_helper
from .splits import sat_split
from .word_f1 import f1_at_refs, kept_f1, word_index, word_scores


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


def eval_sets(path, args):
    """Word F1 at the references' keep rates on --sets, for a checkpoint."""
    model, ck = load_model(path)
    tok = args.tokenizer or ck["tokenizer"]
    return {name: f1_at_refs(rows, long_probs(model, tok, rows))
            for name, rows in ((n, load_rows(args.data, n)) for n in args.sets)}


def report(rows, examples, widx, probs):
    out = token_scores(examples, probs)
    out["word_f1_at_ref_rate"] = kept_f1(rows, [word_scores(p, w, len(r["words"])) for p, w, r in zip(probs, widx, rows)])
    return out


def eval_checkpoint(path, args):
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
        run_helper("ort_predict.mjs", onnx_path, inp, outp, check=True)
        with open(outp) as f:
            res = json.load(f)
    return [p[1:-1] for p in res["probs"]], res["ms"]


def eval_onnx(args):
    """The ONNX file's F1s, and with args.onnx_ref its agreement with that reference graph."""
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
    return r, rows


def evaluate_all(args):
    """Every --model checkpoint, then --onnx; the baselines on the test rows when any ran."""
    results = {}
    rows = None
    for path in args.model:
        if args.sets:
            results[path] = eval_sets(path, args)
            continue
        r, rows = eval_checkpoint(path, args)
        results[path] = r
    if args.onnx:
        results[args.onnx], rows = eval_onnx(args)
    if rows is not None:
        results["baselines"] = baselines(rows)
        results["test_sentences"] = len(rows)
    return results
