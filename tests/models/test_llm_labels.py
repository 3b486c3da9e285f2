"""The pieces of the LLM-style training data: the SAT split, the part-of-speech rule, graded
silver labels, soft-label losses, and weights read back from ONNX (--init-onnx).

Run: PYTHONPATH=models /usr/bin/python3 -m unittest tests/models/test_llm_labels.py
The rule tests need Debian's liblingua-en-tagger-perl (scripts/setup.sh installs it); they skip
without it.
"""
import os
import subprocess
import tempfile
import unittest

import torch

from mooscomp_models.bert import BertConfig, BertForTokenClassification
from mooscomp_models.data import IGNORE
from mooscomp_models.export import export_onnx
from mooscomp_models.losses import hard_labels, soft_token_ce, token_ce
from mooscomp_models.onnx_weights import state_dict_from_onnx
from mooscomp_models.quantize import quantize_file
from mooscomp_models.silver_labels import graded
from mooscomp_models.splits import sat_split

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def have_tagger():
    return subprocess.run(["perl", "-MLingua::EN::Tagger", "-e", "1"], capture_output=True).returncode == 0


class SplitTest(unittest.TestCase):
    def test_28_12_by_passage_whatever_the_order(self):
        rows = [{"id": f"p{i:02d}"} for i in range(40)]
        train, val = sat_split(list(reversed(rows)))
        self.assertEqual((len(train), len(val)), (28, 12))
        self.assertFalse({r["id"] for r in train} & {r["id"] for r in val})
        self.assertEqual(sat_split(rows), (train, val))

    def test_k_folds_validate_on_every_passage_once(self):
        rows = [{"id": f"p{i:02d}"} for i in range(40)]
        seen = []
        for k in range(5):
            train, val = sat_split(list(reversed(rows)), f"{k}/5")
            self.assertEqual((len(train), len(val)), (32, 8))
            self.assertFalse({r["id"] for r in train} & {r["id"] for r in val})
            self.assertEqual(sat_split(rows, (k, 5)), (train, val))
            seen += [r["id"] for r in val]
        self.assertEqual(sorted(seen), [r["id"] for r in rows])
        for bad in ("5/5", "1/1", "a/5", "-1/5", "2"):
            with self.assertRaises(ValueError):
                sat_split(rows, bad)


class GradedTest(unittest.TestCase):
    def test_grades_follow_the_rule_order(self):
        scores = [5.2, 1.1, 4.5, 2.3, 3.1, 4.9, 2.0, 1.5, 3.3, 5.0]
        t = graded(scores)
        order = sorted(range(10), key=lambda i: -scores[i])
        self.assertEqual([t[i] for i in order], sorted(t, reverse=True))
        self.assertEqual(t[0], 1.0)  # the best word is kept at every rate
        self.assertEqual(t[1], 0.0)  # the worst at none

    def test_keep_class_is_kept_at_every_rate(self):
        scores = [5.1, 5.2, 5.3, 5.05, 1.1, 2.2, 4.4, 5.4]  # five class-5 words of 8: more than 65 %
        plain, floored = graded(scores), graded(scores, keep_class=5)
        self.assertLess(min(plain[i] for i in (0, 3)), 1.0)
        self.assertEqual([floored[i] for i in (0, 1, 2, 3, 7)], [1.0] * 5)
        self.assertEqual([floored[i] for i in (4, 5, 6)], [plain[i] for i in (4, 5, 6)])


@unittest.skipUnless(have_tagger(), "needs liblingua-en-tagger-perl")
class RuleTest(unittest.TestCase):
    def test_classes(self):
        from mooscomp_models.pos_rule import rule_classes, rule_scores
        words = "Marcus: Uh, we shouldn't move version 4.2 to Monday, um, the {disfmarker} quick fox.".split()
        c = dict(zip(words, rule_classes([words], [[0]])[0]))
        self.assertEqual(c["Marcus:"], 5)  # speaker label
        self.assertEqual(c["4.2"], 5)
        self.assertEqual(c["Monday,"], 5)
        self.assertEqual(c["shouldn't"], 4)  # negation
        self.assertEqual(c["quick"], 4)
        self.assertEqual(c["the"], 2)
        self.assertEqual((c["Uh,"], c["um,"], c["{disfmarker}"]), (1, 1, 1))
        s = dict(zip(words, rule_scores([words])[0]))
        self.assertGreater(s["version"], s["move"])  # longer first within a class
        self.assertGreater(s["move"], s["to"])


class SoftLossTest(unittest.TestCase):
    def test_hard_targets_give_cross_entropy_and_ignore_counts_nothing(self):
        logits = torch.randn(2, 5, 2)
        labels = torch.tensor([[IGNORE, 1, 0, 1, IGNORE], [IGNORE, 0, 0, IGNORE, IGNORE]])
        self.assertAlmostEqual(float(soft_token_ce(logits, labels.float())), float(token_ce(logits, labels)), places=5)
        self.assertTrue(torch.equal(hard_labels(torch.tensor([IGNORE, 0.6, 0.2, 0.5])),
                                    torch.tensor([IGNORE, 1, 0, 1])))

    def test_graded_target_minimum_is_at_the_target(self):
        t = torch.tensor([[0.3]])
        best = min((float(soft_token_ce(torch.tensor([[[0.0, z]]]), t)), z) for z in [i / 10 for i in range(-30, 10)])
        self.assertAlmostEqual(torch.sigmoid(torch.tensor(best[1])).item(), 0.3, delta=0.03)


class OnnxWeightsTest(unittest.TestCase):
    def test_fp32_and_int8_round_trip(self):
        cfg = BertConfig(vocab_size=300, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64, position_bias="alibi", hidden_dropout_prob=0.0,
                         attention_probs_dropout_prob=0.0)
        torch.manual_seed(0)
        model = BertForTokenClassification(cfg).eval()  # zero biases: stored once, the rest Identity
        ref = model.state_dict()
        with tempfile.TemporaryDirectory() as d:
            export_onnx(model, os.path.join(d, "m.onnx"))
            quantize_file(os.path.join(d, "m.onnx"), os.path.join(d, "q.onnx"), "dynamic")
            quantize_file(os.path.join(d, "m.onnx"), os.path.join(d, "w.onnx"), "weight")
            for name, tol in (("m.onnx", 1e-6), ("q.onnx", 0.01), ("w.onnx", 0.01)):
                sd = state_dict_from_onnx(os.path.join(d, name))
                back = BertForTokenClassification(cfg).eval()
                back.load_state_dict(sd)  # strict: every tensor found
                for k, v in ref.items():
                    if k == "bert.embeddings.token_type_embeddings.weight":
                        v = v[:1]  # only row 0 is in the graph
                        sd[k] = sd[k][:1]
                    self.assertLess(float((sd[k] - v).abs().max()), tol, (name, k))


if __name__ == "__main__":
    unittest.main()
