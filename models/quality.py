"""The quality of the real compressor (wasm core + onnxruntime-web, via models/compress_many.mjs)
with a model folder, under one or more selection settings, as one table (and --json).

    /usr/bin/python3 models/quality.py --data ../shared/data --model models/default \\
        [--settings none:1,hidden:0.8,lexical:0.9 | --outlier KIND --alpha A] [--json out.json] [--quick]
        [--only meaning] [--extra '{"keepMeaning": false}']

A setting is OUTLIER:ALPHA, handed unchanged to compress() as {outlier, alpha}, so kinds the
compressor adds later need no change here. Default: none:1 and the model's manifest default.
OUTLIER:ALPHA+KEY=VALUE... adds compress() options to a setting (VALUE read as JSON, else a
string: word-rarity:0.7+keepMeaning=false, none:1+code=lines); --extra adds them to every one.
One model pass per text serves every setting and rate (compress_many memoises ORT runs).

Agreement (word F1 at the reference's own keep rate: rank the words of a sentence or passage,
keep the k best, k = the words the reference keeps; F1 pooled over the rows). A dataset
word's score is the highest fused word score of the compressor words overlapping its
characters (words with a letter or digit first, so "Eliot," is not ranked by its comma):
- SAT (compression/llm-style/sat-dev.jsonl, LLM-style labels): the 12 validation passages of
  mooscomp_models.splits.sat_split, and all 40 for comparison with older figures;
- Google test (human deletions): the first --google sentences of test.jsonl;
- broadcast dev (human deletions, up to 3 references a sentence): F1 per reference, averaged
  (eval.f1_at_refs, as eval.py --sets).
Baselines at the same k: random (mean of 5 seeds), drop-stopwords-first (eval.STOPWORDS; mean
of 5 seeds) and the part-of-speech rule of mooscomp_models.pos_rule.

Retention at 2x/3x/5x (rates 1/2, 1/3, 1/5 of the target-LLM tokens): a number, option,
name or speaker counts as kept when all of its characters are kept; an answer word when one
of its occurrences is; a filler when any of its characters is (it shows in the output).
- GSM8K: numbers (digits, with . , / or : inside) of --gsm8k 8-shot chain-of-thought prompts
  built from GSM8K *train*; BBH: options "(A)".."(R)" and numbers of the 27 CoT prompts;
  LongBench: words of the gold answers (lower-cased, no stopwords or 1-letter words) found in
  --per-task prompts of each MiniLongBench task.
- QMSum val transcripts, --qmsum chunks of whole turns of >= 1,500 words, evenly spaced over
  all such chunks: numbers; proper names (a capitalised word that is not the turn's or a
  sentence's first word, nor I/OK/Yeah/...: NAME_STOP); speaker labels ("Grad A" of "Grad A:");
  fillers (uh, um, mm, hmm, uh-huh, mm-hmm, {disfmarker}, {vocalsound}, any {...}; lower is better).
- SAT: per question, the content words of the correct option found in the passage.
Integrity, both must be 0: numbers altered (an input number partly kept, or a number in the
output that is no number of the input) and empty outputs for non-empty input, over every
retention prompt plus short prompts and CJK/Thai sentences (EDGE), at every rate and setting.

Meaning (a second table; --only meaning runs it alone): detectors and counts of
mooscomp_models.meaning on data built at run time (never committed, never a held-out set):
--meaning passages of 150-300 words, a third with >= 2 negations (half QMSum val turns, half
LongBench v2 multi-documents text, which the silver labels do not use), a third with >= 2
number + unit, a third with a date in words; --code chat prompts, each a request, a ```python
fenced standard-library function (8-40 lines, a docstring; fixed seed) and a request after it;
20 JSON objects made of the passages. At 2x/3x/5x: negations kept whole (the negated word is
not kept without its negation) and kept; units kept among the numbers kept; months kept among
the dates whose number is kept, and month names kept; then the same on the 40 SAT passages at
the LLM's own rate, next to the LLM's labels (llm_ref); code fences intact, identifiers kept,
the request after the code verbatim, with plain compress and through protectPrompt; JSON that
parses with the same keys (compressJson when the package has it). Baselines keep as many
whitespace words of each passage as the first setting does at that rate (on SAT the LLM's own
count): random and stopwords-first (5 seeds, pooled) and the pos rule. Goal lines follow.

Side by side: the 5 prompts of eval/llmlingua2-reference with LLMLingua-2 large's output, ours
under the same compress_prompt options (+ the setting), and the word F1 of our kept words
against theirs, pooled over the 5 (their output's \\w+ words matched in order to the
original's by LCS); and 3 short prompts at 3x for a person to read.
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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from eval import STOPWORDS, baseline_scores, f1_at_refs  # noqa: E402
from mooscomp_models import data as D  # noqa: E402
from mooscomp_models import meaning as MN  # noqa: E402
from mooscomp_models.splits import sat_split  # noqa: E402

RATES = {"2x": 1 / 2, "3x": 1 / 3, "5x": 1 / 5}
NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
OPTION = re.compile(r"\([A-R]\)")
WORD = re.compile(r"\w+")
SPEAKER = re.compile(r"^([^\s:][^:\n]{0,40}?):", re.M)
FILLER = re.compile(r"(?<![\w-])(?:uh-huh|mm-hmm|um-hmm|uh|um|uhm|mm|hmm|hm|er|erm)(?![\w-])|\{\w+\}", re.I)
CONTRACTED = set("don can won didn doesn isn wasn aren weren couldn wouldn shouldn haven hasn gotta gonna wanna".split())
NAME_STOP = set("I OK Okay Yeah Yes No Oh Uh Um Mm Hmm Huh Alright Right Well So And But Yep Mah".split())
SEEDS = range(5)
EDGE = [  # short prompts and scripts without spaces: integrity only
    "北京是中华人民共和国的首都，常住人口超过2100万。故宫建于1420年。",
    "東京は日本の首都です。人口は約1400万人で、2021年に夏季オリンピックが開かれました。",
    "서울은 대한민국의 수도이며 인구는 약 950만 명이다. 한강이 도시를 가로지른다.",
    "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย มีประชากรประมาณ 10 ล้านคน",
    "Hi", "OK", "42", "Why?", "What is 2+2?", "Summarise this: the meeting moved to 11:05 on 3/4.",
    "Translate to French: I have 3 cats.", "x = 3.14", "🙂 thanks!",
]
EXAMPLES = {
    "chat": ("I need to write an email to my landlord, Mr. Patel, about the broken heater in apartment 4B. "
             "It stopped working on January 12 and the temperature inside has been around 14 degrees since then. "
             "I already called twice, on the 13th and the 16th, but nobody came. Please make the email polite "
             "but firm, ask for a repair within 3 days, and mention that I can be reached at 555-0142 after 6 pm."),
}


# ---------------------------------------------------------------- prompts

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


def bbh_prompts(data, limit=None):
    folder = os.path.join(data, "eval", "bbh", "cot-prompts")
    out = []
    for name in sorted(os.listdir(folder))[:limit]:
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        text = text.split("-----", 1)[1].strip() if "-----" in text else text.strip()  # canary header
        out.append({"text": text, "task": name[:-4]})
    return out


def longbench_prompts(data, per_task, tasks=None):
    rows = D.read_jsonl(os.path.join(data, "eval", "longbench", "minilongbench.jsonl"))
    taken, out = {}, []
    for r in rows:
        if taken.get(r["task"], 0) < per_task and (r["task"] in taken or tasks is None or len(taken) < tasks):
            taken[r["task"]] = taken.get(r["task"], 0) + 1
            out.append({"text": r["prompt"], "task": r["task"], "answers": r["answers"]})
    return out


def qmsum_chunks(data, n, words=1500):
    """n chunks of whole turns (>= `words` words), evenly spaced over all chunks of val.txt."""
    text = open(os.path.join(data, "pretrain", "qmsum", "val.txt"), encoding="utf-8").read()
    chunks = []
    for meeting in re.split(r"\n\s*\n", text):
        cur, count = [], 0
        for line in meeting.splitlines():
            if line.strip():
                cur.append(line)
                count += len(line.split())
            if count >= words:
                chunks.append("\n".join(cur))
                cur, count = [], 0
    step = len(chunks) / max(n, 1)
    return [{"text": chunks[int(i * step)]} for i in range(min(n, len(chunks)))]


def sat_rows(data):
    rows = D.read_jsonl(os.path.join(data, "compression", "llm-style", "sat-dev.jsonl"))
    val_ids = {r["id"] for r in sat_split(rows)[1]}
    for r in rows:
        r["val"] = r["id"] in val_ids
        r["refs"] = r["keep_refs"][:1]
        r["options"] = correct_options(r)
    return rows


def correct_options(row):
    """The text of each question's correct option ("B) the gold ..." -> "the gold ...")."""
    out = []
    for q, a in zip(row["questions"], row["answers"]):
        m = re.search(r"^" + re.escape(a.strip()) + r"\)\s*(.+)$", q, re.M)
        if m:
            out.append(m.group(1))
    return out


# ---------------------------------------------------------------- counting

def kept_mask(text, kept):
    mask = bytearray(len(text))
    for s, e in kept:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def span_kept(text, mask, s, e):
    return all(mask[i] or text[i].isspace() for i in range(s, e))


def count_kept(text, mask, spans, any_char=False):
    if any_char:
        return sum(any(mask[s:e]) for s, e in spans), len(spans)
    return sum(span_kept(text, mask, s, e) for s, e in spans), len(spans)


def pattern_retention(text, mask, pattern):
    return count_kept(text, mask, [m.span() for m in pattern.finditer(text)])


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
        pat = re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)") if w.isascii() else re.compile(re.escape(w))
        spans = [m.span() for m in pat.finditer(low)]
        if spans:
            present += 1
            kept += any(span_kept(text, mask, s, e) for s, e in spans)
    return kept, present


def speaker_spans(text):
    return [m.span(1) for m in SPEAKER.finditer(text)]


def filler_spans(text):
    return [m.span() for m in FILLER.finditer(text)]


def name_spans(text):
    """Capitalised words that start no turn or sentence (after . ? ! or a {marker}), minus NAME_STOP
    and function words: transcripts often start a sentence after a comma ("OK , It was"), and
    "It" or "What" there is no name."""
    out = []
    for line in re.finditer(r"[^\n]+", text):
        m = SPEAKER.match(line.group())
        start = line.start() + (m.end() if m else 0)
        prev = None
        for t in re.finditer(r"\S+", text[start:line.end()]):
            w = t.group()
            initial = prev is None or prev[-1] in ".?!" or prev.startswith("{")
            if (not initial and w[0].isupper() and len(w) > 1 and w.isalpha() and w not in NAME_STOP
                    and w.lower() not in STOPWORDS and w.lower() not in CONTRACTED):
                out.append((start + t.start(), start + t.end()))
            prev = w
    return out


def altered_numbers(text, mask, output):
    """Input numbers kept in part ("1.5 -> 1"), then output numbers that are neither a number of
    the input nor such a part (e.g. two kept numbers joined into a new one)."""
    out, parts = [], set()
    for m in NUMBER.finditer(text):
        s, e = m.span()
        if 0 < sum(mask[s:e]) < e - s:
            part = "".join(c for c, k in zip(m.group(), mask[s:e]) if k)
            out.append(f"{m.group()} -> {part}")
            parts.update(NUMBER.findall(part))
    known = set(NUMBER.findall(text)) | parts
    return out + [f"{n} (not in the input)" for n in NUMBER.findall(output) if n not in known]


def sat_answer_retention(text, mask, options):
    kept = total = 0
    for opt in options:  # per question
        k, t = answer_retention(text, mask, [opt])
        kept, total = kept + k, total + t
    return kept, total


METRICS = {  # name -> (item, mask) -> (kept, total)
    "numbers": lambda it, m: pattern_retention(it["text"], m, NUMBER),
    "options": lambda it, m: pattern_retention(it["text"], m, OPTION),
    "answer_words": lambda it, m: answer_retention(it["text"], m, it["answers"]),
    "names": lambda it, m: count_kept(it["text"], m, name_spans(it["text"])),
    "speakers": lambda it, m: count_kept(it["text"], m, speaker_spans(it["text"])),
    "fillers": lambda it, m: count_kept(it["text"], m, filler_spans(it["text"]), any_char=True),
    "sat_answers": lambda it, m: sat_answer_retention(it["text"], m, it["options"]),
}


# ---------------------------------------------------------------- word agreement

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
        from mooscomp_models.pos_rule import rule_scores
        return rule_scores(docs)
    except (ImportError, OSError, subprocess.CalledProcessError) as e:
        print(f"pos rule baseline unavailable: {e}", file=sys.stderr)
        return None


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


# ---------------------------------------------------------------- running the compressor

def compress_all(model, items, configs, scores=False, prompt=False):
    with tempfile.TemporaryDirectory() as d:
        inp, outp = os.path.join(d, "in.json"), os.path.join(d, "out.json")
        with open(inp, "w") as f:
            json.dump({"configs": configs, "scores": scores, "prompt": prompt,
                       "items": [{k: it[k] for k in ("text", "configs", "protect", "json") if k in it} for it in items]}, f)
        subprocess.run(["node", os.path.join(HERE, "compress_many.mjs"), os.path.abspath(model), inp, outp], cwd=ROOT, check=True)
        with open(outp) as f:
            res = json.load(f)
    print(f"  {len(items)} texts x {len(configs or items[0]['configs'])} configs: {res['inferMs'] / 1000:.0f}s in ORT, "
          f"{res['totalMs'] / 1000:.0f}s in all", file=sys.stderr)
    return res["results"]


def parse_settings(spec):
    """"OUTLIER:ALPHA[+KEY=VALUE...],..." -> (outlier, alpha) or (outlier, alpha, {KEY: VALUE}):
    extra compress() options of a setting, e.g. "word-rarity:0.7+keepMeaning=false" (VALUE is
    read as JSON, else kept as a string: "+code=lines")."""
    out = []
    for part in spec.split(","):
        base, *extras = part.strip().split("+")
        kind, _, alpha = base.partition(":")
        opts = {}
        for e in extras:
            k, _, v = e.partition("=")
            try:
                opts[k.strip()] = json.loads(v) if v else True
            except ValueError:
                opts[k.strip()] = v.strip()
        out.append((kind, float(alpha) if alpha else 1.0, opts) if opts else (kind, float(alpha) if alpha else 1.0))
    return out


def with_extra(setting, extra):
    """The setting with `extra` options under its own ones."""
    opts = {**extra, **(setting[2] if len(setting) > 2 else {})}
    return (setting[0], setting[1], opts) if opts else setting[:2]


def label(setting):
    extras = setting[2] if len(setting) > 2 else {}
    return f"{setting[0]}:{setting[1]:g}" + "".join(
        f"+{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in extras.items())


def option(setting, rate=None, snake=False):
    """compress() options of a setting; snake: compress_prompt's names for its extra options."""
    extra = setting[2] if len(setting) > 2 else {}
    if snake:
        extra = {re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), k): v for k, v in extra.items()}
    o = {"outlier": setting[0], "alpha": setting[1], **extra}
    return o if rate is None else {"rate": rate, **o}


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


def retention(args, settings, sets):
    """sets: name -> (items, metrics). Retention per setting and rate, the achieved ratio, integrity."""
    configs = [option(s, r) for r in RATES.values() for s in settings]
    index = [(rn, label(s)) for rn in RATES for s in settings]
    integrity = {label(s): {"numbers_altered": 0, "empty_outputs": 0} for s in settings}
    table, totals, outputs, tokens, failures = {}, {}, {}, {}, []
    for name, (items, metrics) in sets.items():
        print(f"{name}:", file=sys.stderr)
        res = compress_all(args.model, items, configs, scores=(name == "sat"), prompt=True)
        outputs[name] = res
        for ci, (rn, lab) in enumerate(index):
            t = tokens.setdefault((lab, rn), [0, 0])
            for it, per in zip(items, res):
                r = per[ci]
                mask = kept_mask(it["text"], r["kept"])
                altered = altered_numbers(it["text"], mask, r["prompt"])
                empty = bool(it["text"].strip()) and not r["prompt"].strip()
                integrity[lab]["numbers_altered"] += len(altered)
                integrity[lab]["empty_outputs"] += empty
                if (altered or empty) and sum(f["set"] == name for f in failures) < 20:
                    failures.append({"set": name, "rate": rn, "setting": lab, "numbers_altered": altered[:10],
                                     "empty": empty, "input": it["text"][:200]})
                t[0] += r["originTokens"]
                t[1] += r["compressedTokens"]
            for metric in metrics:
                kept = total = 0
                for it, per in zip(items, res):
                    k, n = METRICS[metric](it, kept_mask(it["text"], per[ci]["kept"]))
                    kept, total = kept + k, total + n
                table.setdefault(lab, {}).setdefault(f"{name}.{metric}", {})[rn] = kept / max(total, 1)
                totals[f"{name}.{metric}"] = total
    for (lab, rn), (o, c) in tokens.items():
        table[lab].setdefault("ratio", {})[rn] = o / max(c, 1)
    return table, totals, integrity, failures, outputs


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


def reader_examples(args, settings, qmsum):
    gsm = D.read_jsonl(os.path.join(args.data, "eval", "gsm8k", "test.jsonl"), 1)[0]
    meeting = "\n".join(qmsum[0]["text"].splitlines()[:12])
    items = [{"name": "meeting", "text": meeting}, {"name": "gsm8k", "text": gsm["question"]},
             {"name": "chat", "text": EXAMPLES["chat"]}]
    res = compress_all(args.model, items, [option(s, RATES["3x"]) for s in settings], prompt=True)
    return [{"name": it["name"], "text": it["text"], **{label(s): r["prompt"] for s, r in zip(settings, per)}}
            for it, per in zip(items, res)]


# ---------------------------------------------------------------- meaning block

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
MEANING_ROWS = [  # (key, title)
    ("neg_whole", "negations kept whole (negated word kept => negation kept)"),
    ("neg_kept", "negations kept"),
    ("unit_kept", "units kept, of the numbers kept"),
    ("date_month", "months kept, of the dates whose number is kept"),
    ("month_kept", "month names kept"),
]
MEANING_GOALS = [  # (key, rate, threshold)
    ("neg_whole", "3x", 0.95), ("unit_kept", "3x", 0.90), ("date_month", "3x", 0.95),
    ("code.fences", "2x", 1.0), ("code.identifiers", "2x", 0.80), ("protect.request", "2x", 0.90),
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


def top_k_keep(scores, k):
    top = set(sorted(range(len(scores)), key=lambda i: -scores[i])[:k])
    return [int(i in top) for i in range(len(scores))]


def baseline_meaning(items, k_of, pos_scores):
    """items: {"text", "spans": word spans, "found"}; k_of(item) -> words to keep. Pooled counts
    for random and stopwords-first (over SEEDS) and the pos rule."""
    rows = [{"words": [it["text"][s:e] for s, e in it["spans"]]} for it in items]
    out = {"random": {}, "stopwords_first": {}, "pos_rule": {} if pos_scores is not None else None}
    for seed in SEEDS:
        for name, scores in baseline_scores(rows, seed).items():
            for it, sc in zip(items, scores):
                keep = top_k_keep(sc, k_of(it))
                MN.add_counts(out[name], MN.meaning_counts(it["text"], [(s, e, f) for (s, e), f in zip(it["spans"], keep)], it["found"]))
    if pos_scores is not None:
        for it, sc in zip(items, pos_scores):
            keep = top_k_keep(sc, k_of(it))
            MN.add_counts(out["pos_rule"], MN.meaning_counts(it["text"], [(s, e, f) for (s, e), f in zip(it["spans"], keep)], it["found"]))
    return {name: (MN.shares(c) if c is not None else None) for name, c in out.items()}


def meaning_block(args, settings, quick):
    """The meaning table: negations, units, dates on passages of our own at 2x/3x/5x (settings and
    baselines), the same on SAT at the LLM's own rate (LLM labels alongside), code prompts
    (fences, identifiers, the request after the code; plain and through protectPrompt) and JSON."""
    t0 = time.time()
    passages = meaning_passages(args.data, 24 if quick else args.meaning)
    code = code_prompts(6 if quick else args.code)
    jsons = json_prompts(passages, 4 if quick else 20)
    sat = D.read_jsonl(os.path.join(args.data, "compression", "llm-style", "sat-dev.jsonl"))[:4 if quick else None]
    for it in passages:
        it["spans"] = [m.span() for m in re.finditer(r"\S+", it["text"])]
        it["found"] = MN.meaning_found(it["text"])
    for r in sat:
        r["spans"] = word_spans(r["text"], r["words"])
        r["found"] = MN.meaning_found(r["text"])
        r["k"] = sum(r["keep_refs"][0])
    print(f"meaning: {len(passages)} passages, {len(code)} code prompts, {len(jsons)} JSON, {len(sat)} SAT "
          f"({time.time() - t0:.0f}s to build)", file=sys.stderr)
    rated = [option(s, r) for r in RATES.values() for s in settings]
    index = [(rn, label(s)) for rn in RATES for s in settings]
    items = ([{"text": p["text"], "configs": rated} for p in passages]
             + [{"text": r["text"], "configs": [option(s, r["k"] / len(r["words"])) for s in settings]} for r in sat]
             + [{"text": c["text"], "configs": rated} for c in code]
             + [{"text": c["text"], "configs": rated, "protect": True} for c in code]
             + [{"text": j["text"], "configs": rated, "json": True} for j in jsons])
    res = compress_all(args.model, items, None, prompt=True)
    r_pass, rest = res[:len(passages)], res[len(passages):]
    r_sat, rest = rest[:len(sat)], rest[len(sat):]
    r_code, r_prot, r_json = rest[:len(code)], rest[len(code):2 * len(code)], rest[2 * len(code):]

    table = {label(s): {} for s in settings}
    for ci, (rn, lab) in enumerate(index):
        counts, words, tok = {}, [0, 0], [0, 0]
        for it, per in zip(passages, r_pass):
            r = per[ci]
            kw = [(s, e, 1) for s, e in r["kept"]]
            MN.add_counts(counts, MN.meaning_counts(it["text"], kw, it["found"]))
            mask = kept_mask(it["text"], r["kept"])
            k = sum(span_kept(it["text"], mask, s, e) for s, e in it["spans"])
            it.setdefault("k", {}).setdefault(rn, k)  # the first setting's: the baselines' k
            words[0] += k
            words[1] += len(it["spans"])
            tok[0] += r["originTokens"]
            tok[1] += r["compressedTokens"]
        for k, v in MN.shares(counts).items():
            table[lab].setdefault(k, {})[rn] = v
        table[lab].setdefault("words_kept", {})[rn] = words[0] / max(words[1], 1)
        table[lab].setdefault("ratio", {})[rn] = tok[0] / max(tok[1], 1)
        for name, results in (("code", r_code), ("protect", r_prot)):
            fences, ids, req, ctok = [0, 0], [0, 0], [0, 0], [0, 0]
            for c, per in zip(code, results):
                out = per[ci]["prompt"]
                ctok[0] += per[ci]["originTokens"]
                ctok[1] += per[ci]["compressedTokens"]
                fences[0] += MN.fences_intact(c["text"], out)
                fences[1] += 1
                a, b = MN.identifiers_kept(c["text"], out)
                ids[0], ids[1] = ids[0] + a, ids[1] + b
                req[0] += MN.request_kept(c["request"], out)
                req[1] += 1
            for key, (a, b) in (("fences", fences), ("identifiers", ids), ("request", req), ("ratio", ctok)):
                table[lab].setdefault(f"{name}.{key}", {})[rn] = a / max(b, 1)
        ok = sum(MN.json_same_keys(j["text"], per[ci]["prompt"]) for j, per in zip(jsons, r_json))
        table[lab].setdefault("json.valid", {})[rn] = ok / max(len(jsons), 1)
    api = r_json[0][0].get("api", "compress") if r_json else "compress"
    for si, s in enumerate(settings):  # SAT at the LLM's own rate
        counts, words = {}, [0, 0]
        for r, per in zip(sat, r_sat):
            kw = [(a, b, 1) for a, b in per[si]["kept"]]
            MN.add_counts(counts, MN.meaning_counts(r["text"], kw, r["found"]))
            mask = kept_mask(r["text"], per[si]["kept"])
            words[0] += sum(span_kept(r["text"], mask, a, b) for a, b in r["spans"])
            words[1] += len(r["spans"])
        for k, v in MN.shares(counts).items():
            table[label(s)][f"sat.{k}"] = v
        table[label(s)]["sat.words_kept"] = words[0] / max(words[1], 1)

    # baselines: as many words as the first setting keeps in each passage, the LLM's own k on SAT
    pos = pos_rule_scores([[it["text"][s:e] for s, e in it["spans"]] for it in passages + sat])
    pos_pass, pos_sat = (pos[:len(passages)], pos[len(passages):]) if pos is not None else (None, None)
    base = {b: {} for b in ("random", "stopwords_first", "pos_rule", "llm_ref")}
    for rn in RATES:
        for b, sh in baseline_meaning(passages, lambda it: it["k"][rn], pos_pass).items():
            for k, v in (sh or {}).items():
                base[b].setdefault(k, {})[rn] = v
    for b, sh in baseline_meaning(sat, lambda r: r["k"], pos_sat).items():
        for k, v in (sh or {}).items():
            base[b][f"sat.{k}"] = v
    for b in ("random", "stopwords_first", "pos_rule"):
        if base[b]:
            base[b]["words_kept"] = {rn: sum(p["k"][rn] for p in passages) / max(sum(len(p["spans"]) for p in passages), 1)
                                     for rn in RATES}
            base[b]["sat.words_kept"] = sum(r["k"] for r in sat) / max(sum(len(r["words"]) for r in sat), 1)
    llm = {}
    for r in sat:
        MN.add_counts(llm, MN.meaning_counts(r["text"], [(a, b, f) for (a, b), f in zip(r["spans"], r["keep_refs"][0])], r["found"]))
    base["llm_ref"] = {f"sat.{k}": v for k, v in MN.shares(llm).items()}
    base["llm_ref"]["sat.words_kept"] = sum(r["k"] for r in sat) / max(sum(len(r["words"]) for r in sat), 1)

    def total(items, key):
        return sum(len(it["found"][key]) for it in items)
    counts = {
        "passages": len(passages), "kinds": {k: sum(p["kind"] == k for p in passages) for k in ("negation", "unit", "date")},
        "negations": total(passages, "negations"),
        "negations_with_target": sum(x["target"] is not None for p in passages for x in p["found"]["negations"]),
        "units": total(passages, "units"), "dates": total(passages, "dates"), "months": total(passages, "months"),
        "sat": len(sat), "sat_negations": total(sat, "negations"),
        "sat_negations_with_target": sum(x["target"] is not None for r in sat for x in r["found"]["negations"]), "sat_units": total(sat, "units"),
        "sat_dates": total(sat, "dates"), "sat_months": total(sat, "months"),
        "code": len(code), "code_questions": sum(c["request"].endswith("?") for c in code), "json": len(jsons),
        "json_api": api,
    }
    goals = {}
    for lab in table:
        for key, rn, th in MEANING_GOALS:
            v = table[lab].get(key, {}).get(rn)
            goals.setdefault(lab, {})[f"{key}@{rn}>={th:g}"] = None if v is None else v >= th
    examples = {"code": code[0]["text"], **{lab: {"code_2x": r_code[0][list(RATES).index("2x") * len(settings) + si]["prompt"],
                                                  "protect_2x": r_prot[0][list(RATES).index("2x") * len(settings) + si]["prompt"],
                                                  "json_2x": r_json[0][list(RATES).index("2x") * len(settings) + si]["prompt"] if jsons else None}
                                            for si, lab in enumerate(table)}}
    return {"results": table, "baselines": base, "counts": counts, "goals": goals, "examples": examples,
            "code_functions": [c["function"] for c in code], "wall_s": time.time() - t0}


def print_meaning(m, settings):
    cols = list(settings) + ["random", "stopwords_first", "pos_rule", "llm_ref"]
    c = m["counts"]
    rows = [(f"{t} ({n}) 2x/3x/5x", k) for (k, t), n in zip(MEANING_ROWS, [
        c["negations_with_target"], c["negations"], f"{c['units']} number+unit", f"{c['dates']} dates", c["months"]])]
    rows += [("words kept, share 2x/3x/5x", "words_kept"), ("achieved ratio 2x/3x/5x", "ratio")]
    sat_n = [c["sat_negations_with_target"], c["sat_negations"], c["sat_units"], c["sat_dates"], c["sat_months"]]
    rows += [(f"SAT at the LLM's own rate: {t} ({n})", f"sat.{k}") for (k, t), n in zip(MEANING_ROWS, sat_n)]
    rows += [("SAT at the LLM's own rate: words kept, share", "sat.words_kept")]
    for name, how in (("code", "compress"), ("protect", "protectPrompt")):
        rows += [(f"code ({c['code']}) fences intact, {how} 2x/3x/5x", f"{name}.fences"),
                 (f"code identifiers kept, {how} 2x/3x/5x", f"{name}.identifiers"),
                 (f"code request after the code verbatim ({c['code_questions']} of {c['code']} questions), {how} 2x/3x/5x",
                  f"{name}.request"),
                 (f"code achieved ratio, {how} 2x/3x/5x", f"{name}.ratio")]
    rows += [(f"JSON ({c['json']}) parses with the same keys, via {c['json_api']} 2x/3x/5x", "json.valid")]
    kinds = ", ".join(f"{v} {k}" for k, v in c["kinds"].items())
    print(f"\n## Meaning ({c['passages']} passages: {kinds}; {c['sat']} SAT passages)\n")
    print("| metric | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for title, key in rows:
        cells = [fmt((m["results"][col] if col in m["results"] else m["baselines"].get(col) or {}).get(key)) for col in cols]
        print(f"| {title} | " + " | ".join(cells) + " |")
    for lab, g in m["goals"].items():
        print(f"\ngoals {lab}: " + ", ".join(f"{k} {'PASS' if v else 'FAIL' if v is not None else '–'}" for k, v in g.items()))


# ---------------------------------------------------------------- report

def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, dict):
        return "/".join("–" if v.get(rn) is None else f"{v[rn]:.3f}" for rn in RATES)
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def print_table(report):
    cols = list(report["settings"]) + ["random", "stopwords_first", "pos_rule"]
    res, c = report["results"], report["counts"]
    rows = [(f"SAT val word F1 ({c['sat_val']} passages)", "agreement", "sat_val"),
            (f"SAT all word F1 ({c['sat_all']} passages)", "agreement", "sat_all"),
            (f"Google test word F1 (first {c['google']})", "agreement", "google"),
            (f"broadcast dev word F1 ({c['broadcast']})", "agreement", "broadcast"),
            ("LLMLingua-2 large agreement, word F1 (5 cases pooled)", "llmlingua2_f1", None),
            ("achieved ratio 2x/3x/5x", "retention", "ratio")]
    rows += [(f"{k} ({n}) 2x/3x/5x" + (" ↓" if k.endswith("fillers") else ""), "retention", k)
             for k, n in c["retention"].items()]
    rows += [("INTEGRITY numbers altered (must be 0)", "integrity", "numbers_altered"),
             ("INTEGRITY empty outputs (must be 0)", "integrity", "empty_outputs")]
    print("| metric | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for title, part, key in rows:
        cells = []
        for col in cols:
            src = res.get(col, {}) if col in report["settings"] else report["baselines"].get(col, {})
            v = src.get(part, {}).get(key) if key else src.get(part)
            cells.append(fmt(v))
        print(f"| {title} | " + " | ".join(cells) + " |")
    bad = {s: v for s, v in report["integrity"].items() if any(v.values())}
    print("\nINTEGRITY: " + ("OK, no number altered and no empty output" if not bad else f"FAILED {bad}"))
    fails = report["integrity_failures"]
    empty = sorted({f["input"][:40] for f in fails if f["empty"]})
    altered = list(dict.fromkeys(a for f in fails for a in f["numbers_altered"]))
    if empty:
        print(f"  empty outputs for: {' | '.join(empty)}")
    if altered:
        print(f"  numbers altered, e.g.: {', '.join(altered[:12])}")


def print_side_by_side(report):
    first = report["settings"][0]
    print(f"\n## LLMLingua-2 (xlm-roberta-large) vs ours ({first}), same compress_prompt options")
    for case in report["llmlingua2"]:
        ours = case["ours"][first]
        print(f"\n### {case['name']} {json.dumps(case['options'])}  word F1 {ours['word_f1']:.3f}")
        print(f"LLMLingua-2 ({case['their_tokens'][0]} -> {case['their_tokens'][1]} tokens):\n{case['theirs']}")
        print(f"ours ({ours['tokens'][0]} -> {ours['tokens'][1]} tokens):\n{ours['text']}")
    print("\n## Examples at 3x")
    for ex in report["examples"]:
        print(f"\n### {ex['name']}\noriginal:\n{ex['text']}")
        for s in report["settings"]:
            print(f"{s}:\n{ex[s]}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", default=os.path.join(ROOT, "models", "default"), help="model folder (manifest.json)")
    p.add_argument("--settings", help="OUTLIER:ALPHA,... e.g. none:1,hidden:0.8,lexical:0.9")
    p.add_argument("--outlier", help="one setting (with --alpha), after --settings")
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--gsm8k", type=int, default=40, help="8-shot GSM8K prompts to build")
    p.add_argument("--per-task", type=int, default=3, help="LongBench prompts per task")
    p.add_argument("--google", type=int, default=2000, help="first N Google test sentences")
    p.add_argument("--qmsum", type=int, default=30, help="QMSum val chunks of ~1,500 words")
    p.add_argument("--meaning", type=int, default=150, help="meaning passages of 150-300 words")
    p.add_argument("--code", type=int, default=40, help="code prompts (standard-library functions)")
    p.add_argument("--extra", type=json.loads, default={},
                   help='compress() options added to every setting, e.g. \'{"keepMeaning": false}\'')
    p.add_argument("--only", choices=["meaning"], help="run only this block")
    p.add_argument("--quick", action="store_true", help="a few texts of each set (smoke test)")
    p.add_argument("--json", help="also write everything here")
    args = p.parse_args(argv)
    t0 = time.time()

    settings = parse_settings(args.settings) if args.settings else []
    if args.outlier:
        settings.append((args.outlier, args.alpha))
    if not settings:
        d = json.load(open(os.path.join(args.model, "manifest.json"))).get("defaults", {})
        settings = list(dict.fromkeys([("none", 1.0), (d.get("outlier", "none"), float(d.get("alpha", 1.0)))]))
    settings = [with_extra(s, args.extra) for s in settings]
    if args.quick:
        args.gsm8k, args.per_task, args.google, args.qmsum = 2, 1, 100, 2
    labels = [label(s) for s in settings]
    if args.only == "meaning":
        meaning = meaning_block(args, settings, args.quick)
        print_meaning(meaning, labels)
        report = {"model": args.model, "settings": labels, "quick": args.quick, "meaning": meaning,
                  "wall_s": time.time() - t0}
        print(f"\nwall time {report['wall_s']:.0f}s", file=sys.stderr)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(report, f, indent=1, ensure_ascii=False)
        return

    sat = sat_rows(args.data)
    if args.quick:
        sat = [r for r in sat if r["val"]][:2] + [r for r in sat if not r["val"]][:2]
    qmsum = qmsum_chunks(args.data, args.qmsum)
    sets = {
        "gsm8k": (gsm8k_prompts(args.data, args.gsm8k), ["numbers"]),
        "bbh": (bbh_prompts(args.data, 2 if args.quick else None), ["options", "numbers"]),
        "longbench": (longbench_prompts(args.data, args.per_task, 3 if args.quick else None), ["answer_words"]),
        "qmsum": (qmsum, ["numbers", "names", "speakers", "fillers"]),
        "sat": (sat, ["sat_answers"]),
        "edge": ([{"text": t} for t in EDGE], []),
    }
    ret, totals, integrity, failures, outputs = retention(args, settings, sets)
    at3x = list(RATES).index("3x") * len(settings)  # SAT word scores from the 3x run (scores do not depend on the rate)
    for r, per in zip(sat, outputs["sat"]):
        spans = word_spans(r["text"], r["words"])
        r["scores"] = {si: dataset_word_scores(r["text"], spans, per[at3x + si]["words"]) for si in range(len(settings))}
    print("agreement:", file=sys.stderr)
    agree, counts = agreement(args, settings, sat, args.quick)
    cases, case_f1 = llmlingua2_cases(args, settings)
    examples = reader_examples(args, settings, qmsum)
    meaning = meaning_block(args, settings, args.quick)

    report = {
        "model": args.model, "settings": labels, "quick": args.quick,
        "results": {lab: {"agreement": agree[lab], "retention": ret[lab], "llmlingua2_f1": case_f1[lab],
                          "integrity": integrity[lab]} for lab in labels},
        "baselines": {b: {"agreement": agree[b]} for b in ("random", "stopwords_first", "pos_rule")},
        "counts": {**counts, "retention": totals, "prompts": {k: len(v[0]) for k, v in sets.items()}},
        "integrity": integrity, "integrity_failures": failures, "llmlingua2": cases, "examples": examples,
        "meaning": meaning,
    }
    print_table(report)
    print_meaning(meaning, labels)
    print_side_by_side(report)
    report["wall_s"] = time.time() - t0
    print(f"\nwall time {report['wall_s']:.0f}s", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
