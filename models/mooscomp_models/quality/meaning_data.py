"""The meaning block's texts, built at run time and never from the held-out sets: passages with
negations, units and dates; chat prompts around standard-library functions; JSON objects."""
import json
import os
import random
import re

from .. import meaning as MN

MEANING_SOURCES = ("pretrain/longbench2/multi-documents.txt", "pretrain/qmsum/val.txt")
STDLIB = "/usr/lib/python3.11"
CODE_INTROS = [
    "Here is a function from our codebase:",
    "I found this helper in an old module of the project.",
    "A colleague wrote the function below and I have to maintain it now.",
    "This is part of a library we use at work.",
    "Please look at the following Python function.",
]
CODE_REQUESTS = [
    "Rewrite it to return a list and add type hints.",
    "Can you explain what this function does, step by step?",
    "Add unit tests for the edge cases, without changing the function.",
    "Why does it not check its arguments, and how would you fix that?",
    "Translate this function to JavaScript and keep the same names.",
    "Refactor it so that it never raises an exception on bad input.",
    "What is the time complexity of this function for an input of 10,000 items?",
    "Add docstrings in Google style and do not change the behaviour.",
]


def _passages_of(text, lo, hi, line_unit=False):
    """Runs of whole paragraphs (or lines: turns) of lo..hi words; longer paragraphs by sentences."""
    units = []
    for para in (text.split("\n") if line_unit else re.split(r"\n\s*\n", text)):
        para = para.strip()
        if not para:
            continue
        if len(para.split()) > hi:
            units += [x for x in re.split(r"(?<=[.!?])\s+", para) if x]
        else:
            units.append(para)
    out, cur, n = [], [], 0
    for u in units:
        w = len(u.split())
        if w > hi:
            cur, n = [], 0
            continue
        if n + w > hi:
            if n >= lo:
                out.append(("\n" if line_unit else "\n\n").join(cur))
            cur, n = [], 0
        cur.append(u)
        n += w
        if n >= lo and (n >= (lo + hi) // 2):
            out.append(("\n" if line_unit else "\n\n").join(cur))
            cur, n = [], 0
    return out


def _english_prose(p):
    letters = sum(c.isalpha() for c in p)
    return (letters > 0.7 * len(p) and sum(c.isascii() for c in p) > 0.98 * len(p)
            and "|" not in p and "```" not in p and "{" not in p and "http" not in p)


def meaning_passages(data, n=150, seed=0, lo=150, hi=300):
    """n passages of lo..hi words, picked at run time for what they contain: a third with >= 2
    negations that negate a word (half of them QMSum val meeting turns, half documents), a third
    with >= 2 number + unit, a third with >= 1 date in words. Documents: LongBench v2's
    multi-documents text (pre-training text the silver labels do not use); QMSum: the val
    transcripts the retention rows use. Never the held-out sets."""
    docs_path, qmsum_path = (os.path.join(data, p) for p in MEANING_SOURCES)
    rng = random.Random(seed)
    docs = []
    with open(docs_path, encoding="utf-8") as f:
        for doc in f.read().split("\f"):
            docs += [p for p in _passages_of(doc, lo, hi) if _english_prose(p)]
    with open(qmsum_path, encoding="utf-8") as f:
        meetings = [p for m in re.split(r"\n\s*\n", f.read()) for p in _passages_of(m, lo, hi, line_unit=True)]
    rng.shuffle(docs)
    rng.shuffle(meetings)
    third = n // 3
    quota = [("negation", meetings, third - third // 2, lambda f: sum(x["target"] is not None for x in f["negations"]) >= 2),
             ("negation", docs, third // 2, lambda f: sum(x["target"] is not None for x in f["negations"]) >= 2),
             ("unit", docs, third, lambda f: len(f["units"]) >= 2),
             ("date", docs, n - 2 * third, lambda f: len(f["dates"]) >= 1)]
    out, used = [], set()
    for kind, pool, want, test in quota:
        got = 0
        for p in pool:
            if got >= want:
                break
            if p in used:
                continue
            if test(MN.meaning_found(p)):
                used.add(p)
                out.append({"text": p, "kind": kind, "source": "qmsum" if pool is meetings else "documents"})
                got += 1
    return out


def stdlib_functions(lo=8, hi=40):
    """(file, name, source) of the functions of the Python standard library on this machine with
    a docstring and lo..hi lines (undecorated; methods dedented), in file and line order."""
    import ast
    import sysconfig
    import textwrap
    lib = STDLIB if os.path.isdir(STDLIB) else sysconfig.get_paths()["stdlib"]
    out = []
    for name in sorted(os.listdir(lib)):
        if not name.endswith(".py"):
            continue
        try:
            src = open(os.path.join(lib, name), encoding="utf-8").read()
            tree = ast.parse(src)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        lines = src.split("\n")
        for node in ast.walk(tree):
            if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.decorator_list
                    and ast.get_docstring(node) and lo <= node.end_lineno - node.lineno + 1 <= hi):
                code = textwrap.dedent("\n".join(lines[node.lineno - 1:node.end_lineno]))
                if "```" not in code and "\t" not in code:
                    out.append((name, node.lineno, node.name, code))
    out.sort()
    return [(f, n, c) for f, _, n, c in out]


def code_prompts(n=40, seed=0):
    """n chat prompts: a request, a ```python fenced standard-library function, a request after
    it (every other one a question), built deterministically."""
    rng = random.Random(seed)
    funcs = stdlib_functions()
    out = []
    for i, (f, name, code) in enumerate(rng.sample(funcs, min(n, len(funcs)))):
        intro, request = CODE_INTROS[i % len(CODE_INTROS)], CODE_REQUESTS[i % len(CODE_REQUESTS)]
        out.append({"text": f"{intro}\n\n```python\n{code}\n```\n\n{request}", "request": request,
                    "function": f"{f}:{name}"})
    return out


def json_prompts(passages, n=20):
    """n JSON objects built from passages: keys, long string values, numbers, a nested object
    and a list."""
    out = []
    step = max(len(passages) // max(n, 1), 1)
    for i, p in enumerate(passages[::step][:n]):
        sents = re.split(r"(?<=[.!?])\s+", p["text"].replace("\n", " "))
        nums = [float(x.replace(",", "")) if "." in x else int(x.replace(",", ""))
                for x in re.findall(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w])", p["text"])[:3]]
        obj = {"id": i + 1, "title": " ".join(p["text"].split()[:8]), "source": p["source"],
               "summary": " ".join(sents[:2]), "body": " ".join(sents[2:]) or p["text"],
               "stats": {"words": len(p["text"].split()), "sentences": len(sents), "numbers": nums},
               "tags": [p["kind"], p["source"]], "reviewed": i % 2 == 0}
        out.append({"text": json.dumps(obj, indent=2, ensure_ascii=False)})
    return out
