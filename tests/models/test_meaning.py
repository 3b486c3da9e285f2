"""models/mooscomp_models/meaning.py's detectors and metrics on hand-written text, and the meaning
block's prompt building in models/quality.py (the passages skip without the shared data:
../shared/data, or $MOOSCOMP_DATA).
"""
import json
import os
import unittest

from mooscomp_models import meaning as M
from mooscomp_models.quality import meaning_block as MB
from mooscomp_models.quality import meaning_data as MD
from mooscomp_models.quality import settings as S

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DATA = os.environ.get("MOOSCOMP_DATA", os.path.join(os.path.dirname(ROOT), "shared", "data"))
HAVE_DATA = all(os.path.exists(os.path.join(DATA, p)) for p in (
    "pretrain/longbench2/multi-documents.txt", "pretrain/qmsum/val.txt", "compression/llm-style/sat-dev.jsonl"))


def words_keeping(text, *kept):
    """Whitespace words of text, (start, end, keep): kept when the word (without trailing
    punctuation) is in `kept`."""
    out, pos = [], 0
    for w in text.split():
        s = text.index(w, pos)
        pos = s + len(w)
        out.append((s, pos, int(w.strip(".,;:") in kept)))
    return out


def at(text, span):
    return text[span[0]:span[1]] if span else None


class NegationTest(unittest.TestCase):
    def test_words_and_targets(self):
        text = ("I don't think it is not a very big deal. No, thanks. He left without a word and nobody came. "
                "We could not only win. No one knew. Das ist nicht gut. He won’t go. A non-profit cannot pay.")
        got = [(n["word"], at(text, n["target"])) for n in M.negations(text)]
        self.assertEqual(got, [("don't", "think"), ("not", "big"), ("No", None), ("without", "word"),
                               ("nobody", "came"), ("No one", "knew"), ("nicht", "gut"), ("won’t", "go"),
                               ("cannot", "pay")])

    def test_clause_end_and_skip_limit(self):
        text = "Not . It is not to be the a an any thing"
        self.assertEqual([at(text, n["target"]) for n in M.negations(text)], [None, None])

    def test_kept_whole_and_kept(self):
        text = "The drug did not work and there was no evidence of harm."
        f = M.meaning_found(text)
        # "work" kept without "not": split (not whole); "no" and "evidence" both kept: whole
        c = M.meaning_counts(text, words_keeping(text, "drug", "work", "no", "evidence", "harm"), f)
        self.assertEqual(c["neg_whole"], [1, 2])
        self.assertEqual(c["neg_kept"], [1, 2])
        # both dropped is whole, though not kept
        c = M.meaning_counts(text, words_keeping(text, "drug", "harm"), f)
        self.assertEqual(c["neg_whole"], [2, 2])
        self.assertEqual(c["neg_kept"], [0, 2])

    def test_contraction_needs_the_whole_word(self):
        text = "They don't agree."
        s = text.index("don't")
        # the compressor kept "don" but not "'t": the negation is lost, its verb kept
        c = M.meaning_counts(text, [(s, s + 3, 1), (s + 3, s + 5, 0), (text.index("agree"), text.index("agree") + 5, 1)])
        self.assertEqual(c["neg_whole"], [0, 1])


class UnitTest(unittest.TestCase):
    def test_detection(self):
        text = ("It took 5 days and 120 seconds, cost 4 dollars and 4 million dollars for 3.5 GB, a 5-day trip; "
                "66 new cases. In 1952 Ferguson sold 471.6 acres, 2023 and then 14 March, 3D and 14th. "
                "COVID-19 data; 2023 marked; 2000 years.")
        got = [(at(text, u["number"]), at(text, u["scale"]), at(text, u["unit"])) for u in M.units(text)]
        self.assertEqual(got, [("5", None, "days"), ("120", None, "seconds"), ("4", None, "dollars"),
                               ("4", "million", "dollars"), ("3.5", None, "GB"), ("5", None, "day"),
                               ("66", None, "cases"), ("471.6", None, "acres"), ("2000", None, "years")])

    def test_units_of_kept_numbers(self):
        text = "Wait 5 days, pay 4 million dollars and ship 3 boxes."
        # 5 days whole; 4 kept with "dollars" but without "million": lost; 3 dropped: not counted
        c = M.meaning_counts(text, words_keeping(text, "5", "days", "4", "dollars", "boxes"))
        self.assertEqual(c["unit_kept"], [1, 2])


class DateTest(unittest.TestCase):
    def test_detection(self):
        text = ("On Tuesday 14 March we met; on March 14, 2023 again; in March 2023; the 14th of March; "
                "Dec. 5 and in May. May I go? We march on. June was warm.")
        self.assertEqual([(at(text, d["span"]), [at(text, n) for n in d["numbers"]]) for d in M.dates(text)],
                         [("14 March", ["14"]), ("March 14, 2023", ["14", "2023"]), ("March 2023", ["2023"]),
                          ("14th of March", ["14th"]), ("Dec. 5", ["5"])])
        self.assertEqual([at(text, s) for s in M.months(text)], ["March", "March", "March", "March", "Dec", "May", "June"])

    def test_month_of_kept_dates(self):
        text = "Filed on 14 March 2023, heard in June 2024 and closed in May."
        c = M.meaning_counts(text, words_keeping(text, "Filed", "14", "2023", "2024", "June"))
        self.assertEqual(c["date_month"], [1, 2])  # "March" dropped from a kept date
        self.assertEqual(c["month_kept"], [1, 3])


class ComparisonTest(unittest.TestCase):
    def test_detection(self):
        text = ("More than 20 came, at least 3 left and no more than $10 each; x < 5, y \u2265 18, over 40; "
                "we picked up 5 apples, better than 4, up to 7, COVID-19 below 0.5")
        got = [(at(text, x["comparison"]), at(text, x["number"])) for x in M.comparisons(text)]
        self.assertEqual(got, [("More than", "20"), ("at least", "3"), ("no more than", "10"), ("<", "5"),
                               ("\u2265", "18"), ("over", "40"), ("up to", "7"), ("below", "0.5")])

    def test_after_the_number_and_without_spaces(self):
        text = "Invite 20 or more people aged 65 years and older, 20 or 30; 人数超过20人，增长18%以上，18歳未満、少なくとも3人，约20，最近3天"
        got = [(at(text, x["comparison"]), at(text, x["number"])) for x in M.comparisons(text)]
        self.assertEqual(got, [("or more", "20"), ("and older", "65"), ("超过", "20"), ("少なくとも", "3"),
                               ("约", "20"), ("以上", "18"), ("未満", "18")])

    def test_approximations(self):
        text = "about 20 people, nearly 3 km, close to 40; 20人左右，20多人"
        got = [(at(text, x["comparison"]), at(text, x["number"])) for x in M.comparisons(text)]
        self.assertEqual(got, [("about", "20"), ("nearly", "3"), ("close to", "40"), ("左右", "20"), ("多", "20")])

    def test_comparisons_of_kept_numbers(self):
        text = "Invite more than 20 people and at least 3 of them; up to 7 more."
        # 20 kept with its comparison; 3 kept without "at least": says 3; 7 dropped with it: whole
        c = M.meaning_counts(text, words_keeping(text, "more", "than", "20", "3"))
        self.assertEqual(c["cmp_whole"], [2, 3])


class OffsetsTest(unittest.TestCase):
    def test_utf16_offsets_with_astral_chars(self):
        text = "🙂 I do not 🙂 go"
        # UTF-16: each emoji is 2 units; "not" is at 8..11, "go" at 15..17 (7..10 and 13..15 in code points)
        words = M.utf16_to_cp(text, [(8, 11, 1), (15, 17, 1)])
        self.assertEqual([text[s:e] for s, e, _ in words], ["not", "go"])
        self.assertEqual(M.meaning_counts(text, words)["neg_whole"], [1, 1])

    def test_span_ignores_inner_spaces_only(self):
        text = "ab cd"
        self.assertTrue(M.kept(text, M.keep_mask(text, [(0, 2, 1), (3, 5, 1)]), (0, 5)))
        self.assertFalse(M.kept(text, M.keep_mask(text, [(0, 2, 1), (3, 5, 0)]), (0, 5)))


CODE = "Fix this:\n\n```python\ndef add(a, b):\n    # sum it\n    return a + b  # 'x'\n```\n\nAdd type hints."


class CodeJsonTest(unittest.TestCase):
    def test_fences(self):
        self.assertTrue(M.fences_intact(CODE, "Fix:\n```python\ndef add(a, b): return a + b\n```\nAdd type hints."))
        self.assertFalse(M.fences_intact(CODE, "Fix:\n``` python\ndef add\n```"))  # not byte-identical
        self.assertFalse(M.fences_intact(CODE, "Fix:\n```python\ndef add"))  # one lost

    def test_identifiers(self):
        self.assertEqual(M.identifiers(M.code_blocks(CODE)[0]), {"add", "a", "b"})  # no keywords, comments, strings
        self.assertEqual(M.identifiers_kept(CODE, "```python\nadd(a)\n```\nb"), (2, 3))  # "b" outside the code
        self.assertEqual(M.identifiers_kept(CODE, "add a b"), (3, 3))  # no fences: the whole output
        self.assertEqual(M.identifiers_kept(CODE, "adder ab"), (0, 3))  # whole names only
        self.assertEqual(M.identifiers("def f(:\n  x ="), {"f", "x"})  # does not tokenize: the regex

    def test_request(self):
        self.assertTrue(M.request_kept("Add type hints.", CODE))
        self.assertFalse(M.request_kept("Add type hints.", "Add hints."))

    def test_json(self):
        src = json.dumps({"a": "long text here", "b": {"c": [1, {"d": 2}]}})
        self.assertTrue(M.json_same_keys(src, json.dumps({"a": "text", "b": {"c": [1, {"d": 2}]}})))
        self.assertFalse(M.json_same_keys(src, '{"a": "text", "b": {"c": [1, {}]}}'))
        self.assertFalse(M.json_same_keys(src, '{"a": "text" "b"'))


class SettingsTest(unittest.TestCase):
    def test_settings_with_extra_options(self):
        s = S.parse_settings("word-rarity:0.7+keepMeaning=false,none:1+code=lines")
        self.assertEqual(s, [("word-rarity", 0.7, {"keepMeaning": False}), ("none", 1.0, {"code": "lines"})])
        self.assertEqual(S.label(s[0]), "word-rarity:0.7+keepMeaning=false")
        self.assertEqual(S.option(s[1], 0.5), {"rate": 0.5, "outlier": "none", "alpha": 1.0, "code": "lines"})
        self.assertEqual(S.with_extra(("none", 1.0), {}), ("none", 1.0))
        self.assertEqual(S.option(S.with_extra(s[0], {"keepMeaning": True, "x": 1})),
                         {"outlier": "word-rarity", "alpha": 0.7, "keepMeaning": False, "x": 1})

    def test_baseline_keeps_k_words(self):
        text = "It did not work for 5 days."
        it = {"text": text, "spans": [(s, e) for s, e, _ in words_keeping(text)], "found": M.meaning_found(text)}
        # the pos rule's scores here: keep "not" and "work" (k = 2)
        out = MB.baseline_meaning([it], lambda _: 2, [[0, 0, 5, 4, 0, 1, 1]])
        self.assertEqual(out["pos_rule"]["neg_whole"], 1.0)
        self.assertEqual(out["pos_rule"]["neg_kept"], 1.0)
        self.assertIsNone(out["pos_rule"]["unit_kept"])  # no number kept
        self.assertEqual(set(out), {"random", "stopwords_first", "pos_rule"})


class PromptsTest(unittest.TestCase):
    def test_code_prompts(self):
        prompts = MD.code_prompts(5)
        self.assertEqual(prompts, MD.code_prompts(5))  # deterministic
        for p in prompts:
            self.assertEqual(len(M.fence_lines(p["text"])), 2)
            self.assertTrue(p["text"].endswith(p["request"]))
            code = M.code_blocks(p["text"])[0]
            self.assertTrue(8 <= len(code.split("\n")) <= 40)
            self.assertTrue(M.identifiers(code))

    @unittest.skipUnless(HAVE_DATA, "the shared data is missing")
    def test_passages_and_json(self):
        ps = MD.meaning_passages(DATA, 12)
        self.assertEqual(len(ps), 12)
        self.assertEqual([p["kind"] for p in ps].count("unit"), 4)
        for p in ps:
            self.assertTrue(150 <= len(p["text"].split()) <= 300, len(p["text"].split()))
        for j in MD.json_prompts(ps, 3):
            self.assertTrue(M.json_same_keys(j["text"], j["text"]))


if __name__ == "__main__":
    unittest.main()
