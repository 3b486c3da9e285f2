"""The meaning table: negations, units, dates and comparisons kept at 2x/3x/5x (and on SAT at the LLM's own
rate), code fences, identifiers and requests, JSON that still parses; baselines and goals."""
import os
import re
import sys
import time

from .. import data as D
from .. import meaning as MN
from ..baselines import baseline_scores
from .compressor import compress_all
from .counting import kept_mask, span_kept
from .meaning_data import code_prompts, json_prompts, meaning_passages
from .settings import RATES, SEEDS, label, option
from .word_agreement import pos_rule_scores, word_spans

MEANING_ROWS = [  # (key, title)
    ("neg_whole", "negations kept whole (negated word kept => negation kept)"),
    ("neg_kept", "negations kept"),
    ("unit_kept", "units kept, of the numbers kept"),
    ("date_month", "months kept, of the dates whose number is kept"),
    ("month_kept", "month names kept"),
    ("cmp_whole", "comparisons kept whole (number kept => comparison kept: \"more than 20\", \"≤ 3\", \"about 20\")"),
]
MEANING_GOALS = [  # (key, rate, threshold)
    ("neg_whole", "3x", 0.95), ("unit_kept", "3x", 0.90), ("date_month", "3x", 0.95), ("cmp_whole", "3x", 0.95),
    ("code.fences", "2x", 1.0), ("code.identifiers", "2x", 0.80), ("protect.request", "2x", 0.90),
]


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
        "comparisons": total(passages, "comparisons"), "sat_comparisons": total(sat, "comparisons"),
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
