"""models/retention.py's counting, and models/compress_many.mjs against the CLI.

Needs no shared data: the retention counts run on hand-made strings, the compression on the
committed fixture model (skipped without node or the built package).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))

import retention as R  # noqa: E402

FIXTURE = os.path.join(ROOT, "models", "fixture")
HAVE_PACKAGE = shutil.which("node") and os.path.exists(os.path.join(ROOT, "js", "dist", "mooscomp-core.wasm")) \
    and os.path.isdir(os.path.join(ROOT, "js", "node_modules", "onnxruntime-web"))


class CountingTest(unittest.TestCase):
    def test_numbers_and_options(self):
        text = "She had 48 clips, sold 2.5 kg. (A) yes (B) no"
        kept = [(0, 3), (8, 10), (23, 26), (31, 34)]  # "She", "48", "2.5", "(A)"
        mask = R.kept_mask(text, kept)
        self.assertEqual(R.pattern_retention(text, mask, R.NUMBER), (2, 2))
        self.assertEqual(R.pattern_retention(text, mask, R.OPTION), (1, 2))

    def test_partly_kept_number_is_lost(self):
        text = "total 1,250 units"
        mask = R.kept_mask(text, [(6, 7)])  # only "1" of "1,250"
        self.assertEqual(R.pattern_retention(text, mask, R.NUMBER), (0, 1))

    def test_answer_words(self):
        text = "Castlemaine is in Victoria. Victoria is a state; the town of Castlemaine."
        mask = R.kept_mask(text, [(28, 36)])  # the second "Victoria" only
        # "castlemaine" and "victoria" occur; "australia" does not and is not counted;
        # "the" is a stopword.
        self.assertEqual(R.answer_retention(text, mask, ["Castlemaine, Victoria, Australia", "the"]), (1, 2))
        self.assertEqual(R.answer_retention("北京是首都", R.kept_mask("北京是首都", [(0, 2)]), ["北京"]), (1, 1))

    def test_gsm8k_prompt_shape(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "eval", "gsm8k"))
            with open(os.path.join(d, "eval", "gsm8k", "train.jsonl"), "w") as f:
                for i in range(10):
                    f.write(json.dumps({"question": f"Q{i}?", "answer": f"2+{i} = <<2+{i}={2 + i}>>{2 + i}\n#### {2 + i}"}) + "\n")
            p = R.gsm8k_prompts(d, 2, shots=3)
        self.assertEqual(len(p), 2)
        self.assertEqual(p[0]["text"].count("Question:"), 3)
        self.assertNotIn("<<", p[0]["text"])
        self.assertIn("The answer is", p[0]["text"])


@unittest.skipUnless(HAVE_PACKAGE, "node or the built package missing")
class CompressManyTest(unittest.TestCase):
    def test_memoised_runs_match_the_cli(self):
        text = ("The council approved 3 new bridges in 2021 , costing 4.5 million dollars . "
                "Engineers said the river crossing would open in May .")
        configs = [{"rate": 0.5, "outlier": "none", "alpha": 1.0}, {"rate": 0.5, "outlier": "hidden", "alpha": 0.5},
                   {"rate": 0.3, "outlier": "lexical", "alpha": 0.7}]
        res = R.compress_all(FIXTURE, [{"text": text}], configs)["results"][0]
        self.assertEqual(len(res), 3)
        for c, got in zip(configs, res):
            cli = subprocess.run(["node", os.path.join(ROOT, "js", "bin", "mooscomp.js"), "compress", "--json",
                                  "--model", FIXTURE, "--rate", str(c["rate"]), "--outlier", c["outlier"],
                                  "--alpha", str(c["alpha"]), "-"], input=text.encode(), capture_output=True,
                                 check=True, cwd=ROOT)
            want = []  # kept words, touching ones merged as compress_many reports them
            for w in json.loads(cli.stdout)["words"]:
                if w["keep"] and want and want[-1][1] == w["start"]:
                    want[-1][1] = w["end"]
                elif w["keep"]:
                    want.append([w["start"], w["end"]])
            self.assertEqual(got["kept"], want, c)


if __name__ == "__main__":
    unittest.main()
