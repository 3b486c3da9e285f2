"""models/quality.py's counting on hand-made strings, models/node/compress_many.mjs against the CLI,
and a --quick run on the committed fixture model.

The counting needs nothing; the compression skips without node or the built package
(js/dist, node_modules); the --quick run also skips without the shared data (../shared/data,
or $MOOSCOMP_DATA).
"""
import contextlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from mooscomp_models.quality import compressor as CM
from mooscomp_models.quality import counting as C
from mooscomp_models.quality import llmlingua2 as L
from mooscomp_models.quality import prompts as P
from mooscomp_models.quality import settings as S
from mooscomp_models.quality import word_agreement as WA
from mooscomp_models.word_f1 import f1_at_refs
import quality  # the CLI (models/ on the path)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FIXTURE = os.path.join(ROOT, "models", "fixture")
DATA = os.environ.get("MOOSCOMP_DATA", os.path.join(os.path.dirname(ROOT), "shared", "data"))
HAVE_PACKAGE = shutil.which("node") and os.path.exists(os.path.join(ROOT, "js", "dist", "mooscomp-core.wasm")) \
    and os.path.isdir(os.path.join(ROOT, "js", "node_modules", "onnxruntime-web"))
HAVE_DATA = os.path.exists(os.path.join(DATA, "compression", "llm-style", "sat-dev.jsonl"))


def mask_of(text, *words):
    """Mask keeping the first occurrence of each word."""
    return C.kept_mask(text, [(text.index(w), text.index(w) + len(w)) for w in words])


class RetentionCountingTest(unittest.TestCase):
    def test_numbers_and_options(self):
        text = "She had 48 clips, sold 2.5 kg. (A) yes (B) no"
        mask = mask_of(text, "She", "48", "2.5", "(A)")
        self.assertEqual(C.pattern_retention(text, mask, C.NUMBER), (2, 2))
        self.assertEqual(C.pattern_retention(text, mask, C.OPTION), (1, 2))

    def test_partly_kept_number_is_lost(self):
        text = "total 1,250 units"
        self.assertEqual(C.pattern_retention(text, C.kept_mask(text, [(6, 7)]), C.NUMBER), (0, 1))

    def test_answer_words(self):
        text = "Castlemaine is in Victoria. Victoria is a state; the town of Castlemaine."
        mask = C.kept_mask(text, [(28, 36)])  # the second "Victoria" only
        # "castlemaine" and "victoria" occur; "australia" does not and is not counted; "the" is a stopword.
        self.assertEqual(C.answer_retention(text, mask, ["Castlemaine, Victoria, Australia", "the"]), (1, 2))
        self.assertEqual(C.answer_retention("北京是首都", C.kept_mask("北京是首都", [(0, 2)]), ["北京"]), (1, 1))

    def test_sat_answers_per_question(self):
        row = {"questions": ["1:\nWhy?\nA) red apples\nB) blue sky\n\nAnswer:", "2:\nWho?\nA) Tom\nB) Ann\n\nAnswer:"],
               "answers": ["B", "A"]}
        self.assertEqual(P.correct_options(row), ["blue sky", "Tom"])
        text = "The sky was blue when Tom came."
        self.assertEqual(C.sat_answer_retention(text, mask_of(text, "blue"), P.correct_options(row)), (1, 3))

    def test_speaker_labels(self):
        text = "Grad A: so we start .\nProfessor C: OK , uh , fine : good .\nGrad A: yes"
        self.assertEqual([text[s:e] for s, e in C.speaker_spans(text)], ["Grad A", "Professor C", "Grad A"])
        # kept = the whole name kept; the colon does not matter
        self.assertEqual(C.count_kept(text, mask_of(text, "Grad A", "Professor"), C.speaker_spans(text)), (1, 3))

    def test_fillers(self):
        text = "A: Um , I mean uh-huh {disfmarker} the umbrella , hmm . {vocalsound} Uh"
        spans = C.filler_spans(text)
        self.assertEqual([text[s:e] for s, e in spans], ["Um", "uh-huh", "{disfmarker}", "hmm", "{vocalsound}", "Uh"])
        # a filler counts as kept when any of it shows in the output
        mask = C.kept_mask(text, [(text.index("{disfmarker}"), text.index("{disfmarker}") + 1)])
        self.assertEqual(C.count_kept(text, mask, spans, any_char=True), (1, 6))

    def test_names(self):
        text = ("Grad B: So we met Morgan in Berkeley . Then I said OK to Jane {disfmarker} Right , ICSI . "
                "Yeah , It was fine , Don 't worry")
        self.assertEqual([text[s:e] for s, e in C.name_spans(text)], ["Morgan", "Berkeley", "Jane", "ICSI"])

    def test_altered_numbers(self):
        text = "pay 1,250 dollars in 3 x 5 days"
        full = C.kept_mask(text, [(0, len(text))])
        self.assertEqual(C.altered_numbers(text, full, text), [])
        part = mask_of(text, "pay 1")  # "1,250" cut to "1"
        self.assertEqual(C.altered_numbers(text, part, "pay 1"), ["1,250 -> 1"])
        # each number kept whole, but the output joins 3 and 5 into a number the input does not have
        kept = mask_of(text, "3", "5 days")
        self.assertEqual(C.altered_numbers(text, kept, "35 days"), ["35 (not in the input)"])

    def test_gsm8k_prompt_shape(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "eval", "gsm8k"))
            with open(os.path.join(d, "eval", "gsm8k", "train.jsonl"), "w") as f:
                for i in range(10):
                    f.write(json.dumps({"question": f"Q{i}?", "answer": f"2+{i} = <<2+{i}={2 + i}>>{2 + i}\n#### {2 + i}"}) + "\n")
            p = P.gsm8k_prompts(d, 2, shots=3)
        self.assertEqual(len(p), 2)
        self.assertEqual(p[0]["text"].count("Question:"), 3)
        self.assertNotIn("<<", p[0]["text"])
        self.assertIn("The answer is", p[0]["text"])

    def test_qmsum_chunks(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "pretrain", "qmsum"))
            meeting = "\n".join(f"A: {'w ' * 9}" for _ in range(10))  # 10 turns of 10 words
            with open(os.path.join(d, "pretrain", "qmsum", "val.txt"), "w") as f:
                f.write(meeting + "\n\n" + meeting + "\n")
            chunks = P.qmsum_chunks(d, 3, words=30)  # 3 chunks per meeting, 6 in all
        self.assertEqual(len(chunks), 3)
        self.assertTrue(all(c["text"].count("\n") == 2 for c in chunks))


class AgreementTest(unittest.TestCase):
    def test_f1_at_reference_rate(self):
        w = ["a", "b", "c", "d"]
        # keep 2 (the reference keeps 2): words 0 and 1; 1 of 2 right
        self.assertAlmostEqual(f1_at_refs([{"words": w, "refs": [[1, 0, 1, 0]]}], [[0.9, 0.8, 0.1, 0.2]]), 0.5)
        # two references, each at its own rate, averaged: the first all right (1.0), the second
        # keeps 1 word, wrong (0.0)
        self.assertAlmostEqual(f1_at_refs([{"words": w[:3], "refs": [[1, 1, 0], [0, 0, 1]]}], [[0.9, 0.8, 0.1]]), 0.5)

    def test_word_spans_and_scores(self):
        text = "George Eliot, wrote  it"
        spans = WA.word_spans(text, ["George", "Eliot,", "wrote", "it"])
        self.assertEqual(spans, [(0, 6), (7, 13), (14, 19), (21, 23)])
        comp = [[0, 6, 0.3], [7, 12, 0.2], [12, 13, 0.9], [14, 19, 0.5], [21, 23, 0.1]]
        # "Eliot," takes its word's score, not the comma's
        self.assertEqual(WA.dataset_word_scores(text, spans, comp), [0.3, 0.2, 0.5, 0.1])
        self.assertEqual(WA.dataset_word_scores(", x", [(0, 1)], [[0, 1, 0.7], [2, 3, 0.1]]), [0.7])

    def test_baselines_shape(self):
        rows = [{"words": "the cat sat on the mat".split(), "refs": [[0, 1, 1, 0, 0, 1]]}]
        out = WA.baseline_f1(rows, [[0, 5, 4, 1, 0, 5]])
        self.assertEqual(out["pos_rule"], 1.0)
        self.assertEqual(out["stopwords_first"], 1.0)  # "the", "on" go first; the rest are kept
        self.assertGreaterEqual(out["random"], 0.0)

    def test_lcs_match(self):
        a = "the cat sat on the mat".split()
        self.assertEqual(L.lcs_match(a, "cat on mat".split()), [1, 3, 5])
        self.assertEqual(L.lcs_match(a, "dog the mat".split()), [0, 5])
        self.assertEqual(L.lcs_match(a, []), [])
        self.assertAlmostEqual(L.set_f1({1, 3, 5}, {1, 3}), 0.8)

    def test_parse_settings(self):
        self.assertEqual(S.parse_settings("none:1, hidden:0.8,newkind:0.5,lexical"),
                         [("none", 1.0), ("hidden", 0.8), ("newkind", 0.5), ("lexical", 1.0)])
        self.assertEqual(S.option(("hidden", 0.8), 0.5), {"rate": 0.5, "outlier": "hidden", "alpha": 0.8})


@unittest.skipUnless(HAVE_PACKAGE, "node or the built package missing")
class CompressManyTest(unittest.TestCase):
    def test_memoised_runs_match_the_cli(self):
        text = ("The council approved 3 new bridges in 2021 , costing 4.5 million dollars . "
                "Engineers said the river crossing would open in May .")
        configs = [{"rate": 0.5, "outlier": "none", "alpha": 1.0}, {"rate": 0.5, "outlier": "hidden", "alpha": 0.5},
                   {"rate": 0.3, "outlier": "lexical", "alpha": 0.7}]
        res = CM.compress_all(FIXTURE, [{"text": text}], configs, prompt=True)[0]
        self.assertEqual(len(res), 3)
        for c, got in zip(configs, res):
            cli = subprocess.run(["node", os.path.join(ROOT, "js", "bin", "mooscomp.js"), "compress", "--json",
                                  "--model", FIXTURE, "--rate", str(c["rate"]), "--outlier", c["outlier"],
                                  "--alpha", str(c["alpha"]), "-"], input=text.encode(), capture_output=True,
                                 check=True, cwd=ROOT)
            out = json.loads(cli.stdout)
            want = []  # kept words, touching ones merged as compress_many reports them
            for w in out["words"]:
                if w["keep"] and want and want[-1][1] == w["start"]:
                    want[-1][1] = w["end"]
                elif w["keep"]:
                    want.append([w["start"], w["end"]])
            self.assertEqual(got["kept"], want, c)
            self.assertEqual(got["prompt"], out["compressedPrompt"], c)

    def test_contexts_and_compress_prompt_options(self):
        contexts = ["Anna: we meet at 10 .", "Ben: fine , uh , see you 😀 there ."]
        res = CM.compress_all(FIXTURE, [{"text": contexts}],
                             [{"target_token": 6, "force_tokens": ["."], "drop_consecutive": True},
                              {"rate": 0.5, "outlier": "none", "alpha": 1.0}], scores=True)[0]
        for r in res:
            self.assertEqual(len(r["kept"]), 2)  # one list per context
            self.assertEqual(len(r["words"]), 2)
            for text, kept in zip(contexts, r["kept"]):
                self.assertTrue(all(0 <= s < e <= len(text) for s, e in kept))  # code points (the emoji is one)
        for text, kept in zip(contexts, res[0]["kept"]):  # the forced "." survives in every context
            self.assertTrue(C.kept_mask(text, kept)[text.rindex(".")], text)

    def test_protect_json_and_keep_flags(self):
        code = "Please fix this.\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nWhy does it fail?"
        doc = '{"name": "a long description of the bridge that the council approved in May", "n": 3}'
        items = [{"text": code}, {"text": code, "protect": True}, {"text": doc, "json": True}]
        res = CM.compress_all(FIXTURE, items, [{"rate": 0.5}], scores=True, prompt=True)
        for w in res[0][0]["words"]:  # [start, end, score, keep]
            self.assertIn(w[3], (0, 1))
        prot = res[1][0]
        self.assertTrue(prot["prompt"].endswith("Why does it fail?"))  # the question is protected
        self.assertTrue(C.span_kept(code, C.kept_mask(code, prot["kept"]), code.index("Why"), len(code)))
        self.assertIn(res[2][0].get("api"), ("compress", "compressJson"))
        if res[2][0]["api"] == "compressJson":
            self.assertEqual(set(json.loads(res[2][0]["prompt"])), {"name", "n"})


@unittest.skipUnless(HAVE_PACKAGE and HAVE_DATA, "node, the built package or the shared data missing")
class QuickRunTest(unittest.TestCase):
    def test_quick_run_on_the_fixture(self):
        with tempfile.TemporaryDirectory() as d:
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                quality.main(["--data", DATA, "--model", FIXTURE, "--quick", "--settings", "none:1,hidden:0.8",
                        "--json", os.path.join(d, "q.json")])
            with open(os.path.join(d, "q.json")) as f:
                report = json.load(f)
        text = out.getvalue()
        self.assertIn("| metric | none:1 | hidden:0.8 | random | stopwords_first | pos_rule |", text)
        self.assertIn("INTEGRITY", text)
        self.assertEqual(report["settings"], ["none:1", "hidden:0.8"])
        for lab in report["settings"]:
            r = report["results"][lab]
            self.assertEqual(set(r["agreement"]), {"sat_val", "sat_all", "google", "broadcast"})
            self.assertEqual(set(r["retention"]["ratio"]), {"2x", "3x", "5x"})
            self.assertIn("qmsum.fillers", r["retention"])
            self.assertIsInstance(r["integrity"]["numbers_altered"], int)
        self.assertEqual(len(report["llmlingua2"]), 5)
        self.assertEqual([e["name"] for e in report["examples"]], ["meeting", "gsm8k", "chat"])
        self.assertIn("## Meaning", text)
        m = report["meaning"]["results"]["none:1"]
        self.assertEqual(set(m["neg_whole"]), {"2x", "3x", "5x"})
        self.assertIn("protect.request", m)
        self.assertIn("sat.neg_whole", report["meaning"]["baselines"]["llm_ref"])

    def test_one_block_alone(self):
        with tempfile.TemporaryDirectory() as d:
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                quality.main(["--data", DATA, "--model", FIXTURE, "--quick", "--settings", "none:1",
                              "--only", "question", "--json", os.path.join(d, "q.json")])
            with open(os.path.join(d, "q.json")) as f:
                report = json.load(f)
        self.assertEqual(report["settings"], ["none:1"])
        self.assertIn("question", report)
        self.assertNotIn("results", report, "only the one block ran")

    def test_agreement_alone_on_a_fold(self):
        with tempfile.TemporaryDirectory() as d:
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                quality.main(["--data", DATA, "--model", FIXTURE, "--quick", "--settings", "none:1",
                              "--only", "agreement", "--sat-fold", "2/5", "--json", os.path.join(d, "q.json")])
            with open(os.path.join(d, "q.json")) as f:
                report = json.load(f)
        table = report["agreement"]["table"]
        self.assertEqual(set(table), {"none:1", "random", "stopwords_first", "pos_rule"})
        self.assertEqual(set(table["none:1"]), {"sat_val", "sat_all", "google", "broadcast"})
        self.assertEqual(report["agreement"]["counts"]["sat_val"], 2)  # --quick: 2 of fold 2's 8 passages
        self.assertIn("| SAT val (2 passages) |", out.getvalue())


if __name__ == "__main__":
    unittest.main()
