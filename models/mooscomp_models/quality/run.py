"""The quality report of quality.py's options: which settings, which prompt sets, every block
measured, printed and written to --json."""
import json
import os
import sys
import time

from .compressor import compress_all
from .examples import reader_examples
from .languages_block import languages_block
from .llmlingua2 import llmlingua2_cases
from .meaning_block import meaning_block
from .prompts import EDGE, bbh_prompts, gsm8k_prompts, longbench_prompts, qmsum_chunks, sat_rows
from .question_block import question_block
from .report import (print_agreement, print_languages, print_meaning, print_question, print_side_by_side,
                     print_table)
from .retention import retention
from .settings import RATES, label, option, parse_settings, with_extra
from .word_agreement import agreement, dataset_word_scores, word_spans


def settings_of(args):
    """--settings, then --outlier/--alpha; without either, none:1 and the manifest's default;
    --extra under each setting's own options."""
    settings = parse_settings(args.settings) if args.settings else []
    if args.outlier:
        settings.append((args.outlier, args.alpha))
    if not settings:
        d = json.load(open(os.path.join(args.model, "manifest.json"))).get("defaults", {})
        settings = list(dict.fromkeys([("none", 1.0), (d.get("outlier", "none"), float(d.get("alpha", 1.0)))]))
    return [with_extra(s, args.extra) for s in settings]


def sat_of(args):
    """The SAT rows (val by --sat-fold or the shipped split); 2 val and 2 train with --quick."""
    sat = sat_rows(args.data, getattr(args, "sat_fold", None))
    if args.quick:
        sat = [r for r in sat if r["val"]][:2] + [r for r in sat if not r["val"]][:2]
    return sat


def prompt_sets(args):
    """name -> (items, retention metrics), and the QMSum chunks and SAT rows among them."""
    sat = sat_of(args)
    qmsum = qmsum_chunks(args.data, args.qmsum)
    sets = {
        "gsm8k": (gsm8k_prompts(args.data, args.gsm8k), ["numbers", "comparisons_whole"]),
        "bbh": (bbh_prompts(args.data, 2 if args.quick else None), ["options", "numbers", "comparisons_whole"]),
        "longbench": (longbench_prompts(args.data, args.per_task, 3 if args.quick else None), ["answer_words", "comparisons_whole"]),
        "qmsum": (qmsum, ["numbers", "names", "speakers", "fillers"]),
        "sat": (sat, ["sat_answers"]),
        "edge": ([{"text": t} for t in EDGE], []),
    }
    return sets, qmsum, sat


def score_sat_words(sat, sat_outputs):
    """Each SAT row's dataset word scores per setting, from its outputs at one rate, one per
    setting (scores do not depend on the rate)."""
    for r, per in zip(sat, sat_outputs):
        spans = word_spans(r["text"], r["words"])
        r["scores"] = {si: dataset_word_scores(r["text"], spans, out["words"]) for si, out in enumerate(per)}


def write_json(path, report):
    if path:
        with open(path, "w") as f:
            json.dump(report, f, indent=1, ensure_ascii=False)


def agreement_block(args, settings, quick):
    """--only agreement: word F1 at the reference rate on SAT val/all, Google and broadcast
    (the first rows of the full table) alone, for kfold.sh's folds."""
    sat = sat_of(args)
    score_sat_words(sat, compress_all(args.model, sat, [option(s, RATES["3x"]) for s in settings], scores=True))
    table, counts = agreement(args, settings, sat, quick)
    return {"table": table, "counts": counts}


# --only NAME: one block alone -> (its function, how it prints given the settings' labels).
ONE_BLOCK = {
    "agreement": (agreement_block, print_agreement),
    "meaning": (meaning_block, print_meaning),
    "question": (question_block, lambda block, labels: print_question(block)),
    "languages": (languages_block, print_languages),
}


def one_block_report(name, args, settings, t0):
    """--only NAME: that block's table alone."""
    run_block, print_block = ONE_BLOCK[name]
    labels = [label(s) for s in settings]
    block = run_block(args, settings, args.quick)
    print_block(block, labels)
    report = {"model": args.model, "settings": labels, "quick": args.quick, name: block,
              "wall_s": time.time() - t0}
    print(f"\nwall time {report['wall_s']:.0f}s", file=sys.stderr)
    write_json(args.json, report)


def full_report(args, settings, t0):
    """Every block: retention and integrity, agreement, LLMLingua-2 side by side, examples, meaning."""
    labels = [label(s) for s in settings]
    sets, qmsum, sat = prompt_sets(args)
    ret, totals, integrity, failures, outputs = retention(args, settings, sets)
    at3x = list(RATES).index("3x") * len(settings)  # outputs per rate, then per setting
    score_sat_words(sat, [per[at3x:at3x + len(settings)] for per in outputs["sat"]])
    print("agreement:", file=sys.stderr)
    agree, counts = agreement(args, settings, sat, args.quick)
    cases, case_f1 = llmlingua2_cases(args, settings)
    examples = reader_examples(args, settings, qmsum)
    meaning = meaning_block(args, settings, args.quick)
    question = question_block(args, settings, args.quick)
    languages = languages_block(args, settings, args.quick)

    report = {
        "model": args.model, "settings": labels, "quick": args.quick,
        "results": {lab: {"agreement": agree[lab], "retention": ret[lab], "llmlingua2_f1": case_f1[lab],
                          "integrity": integrity[lab]} for lab in labels},
        "baselines": {b: {"agreement": agree[b]} for b in ("random", "stopwords_first", "pos_rule")},
        "counts": {**counts, "retention": totals, "prompts": {k: len(v[0]) for k, v in sets.items()}},
        "integrity": integrity, "integrity_failures": failures, "llmlingua2": cases, "examples": examples,
        "meaning": meaning, "question": question, "languages": languages,
    }
    print_table(report)
    print_meaning(meaning, labels)
    print_question(question)
    print_languages(languages, labels)
    print_side_by_side(report)
    report["wall_s"] = time.time() - t0
    print(f"\nwall time {report['wall_s']:.0f}s", file=sys.stderr)
    write_json(args.json, report)


def quality(args):
    t0 = time.time()
    settings = settings_of(args)
    if args.quick:
        args.gsm8k, args.per_task, args.google, args.qmsum = 2, 1, 100, 2
    if args.only:
        one_block_report(args.only, args, settings, t0)
    else:
        full_report(args, settings, t0)
