"""The languages block's data and metrics: the project's own parallel text (models/eval/
parallel_text.jsonl, 30 short documents in 12 languages), each document as one text; spread,
position bias, heading numbers and the kept share of a kept-character mask; a random baseline
over language-neutral units; minilongbench's Chinese QA prompts split into their context and
answers, and answer character bigrams (Chinese) / answer words (English) kept."""
import os
import re

from .. import data as D
from ..baselines import baseline_scores
from .counting import NUMBER, answer_retention, span_kept
from .question_data import longbench_questions

MODELS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARALLEL = os.path.join(MODELS, "eval", "parallel_text.jsonl")
LANGS = ("en", "de", "fr", "es", "it", "pt", "ru", "ar", "hi", "zh", "ja", "ko")
NO_SPACE = ("zh", "ja")  # sentences joined with nothing; a space for every other language
ZH_TASKS = ("multifieldqa_zh", "dureader", "passage_retrieval_zh")
EN_TASKS = ("multifieldqa_en", "hotpotqa", "2wikimqa", "qasper", "triviaqa")
# Where a Chinese template's context ends: the instruction said again, or the summary to place.
ZH_TAILS = ("\n\n现在请基于上面的文章", "\n\n请基于上述文章", "\n\n下面是一个摘要")

# Han, kana and CJK punctuation are one unit a character; any other run of non-space
# characters (a word of a spaced language, a number, Hangul eojeol) is one unit.
_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
UNIT = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")


def minilongbench(data):
    return os.path.join(data, "eval", "longbench", "minilongbench.jsonl")


def read_parallel(path=PARALLEL):
    return D.read_jsonl(path)


def document(row):
    """A parallel-text row as one text: heading, newline, the sentences joined by the language's
    separator; with the spans of the heading and of each sentence."""
    sep = "" if row["lang"] in NO_SPACE else " "
    text, spans = row["heading"] + "\n", []
    for i, s in enumerate(row["sentences"]):
        text += sep if i else ""
        spans.append((len(text), len(text) + len(s)))
        text += s
    return {"id": row["id"], "lang": row["lang"], "text": text, "heading": (0, len(row["heading"])), "sentences": spans}


def kept_mask(text, kept):
    mask = bytearray(len(text))
    for s, e in kept:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def spread(doc, mask):
    """(sentences with a kept letter or digit, sentences)."""
    text = doc["text"]
    return sum(any(mask[i] and text[i].isalnum() for i in range(s, e)) for s, e in doc["sentences"]), len(doc["sentences"])


def front(text, mask):
    """(kept characters in the first half, kept characters), counting non-space characters only
    (so the share is 0.5 for a compressor without position bias in any script)."""
    chars = [i for i, c in enumerate(text) if not c.isspace()]
    half = len(chars) / 2
    kept = [j for j, i in enumerate(chars) if mask[i]]
    return sum(j < half for j in kept), len(kept)


def heading_numbers(doc, mask):
    """(heading numbers kept whole, heading numbers)."""
    s0, e0 = doc["heading"]
    spans = [m.span() for m in NUMBER.finditer(doc["text"], s0, e0)]
    return sum(span_kept(doc["text"], mask, s, e) for s, e in spans), len(spans)


def kept_chars(text, mask):
    """(kept non-space characters, non-space characters)."""
    chars = [i for i, c in enumerate(text) if not c.isspace()]
    return sum(1 for i in chars if mask[i]), len(chars)


def units(text):
    return [m.span() for m in UNIT.finditer(text)]


def random_mask(text, rate, seed):
    """The kept mask of the random baseline: round(rate * n) of the text's units (words, or
    single Han/kana characters), drawn with mooscomp_models.baselines' random scores."""
    spans = units(text)
    scores = baseline_scores([{"words": [text[s:e] for s, e in spans]}], seed)["random"][0]
    top = sorted(range(len(spans)), key=lambda i: -scores[i])[:round(rate * len(spans))]
    return kept_mask(text, [spans[i] for i in top])


def split_zh(prompt):
    """A Chinese LongBench prompt -> (instruction, context, question): the instruction is the
    first paragraph, the context runs up to the template's closing paragraph (ZH_TAILS), the
    question is what follows "问题：" (passage_retrieval_zh: the summary to place)."""
    first = prompt.find("\n\n")
    end = max(prompt.rfind(t) for t in ZH_TAILS)
    if end <= first:
        end = len(prompt)
    tail = prompt[end:]
    if "问题：" in tail:
        question = tail[tail.rfind("问题：") + 3:].split("\n回答")[0].strip()
    else:
        question = tail.split("\n\n")[2].strip() if tail.count("\n\n") >= 2 else tail.strip()
    return prompt[:first], prompt[first + 2:end], question


def answer_bigrams(answers, context):
    """The answers' character bigrams (within runs of letters and digits, so no punctuation)
    that occur in the context."""
    grams = {run[i:i + 2] for a in answers for run in re.findall(r"[^\W_]+", a.lower()) for i in range(len(run) - 1)}
    low = context.lower()
    return sorted(g for g in grams if g in low)


def bigram_retention(text, mask, grams):
    """(bigrams with an occurrence kept whole, bigrams)."""
    low = text.lower()
    kept = 0
    for g in grams:
        at = low.find(g)
        while at >= 0:
            if mask[at] and mask[at + 1]:
                kept += 1
                break
            at = low.find(g, at + 1)
    return kept, len(grams)


def zh_questions(data, limit=None):
    """{"set": "zh", "task", "text": context, "grams"} for each Chinese QA prompt of
    minilongbench with an answer bigram in its context; None without the file."""
    if not os.path.exists(minilongbench(data)):
        return None
    out = []
    for r in D.read_jsonl(minilongbench(data)):
        if r["task"] in ZH_TASKS:
            _, context, question = split_zh(r["prompt"])
            grams = answer_bigrams(r["answers"], context)
            if grams:
                out.append({"set": "zh", "task": r["task"], "text": context, "question": question, "grams": grams})
    return out[:limit] if limit else out


def en_questions(data, limit=None):
    """question_data's English QA prompts (answer found in the text) of EN_TASKS, contexts joined
    into one text by blank lines (their kept spans shifted to match: joined_kept); None without
    the file."""
    if not os.path.exists(minilongbench(data)):
        return None
    out = [{**it, "set": "en"} for it in longbench_questions(data) if it["task"] in EN_TASKS]
    return out[:limit] if limit else out


def joined(contexts):
    return "\n\n".join(contexts)


def joined_kept(contexts, kept):
    """Per-context kept spans -> spans in joined(contexts)."""
    out, at = [], 0
    for c, spans in zip(contexts, kept):
        out += [(at + s, at + e) for s, e in spans]
        at += len(c) + 2
    return out


def en_retention(it, mask):
    """(answer words with an occurrence kept whole, answer words in the text): counting's
    answer_retention (no stopwords or 1-letter words) on the joined contexts."""
    return answer_retention(joined(it["text"]), mask, [it["answer"]])
