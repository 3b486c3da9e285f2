"""The multilingual training pieces: labels for text whose words join without spaces (byte
pieces included), the vocabulary transplant, the silver labels of other languages, the
required Han characters, and a quick MLM + fine-tune under a new byte-fallback tokenizer.

Run: PYTHONPATH=models /usr/bin/python3 -m unittest tests/models/test_multilingual_training.py
The tagger tests need Debian's python3-jieba and mecab + mecab-ipadic-utf8 (scripts/setup.sh
installs them); they skip without them.
"""
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest

import torch

from mooscomp_models import data as D
from mooscomp_models import han_frequency
from mooscomp_models import silver_multilingual as sm
from mooscomp_models import tokenizer_train as tk
from mooscomp_models.vocab_transplant import SPECIAL, transplant_embeddings

HAVE_SPM = shutil.which("spm_encode") and shutil.which("spm_train")


def have_jieba():
    try:
        import jieba  # noqa: F401
        return True
    except ImportError:
        return False


def have_mecab():
    return shutil.which("mecab") is not None and subprocess.run(
        ["mecab"], input="文", capture_output=True, text=True).returncode == 0


ZH = "周二团队决定推迟发布，安娜不会参加。"
CORPUS = [
    "the council closed the bridge after the storm and the engineer repaired it",
    "the museum praised the orchestra for the summit concert in the library",
    "周二团队决定推迟发布 安娜负责沟通 彼得检查结果",
    "东京的会议在下周一举行 会议讨论预算",
] * 30


def train_tokenizer(folder, name, lines, vocab, byte_fallback):
    text = os.path.join(folder, name + ".txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    path = os.path.join(folder, name + ".model")
    tk.train_spm(text, path, vocab, hard_vocab_limit=False, mask_symbol=True, byte_fallback=byte_fallback)
    return path, text


class AlignByCharsTest(unittest.TestCase):
    PIECES = {5: "\u2581", 6: "周", 7: "<0xE5>", 8: "<0x9B>", 9: "<0xA2>", 10: "队", 11: "\u2581ab", 12: "c"}

    def test_tokens_take_the_label_of_their_first_character(self):
        # "周团队 abc": words 周团 | 队 | abc; 团 is three byte pieces
        ids = [5, 6, 7, 8, 9, 10, 11, 12]
        labels = D.align_labels_by_chars(ids, self.PIECES, ["周团", "队", "abc"], [1.0, 0.0, 0.5])
        self.assertEqual(labels, [1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.5, 0.5])

    def test_pieces_that_do_not_spell_the_words_are_rejected(self):
        self.assertIsNone(D.align_labels_by_chars([5, 6, 10], self.PIECES, ["周团", "队"], [1, 0]))  # 团 missing
        self.assertIsNone(D.align_labels_by_chars([5, 6, 7, 8], self.PIECES, ["周团"], [1]))  # a cut character
        self.assertIsNone(D.align_labels_by_chars([5, 6, 10, 11], self.PIECES, ["周", "队"], [1, 0]))  # extra text

    def test_case_folding_is_one_to_one_as_the_tokenizers(self):
        pieces = {5: "\u2581straße", 6: "\u2581İş", 7: "\u2581σς"}  # nmt_nfkc_cf keeps ß and İ
        self.assertEqual(D.align_labels_by_chars([5, 6, 7], pieces, ["Straße", "İş", "ΣΣ"], [1, 0, 1]), [1, 0, 1])

    def test_row_text_joins_as_written(self):
        self.assertEqual(D.row_text({"words": ["a", "b"]}), "a b")
        self.assertEqual(D.row_text({"words": ["周二", "团队", "Apache", "服务器"], "spaces": [False, False, True, True]}),
                         "周二团队 Apache 服务器")

    @unittest.skipUnless(HAVE_SPM, "spm tools missing")
    def test_with_a_byte_fallback_tokenizer(self):
        with tempfile.TemporaryDirectory() as d:
            path, _ = train_tokenizer(d, "bf", CORPUS, 400, byte_fallback=True)
            rows = [{"words": ["周二", "团队", "决定", "鳇鱼", "Apache", "３月"], "keep": [1.0, 0.5, 0.25, 0.0, 1.0, 0.75],
                     "spaces": [False, False, False, False, True, False]}]
            (ids, labels), = D.encode_labelled(rows, path)[0]
            pieces = tk.load_pieces(path)
            self.assertTrue(any(p.startswith("<0x") for p in (pieces[i] for i in ids)), "鳇 is not in the vocabulary")
            by_label = {}
            for i, lab in zip(ids, labels):
                by_label.setdefault(lab, []).append(pieces[i])
            self.assertEqual(len([p for p in by_label[0.0] if p.startswith("<0x")]), 6)  # 鳇鱼: 2 characters x 3 bytes
            self.assertTrue({"3", "<0x33>"} & set(by_label[0.75]))  # the fullwidth digit normalised, in its word


class TransplantTest(unittest.TestCase):
    @unittest.skipUnless(HAVE_SPM, "spm tools missing")
    def test_new_pieces_start_from_the_old_pieces_of_their_text(self):
        with tempfile.TemporaryDirectory() as d:
            old, _ = train_tokenizer(d, "old", CORPUS[:2] * 40, 60, byte_fallback=False)
            new, _ = train_tokenizer(d, "new", CORPUS, 400, byte_fallback=True)
            old_pieces, new_pieces = tk.load_pieces(old), tk.load_pieces(new)
            emb = torch.randn(len(old_pieces), 8, generator=torch.Generator().manual_seed(0))
            out, counts = transplant_embeddings(emb, old, new)
            self.assertEqual(out.shape, (len(new_pieces), 8))
            self.assertTrue(torch.equal(out[:SPECIAL], emb[:SPECIAL]))
            self.assertGreater(counts["mapped"], 0)
            self.assertGreater(counts["unknown"], 0)  # Han pieces and byte pieces
            i = new_pieces.index("\u2581the") if "\u2581the" in new_pieces else None
            if i is not None and "\u2581the" in old_pieces:
                self.assertTrue(torch.allclose(out[i], emb[old_pieces.index("\u2581the")]))
            byte = new_pieces.index("<0xE5>")
            self.assertLess((out[byte] - emb[tk.UNK_ID]).abs().max().item(), 0.2)  # <unk> plus a little noise
            self.assertFalse(torch.equal(out[byte], out[byte + 1]))


class SilverMultilingualTest(unittest.TestCase):
    def test_negations_come_from_the_core_lexicon(self):
        neg = sm.core_negations()
        self.assertTrue({"not", "nicht", "不", "jamais"} <= neg)

    def test_spaced_languages(self):
        words = "Am Dienstag hat Anna nicht 14 Tickets gekauft .".split()
        classes = sm.spaced_classes(words, {"am", "hat", "den"}, sm.core_negations(), cased=True)
        got = dict(zip(words, classes))
        self.assertEqual((got["Am"], got["hat"]), (2, 2))
        self.assertEqual((got["Anna"], got["14"], got["nicht"]), (5, 5, 4))
        self.assertEqual((got["Tickets"], got["."]), (5, 3))  # capitalised inside a sentence: a name to the rule

    @unittest.skipUnless(have_jieba(), "python3-jieba missing")
    def test_chinese_rows_keep_names_numbers_and_negations_above_particles(self):
        row, = sm.chunk_rows("zh-Hans", [ZH], chunk_words=8)
        self.assertEqual(D.row_text(row), ZH)
        keep = dict(zip(row["words"], row["keep"]))
        self.assertEqual(keep["安娜"], 1.0)
        self.assertGreater(keep["不会"], keep["，"])
        self.assertFalse(any(row["spaces"]))

    @unittest.skipUnless(have_mecab(), "mecab missing")
    def test_japanese_rows(self):
        text = "田中さんは来週の会議に参加しない。 Apache サーバー"
        row, = sm.chunk_rows("ja", [text], chunk_words=8)
        self.assertEqual(D.row_text(row), text)
        keep = dict(zip(row["words"], row["keep"]))
        self.assertEqual(keep["田中"], 1.0)
        self.assertGreater(keep["ない"], keep["は"])
        self.assertEqual(row["spaces"][row["words"].index("Apache")], True)


class HanFrequencyTest(unittest.TestCase):
    @unittest.skipUnless(os.path.exists(han_frequency.JIEBA_DICT), "python3-jieba missing")
    def test_common_han(self):
        han = han_frequency.common_han(500)
        self.assertEqual(len(han), 500)
        self.assertTrue({"的", "团", "京"} <= set(han_frequency.common_han(4000)))
        self.assertTrue(all(han_frequency.is_han(c) for c in han))
        self.assertIn("ア", han_frequency.required_chars(10))
        self.assertEqual(han_frequency.required_chars(0), "")


@unittest.skipUnless(HAVE_SPM, "spm tools missing")
class QuickMultilingualRunTest(unittest.TestCase):
    def test_mlm_under_a_new_tokenizer_then_fine_tune_with_rows_without_spaces(self):
        import train
        from test_training import synthetic_data
        from mooscomp_models.checkpoint import load_model
        from mooscomp_models.export import export_onnx
        from mooscomp_models.quantize import quantize_file
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data")
            synthetic_data(data, n=300)
            common = ["--data", data, "--quick", "--max-len", "64", "--batch-tokens", "1024", "--log-every", "5"]
            first = os.path.join(d, "first")
            self.assertEqual(train.main(common + ["--out", first, "--steps", "5", "--vocab", "200"]), 0)
            model, _ = load_model(os.path.join(first, "model.pt"))
            export_onnx(model, os.path.join(d, "m.fp32.onnx"))
            quantize_file(os.path.join(d, "m.fp32.onnx"), os.path.join(d, "m.onnx"))
            new, text = train_tokenizer(d, "new", CORPUS, 400, byte_fallback=True)
            rng = random.Random(0)
            with open(os.path.join(d, "silver-zh.jsonl"), "w", encoding="utf-8") as f:
                for _ in range(60):
                    words = [rng.choice(["周二", "团队", "的", "了", "3", "安娜", "鳇"]) for _ in range(12)]
                    f.write(json.dumps({"words": words, "keep": [0.0 if w in ("的", "了") else 1.0 for w in words],
                                        "spaces": [False] * 12}, ensure_ascii=False) + "\n")
            mlm, tag = os.path.join(d, "mlm"), os.path.join(d, "tag")
            moved = ["--tokenizer", new, "--init-onnx", os.path.join(d, "m.onnx"),
                     "--transplant-from", os.path.join(first, "tokenizer.model")]
            self.assertEqual(train.main(common + moved + ["--task", "mlm", "--out", mlm, "--steps", "6",
                                                          "--mlm-text", text]), 0)
            self.assertEqual(train.main(common + moved + [
                "--out", tag, "--steps", "8", "--init-from", os.path.join(mlm, "model.pt"),
                "--silver", os.path.join(d, "silver-zh.jsonl")]), 0)
            with open(os.path.join(mlm, "train.log")) as f:
                log = f.read()
            self.assertIn("word embeddings transplanted", log)
            self.assertIn("initialised the encoder from", log)
            with open(os.path.join(tag, "train.log")) as f:
                log = f.read()
            self.assertIn("initialised every tensor from", log)
            self.assertIn("encoder tensors from", log)
            self.assertIn(" 0 sentences dropped", log)
            ck = torch.load(os.path.join(tag, "model.pt"))
            self.assertEqual(ck["state_dict"]["bert.embeddings.word_embeddings.weight"].shape[0],
                             len(tk.load_pieces(new)))


if __name__ == "__main__":
    unittest.main()
