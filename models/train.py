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
import os
import signal
import sys

# Sleep instead of spinning while waiting for the other OpenMP thread: on a shared machine a
# spinning thread burns the share it is waiting for (measured: 3.0 -> 1.0 CPU-s per step).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

from mooscomp_models.splits import fold_arg  # noqa: E402
from mooscomp_models.training.corpus import build_tokenizer  # noqa: E402
from mooscomp_models.training.run import train  # noqa: E402
from mooscomp_models.training.run_log import Log  # noqa: E402


QUICK = dict(layers=2, hidden=64, heads=2, intermediate=128, vocab=600, max_len=128, train_limit=4000,
             text_limit=2000, val_limit=300, steps=120, batch_tokens=2048, lr=2e-3, warmup=10,
             eval_every=0, log_every=10, sentence_attn_steps=30)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="data folder (layout of ../shared/data)")
    p.add_argument("--out", required=True, help="run folder (checkpoints, logs, caches)")
    p.add_argument("--task", choices=["tag", "mlm"], default="tag")
    p.add_argument("--quick", action="store_true", help="tiny model and data; fails unless the loss decreases")
    p.add_argument("--tokenizer-only", action="store_true",
                   help="only build <out>/tokenizer.model (+ its .neglogfreq.json table) if missing, then stop")
    p.add_argument("--tokenizer", help="existing .model (default: <out>/tokenizer.model, trained if missing)")
    p.add_argument("--init-from", help="model.pt whose bert.* weights initialise this run (e.g. an MLM run)")
    p.add_argument("--init-onnx", help="model.onnx (int8 or fp32) whose weights, classifier included, initialise "
                   "this run, e.g. the previous default; needs the same shape and --tokenizer")
    p.add_argument("--transplant-from", help="with --init-onnx: that model's tokenizer.model; its word embeddings "
                   "are mapped onto --tokenizer's pieces (mooscomp_models/vocab_transplant.py)")
    p.add_argument("--mlm-text", action="append", default=[],
                   help="MLM: a text file (one paragraph a line) added to the transcripts and sentences; repeatable")
    p.add_argument("--silver", action="append", default=[],
                   help="JSON lines {words, keep: floats in [0, 1][, spaces]} (models/silver.py): graded labels; "
                        "repeatable")
    p.add_argument("--sat-repeat", type=int, default=0,
                   help="train on the training passages of the LLM-compressed SAT set (splits.py), repeated N "
                        "times an epoch; its validation passages then replace Google val in evaluation")
    p.add_argument("--sat-fold", default=None, type=fold_arg,
                   help="K/N: train on the SAT passages outside fold K of N and validate on fold K "
                        "(mooscomp_models.splits; default: the shipped 28/12 split)")
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
    if args.transplant_from and not (args.init_onnx and args.tokenizer):
        p.error("--transplant-from needs --init-onnx and --tokenizer")
    if args.intermediate is None:
        args.intermediate = 4 * args.hidden
    return args


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(args.threads)
    log = Log(args.out)
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        if args.tokenizer_only:
            path = os.path.join(args.out, "tokenizer.model")
            if not os.path.exists(path + ".neglogfreq.json"):
                build_tokenizer(args, path, log)
            return 0
        return train(args, log)
    finally:
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])
        log.close()


if __name__ == "__main__":
    sys.exit(main())
