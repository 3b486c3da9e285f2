"""The languages table: the same 30 short documents in 12 languages (models/eval/
parallel_text.jsonl, the project's own text) compressed at 2x and 3x, per language: spread
(sentences that keep a word), front (kept characters in the first half; and pooled with the
same documents' sentences in reverse order, which leaves the position bias alone), heading numbers kept
whole and the share of characters kept (and of the compressor's own token count), for each
setting and a random baseline; then
minilongbench's Chinese QA contexts (answer character bigrams kept) against its English QA
contexts (answer words kept) at 3x, without and with the prompt's question; goals at 3x."""
import sys
import time

from .compressor import compress_all
from .languages_data import (EN_TASKS, LANGS, ZH_TASKS, bigram_retention, document, en_questions,
                             en_retention, front, heading_numbers, joined, joined_kept, kept_chars, kept_mask,
                             random_mask, read_parallel, spread, zh_questions)
from .settings import RATES, SEEDS, label, option

LANG_RATES = {"2x": RATES["2x"], "3x": RATES["3x"]}
QA_RATE = "3x"
METRICS = {  # name -> (document, kept mask) -> (count, total)
    "spread": spread,
    "front": lambda d, m: front(d["text"], m),
    "numbers": heading_numbers,
    "kept": lambda d, m: kept_chars(d["text"], m),
}
LANG_GOALS = [  # (metric, rate, low, high): in every language
    ("spread", "3x", 0.90, None), ("front", "3x", 0.40, 0.60), ("numbers", "3x", 0.90, None)]


def add(sums, key, pair):
    s = sums.setdefault(key, [0, 0])
    s[0] += pair[0]
    s[1] += pair[1]


def shares(sums):
    """{(a, b, ..., last): [count, total]} -> nested dicts a -> b -> ... -> last -> share."""
    out = {}
    for key, (k, n) in sums.items():
        d = out
        for part in key[:-1]:
            d = d.setdefault(part, {})
        d[key[-1]] = k / n if n else None
    return out


def core_words(text, words):
    """Words of the core (compress()'s words) with a letter or digit, and their characters."""
    w = [(s, e) for s, e, *_ in words if any(c.isalnum() for c in text[s:e])]
    return len(w), sum(e - s for s, e in w)


def parallel_part(args, settings, quick):
    rows = read_parallel()
    if quick:
        ids = sorted({r["id"] for r in rows})[:4]
        rows = [r for r in rows if r["id"] in ids]
    docs = [document(r) for r in rows]
    # The same documents with their sentences in reverse order: front pooled over both orders
    # ("front2") is the position bias alone; what a language's first sentences say cancels.
    flipped = [document(dict(r, sentences=r["sentences"][::-1])) for r in rows]
    index = [(rn, label(s)) for rn in LANG_RATES for s in settings]
    res = compress_all(args.model, [{"text": d["text"]} for d in docs + flipped],
                       [option(s, r) for r in LANG_RATES.values() for s in settings], scores=True, prompt=True)
    res, res_flipped = res[:len(docs)], res[len(docs):]
    sums, core, examples = {}, {}, {}
    first_id = docs[0]["id"]
    for d, f_doc, per, per_f in zip(docs, flipped, res, res_flipped):
        for ci, (rn, lab) in enumerate(index):
            mask = kept_mask(d["text"], per[ci]["kept"])
            for m, f in METRICS.items():
                add(sums, (d["lang"], lab, m, rn), f(d, mask))
            add(sums, (d["lang"], lab, "front2", rn), front(d["text"], mask))
            add(sums, (d["lang"], lab, "front2", rn), front(f_doc["text"], kept_mask(f_doc["text"], per_f[ci]["kept"])))
            add(sums, (d["lang"], lab, "tokens", rn), (per[ci]["compressedTokens"], per[ci]["originTokens"]))
        for rn, rate in LANG_RATES.items():
            for seed in SEEDS:
                mask = random_mask(d["text"], rate, seed)
                for m, f in METRICS.items():
                    add(sums, (d["lang"], "random", m, rn), f(d, mask))
                add(sums, (d["lang"], "random", "front2", rn), front(d["text"], mask))
        n, chars = core_words(d["text"], per[0]["words"])
        add(core, (d["lang"], "words_per_sentence"), (n, len(d["sentences"])))
        add(core, (d["lang"], "chars_per_word"), (chars, n))
        if d["id"] == first_id:
            at3x = [ci for ci, (rn, _) in enumerate(index) if rn == "3x"]
            examples[d["lang"]] = {"text": d["text"], **{index[ci][1]: per[ci]["prompt"] for ci in at3x}}
    return {"table": shares(sums), "core": shares(core), "examples": examples,
            "counts": {"documents": len({d["id"] for d in docs}), "languages": len({d["lang"] for d in docs}),
                       "sentences": sum(len(d["sentences"]) for d in docs if d["lang"] == "en"),
                       "heading_numbers": sum(heading_numbers(d, bytearray(len(d["text"])))[1]
                                              for d in docs if d["lang"] == "en")}}


def qa_part(args, settings, quick):
    """Chinese answer bigrams and English answer words kept at 3x, per task and over all prompts
    (mean of the prompts' shares), with the characters kept; None without minilongbench."""
    zh, en = zh_questions(args.data, 3 if quick else None), en_questions(args.data, 3 if quick else None)
    if zh is None or en is None:
        print("  languages: no eval/longbench/minilongbench.jsonl under --data, the LongBench part is skipped",
              file=sys.stderr)
        return None
    rate = RATES[QA_RATE]
    # Each setting without and with the prompt's question (issue: relevance in every language
    # the tokenizer splits into words, Chinese included).
    labels = [label(s) for s in settings] + [f"{label(s)} question" for s in settings]
    res = compress_all(args.model, [{"text": it["text"], "configs": [option(s, rate) for s in settings] + [
        {**option(s, rate), "question": it["question"]} for s in settings]} for it in zh + en], None)
    sums, ns = {}, {}

    def count(it, text, column, mask):
        k, n = bigram_retention(text, mask, it["grams"]) if it["set"] == "zh" else en_retention(it, mask)
        if n:
            for task in (it["task"], "all"):
                add(sums, (it["set"], task, column, "share"), (k / n, 1))
                add(sums, (it["set"], task, column, "kept"), kept_chars(text, mask))
                ns[(it["set"], task, column)] = ns.get((it["set"], task, column), 0) + 1
    for it, per in zip(zh + en, res):
        text = it["text"] if it["set"] == "zh" else joined(it["text"])
        for lab, r in zip(labels, per):
            kept = r["kept"] if it["set"] == "zh" else joined_kept(it["text"], r["kept"])
            count(it, text, lab, kept_mask(text, kept))
        for seed in SEEDS:
            count(it, text, "random", random_mask(text, rate, seed))
    out = shares(sums)
    for (st, task, col), n in ns.items():  # prompts counted (the random baseline's once, not per seed)
        out[st][task][col]["n"] = n // (len(SEEDS) if col == "random" else 1)
    return {"table": out, "rate": QA_RATE, "tasks": {"zh": list(ZH_TASKS), "en": list(EN_TASKS)}}


def goals_of(parallel, qa, labels):
    """Per setting: each LANG_GOALS metric in every language (with the languages that miss it),
    and Chinese answer bigrams >= English answer words at 3x."""
    goals = {}
    for lab in labels:
        g = goals.setdefault(lab, {})
        for m, rn, low, high in LANG_GOALS:
            vals = {lang: parallel["table"].get(lang, {}).get(lab, {}).get(m, {}).get(rn) for lang in LANGS}
            bad = {lang: v for lang, v in vals.items() if v is not None and (v < low or (high is not None and v > high))}
            name = f"{m}@{rn}" + (f" in [{low:g}, {high:g}]" if high is not None else f" >= {low:g}")
            g[name] = {"pass": not bad, "misses": bad}
        zh, en = (qa["table"].get(st, {}).get("all", {}).get(lab, {}).get("share") if qa else None for st in ("zh", "en"))
        if zh is not None and en is not None:
            g[f"zh answer bigrams >= en answer words @{qa['rate']}"] = {"pass": zh >= en, "misses": {"zh": zh, "en": en}}
    return goals


def languages_block(args, settings, quick):
    t0 = time.time()
    parallel = parallel_part(args, settings, quick)
    t1 = time.time()
    qa = qa_part(args, settings, quick)
    t2 = time.time()
    print(f"  languages block: parallel text {t1 - t0:.0f}s, LongBench {t2 - t1:.0f}s", file=sys.stderr)
    return {"parallel": parallel, "qa": qa, "goals": goals_of(parallel, qa, [label(s) for s in settings]),
            "rates": list(LANG_RATES), "wall_s": t2 - t0}
