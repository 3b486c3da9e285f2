"""Training pipeline: label alignment, packing, the cosine loss, and a --quick run.

Needs no shared data: the quick run trains on a synthetic labelled corpus generated here.
Run: PYTHONPATH=models /usr/bin/python3 -m unittest discover -s tests/models
"""
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

import torch

from mooscomp_models import data as D
from mooscomp_models import tokenizer_train as tk
from mooscomp_models.losses import interclass_cosine

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FIXTURE_SPM = os.path.join(ROOT, "models", "fixture", "tokenizer.model")
HAVE_SPM = shutil.which("spm_encode") and shutil.which("spm_train")
IGN = D.IGNORE


class AlignTest(unittest.TestCase):
    PIECES = {5: "\u2581hel", 6: "lo", 7: "\u2581world", 8: "\u2581", 9: "4", 10: "2"}

    def test_subtokens_take_their_words_label(self):
        # "hello world 42" with words labelled keep, drop, keep
        self.assertEqual(D.align_labels([5, 6, 7, 8, 9, 10], self.PIECES, [1, 0, 1]), [1, 1, 0, 1, 1, 1])

    def test_word_count_mismatch_is_rejected(self):
        self.assertIsNone(D.align_labels([5, 6, 7], self.PIECES, [1, 0, 1]))  # a word vanished
        self.assertIsNone(D.align_labels([5, 6, 7, 8, 9], self.PIECES, [1]))   # too many words

    @unittest.skipUnless(HAVE_SPM, "spm tools missing")
    def test_with_real_tokenizer(self):
        rows = [{"words": ["Tom", "has", "12345", "pencils", "."], "keep": [1, 0, 1, 1, 0]}]
        (ids, labels), = D.encode_labelled(rows, FIXTURE_SPM)[0]
        pieces = tk.load_pieces(FIXTURE_SPM)
        starts = [i for i, t in enumerate(ids) if pieces[t].startswith("\u2581")]
        self.assertEqual(len(starts), 5)
        self.assertEqual([labels[s] for s in starts], [1, 0, 1, 1, 0])
        digits = [pieces[t] for t in ids if pieces[t] in list("0123456789")]
        self.assertEqual(digits, list("12345"))  # split_digits

    def test_restore_masked_numbers_and_unk(self):
        rows = [{"words": ["the", "##", "<unk>", "often", "often", "often"], "keep": [1, 1, 0, 1, 1, 0]},
                {"words": ["the", "the", "zebra"], "keep": [1, 1, 1]}]
        out = D.restore_rows(rows)[0]
        self.assertTrue(out["words"][1].replace(".", "").replace(",", "").isdigit())
        self.assertEqual(out["words"][2], "zebra")  # the only alphabetic word seen at most twice
        self.assertEqual(out["keep"], [1, 1, 0, 1, 1, 0])


class PackTest(unittest.TestCase):
    def test_windows(self):
        ex = [([10] * 3, [1] * 3), ([11] * 4, [0] * 4), ([12] * 9, [1] * 9)]
        w = D.pack_windows(ex, max_len=10)  # room 8 per window
        self.assertEqual([len(i) for i, _, _ in w], [9, 10, 3])
        self.assertEqual(w[0][0], [tk.BOS_ID] + [10] * 3 + [11] * 4 + [tk.EOS_ID])
        self.assertEqual(w[0][1], [IGN] + [1] * 3 + [0] * 4 + [IGN])
        self.assertEqual(w[0][2], [0] * 4 + [1] * 5)  # sentence numbers; CLS/SEP join their neighbours
        self.assertEqual(w[1][1], [IGN] + [1] * 8 + [IGN])  # a long sentence is cut
        ids, mask, labels, segs = D.collate(w)
        self.assertEqual(ids.shape, (3, 10))
        self.assertEqual(mask[2].tolist(), [1, 1, 1] + [0] * 7)
        self.assertEqual(labels[2].tolist(), [IGN, 1, IGN] + [IGN] * 7)
        self.assertEqual(segs[2].tolist(), [0, 0, 0] + [-1] * 7)

    def test_sentence_attention_bias(self):
        bias = D.sentence_attention_bias(torch.tensor([[0, 0, 1, -1]]))
        self.assertEqual(bias.shape, (1, 1, 4, 4))
        self.assertEqual((bias[0, 0] == 0).int().tolist(), [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])


class CosineLossTest(unittest.TestCase):
    def test_hand_computed(self):
        h = torch.tensor([[[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [-1.0, 0.0], [5.0, 5.0]]])
        labels = torch.tensor([[1, 1, 0, 0, IGN]])
        # pairs (P x D): cos = .7071, -1, .7071, 0 -> mean (2*.7071 - 1) / 4
        cos, n = interclass_cosine(h, labels)
        self.assertEqual(n, 1)
        self.assertAlmostEqual(cos.item(), (2 / math.sqrt(2) - 1) / 4, places=6)

    def test_single_class_sequences_are_left_out(self):
        h = torch.tensor([[[1.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])
        labels = torch.tensor([[1, 1], [1, 0]])
        cos, n = interclass_cosine(h, labels)
        self.assertEqual(n, 1)
        self.assertAlmostEqual(cos.item(), 0.0, places=6)
        cos, n = interclass_cosine(h[:1], labels[:1])
        self.assertEqual((cos.item(), n), (0.0, 0))

    def test_matches_pairwise_mean(self):
        g = torch.Generator().manual_seed(0)
        h = torch.randn(3, 7, 5, generator=g)
        labels = torch.randint(0, 2, (3, 7), generator=g)
        labels[:, 0] = IGN
        labels[:, 1], labels[:, 2] = 0, 1
        want = []
        for b in range(3):
            P = [t for t in range(7) if labels[b, t] == 1]
            Dd = [t for t in range(7) if labels[b, t] == 0]
            want.append(sum(torch.cosine_similarity(h[b, i], h[b, j], dim=0) for i in P for j in Dd) / (len(P) * len(Dd)))
        cos, _ = interclass_cosine(h, labels)
        self.assertAlmostEqual(cos.item(), torch.stack(want).mean().item(), places=5)


def synthetic_data(folder, n=1500, seed=0):
    """Google-format labelled sentences with a learnable rule: function words are dropped."""
    rng = random.Random(seed)
    function = ["the", "a", "of", "to", "and", "in", "is", "that", "for", "on", "with", "as", ","]
    content = ["river", "bridge", "council", "engineer", "storm", "museum", "ticket", "doctor", "battery",
               "orchestra", "farmer", "harvest", "scooter", "library", "galaxy", "mirror", "summit", "policy",
               "update", "order", "closed", "repaired", "praised", "measured", "raised", "shipped", "##", "<unk>"]
    g = os.path.join(folder, "compression", "google")
    os.makedirs(g)
    for split, count in (("train", n), ("val", n // 10)):
        with open(os.path.join(g, f"{split}.jsonl"), "w") as f:
            for _ in range(count):
                words = [rng.choice(function if rng.random() < 0.45 else content) for _ in range(rng.randint(5, 20))]
                words.append(".")
                keep = [0 if w in function else 1 for w in words]
                f.write(json.dumps({"words": words, "keep": keep}) + "\n")
    q = os.path.join(folder, "pretrain", "qmsum")
    os.makedirs(q)
    with open(os.path.join(q, "train.txt"), "w") as f:
        for _ in range(200):
            f.write("Speaker A: " + " ".join(rng.choice(function + content[:-2]) for _ in range(12)) + " {vocalsound}\n")


@unittest.skipUnless(HAVE_SPM, "spm tools missing")
class QuickTrainTest(unittest.TestCase):
    def test_quick_run_loss_decreases_and_resumes(self):
        import train
        with tempfile.TemporaryDirectory() as d:
            synthetic_data(os.path.join(d, "data"))
            out = os.path.join(d, "run")
            common = ["--data", os.path.join(d, "data"), "--out", out, "--quick", "--max-len", "64",
                      "--batch-tokens", "1024", "--vocab", "200", "--log-every", "5"]
            self.assertEqual(train.main(common + ["--steps", "30"]), 0)
            self.assertEqual(train.main(common + ["--steps", "45"]), 0)  # continues from the checkpoint
            with open(os.path.join(out, "train.log")) as f:
                log = f.read()
            self.assertIn("resumed from", log)
            with open(os.path.join(out, "metrics.jsonl")) as f:
                rec = [json.loads(line) for line in f]
            done = [r for r in rec if r.get("kind") == "done"]
            self.assertEqual(done[-1]["steps"], 45)
            self.assertLess(done[-1]["last_loss"], done[-1]["first_loss"])
            steps = [r["step"] for r in rec if r.get("kind") == "train"]
            self.assertEqual(steps, sorted(set(steps)))  # no step trained twice
            evals = [r for r in rec if r.get("kind") == "eval"]
            self.assertGreater(evals[-1]["f1"], 0.7)
            ck = torch.load(os.path.join(out, "model.pt"))
            self.assertIn("bert.encoder.layer.1.output.LayerNorm.weight", ck["state_dict"])

    def test_mlm_pretraining_then_fine_tuning(self):
        import train
        with tempfile.TemporaryDirectory() as d:
            synthetic_data(os.path.join(d, "data"), n=400)
            mlm, tag = os.path.join(d, "mlm"), os.path.join(d, "tag")
            common = ["--data", os.path.join(d, "data"), "--quick", "--max-len", "64", "--batch-tokens", "1024",
                      "--vocab", "200", "--log-every", "5"]
            self.assertEqual(train.main(common + ["--task", "mlm", "--out", mlm, "--steps", "25"]), 0)
            self.assertEqual(train.main(common + ["--out", tag, "--steps", "10", "--init-from",
                                                  os.path.join(mlm, "model.pt")]), 0)
            with open(os.path.join(tag, "train.log")) as f:
                self.assertIn("initialised", f.read())

    def test_step_larger_than_the_data_and_recorded_tokenizer(self):
        """A step asking for more windows than exist trains on all of them (it used to loop
        forever); a fine-tune without --tokenizer uses the one its --init-from run recorded."""
        with tempfile.TemporaryDirectory() as d:
            synthetic_data(os.path.join(d, "data"), n=60)
            common = [sys.executable, os.path.join(ROOT, "models", "train.py"), "--data", os.path.join(d, "data"),
                      "--quick", "--max-len", "64", "--vocab", "200", "--steps", "12"]
            first, second = os.path.join(d, "first"), os.path.join(d, "second")
            subprocess.run(common + ["--out", first, "--batch-tokens", "1000000"], check=True, timeout=300,
                           capture_output=True)
            shared = os.path.join(d, "shared.model")
            os.replace(os.path.join(first, "tokenizer.model"), shared)
            ck = torch.load(os.path.join(first, "model.pt"))
            ck["tokenizer"] = shared
            torch.save(ck, os.path.join(first, "model.pt"))
            subprocess.run(common + ["--out", second, "--init-from", os.path.join(first, "model.pt")], check=True,
                           timeout=300, capture_output=True)
            self.assertFalse(os.path.exists(os.path.join(second, "tokenizer.model")))

    def test_llm_style_stage_from_onnx_with_graded_silver_and_sat(self):
        """Stage 3's inputs: a start read back from an int8 ONNX export (--init-onnx), graded
        silver labels (--silver), the SAT training passages (--sat-repeat, validation on the
        others) and no Google sentences (--train-limit 0)."""
        import train
        from mooscomp_models.checkpoint import load_model
        from mooscomp_models.export import export_onnx
        from mooscomp_models.quantize import quantize_file
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data")
            synthetic_data(data, n=300)
            rng = random.Random(1)
            words = ["the", "river", "of", "council", "a", "storm", "42", "and", "museum"]
            with open(os.path.join(d, "silver.jsonl"), "w") as f:
                for _ in range(300):
                    ws = [rng.choice(words) for _ in range(15)]
                    f.write(json.dumps({"words": ws, "keep": [0.0 if w in ("the", "of", "a", "and") else
                                                              1.0 if w == "42" else 0.667 for w in ws]}) + "\n")
            os.makedirs(os.path.join(data, "compression", "llm-style"))
            with open(os.path.join(data, "compression", "llm-style", "sat-dev.jsonl"), "w") as f:
                for i in range(10):
                    ws = [rng.choice(words) for _ in range(40)]
                    f.write(json.dumps({"id": f"p{i}", "words": ws,
                                        "keep_refs": [[int(w not in ("the", "of", "a", "and")) for w in ws]]}) + "\n")
            common = ["--data", data, "--quick", "--max-len", "64", "--batch-tokens", "1024", "--vocab", "200",
                      "--log-every", "5"]
            first, second = os.path.join(d, "first"), os.path.join(d, "second")
            self.assertEqual(train.main(common + ["--out", first, "--steps", "10"]), 0)
            model, _ = load_model(os.path.join(first, "model.pt"))
            export_onnx(model, os.path.join(d, "m.fp32.onnx"))
            quantize_file(os.path.join(d, "m.fp32.onnx"), os.path.join(d, "m.onnx"))
            self.assertEqual(train.main(common + [
                "--out", second, "--steps", "40", "--tokenizer", os.path.join(first, "tokenizer.model"),
                "--init-onnx", os.path.join(d, "m.onnx"), "--silver", os.path.join(d, "silver.jsonl"),
                "--sat-repeat", "2", "--train-limit", "0", "--beta", "0.1"]), 0)
            with open(os.path.join(second, "train.log")) as f:
                log = f.read()
            self.assertIn("initialised every tensor from", log)
            self.assertIn(" 3 val sentences", log)  # the 3 SAT validation passages of 10
            with open(os.path.join(second, "metrics.jsonl")) as f:
                done = [r for r in map(json.loads, f) if r.get("kind") == "done"][-1]
            self.assertLess(done["last_loss"], done["first_loss"])
            # A k-fold run (kfold.sh) validates on fold 1 of 5 of the 10 passages: 2 of them.
            fold = os.path.join(d, "fold")
            self.assertEqual(train.main(common + [
                "--out", fold, "--steps", "5", "--tokenizer", os.path.join(first, "tokenizer.model"),
                "--init-onnx", os.path.join(d, "m.onnx"), "--sat-repeat", "2", "--train-limit", "0",
                "--sat-fold", "1/5"]), 0)
            with open(os.path.join(fold, "train.log")) as f:
                self.assertIn(" 2 val sentences", f.read())


class KFoldReportTest(unittest.TestCase):
    def test_folds_mean_spread_and_folds_above_the_rule(self):
        import kfold_report
        with tempfile.TemporaryDirectory() as d:
            for k, (ours, rule) in enumerate([(0.52, 0.45), (0.40, 0.44), (0.61, 0.50)]):
                os.makedirs(os.path.join(d, f"fold-{k}"))
                report = {"settings": ["word-rarity:0.7"],
                          "results": {"word-rarity:0.7": {"agreement": {"sat_val": ours}}},
                          "baselines": {b: {"agreement": {"sat_val": v}} for b, v in
                                        (("pos_rule", rule), ("stopwords_first", 0.3), ("random", 0.2))}}
                with open(os.path.join(d, f"fold-{k}", "quality-default.json"), "w") as f:
                    json.dump(report, f)
            os.makedirs(os.path.join(d, "fold-3"))  # not yet measured: shown, left out of the summary
            # quality.py --only agreement writes the same figures under "agreement"
            report = {"settings": ["word-rarity:0.7"], "agreement": {"table": {
                "word-rarity:0.7": {"sat_val": 0.50}, "pos_rule": {"sat_val": 0.49},
                "stopwords_first": {"sat_val": 0.3}, "random": {"sat_val": 0.2}}}}
            with open(os.path.join(d, "fold-1", "quality-only.json"), "w") as f:
                json.dump(report, f)
            self.assertEqual(kfold_report.fold_rows(d, ["only"])[1][1]["only"], 0.50)
            rows = kfold_report.fold_rows(d, ["default"])
            self.assertEqual([name for name, _ in rows], ["fold-0", "fold-1", "fold-2", "fold-3"])
            self.assertIsNone(rows[3][1]["default"])
            s = kfold_report.summary(rows, "default")
            self.assertEqual((s["folds"], s["beats_rule"], s["min"], s["max"]), (3, 2, 0.40, 0.61))
            self.assertAlmostEqual(s["mean"], (0.52 + 0.40 + 0.61) / 3)


if __name__ == "__main__":
    unittest.main()
