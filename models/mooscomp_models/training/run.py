"""One training run in its folder: built or resumed from ckpt.pt, trained step by step with
periodic logs, evaluations and checkpoints, stopped cleanly on SIGINT/SIGTERM."""
import json
import os
import random
import signal
import time

import torch

from .. import data as D
from .. import tokenizer_train as tk
from ..losses import hard_labels, interclass_cosine, soft_token_ce, token_ce
from ..metrics import evaluate
from .corpus import get_windows, load_data, tokenizer_path
from .model_setup import batch_plan, build_model, make_optimizer, model_config
from .schedule import lr_at, sentence_bias


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def stop_flag():
    """{"now": bool}, set by SIGINT/SIGTERM: the loop stops after its step and saves."""
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop


class ProgressTally:
    """Sums over the steps since the last progress line."""

    def __init__(self):
        self.t0, self.tokens = time.time(), 0
        self.loss = self.ce = self.cs = 0.0
        self.n = 0

    def add(self, loss, ce, cs, tokens):
        self.tokens += tokens
        self.loss += float(loss)
        self.ce += float(ce)
        self.cs += float(cs)
        self.n += 1


class Run:
    """A run of train.py's options: its data, model, optimiser and progress (state, saved in ckpt.pt)."""

    def __init__(self, args, log):
        self.args, self.log = args, log
        init = torch.load(args.init_from, map_location="cpu") if args.init_from else None
        self.tok_path = tokenizer_path(args, init, log)
        self.vocab_size = len(tk.load_pieces(self.tok_path))
        self.data = load_data(args, self.tok_path, log)
        self.n_windows = len(self.data["offsets"]) - 1
        self.per_batch, self.steps_per_epoch, self.total = batch_plan(args, self.n_windows)
        self.cfg = model_config(args, self.vocab_size)
        self.model = build_model(args, self.cfg, init, log)
        self.dev = torch.device(args.device)
        self.model.to(self.dev)
        self.opt = make_optimizer(self.model, args, self.dev)
        self.state = {"step": 0, "epoch": 0, "pos": 0, "tokens": 0, "elapsed": 0.0, "first_losses": [],
                      "best_f1": -1.0}
        self.ckpt_path = os.path.join(args.out, "ckpt.pt")
        self._order = {}

    # ------------------------------------------------------------ saving and resuming

    def resume(self):
        if not os.path.exists(self.ckpt_path):
            return
        ck = torch.load(self.ckpt_path, map_location=self.dev)
        self.model.load_state_dict(ck["model"])
        self.opt.load_state_dict(ck["optimizer"])
        self.state = ck["state"]
        torch.set_rng_state(ck["torch_rng"].cpu())
        st = self.state
        self.log(f"resumed from {self.ckpt_path} at step {st['step']} (epoch {st['epoch']}, window {st['pos']})")

    def checkpoint(self):
        save_atomic({"model": self.model.state_dict(), "optimizer": self.opt.state_dict(), "state": self.state,
                     "torch_rng": torch.get_rng_state(), "args": vars(self.args)}, self.ckpt_path)

    def save_model(self, name="model.pt"):
        weights = {k: v.detach().cpu() for k, v in self.model.state_dict().items()}
        save_atomic({"config": self.cfg.to_dict(), "state_dict": weights, "task": self.args.task,
                     "tokenizer": os.path.abspath(self.tok_path), "step": self.state["step"],
                     "args": vars(self.args)}, os.path.join(self.args.out, name))

    # ------------------------------------------------------------ one step

    def next_batch(self):
        """The windows of the next step in its epoch's order, a function of (seed, epoch) so that
        a resumed run sees the same order; a new epoch when this one cannot fill a step."""
        st = self.state
        if st["pos"] + self.per_batch > self.n_windows:
            st["epoch"], st["pos"] = st["epoch"] + 1, 0
        if st["epoch"] not in self._order:
            self._order = {st["epoch"]: random.Random(self.args.seed * 1000 + st["epoch"]).sample(
                range(self.n_windows), self.n_windows)}
        return get_windows(self.data, self._order[st["epoch"]][st["pos"]:st["pos"] + self.per_batch])

    def tag_loss(self, ids, mask, labels, bias):
        logits, hidden = self.model(ids, mask, bias)
        ce = soft_token_ce(logits, labels)
        cs, _ = interclass_cosine(hidden, hard_labels(labels))
        loss = ce + self.args.beta * cs if self.args.beta else ce
        return loss, ce, cs

    def mlm_loss(self, ids, mask, mlm_labels, bias):
        # The vocabulary projection only at the ~15% masked positions: it would otherwise
        # cost as much as the whole encoder.
        sel = mlm_labels != D.IGNORE
        ce = token_ce(self.model.cls.predictions(self.model.bert(ids, mask, bias)[sel]), mlm_labels[sel])
        return ce, ce, torch.zeros(())

    def train_step(self, batch, gen):
        """One optimiser step; returns (loss, ce, cs, real tokens)."""
        args, dev, step = self.args, self.dev, self.state["step"]
        ids, mask, labels, segs = D.collate(batch, label_dtype=torch.float)
        for g in self.opt.param_groups:
            g["lr"] = lr_at(step, args, self.total)
        bias = sentence_bias(step, segs, args)
        if args.task == "mlm":  # masks drawn on the CPU generator whatever the device: resumable
            ids, mlm_labels = D.mask_tokens(ids, mask, self.vocab_size, gen)
        ids, mask, labels = ids.to(dev), mask.to(dev), labels.to(dev)
        bias = None if bias is None else bias.to(dev)
        if args.task == "tag":
            loss, ce, cs = self.tag_loss(ids, mask, labels, bias)
        else:
            loss, ce, cs = self.mlm_loss(ids, mask, mlm_labels.to(dev), bias)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        return loss, ce, cs, int(mask.sum())

    def count_step(self, loss, tokens):
        st = self.state
        st["step"] += 1
        st["pos"] += self.per_batch
        st["tokens"] += tokens
        if len(st["first_losses"]) < max(3, self.total // 10):
            st["first_losses"].append(float(loss))

    # ------------------------------------------------------------ reporting

    def log_start(self):
        args = self.args
        self.log(f"model {args.layers}x{args.hidden} ({sum(p.numel() for p in self.model.parameters()) / 1e6:.2f}M "
                 f"params), {self.n_windows} windows, {self.per_batch} per step, {self.steps_per_epoch} steps/epoch, "
                 f"{self.total} steps")

    def log_progress(self, tally):
        st = self.state
        dt = time.time() - tally.t0
        st["elapsed"] += dt
        n = tally.n
        lr = self.opt.param_groups[0]["lr"]
        self.log(f"step {st['step']}/{self.total} ep {st['epoch']} loss {tally.loss / n:.4f} ce {tally.ce / n:.4f} "
                 f"cs {tally.cs / n:.4f} lr {lr:.2e} {tally.tokens / dt:.0f} tok/s",
                 kind="train", step=st["step"], loss=tally.loss / n, ce=tally.ce / n, cs=tally.cs / n,
                 lr=lr, tok_per_s=tally.tokens / dt, tokens=st["tokens"], elapsed_s=st["elapsed"])
        st["last_loss"] = tally.loss / n

    def run_eval(self):
        """Validation F1; the best so far is kept as best.pt."""
        st = self.state
        r = evaluate(self.model, self.data["val"])
        self.log(f"eval step {st['step']}: f1 {r['f1']:.4f} acc {r['accuracy']:.4f} "
                 f"cos {r['interclass_cos']:.4f}", kind="eval", step=st["step"], **r)
        if r["f1"] > st["best_f1"]:
            st["best_f1"] = r["f1"]
            self.save_model("best.pt")
        self.model.train()

    # ------------------------------------------------------------ the loop

    def loop(self, stop):
        args, st = self.args, self.state
        gen = torch.Generator().manual_seed(args.seed + 1 + st["step"])  # MLM masks; reseeded on resume
        self.model.train()
        last_ckpt = time.time()
        tally = ProgressTally()
        while st["step"] < self.total and not stop["now"]:
            loss, ce, cs, tokens = self.train_step(self.next_batch(), gen)
            self.count_step(loss, tokens)
            tally.add(loss, ce, cs, tokens)
            if st["step"] % args.log_every == 0 or st["step"] == self.total:
                self.log_progress(tally)
                tally = ProgressTally()
            if args.task == "tag" and args.eval_every and st["step"] % args.eval_every == 0:
                self.run_eval()
                tally.t0 = time.time()  # evaluation time is not training throughput
            if time.time() - last_ckpt > args.ckpt_minutes * 60:
                self.checkpoint()
                last_ckpt = time.time()

    def finish(self, stopped):
        """Checkpoint; unless stopped, the final evaluation and model.pt. Returns the exit status."""
        args, st = self.args, self.state
        self.checkpoint()
        if stopped:
            self.log(f"interrupted at step {st['step']}: checkpoint saved, rerun the same command to resume")
            return 130
        if args.task == "tag" and self.data["val"]:
            self.run_eval()
        self.save_model()
        first = sum(st["first_losses"]) / len(st["first_losses"])
        last = st.get("last_loss", float("nan"))
        self.log(f"done: {st['step']} steps, {st['tokens']} tokens, loss {first:.4f} (first steps) -> {last:.4f} "
                 "(last)", kind="done", first_loss=first, last_loss=last, steps=st["step"])
        if args.quick and not last < first:
            self.log("quick run: the loss did not decrease")
            return 1
        return 0


def train(args, log):
    """The run of train.py's options; returns its exit status (0, 1: a quick run's loss did not
    decrease, 130: interrupted, resumable)."""
    log("args: " + json.dumps(vars(args)))
    run = Run(args, log)
    run.resume()
    stop = stop_flag()
    run.log_start()
    run.loop(stop)
    return run.finish(stop["now"])
