"""The quality report printed as markdown: the main table, the meaning table and goals, the
side-by-side texts."""
import json

from .meaning_block import MEANING_ROWS
from .settings import RATES


def print_meaning(m, settings):
    cols = list(settings) + ["random", "stopwords_first", "pos_rule", "llm_ref"]
    c = m["counts"]
    rows = [(f"{t} ({n}) 2x/3x/5x", k) for (k, t), n in zip(MEANING_ROWS, [
        c["negations_with_target"], c["negations"], f"{c['units']} number+unit", f"{c['dates']} dates", c["months"],
        f"{c.get('comparisons', '–')} comparisons"])]
    rows += [("words kept, share 2x/3x/5x", "words_kept"), ("achieved ratio 2x/3x/5x", "ratio")]
    sat_n = [c["sat_negations_with_target"], c["sat_negations"], c["sat_units"], c["sat_dates"], c["sat_months"],
             c.get("sat_comparisons", "–")]
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


def print_question(q):
    """The question table: per prompt set, whole answers and answer words kept at 2x/3x/5x, per
    setting with and without the question, and the baselines."""
    counts = ", ".join(f"{n} {name}" for name, n in q["counts"].items())
    print(f"\n## Question ({counts}; whole answer kept / answer words kept, 2x/3x/5x)\n")
    print("| prompts | compressor | whole answer | answer words |")
    print("|---|---|---|---|")
    for set_name, columns in q["table"].items():
        for column, cells in columns.items():
            whole = {r: c["whole"] for r, c in cells.items()}
            words = {r: c["words"] for r, c in cells.items()}
            print(f"| {set_name} | {column} | {fmt(whole)} | {fmt(words)} |")
    for g in q["goals"]:
        for column, cells in q["table"].get(g["set"], {}).items():
            if column.endswith(" question") and not column.endswith("no question"):
                v = cells[g["rate"]][g["metric"]]
                print(f"goal {g['set']} {g['metric']} at {g['rate']} >= {g['goal']}: {column} {v:.3f} "
                      f"{'PASS' if v >= g['goal'] else 'FAIL'}")


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, dict):
        return "/".join("–" if v.get(rn) is None else f"{v[rn]:.3f}" for rn in RATES)
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def print_agreement(block, labels):
    cols = list(labels) + ["random", "stopwords_first", "pos_rule"]
    c = block["counts"]
    print("| word F1 at the reference rate | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for key, title in (("sat_val", f"SAT val ({c['sat_val']} passages)"), ("sat_all", f"SAT all ({c['sat_all']})"),
                       ("google", f"Google test (first {c['google']})"), ("broadcast", f"broadcast dev ({c['broadcast']})")):
        print(f"| {title} | " + " | ".join(f"{block['table'].get(col, {}).get(key, float('nan')):.3f}" for col in cols) + " |")


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


def print_languages(lg, settings):
    """The languages table (per language and compressor: spread, front, heading numbers, characters
    and the compressor's tokens kept at 2x/3x), the core's word sizes, Chinese vs English LongBench at 3x, goals, examples."""
    p, rates = lg["parallel"], lg["rates"]
    c = p["counts"]

    def cell(d):
        return "/".join("–" if d.get(r) is None else f"{d[r]:.3f}" for r in rates)
    print(f"\n## Languages ({c['documents']} documents x {c['languages']} languages, the project's own parallel text: "
          f"{c['sentences']} sentences and {c['heading_numbers']} heading numbers a language; {'/'.join(rates)})\n")
    print("| lang | compressor | spread | front | front, both orders | heading numbers | chars kept | tokens kept |")
    print("|---|---|---|---|---|---|---|---|")
    for lang, cols in p["table"].items():
        for col in list(settings) + ["random"]:
            m = cols.get(col, {})
            print(f"| {lang} | {col} | " + " | ".join(
                cell(m.get(k, {})) for k in ("spread", "front", "front2", "numbers", "kept", "tokens")) + " |")
    print("\nthe core's words (with a letter or digit) per sentence, and characters per word: " + ", ".join(
        f"{lang} {v['words_per_sentence']:.1f} ({v['chars_per_word']:.1f})" for lang, v in p["core"].items()))
    qa = lg["qa"]
    if qa:
        print(f"\n## Chinese vs English LongBench at {qa['rate']} (zh: answer character bigrams kept; en: answer words "
              "kept; mean over prompts; chars kept pooled)\n")
        print("| prompts | task | compressor | answer kept | chars kept |")
        print("|---|---|---|---|---|")
        for st, tasks in qa["table"].items():
            for task in [t for t in qa["tasks"].get(st, []) + ["all"] if t in tasks]:
                cols = tasks[task]
                for col in list(settings) + [f"{c} question" for c in settings] + ["random"]:
                    if col in cols:
                        v = cols[col]
                        print(f"| {st} | {task} ({v['n']}) | {col} | {v['share']:.3f} | {v['kept']:.3f} |")
    else:
        print("\n(LongBench part skipped: no eval/longbench/minilongbench.jsonl under --data)")
    for lab, g in lg["goals"].items():
        print(f"\ngoals {lab}: " + "; ".join(
            f"{k} {'PASS' if v['pass'] else 'FAIL'}"
            + ("" if v["pass"] else " (" + ", ".join(f"{x} {y:.3f}" for x, y in v["misses"].items()) + ")")
            for k, v in g.items()))
    print("\n## The first document at 3x, per language")
    for lang, ex in p["examples"].items():
        for col in settings:
            print(f"{lang} {col}: {ex.get(col, '')!r}")
