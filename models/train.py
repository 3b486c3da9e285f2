"""Trains mooscomp's token classifier (or pre-trains its encoder with MLM).

One command, resumable: rerunning the same command in the same --out folder continues from
its last checkpoint (written every --ckpt-minutes and on SIGINT/SIGTERM).

    # the default model: tokenizer, data, training, all under models/runs/<name>/
    nice -n 19 /usr/bin/python3 models/train.py --data ../shared/data --out models/runs/tag-4x256
    # smoke test (minutes on 2 cores): tiny model, data subset, checks that the loss decreases
    /usr/bin/python3 models/train.py --data ../shared/data --out models/runs/quick --quick
    # MLM pre-training on transcripts + sentences, then fine-tuning from it
    train.py --task mlm --out models/runs/mlm ... ; train.py --init-from models/runs/mlm/model.pt ...

Data folder layout (as ../shared/data): compression/google/{train,val}.jsonl and, for the
tokenizer and MLM, pretrain/qmsum/train.txt (optional).
Outputs in --out: tokenizer.model, data-*.pt (encoded cache), ckpt.pt (resume), model.pt
(final weights + config), train.log (human-readable) and metrics.jsonl.
"""
import argparse
import hashlib
import json
import math
import os
import random
import signal
import sys
import time

# Sleep instead of spinning while waiting for the other OpenMP thread: on a shared machine a
# spinning thread burns the share it is waiting for (measured: 3.0 -> 1.0 CPU-s per step).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from mooscomp_models import data as D  # noqa: E402
from mooscomp_models import tokenizer_train as tk  # noqa: E402
from mooscomp_models.bert import BertConfig, BertForMaskedLM, BertForTokenClassification  # noqa: E402
from mooscomp_models.losses import hard_labels, interclass_cosine, soft_token_ce, token_ce  # noqa: E402
from mooscomp_models.onnx_weights import state_dict_from_onnx  # noqa: E402
from mooscomp_models.splits import sat_split  # noqa: E402

SAT_PATH = "{data}/compression/llm-style/sat-dev.jsonl"
from mooscomp_models.metrics import evaluate  # noqa: E402

QUICK = dict(layers=2, hidden=64, heads=2, intermediate=128, vocab=600, max_len=128, train_limit=4000,
             text_limit=2000, val_limit=300, steps=120, batch_tokens=2048, lr=2e-3, warmup=10,
             eval_every=0, log_every=10, sentence_attn_steps=30)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="data folder (layout of ../shared/data)")
    p.add_argument("--out", required=True, help="run folder (checkpoints, logs, caches)")
    p.add_argument("--task", choices=["tag", "mlm"], default="tag")
    p.add_argument("--quick", action="store_true", help="tiny model and data; fails unless the loss decreases")
    p.add_argument("--tokenizer", help="existing .model (default: <out>/tokenizer.model, trained if missing)")
    p.add_argument("--init-from", help="model.pt whose bert.* weights initialise this run (e.g. an MLM run)")
    p.add_argument("--init-onnx", help="model.onnx (int8 or fp32) whose weights, classifier included, initialise "
                   "this run, e.g. the previous default; needs the same shape and --tokenizer")
    p.add_argument("--silver", help="JSON lines {words, keep: floats in [0, 1]} (models/silver.py): graded labels")
    p.add_argument("--sat-repeat", type=int, default=0,
                   help="train on the training passages of the LLM-compressed SAT set (splits.py), repeated N "
                        "times an epoch; its validation passages then replace Google val in evaluation")
    p.add_argument("--vocab", type=int, default=12000)
    # Defaults: the shipped model's size, chosen for the 2,000-token < 250 ms budget (README).
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--intermediate", type=int, default=None, help="default 4 x hidden")
    p.add_argument("--max-len", type=int, default=512, help="window length in tokens, CLS/SEP included")
    p.add_argument("--batch-tokens", type=int, default=4096, help="tokens per step (windows x max-len)")
    p.add_argument("--steps", type=int, default=None, help="default: --epochs over the data")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--warmup", type=int, default=300)
    p.add_argument("--weight-decay", type=float, default=0.01)
    # No dropout by default: two epochs over the data do not overfit a small model, and dropout
    # lengthens the early plateau (measured on a toy task: breakthrough at ~400 vs ~250 steps).
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--position-bias", choices=["alibi", "none"], default="alibi",
                   help="alibi: fixed distance penalty in attention (bert.alibi_slopes); none: plain BERT")
    p.add_argument("--sentence-attn-steps", type=int, default=0,
                   help="first N steps: attention confined to each packed sentence (data.sentence_attention_bias)")
    p.add_argument("--sentence-attn-anneal", type=int, default=0,
                   help="then N steps over which the between-sentence bias rises linearly from -8 to 0")
    p.add_argument("--beta", type=float, default=0.0, help="weight of the inter-class cosine loss")
    p.add_argument("--train-limit", type=int, default=None,
                   help="use only the first N Google sentences (0: none, with --silver or --sat-repeat)")
    p.add_argument("--text-limit", type=int, default=None, help="use only the first N transcript lines")
    p.add_argument("--val-limit", type=int, default=2000)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--ckpt-minutes", type=float, default=5.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N (weights are saved on the CPU either way)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.quick:  # explicit flags still win over the quick defaults
        given = {a.lstrip("-").split("=")[0].replace("-", "_") for a in (argv if argv is not None else sys.argv[1:])}
        for k, v in QUICK.items():
            if k not in given:
                setattr(args, k, v)
    if args.intermediate is None:
        args.intermediate = 4 * args.hidden
    return args


class Log:
    def __init__(self, out):
        self.text = open(os.path.join(out, "train.log"), "a", buffering=1)
        self.jsonl = open(os.path.join(out, "metrics.jsonl"), "a", buffering=1)

    def close(self):
        self.text.close()
        self.jsonl.close()

    def __call__(self, msg, **record):
        line = time.strftime("%H:%M:%S ") + msg
        print(line, flush=True)
        self.text.write(line + "\n")
        if record:
            self.jsonl.write(json.dumps(record) + "\n")


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


def load_data(args, tok_path, log):
    """Encoded windows (and val examples), cached per tokenizer and settings."""
    key = json.dumps(["v3", file_md5(tok_path), args.task, args.max_len, args.train_limit, args.text_limit,
                      args.val_limit, args.seed, args.silver and file_md5(args.silver), args.sat_repeat])
    cache = os.path.join(args.out, f"data-{args.task}-{hashlib.md5(key.encode()).hexdigest()[:10]}.pt")
    if os.path.exists(cache):
        return torch.load(cache)
    t0 = time.time()
    train = google(args, "train", args.train_limit) if args.train_limit != 0 else []
    if args.task == "tag":
        examples, dropped = D.encode_labelled(train, tok_path)
        if args.silver:  # graded labels, in file order (consecutive chunks of a meeting share windows)
            silver, sdrop = D.encode_labelled(D.read_jsonl(args.silver), tok_path)
            examples, dropped = examples + silver, dropped + sdrop
        if args.sat_repeat:
            sat_train, sat_val = sat_split(D.read_jsonl(SAT_PATH.format(data=args.data)))
            sat, sdrop = D.encode_labelled([{"words": r["words"], "keep": r["keep_refs"][0]} for r in sat_train], tok_path)
            examples, dropped = examples + sat * args.sat_repeat, dropped + sdrop
            val, vdrop = D.encode_labelled([{"words": r["words"], "keep": r["keep_refs"][0]} for r in sat_val], tok_path)
        else:
            val, vdrop = D.encode_labelled(google(args, "val", args.val_limit), tok_path)
        windows = D.pack_windows(examples, args.max_len)
        dropped += vdrop
    else:  # MLM: transcripts (consecutive turns packed together) + the sentences, no labels
        lines = transcripts(args) + [" ".join(r["words"]) for r in train]
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


def lr_at(step, args, total):
    """Linear warm-up, then linear decay to zero."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    return args.lr * max(0.0, (total - step) / max(1, total - args.warmup))


def sentence_bias(step, segs, args):
    """The warm-up's attention bias: hard sentence blocks, then a soft penalty that fades out so
    that the model has to learn locality from its position embeddings while it still helps."""
    if step < args.sentence_attn_steps:
        return D.sentence_attention_bias(segs)
    t = step - args.sentence_attn_steps
    if t < args.sentence_attn_anneal:
        return D.sentence_attention_bias(segs, -8.0 * (1.0 - t / args.sentence_attn_anneal))
    return None


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(args.threads)
    log = Log(args.out)
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        return train(args, log)
    finally:
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])
        log.close()


def train(args, log):
    log("args: " + json.dumps(vars(args)))

    init = torch.load(args.init_from, map_location="cpu") if args.init_from else None
    tok_path = args.tokenizer
    if tok_path is None and init:  # the tokenizer the initialising run recorded
        tok_path = init["tokenizer"]
    if tok_path is None:
        tok_path = os.path.join(args.out, "tokenizer.model")
        if not os.path.exists(tok_path):
            build_tokenizer(args, tok_path, log)
    vocab_size = len(tk.load_pieces(tok_path))
    data = load_data(args, tok_path, log)
    n_windows = len(data["offsets"]) - 1
    per_batch = min(n_windows, max(1, args.batch_tokens // args.max_len))  # more would never fill a step
    steps_per_epoch = max(1, n_windows // per_batch)
    total = args.steps or max(1, int(args.epochs * steps_per_epoch))

    cfg = BertConfig(vocab_size=vocab_size, hidden_size=args.hidden, num_hidden_layers=args.layers,
                     num_attention_heads=args.heads, intermediate_size=args.intermediate,
                     max_position_embeddings=max(512, args.max_len), hidden_dropout_prob=args.dropout,
                     attention_probs_dropout_prob=args.dropout, position_bias=args.position_bias)
    torch.manual_seed(args.seed)
    model = (BertForTokenClassification if args.task == "tag" else BertForMaskedLM)(cfg)
    if args.init_onnx:
        model.load_state_dict(state_dict_from_onnx(args.init_onnx))
        log(f"initialised every tensor from {args.init_onnx}")
    if init:
        src = init["state_dict"]
        bert = {k: v for k, v in src.items() if k.startswith("bert.")}
        missing, unexpected = model.load_state_dict(bert, strict=False)
        assert not unexpected and all(not k.startswith("bert.") for k in missing), (missing, unexpected)
        log(f"initialised {len(bert)} encoder tensors from {args.init_from}")
    dev = torch.device(args.device)
    model.to(dev)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.98), eps=1e-6,
                            **({"fused": True} if dev.type == "cuda" else {}))
    state = {"step": 0, "epoch": 0, "pos": 0, "tokens": 0, "elapsed": 0.0, "first_losses": [], "best_f1": -1.0}

    ckpt_path = os.path.join(args.out, "ckpt.pt")
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=dev)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        state = ck["state"]
        torch.set_rng_state(ck["torch_rng"].cpu())
        log(f"resumed from {ckpt_path} at step {state['step']} (epoch {state['epoch']}, window {state['pos']})")

    def checkpoint():
        save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(), "state": state,
                     "torch_rng": torch.get_rng_state(), "args": vars(args)}, ckpt_path)

    def save_model(name="model.pt"):
        weights = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        save_atomic({"config": cfg.to_dict(), "state_dict": weights, "task": args.task,
                     "tokenizer": os.path.abspath(tok_path), "step": state["step"], "args": vars(args)},
                    os.path.join(args.out, name))

    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def run_eval():
        r = evaluate(model, data["val"])
        log(f"eval step {state['step']}: f1 {r['f1']:.4f} acc {r['accuracy']:.4f} "
            f"cos {r['interclass_cos']:.4f}", kind="eval", step=state["step"], **r)
        if r["f1"] > state["best_f1"]:
            state["best_f1"] = r["f1"]
            save_model("best.pt")
        model.train()

    log(f"model {args.layers}x{args.hidden} ({sum(p.numel() for p in model.parameters()) / 1e6:.2f}M params), "
        f"{n_windows} windows, {per_batch} per step, {steps_per_epoch} steps/epoch, {total} steps")
    gen = torch.Generator().manual_seed(args.seed + 1 + state["step"])  # MLM masks; reseeded on resume
    model.train()
    last_ckpt = time.time()
    win_t0, win_tok, acc = time.time(), 0, {"loss": 0.0, "ce": 0.0, "cs": 0.0, "n": 0}
    perms = {}
    while state["step"] < total and not stop["now"]:
        if state["epoch"] not in perms:  # the order of an epoch is a function of (seed, epoch): resumable
            perms = {state["epoch"]: random.Random(args.seed * 1000 + state["epoch"]).sample(range(n_windows), n_windows)}
        perm = perms[state["epoch"]]
        if state["pos"] + per_batch > n_windows:
            state["epoch"], state["pos"] = state["epoch"] + 1, 0
            continue
        batch = get_windows(data, perm[state["pos"]:state["pos"] + per_batch])
        ids, mask, labels, segs = D.collate(batch, label_dtype=torch.float)
        for g in opt.param_groups:
            g["lr"] = lr_at(state["step"], args, total)
        bias = sentence_bias(state["step"], segs, args)
        if args.task == "mlm":  # masks drawn on the CPU generator whatever the device: resumable
            ids, mlm_labels = D.mask_tokens(ids, mask, vocab_size, gen)
        ids, mask, labels = ids.to(dev), mask.to(dev), labels.to(dev)
        bias = None if bias is None else bias.to(dev)
        if args.task == "tag":
            logits, hidden = model(ids, mask, bias)
            ce = soft_token_ce(logits, labels)
            cs, _ = interclass_cosine(hidden, hard_labels(labels))
            loss = ce + args.beta * cs if args.beta else ce
        else:
            # The vocabulary projection only at the ~15% masked positions: it would otherwise
            # cost as much as the whole encoder.
            mlm_labels = mlm_labels.to(dev)
            sel = mlm_labels != D.IGNORE
            ce = token_ce(model.cls.predictions(model.bert(ids, mask, bias)[sel]), mlm_labels[sel])
            cs = torch.zeros(())
            loss = ce
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] += 1
        state["pos"] += per_batch
        n_tok = int(mask.sum())
        state["tokens"] += n_tok
        win_tok += n_tok
        acc["loss"] += float(loss); acc["ce"] += float(ce); acc["cs"] += float(cs); acc["n"] += 1
        if len(state["first_losses"]) < max(3, total // 10):
            state["first_losses"].append(float(loss))
        if state["step"] % args.log_every == 0 or state["step"] == total:
            dt = time.time() - win_t0
            state["elapsed"] += dt
            n = acc["n"]
            log(f"step {state['step']}/{total} ep {state['epoch']} loss {acc['loss'] / n:.4f} ce {acc['ce'] / n:.4f} "
                f"cs {acc['cs'] / n:.4f} lr {opt.param_groups[0]['lr']:.2e} {win_tok / dt:.0f} tok/s",
                kind="train", step=state["step"], loss=acc["loss"] / n, ce=acc["ce"] / n, cs=acc["cs"] / n,
                lr=opt.param_groups[0]["lr"], tok_per_s=win_tok / dt, tokens=state["tokens"],
                elapsed_s=state["elapsed"])
            state["last_loss"] = acc["loss"] / n
            win_t0, win_tok, acc = time.time(), 0, {"loss": 0.0, "ce": 0.0, "cs": 0.0, "n": 0}
        if args.task == "tag" and args.eval_every and state["step"] % args.eval_every == 0:
            run_eval()
            win_t0 = time.time()  # evaluation time is not training throughput
        if time.time() - last_ckpt > args.ckpt_minutes * 60:
            checkpoint()
            last_ckpt = time.time()

    checkpoint()
    if stop["now"]:
        log(f"interrupted at step {state['step']}: checkpoint saved, rerun the same command to resume")
        return 130
    if args.task == "tag" and data["val"]:
        run_eval()
    save_model()
    first = sum(state["first_losses"]) / len(state["first_losses"])
    last = state.get("last_loss", float("nan"))
    log(f"done: {state['step']} steps, {state['tokens']} tokens, loss {first:.4f} (first steps) -> {last:.4f} (last)",
        kind="done", first_loss=first, last_loss=last, steps=state["step"])
    if args.quick and not last < first:
        log("quick run: the loss did not decrease")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
