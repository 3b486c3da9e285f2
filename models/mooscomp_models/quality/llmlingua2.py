"""Side by side with LLMLingua-2 large's outputs (eval/llmlingua2-reference): the word F1 of our
kept words against theirs, their words matched in order to the original's."""
import json
import os
import sys

from .compressor import compress_all
from .counting import WORD, kept_mask, span_kept
from .settings import label, option


def lcs_match(a, b):
    """Indices of a on a longest common subsequence of a and b (earliest in a on ties)."""
    n, m = len(a), len(b)
    L = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            L[i][j] = L[i + 1][j + 1] + 1 if a[i] == b[j] else max(L[i + 1][j], L[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            out.append(i)
            i, j = i + 1, j + 1
        elif L[i][j + 1] >= L[i + 1][j]:  # ties: match a's earliest occurrence
            j += 1
        else:
            i += 1
    return out


def set_f1(ours, theirs):
    return 2 * len(ours & theirs) / max(len(ours) + len(theirs), 1)


def llmlingua2_cases(args, settings):
    cases = json.load(open(os.path.join(args.data, "eval", "llmlingua2-reference", "cases.json"), encoding="utf-8"))["cases"]
    print("llmlingua2 cases:", file=sys.stderr)
    results = compress_all(args.model, [{"text": c["input"], "configs": [{**c["options"], **option(s, snake=True)} for s in settings]}
                                        for c in cases], None, prompt=True)
    out, f1 = [], {}
    for case, res in zip(cases, results):
        contexts = case["input"] if isinstance(case["input"], list) else [case["input"]]
        words = [(c, m.span()) for c, t in enumerate(contexts) for m in WORD.finditer(t)]
        original = [contexts[c][s:e] for c, (s, e) in words]
        theirs = set(lcs_match(original, WORD.findall(case["expected"])))
        row = {"name": case["name"], "options": case["options"], "theirs": case["expected"],
               "their_tokens": [case["origin_tokens"], case["compressed_tokens"]], "ours": {}}
        for s, r in zip(settings, res):
            kept = r["kept"] if isinstance(case["input"], list) else [r["kept"]]
            masks = [kept_mask(t, k) for t, k in zip(contexts, kept)]
            ours = {i for i, (c, (a, b)) in enumerate(words) if span_kept(contexts[c], masks[c], a, b)}
            row["ours"][label(s)] = {"text": r["prompt"], "tokens": [r["originTokens"], r["compressedTokens"]],
                                     "word_f1": set_f1(ours, theirs)}
            n = f1.setdefault(label(s), [0, 0])  # pooled over the cases: 2|A∩B| and |A| + |B|
            n[0], n[1] = n[0] + 2 * len(ours & theirs), n[1] + len(ours) + len(theirs)
        out.append(row)
    return out, {k: a / max(b, 1) for k, (a, b) in f1.items()}
