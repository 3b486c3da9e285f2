"""The languages block of models/quality.py: the parallel text (models/eval/parallel_text.jsonl)
is whole, its metrics on hand-made kept masks, the Chinese LongBench split and answer bigrams,
and the block's run with a stand-in compressor (the LongBench part skips without
../shared/data, or $MOOSCOMP_DATA).
Run: PYTHONPATH=models /usr/bin/python3 -m unittest discover -s tests/models -p test_languages.py"""
import argparse
import os
import re
import tempfile
import unittest
from unittest import mock

from mooscomp_models.quality import languages_block as LB
from mooscomp_models.quality import languages_data as LD
from mooscomp_models.quality.counting import NUMBER

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("MOOSCOMP_DATA", os.path.join(os.path.dirname(ROOT), "shared", "data"))
HAVE_DATA = os.path.exists(LD.minilongbench(DATA))


def mask_of(text, *kept_words):
    """The kept mask of text keeping every occurrence of each of kept_words."""
    mask = bytearray(len(text))
    for w in kept_words:
        for m in re.finditer(re.escape(w), text):
            mask[m.start():m.end()] = b"\x01" * len(w)
    return mask


def keep_first_words(model, items, configs, scores=False, prompt=False):
    """A stand-in for compress_all: keeps the first third of each text's units, whatever the rate."""
    out = []
    for it in items:
        texts = it["text"] if isinstance(it["text"], list) else [it["text"]]
        kept = [LD.units(t)[:max(1, len(LD.units(t)) // 3)] for t in texts]
        r = {"kept": kept if isinstance(it["text"], list) else kept[0], "originTokens": 1, "compressedTokens": 1}
        if scores:
            r["words"] = [[s, e, 0.5, 1] for s, e in LD.units(texts[0])]
        if prompt:
            r["prompt"] = " ".join(texts[0][s:e] for s, e in kept[0])
        out.append([r for _ in (it.get("configs") or configs)])
    return out


def keep_one_sentence(model, items, configs, scores=False, prompt=False):
    """A stand-in for compress_all that keeps, wherever it stands, the parallel text's sentence
    that opens the document in its own order (what a sentence says, not where it is)."""
    first = {LD.document(r)["text"]: r["sentences"][0] for r in LD.read_parallel()}
    first.update({LD.document(dict(r, sentences=r["sentences"][::-1]))["text"]: r["sentences"][0]
                  for r in LD.read_parallel()})
    out = []
    for it in items:
        at = it["text"].index(first[it["text"]])
        r = {"kept": [(at, at + len(first[it["text"]]))], "originTokens": 1, "compressedTokens": 1,
             "words": [[s, e, 0.5, 1] for s, e in LD.units(it["text"])], "prompt": first[it["text"]]}
        out.append([r for _ in configs])
    return out


class ParallelTextTest(unittest.TestCase):
    def setUp(self):
        self.rows = LD.read_parallel()

    def test_every_document_is_in_every_language_once(self):
        ids = sorted({r["id"] for r in self.rows})
        self.assertEqual(len(ids), 30)
        self.assertEqual({r["lang"] for r in self.rows}, set(LD.LANGS))
        pairs = [(r["id"], r["lang"]) for r in self.rows]
        self.assertEqual(len(pairs), len(set(pairs)))
        self.assertEqual(len(pairs), 30 * len(LD.LANGS))
        self.assertLess(os.path.getsize(LD.PARALLEL), 400_000)

    def test_translations_keep_the_heading_numbers_and_the_sentences(self):
        by = {(r["id"], r["lang"]): r for r in self.rows}
        for r in self.rows:
            en = by[(r["id"], "en")]
            self.assertEqual(set(r) >= {"id", "lang", "heading", "sentences"}, True)
            self.assertTrue(NUMBER.search(r["heading"]), r["heading"])
            self.assertEqual(sorted(NUMBER.findall(r["heading"])), sorted(NUMBER.findall(en["heading"])), r["heading"])
            self.assertEqual(len(r["sentences"]), len(en["sentences"]), (r["id"], r["lang"]))
            self.assertTrue(3 <= len(r["sentences"]) <= 5)
            self.assertTrue(all(s.strip() == s and s for s in r["sentences"]))

    def test_a_document_is_one_text_with_its_separator(self):
        row = {"id": "x", "lang": "en", "heading": "Room 7", "sentences": ["One two.", "Three."]}
        d = LD.document(row)
        self.assertEqual(d["text"], "Room 7\nOne two. Three.")
        self.assertEqual([d["text"][s:e] for s, e in d["sentences"]], ["One two.", "Three."])
        zh = LD.document({**row, "lang": "zh", "sentences": ["一二。", "三。"]})
        self.assertEqual(zh["text"], "Room 7\n一二。三。")
        self.assertEqual([zh["text"][s:e] for s, e in zh["sentences"]], ["一二。", "三。"])


class MetricTest(unittest.TestCase):
    DOC = LD.document({"id": "x", "lang": "en", "heading": "Order 5531",
                       "sentences": ["Anna sent it.", "Tom paid.", "Done today."]})

    def test_spread_counts_sentences_with_a_kept_letter_or_digit(self):
        text = self.DOC["text"]
        self.assertEqual(LD.spread(self.DOC, mask_of(text, "Anna", "Tom")), (2, 3))
        self.assertEqual(LD.spread(self.DOC, mask_of(text, ".")), (0, 3))  # a kept full stop is no word
        self.assertEqual(LD.spread(self.DOC, bytearray(b"\x01" * len(text))), (3, 3))

    def test_front_is_the_share_of_kept_characters_in_the_first_half(self):
        text = "aaaa bbbb"  # 8 non-space characters: the first 4 are the first half
        self.assertEqual(LD.front(text, mask_of(text, "aaaa")), (4, 4))
        self.assertEqual(LD.front(text, mask_of(text, "bbbb")), (0, 4))
        self.assertEqual(LD.front(text, mask_of(text, "aa", "bb")), (4, 8))
        self.assertEqual(LD.front("一二三四", mask_of("一二三四", "二", "三")), (1, 2))

    def test_heading_numbers_count_only_when_whole(self):
        text = self.DOC["text"]
        self.assertEqual(LD.heading_numbers(self.DOC, mask_of(text, "5531")), (1, 1))
        self.assertEqual(LD.heading_numbers(self.DOC, mask_of(text, "553")), (0, 1))

    def test_kept_chars_ignore_spaces(self):
        self.assertEqual(LD.kept_chars("ab cd", mask_of("ab cd", "ab")), (2, 4))

    def test_units_split_han_and_kana_into_characters(self):
        text = "会议 9:30开始。Tom Lee"
        self.assertEqual([text[s:e] for s, e in LD.units(text)], ["会", "议", "9:30", "开", "始", "。", "Tom", "Lee"])

    def test_the_random_mask_keeps_the_rate_of_units(self):
        text = " ".join(f"w{i}" for i in range(30))
        mask = LD.random_mask(text, 1 / 3, 0)
        self.assertEqual(sum(any(mask[s:e]) for s, e in LD.units(text)), 10)
        self.assertEqual(LD.random_mask(text, 1 / 3, 0), mask)  # seeded


class ChineseLongBenchTest(unittest.TestCase):
    QA = ("阅读以下文字并用中文简短回答：\n\n铜仁市2012年财政收入增长了25.89%。\n\n"
          "现在请基于上面的文章回答下面的问题，只告诉我答案，不要输出任何其他字词。\n\n问题：增长了多少？\n回答：")
    RETRIEVAL = ("以下是若干段落文字，以及其中一个段落的摘要。请确定给定的摘要出自哪一段。\n\n段落1：甲。\n\n段落2：乙。"
                 "\n\n下面是一个摘要\n\n乙的摘要。\n\n请输入摘要所属段落的编号。\n\n答案是：")

    def test_the_context_is_split_from_the_template(self):
        instruction, context, question = LD.split_zh(self.QA)
        self.assertEqual(instruction, "阅读以下文字并用中文简短回答：")
        self.assertEqual(context, "铜仁市2012年财政收入增长了25.89%。")
        self.assertEqual(question, "增长了多少？")
        _, context, summary = LD.split_zh(self.RETRIEVAL)
        self.assertEqual(context, "段落1：甲。\n\n段落2：乙。")
        self.assertEqual(summary, "乙的摘要。")

    def test_answer_bigrams_in_the_context_and_their_retention(self):
        context = "铜仁市财政收入增长了25.89%。"
        grams = LD.answer_bigrams(["增长了25.89%！"], context)
        self.assertEqual(grams, sorted({"增长", "长了", "了2", "25", "89"}))
        self.assertEqual(LD.bigram_retention(context, mask_of(context, "增长了"), grams), (2, 5))
        self.assertEqual(LD.bigram_retention(context, mask_of(context, "增", "了"), grams), (0, 5))

    def test_english_contexts_are_joined_with_their_kept_spans(self):
        contexts = ["Paris is big.", "Rome is old."]
        text = LD.joined(contexts)
        spans = LD.joined_kept(contexts, [[(0, 5)], [(0, 4)]])
        self.assertEqual([text[s:e] for s, e in spans], ["Paris", "Rome"])
        it = {"text": contexts, "answer": "Rome, old"}
        self.assertEqual(LD.en_retention(it, LD.kept_mask(text, spans)), (1, 2))


class BlockTest(unittest.TestCase):
    def run_block(self, data):
        args = argparse.Namespace(model="unused", data=data)
        with mock.patch.object(LB, "compress_all", keep_first_words):
            return LB.languages_block(args, [("none", 1.0)], quick=True)

    def test_without_the_shared_data_the_longbench_part_is_skipped(self):
        with tempfile.TemporaryDirectory() as empty:
            out = self.run_block(empty)
        self.assertIsNone(out["qa"])
        table = out["parallel"]["table"]
        self.assertEqual(set(table), set(LD.LANGS))
        for lang in LD.LANGS:
            cell = table[lang]["none:1"]
            self.assertEqual(set(cell), {"spread", "front", "front2", "numbers", "kept", "tokens"})
            self.assertGreater(cell["front"]["3x"], 0.9)  # the stand-in keeps the start only:
            self.assertGreater(cell["front2"]["3x"], 0.9)  # a position bias, in both orders
            self.assertAlmostEqual(table[lang]["random"]["front"]["3x"], 0.5, delta=0.15)
        goals = out["goals"]["none:1"]
        self.assertFalse(goals["front@3x in [0.4, 0.6]"]["pass"])
        self.assertNotIn("zh answer bigrams >= en answer words @3x", goals)

    def test_front_in_both_orders_cancels_what_the_first_sentence_says(self):
        args = argparse.Namespace(model="unused", data="/nonexistent")
        with mock.patch.object(LB, "compress_all", keep_one_sentence):
            table = LB.parallel_part(args, [("none", 1.0)], quick=True)["table"]
        for lang in LD.LANGS:
            cell = table[lang]["none:1"]
            self.assertGreater(cell["front"]["3x"], 0.9)
            self.assertAlmostEqual(cell["front2"]["3x"], 0.5, delta=0.15)

    @unittest.skipUnless(HAVE_DATA, f"no shared data at {DATA}")
    def test_with_the_shared_data_both_sets_are_measured(self):
        zh = LD.zh_questions(DATA)
        self.assertEqual({it["task"] for it in zh}, set(LD.ZH_TASKS))
        for it in zh:
            self.assertTrue(it["grams"] and it["question"])
            self.assertNotIn("请输入摘要所属段落的编号", it["text"])
            self.assertFalse(it["text"].rstrip().endswith("回答："))
        en = LD.en_questions(DATA)
        self.assertTrue(en and {it["task"] for it in en} <= set(LD.EN_TASKS))
        out = self.run_block(DATA)
        self.assertEqual(set(out["qa"]["table"]), {"zh", "en"})
        for st in ("zh", "en"):  # each setting is measured without and with the prompt's question
            self.assertEqual({"none:1", "none:1 question", "random"}, set(out["qa"]["table"][st]["all"]))
        self.assertIn("zh answer bigrams >= en answer words @3x", out["goals"]["none:1"])


if __name__ == "__main__":
    unittest.main()
