"""A run's inputs: the tokenizer (trained on first use) and the encoded windows, cached in the
run folder per tokenizer and settings."""
import hashlib
import json
import os
import time

import torch

from .. import data as D
from .. import tokenizer_train as tk
from ..splits import sat_split

SAT_PATH = "{data}/compression/llm-style/sat-dev.jsonl"


def file_md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def google(args, split, limit):
    path = os.path.join(args.data, "compression", "google", f"{split}.jsonl")
    return D.restore_rows(D.read_jsonl(path, limit), seed=args.seed + (split == "val"))


def transcripts(args):
    path = os.path.join(args.data, "pretrain", "qmsum", "train.txt")
    if not os.path.exists(path):
        return []
    lines = D.read_text_lines(path)
    return lines[:args.text_limit] if args.text_limit else lines


def extra_text(paths):
    """--mlm-text files: their non-empty lines, whitespace collapsed."""
    lines = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines += [c for c in (" ".join(line.split()) for line in f) if c]
    return lines


def build_tokenizer(args, path, log):
    """Tokenizer text: the (restored) labelled sentences plus the transcripts."""
    t0 = time.time()
    rows = google(args, "train", args.train_limit)
    text_path = path + ".txt"
    with open(text_path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(" ".join(r["words"]) + "\n")
        for line in transcripts(args):
            f.write(line + "\n")
    tk.train_spm(text_path, path, args.vocab, input_sentence_size=400000, hard_vocab_limit=not args.quick,
                 threads=args.threads, mask_symbol=True)
    table = tk.neg_log_freq(tk.encode_lines(path, open(text_path, encoding="utf-8").read().splitlines()),
                            len(tk.load_pieces(path)))
    with open(path + ".neglogfreq.json", "w") as f:
        json.dump(table, f)
    os.remove(text_path)
    log(f"tokenizer: {len(table)} pieces in {time.time() - t0:.0f}s -> {path}")


def tokenizer_path(args, init, log):
    """--tokenizer, else the one the --init-from run recorded, else <out>/tokenizer.model (built
    here when missing)."""
    tok_path = args.tokenizer
    if tok_path is None and init:
        tok_path = init["tokenizer"]
    if tok_path is None:
        tok_path = os.path.join(args.out, "tokenizer.model")
        if not os.path.exists(tok_path):
            build_tokenizer(args, tok_path, log)
    return tok_path


def _tag_examples(args, train, tok_path):
    """Labelled examples (Google, silver, SAT training passages) and the validation examples."""
    examples, dropped = D.encode_labelled(train, tok_path)
    for path in args.silver:  # graded labels, in file order (consecutive chunks of a meeting share windows)
        silver, sdrop = D.encode_labelled(D.read_jsonl(path), tok_path)
        examples, dropped = examples + silver, dropped + sdrop
    if args.sat_repeat:
        sat_train, sat_val = sat_split(D.read_jsonl(SAT_PATH.format(data=args.data)), getattr(args, "sat_fold", None))
        sat, sdrop = D.encode_labelled([{"words": r["words"], "keep": r["keep_refs"][0]} for r in sat_train], tok_path)
        examples, dropped = examples + sat * args.sat_repeat, dropped + sdrop
        val, vdrop = D.encode_labelled([{"words": r["words"], "keep": r["keep_refs"][0]} for r in sat_val], tok_path)
    else:
        val, vdrop = D.encode_labelled(google(args, "val", args.val_limit), tok_path)
    return examples, val, dropped + vdrop


def load_data(args, tok_path, log):
    """Encoded windows (and val examples), cached per tokenizer and settings."""
    key = json.dumps(["v4", file_md5(tok_path), args.task, args.max_len, args.train_limit, args.text_limit,
                      args.val_limit, args.seed, [file_md5(p) for p in args.silver], args.sat_repeat]
           + ([args.sat_fold] if getattr(args, "sat_fold", None) else [])
                     + [file_md5(p) for p in args.mlm_text])
    cache = os.path.join(args.out, f"data-{args.task}-{hashlib.md5(key.encode()).hexdigest()[:10]}.pt")
    if os.path.exists(cache):
        return torch.load(cache)
    t0 = time.time()
    train = google(args, "train", args.train_limit) if args.train_limit != 0 else []
    if args.task == "tag":
        examples, val, dropped = _tag_examples(args, train, tok_path)
        windows = D.pack_windows(examples, args.max_len)
    else:  # MLM: transcripts (consecutive turns packed together) + the sentences, no labels
        lines = transcripts(args) + [" ".join(r["words"]) for r in train] + extra_text(args.mlm_text)
        encoded = tk.encode_lines(tok_path, lines)
        windows = D.pack_windows([(ids, [0] * len(ids)) for ids in encoded if ids], args.max_len)
        val, dropped = [], 0
    # Store windows as flat int32 tensors with offsets: much smaller and faster than lists.
    flat_ids = torch.tensor([t for w in windows for t in w[0]], dtype=torch.int32)
    flat_lab = torch.tensor([t for w in windows for t in w[1]], dtype=torch.float16)  # graded labels, IGNORE exact
    flat_seg = torch.tensor([t for w in windows for t in w[2]], dtype=torch.int16)
    offsets = torch.tensor([0] + [len(w[0]) for w in windows]).cumsum(0)
    data = {"ids": flat_ids, "labels": flat_lab, "segs": flat_seg, "offsets": offsets, "val": val}
    torch.save(data, cache)
    log(f"data: {len(windows)} windows, {len(flat_ids)} tokens, {len(val)} val sentences, "
        f"{dropped} sentences dropped, {time.time() - t0:.0f}s")
    return data


def get_windows(data, idx):
    o = data["offsets"]
    return [(data["ids"][o[i]:o[i + 1]].tolist(), data["labels"][o[i]:o[i + 1]].tolist(),
             data["segs"][o[i]:o[i + 1]].tolist()) for i in idx]
