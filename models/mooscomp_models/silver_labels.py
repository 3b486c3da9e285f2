"""Graded silver labels in the LLM-prompt style (silver.py): unlabelled text cut into chunks,
each word's target the share of keep rates at which the part-of-speech rule keeps it."""
import json
import os
import re

from .pos_rule import rule_scores

RATES = (0.15, 0.25, 0.35, 0.45, 0.55, 0.65)


def graded(scores, keep_class=None):
    """Per word, the fraction of RATES at which keeping the top rate*n words keeps it; with
    keep_class, words of that rule class or above (scores >= keep_class) are 1.0 at any rate."""
    n = len(scores)
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    rank = [0] * n
    for r, i in enumerate(order):
        rank[i] = r
    return [1.0 if keep_class is not None and scores[i] >= keep_class else
            round(sum(rank[i] < rate * n for rate in RATES) / len(RATES), 3) for i in range(n)]


def _pieces(ws, chunk_words):
    """A line longer than chunk_words words, cut after a sentence end (or at 2 x chunk_words)."""
    start = 0
    for i, w in enumerate(ws):
        n = i + 1 - start
        if (n >= chunk_words and w[-1:] in ".?!") or n >= 2 * chunk_words:
            yield ws[start:i + 1]
            start = i + 1
    if start < len(ws):
        yield ws[start:]


def chunks_of_lines(lines, chunk_words):
    """Consecutive lines -> chunks (words, line start indices) of about chunk_words words."""
    words, starts = [], []
    for ws in (piece for line in lines for piece in _pieces(line.split(), chunk_words)):
        starts.append(len(words))
        words += ws
        if len(words) >= chunk_words:
            yield words, starts
            words, starts = [], []
    if len(words) >= 8:
        yield words, starts


def qmsum(path, limit_words, chunk_words):
    with open(path, encoding="utf-8") as f:
        lines = [line.strip() for line in f]
    total = 0
    for words, starts in chunks_of_lines(lines, chunk_words):
        yield words, starts
        total += len(words)
        if total >= limit_words:
            return


def _messages(node):
    if isinstance(node, dict):
        if isinstance(node.get("content"), str) and node.get("role") in ("user", "assistant"):
            yield node["content"]
        for v in node.values():
            yield from _messages(v)
    elif isinstance(node, list):
        for v in node:
            yield from _messages(v)


def documents(path, limit_words, chunk_words, chat):
    """Form-feed separated documents -> paragraph chunks (chat: the messages of JSON histories)."""
    with open(path, encoding="utf-8") as f:
        docs = f.read().split("\f")
    total = 0
    per_doc = max(chunk_words, limit_words // max(1, len(docs)))  # spread over documents
    for doc in docs:
        if chat:
            try:
                texts = list(_messages(json.loads(doc)))
            except ValueError:
                continue
        else:
            texts = [doc]
        taken = 0
        for text in texts:
            paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
            for words, starts in chunks_of_lines(paras, chunk_words):
                yield words, starts
                taken += len(words)
                total += len(words)
                if total >= limit_words:
                    return
                if taken >= per_doc:
                    break
            if taken >= per_doc:
                break


def write_silver(data, out_path, chunk_words=200, qmsum_words=1_200_000, chat_words=400_000, doc_words=400_000,
                 keep_class=None):
    """JSON lines {"words", "keep" (floats), "source"} from QMSum train, LongBench v2 chats and
    documents, written to out_path (atomically)."""
    pre = os.path.join(data, "pretrain")
    sources = [
        ("qmsum", qmsum(os.path.join(pre, "qmsum", "train.txt"), qmsum_words, chunk_words)),
        ("chat", documents(os.path.join(pre, "longbench2", "dialogue.txt"), chat_words, chunk_words, True)),
        ("documents", documents(os.path.join(pre, "longbench2", "documents.txt"), doc_words, chunk_words, False)),
    ]
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path + ".tmp", "w", encoding="utf-8") as out:
        for name, chunks in sources:
            chunks = list(chunks)
            scores = rule_scores([w for w, _ in chunks], [s for _, s in chunks])
            for (words, _), sc in zip(chunks, scores):
                out.write(json.dumps({"words": words, "keep": graded(sc, keep_class), "source": name}) + "\n")
            print(f"silver: {name}: {len(chunks)} chunks, {sum(len(w) for w, _ in chunks)} words", flush=True)
    os.replace(out_path + ".tmp", out_path)
