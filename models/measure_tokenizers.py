"""Trains SentencePiece unigram tokenizers with byte fallback on English + multilingual text at
several vocabulary sizes and prints, per language on held-out text, tokens per character and per
word, the byte-fallback share, and the int8 embedding cost, beside the default model's tokenizer
and mBERT's WordPiece (mooscomp_models/tokenizer_measure.py).

  nice -n 10 /usr/bin/python3 models/measure_tokenizers.py --text models/runs/multilingual/text \\
      --data ../shared/data --out models/runs/multilingual/tokenizers --vocab 8000,16000,32000,64000

Resumable: the training text and each tokenizer are kept in OUT/<mix tag>/ and reused. The
tables also go to OUT/<mix tag>/report.md and the figures to results.json.
"""
import argparse
import hashlib
import json
import os
import sys
import time

from mooscomp_models import han_frequency
from mooscomp_models import tokenizer_measure as tm
from mooscomp_models import tokenizer_train as tk

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", default="models/runs/multilingual/text", help="fetch_multilingual.py's text folder")
    ap.add_argument("--data", default="../shared/data", help="shared/data (English text); may be absent")
    ap.add_argument("--out", default="models/runs/multilingual/tokenizers")
    ap.add_argument("--vocab", default="8000,16000,32000,64000")
    ap.add_argument("--train-chars", type=float, default=30e6, help="characters in the training mix")
    ap.add_argument("--mix", default=",".join(f"{k}={v}" for k, v in tm.DEFAULT_MIX.items()),
                    help="shares of the training characters; the rest is split evenly among the other languages")
    ap.add_argument("--heldout-chars", type=int, default=200000, help="held-out characters per language")
    ap.add_argument("--input-sentence-size", type=int, default=1000000, help="lines spm_train samples")
    ap.add_argument("--required-han", type=int, default=0,
                    help="the N most frequent Han characters (jieba's dictionary) and the kana get pieces "
                         "whatever their count in the mix (tokenizers spm-V-hanN.model)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--default-model", default=os.path.join(HERE, "default"),
                    help="model folder whose tokenizer and size are the reference ('' for none)")
    ap.add_argument("--mbert", default="../shared/data/tokenizers/bert-base-multilingual-cased/vocab.txt")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    t0 = time.time()
    lang_docs = tm.language_documents(args.text) if os.path.isdir(args.text) else {}
    english_train = tm.english_sources(args.data, "train") if os.path.isdir(args.data) else {}
    english_held = tm.english_sources(args.data, "heldout") if os.path.isdir(args.data) else {}
    langs = (["en"] if english_train else []) + sorted(lang_docs)
    if not langs:
        print("measure_tokenizers: no text (run fetch_multilingual.py, or give --data)", file=sys.stderr)
        return 2
    mix = tm.parse_mix(args.mix)
    budgets = tm.mix_budgets(mix, langs, int(args.train_chars))
    spec = json.dumps({"budgets": budgets, "seed": args.seed, "isz": args.input_sentence_size,
                       "holdout": tm.HOLDOUT_EVERY,
                       "text": sorted((k, sum(len(line) for d in v[0] for line in d)) for k, v in lang_docs.items())},
                      sort_keys=True)
    tag = "mix-" + hashlib.sha1(spec.encode()).hexdigest()[:8]
    work = os.path.join(args.out, tag)
    os.makedirs(work, exist_ok=True)
    train_txt = os.path.join(work, "train.txt")
    if not os.path.exists(os.path.join(work, "train.json")):
        written = tm.write_training_text(train_txt, lang_docs, english_train, budgets, seed=args.seed)
        with open(os.path.join(work, "train.json"), "w") as f:
            json.dump({"spec": json.loads(spec), "written": written}, f, indent=1)
    with open(os.path.join(work, "train.json")) as f:
        written = json.load(f)["written"]
    print(f"training mix {tag}: " + ", ".join(f"{k} {v / 1e6:.2f}M" for k, v in sorted(written.items()))
          + f" chars ({time.time() - t0:.0f}s)", flush=True)

    tokenizers = []
    if args.default_model and os.path.exists(os.path.join(args.default_model, "tokenizer.model")):
        tokenizers.append(("default", tm.SentencePieceTokenizer(os.path.join(args.default_model, "tokenizer.model"))))
    han = f"-han{args.required_han}" if args.required_han else ""
    for v in [int(x) for x in args.vocab.split(",") if x]:
        path = os.path.join(work, f"spm-{v}{han}.model")
        if not os.path.exists(path):
            t1 = time.time()
            tk.train_spm(train_txt, path, v, input_sentence_size=args.input_sentence_size, threads=args.threads,
                         mask_symbol=True, byte_fallback=True,
                         required_chars=han_frequency.required_chars(args.required_han))
            print(f"trained {path} in {time.time() - t1:.0f}s", flush=True)
        tokenizers.append((f"spm-bf-{v // 1000}k{han}", tm.SentencePieceTokenizer(path)))
    if args.mbert and os.path.exists(args.mbert):
        tokenizers.append(("mbert-cased", tm.WordPieceTokenizer(args.mbert)))

    heldout = tm.heldout_lines(lang_docs, english_held, args.heldout_chars)
    results = {"mix": tag, "train_chars": written,
               "heldout_chars": {k: sum(len(line) for line in v) for k, v in heldout.items()}, "tokenizers": {}}
    for name, tok in tokenizers:
        t1 = time.time()
        entry = {"kind": "wordpiece" if isinstance(tok, tm.WordPieceTokenizer) else "sentencepiece",
                 "vocab_size": tok.vocab_size, "languages": tm.measure(tok, heldout)}
        if entry["kind"] == "sentencepiece":
            entry["model_bytes"] = os.path.getsize(tok.path)
        results["tokenizers"][name] = entry
        print(f"measured {name} ({time.time() - t1:.0f}s)", file=sys.stderr, flush=True)
    sizes = tm.default_model_sizes(args.default_model) if args.default_model else None
    results["default_model_sizes"] = sizes
    report = tm.format_tables(results, list(heldout), sizes)
    report = ("Held-out characters per language: "
              + ", ".join(f"{k} {v:,}" for k, v in results["heldout_chars"].items()) + "\n" + report)
    print(report)
    with open(os.path.join(work, "report.md"), "w", encoding="utf-8") as f:
        f.write(report)
    with open(os.path.join(work, "results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    print(f"-> {work}/report.md, results.json ({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
