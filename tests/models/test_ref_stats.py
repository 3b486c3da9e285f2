"""models/mooscomp_models/ref_stats.py and models/add_stats.py on hand-made inputs and the fixture model.

Run: PYTHONPATH=models /usr/bin/python3 -m unittest discover -s tests/models
"""
import contextlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import numpy as np
import torch

import add_stats  # the CLI (models/ on the path)
from mooscomp_models import onnx_weights, ref_stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FIXTURE = os.path.join(ROOT, "models", "fixture")
HAVE_NODE = shutil.which("node") is not None


class WordsTest(unittest.TestCase):
    PIECES = ["<pad>", "<unk>", "<s>", "</s>", "\u2581the", "\u2581", "4", ".", "2", "\u2581,", ",", "\u2581said",
              ":", "\u2581don", "'", "t", "s"]

    def words(self, pieces):
        ids = [self.PIECES.index(p) for p in pieces]
        return [[self.PIECES[i] for i in ids[b:e]] for b, e in ref_stats.word_ranges(ids, self.PIECES)]

    def test_word_ranges_follow_the_core(self):
        # "▁" starts, lone punctuation starts, a bare "▁" carries, joiners stay inside numbers.
        self.assertEqual(self.words(["\u2581the", "\u2581", "4", ".", "2", ",", "\u2581said", ":"]),
                         [["\u2581the"], ["\u2581", "4", ".", "2"], [","], ["\u2581said"], [":"]])
        self.assertEqual(self.words(["\u2581don", "'", "t", "\u2581the", "s"]),
                         [["\u2581don", "'", "t"], ["\u2581the", "s"]])
        self.assertEqual(self.words(["4", "\u2581,"]), [["4"], ["\u2581,"]])

    def test_word_rarity_sums_pieces_and_skips_unknown(self):
        nlf = [0.0] * len(self.PIECES)
        nlf[self.PIECES.index("\u2581the")] = 2.0
        nlf[self.PIECES.index("\u2581")] = 1.0
        for d in ("4", "2", "."):
            nlf[self.PIECES.index(d)] = 3.0
        ids = [[4, 5, 6, 7, 8, 4], [4, 1]]  # the 4.2 the | the<unk>
        st = ref_stats.word_rarity_stats(ids, self.PIECES, nlf)
        self.assertEqual(st["words"], 3)  # "the<unk>" is left out
        x = np.array([2.0, 10.0, 2.0])
        self.assertAlmostEqual(st["word_mean"], x.mean())
        self.assertAlmostEqual(st["word_std"], x.std())

    def test_pack_windows(self):
        units = [[1] * 300, [2] * 300, [3] * 100, [4] * 1200]
        w = ref_stats.pack_windows(units, window=510)
        self.assertEqual([len(x) for x in w], [300, 400, 510, 510, 180])
        self.assertEqual(sum(w, []), sum(units, []))


class HiddenStatsTest(unittest.TestCase):
    def test_by_hand(self):
        h = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.0]])
        st = ref_stats.hidden_stats_of(h)
        self.assertEqual(st["mean"], [2.0, 1.0])
        self.assertAlmostEqual(st["std"][0], np.sqrt(8 / 3))
        self.assertEqual(st["std"][1], 0.0)
        z = np.abs(h[:, 0] - 2.0) / (np.sqrt(8 / 3) + ref_stats.EPS) / 2  # dimension 1 adds |0|
        self.assertAlmostEqual(st["score_mean"], z.mean())
        self.assertAlmostEqual(st["score_std"], z.std())
        self.assertEqual(st["tokens"], 3)

    def test_fixture_rebuilt_from_onnx_matches_the_reference(self):
        cfg = onnx_weights.config_from_onnx(os.path.join(FIXTURE, "model.onnx"))
        for key, want in dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128,
                              position_bias="none", position_ids="absolute").items():
            self.assertEqual(cfg[key], want, key)
        model = onnx_weights.model_from_onnx(os.path.join(FIXTURE, "model.onnx"))
        with open(os.path.join(FIXTURE, "reference.json")) as f:
            ref = json.load(f)
        with torch.no_grad():
            _, hidden = model(torch.tensor(ref["input_ids"]), torch.tensor(ref["attention_mask"]))
        self.assertLess((hidden - torch.tensor(ref["hidden"])).abs().max().item(), 1e-4)


class AddStatsTest(unittest.TestCase):
    def test_writes_the_manifest_fields(self):
        with tempfile.TemporaryDirectory() as d:
            folder = os.path.join(d, "model")
            shutil.copytree(FIXTURE, folder)
            with open(os.path.join(folder, "manifest.json")) as f:
                before = json.load(f)
            with contextlib.redirect_stdout(io.StringIO()):
                add_stats.main(["--model-dir", folder, "--text", os.path.join(ROOT, "models", "fixture_corpus.txt"),
                                "--limit", "40", "--no-check"])
            with open(os.path.join(folder, "manifest.json")) as f:
                m = json.load(f)
            hs = m["hidden_stats"]
            self.assertEqual(len(hs["mean"]), m["hidden_size"])
            self.assertEqual(len(hs["std"]), m["hidden_size"])
            self.assertTrue(all(s >= 0 for s in hs["std"]))
            self.assertGreater(hs["score_std"], 0)
            self.assertGreater(hs["score_mean"], 0)
            self.assertGreater(m["lexical"]["word_std"], 0)
            self.assertGreater(m["lexical"]["word_mean"], 0)
            for key in before:  # nothing else changed
                if key not in ("lexical",):
                    self.assertEqual(m[key], before[key], key)
            self.assertEqual(m["lexical"]["neg_log_freq"], before["lexical"]["neg_log_freq"])
            if HAVE_NODE:  # the JS loader accepts what was written
                script = ("import {parseManifest} from './js/src/manifest.js';"
                          "import {readFileSync} from 'node:fs';"
                          "const m = parseManifest(readFileSync(process.argv[1]));"
                          "console.log(JSON.stringify([m.hiddenStats.mean.length, m.wordRarity.std > 0]));")
                out = subprocess.run(["node", "--input-type=module", "-e", script,
                                      os.path.join(folder, "manifest.json")],
                                     cwd=ROOT, check=True, capture_output=True, timeout=60)
                self.assertEqual(json.loads(out.stdout), [m["hidden_size"], True])


if __name__ == "__main__":
    unittest.main()
