"""models/mooscomp_models/multilingual_text.py (text from Debian's packages) and
tokenizer_measure.py (multilingual tokenizer measurement) on tiny hand-made inputs.

Run: cd /work/main && PYTHONPATH=models /usr/bin/python3 -m unittest discover -s tests/models -p test_multilingual_text.py
Needs nothing beyond Python for most tests; groff, spm_train and apt are used when present
(tests that need them skip otherwise). The apt test downloads one small package (under 1 MB).
"""
import contextlib
import io
import json
import os
import random
import shutil
import tempfile
import unittest

from mooscomp_models import multilingual_text as mt
from mooscomp_models import tokenizer_measure as tm
from mooscomp_models import tokenizer_train as tk

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAVE_GROFF = shutil.which("groff") is not None
HAVE_SPM = all(shutil.which(t) for t in ("spm_train", "spm_encode", "spm_export_vocab"))

ROFF = r""".\" a comment
.TH LS "1" "2021年5月" "GNU coreutils" "ユーザーコマンド"
.SH 名前
ls \- ディレクトリの内容を
リスト表示する
.SH 説明
.PP
\fBFILE\fR に関する情報を一覧表示します。
要素はアルファベット順でソートされます。
.TP
\fB\-a\fR, \fB\-\-all\fR
\&. で始まる要素を無視しない
"""

HTML = b"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>T</title>
<script>var x = "<p>no</p>";</script><style>p {color: red}</style></head>
<body><nav>Prev | Next</nav><header><p>LibreOffice 7.4 \xe3\x83\x98\xe3\x83\xab\xe3\x83\x97</p></header>
<h1>First &amp; heading</h1>
<p>One paragraph
   across   lines, <b>bold</b> inside.</p>
<ul><li>item one</li><li>item two</li></ul>
<pre>line 1
    line 2</pre>
<p>\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae
\xe6\x96\x87\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82<br>after break</p>
<footer>Copyright</footer></body></html>"""


class ScriptTest(unittest.TestCase):
    def test_script_of(self):
        self.assertEqual(mt.script_of("a"), "Latin")
        self.assertEqual(mt.script_of("é"), "Latin")
        self.assertEqual(mt.script_of("ư"), "Latin")  # Vietnamese
        self.assertEqual(mt.script_of("中"), "Han")
        self.assertEqual(mt.script_of("の"), "Kana")
        self.assertEqual(mt.script_of("ア"), "Kana")
        self.assertEqual(mt.script_of("한"), "Hangul")
        self.assertEqual(mt.script_of("Ж"), "Cyrillic")
        self.assertEqual(mt.script_of("ह"), "Devanagari")
        self.assertIsNone(mt.script_of("1"))
        self.assertIsNone(mt.script_of("。"))
        self.assertEqual(mt.script_shares("ab中"), {"Han": 1 / 3, "Latin": 2 / 3})

    def test_paragraph_language(self):
        self.assertTrue(mt.paragraph_in_language("ja", "ls - ディレクトリの内容をリスト表示する"))
        self.assertFalse(mt.paragraph_in_language("ja", "-a, --all"))
        self.assertFalse(mt.paragraph_in_language("ja", "The Find toolbar can be used to search."))
        self.assertTrue(mt.paragraph_in_language("zh-Hans", "显示目录的内容。"))
        self.assertFalse(mt.paragraph_in_language("zh-Hans", "ディレクトリの内容を表示する"))  # kana: Japanese
        self.assertTrue(mt.paragraph_in_language("de", "Die Datei wird nicht gelöscht, wenn sie noch offen ist."))
        self.assertFalse(mt.paragraph_in_language("de", "The file is not deleted when it is still open."))
        self.assertTrue(mt.paragraph_in_language("de", "Beschreibung"))  # no function words either way
        self.assertTrue(mt.paragraph_in_language("ru", "Показать содержимое каталога"))
        self.assertFalse(mt.paragraph_in_language("ru", "Show directory contents"))
        self.assertFalse(mt.paragraph_in_language("fr", "1234 5678 --"))  # no letters

    def test_file_check(self):
        self.assertTrue(mt.check_language("ja", "これは日本語の文です。漢字とかなを含みます。")["ok"])
        bad = mt.check_language("ja", "这是中文的句子，没有假名。")
        self.assertFalse(bad["ok"])
        self.assertIn("kana", bad["problems"][0])
        self.assertTrue(mt.check_language("zh-Hans", "我们这个时候会说话。")["ok"])
        self.assertFalse(mt.check_language("zh-Hans", "我們這個時候會說話。")["ok"])  # traditional
        self.assertTrue(mt.check_language("zh-Hant", "我們這個時候會說話。")["ok"])
        self.assertTrue(mt.check_language("fr", "Le fichier est dans le dossier et il ne sera pas supprimé.")["ok"])
        self.assertFalse(mt.check_language("fr", "The file is in the folder and it will not be deleted.")["ok"])
        self.assertFalse(mt.check_language("ru", "only latin letters here")["ok"])


class ConversionTest(unittest.TestCase):
    def test_clean_line(self):
        self.assertEqual(mt.clean_line("  a \t b  "), "a b")
        self.assertEqual(mt.clean_line("内容を 一覧表示 します。 -l と"), "内容を一覧表示します。 -l と")
        self.assertEqual(mt.clean_line("C 形式"), "C 形式")  # Latin beside CJK keeps its space
        self.assertEqual(mt.clean_line("한국어 문장"), "한국어 문장")  # Korean spaces are word gaps
        self.assertEqual(mt.clean_line("a\u200bb\x07c\ufeff"), "abc")
        self.assertEqual(mt.clean_line("e\u0301"), "\u00e9")  # NFC

    def test_decode(self):
        self.assertEqual(mt.decode("日本語".encode("euc_jp"), "ja"), "日本語")
        self.assertEqual(mt.decode("中文".encode("gb18030"), "zh-Hans"), "中文")
        self.assertEqual(mt.decode("ü".encode("utf-8"), "de"), "ü")

    @unittest.skipUnless(HAVE_GROFF, "groff not installed")
    def test_man_page(self):
        paras = mt.man_to_paragraphs(ROFF)
        text = "\n\n".join(paras)
        self.assertNotIn("LS(1)", text)  # header dropped
        self.assertNotIn("GNU coreutils", text)  # footer dropped
        self.assertNotIn("\x08", text)
        self.assertNotIn("\x1b", text)
        self.assertIn("名前\nls - ディレクトリの内容をリスト表示する", paras)  # source line break, no space
        self.assertIn("FILE に関する情報を一覧表示します。要素はアルファベット順でソートされます。", text)
        self.assertIn("-a, --all\n. で始まる要素を無視しない", text)
        kept = [p for p in paras if mt.paragraph_in_language("ja", p)]
        self.assertEqual(len(kept), len(paras))

    def test_so_link(self):
        self.assertTrue(mt.is_so_link('.\\" comment\n.so man1/ls.1\n'))
        self.assertFalse(mt.is_so_link(ROFF))
        self.assertEqual(mt.man_to_paragraphs(".so man3/other.3\n"), [])

    def test_html(self):
        paras = mt.html_to_paragraphs(HTML, "ja")
        self.assertEqual(paras, ["First & heading", "One paragraph across lines, bold inside.", "item one",
                                 "item two", "line 1\nline 2", "日本語の文です。", "after break"])

    def test_html_declared_charset(self):
        data = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP"></head>' \
               '<body><p>日本語</p></body></html>'
        self.assertEqual(mt.html_to_paragraphs(data.encode("euc_jp"), "ja"), ["日本語"])


DEP5 = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: x

Files: debian/*
Copyright: 2020 Someone
License: GPL-2+

Files: *
Copyright: 2007 Someone Else
License: MPL-2.0
 text

License: GPL-2+
 text
"""


class LicenceTest(unittest.TestCase):
    def test_dep5(self):
        lic = mt.parse_copyright(DEP5)
        self.assertEqual(lic, {"format": "dep5", "licence": "MPL-2.0", "licences": ["GPL-2+", "MPL-2.0"]})

    def test_free_form(self):
        lic = mt.parse_copyright("This manual is free; you can redistribute it under the terms of the GNU "
                                 "General Public License, version 2 or later.")
        self.assertEqual(lic["format"], "free-form")
        self.assertEqual(lic["licence"], "GPL-2")
        self.assertEqual(mt.parse_copyright("nothing here")["licence"], "unknown")
        notice = mt.parse_copyright("Permission is granted to make and distribute verbatim copies of this document")
        self.assertEqual(notice["licence"], "verbatim-copying-notice")


def fake_cache(cache, package, version, texts, lang="de"):
    """A cache entry as fetch_package writes it: text.<lang>.txt files and info.json."""
    d = os.path.join(cache, package, mt._safe(version))
    os.makedirs(d)
    langs = {}
    for lg, docs in texts.items():
        with open(os.path.join(d, f"text.{lg}.txt"), "w", encoding="utf-8") as f:
            for doc in docs:
                f.write("\n\n".join(doc) + f"\n{mt.DOC_SEP}\n")
        langs[lg] = {"documents": len(docs), "paragraphs": sum(map(len, docs)),
                     "chars": sum(len(p) for doc in docs for p in doc), "dropped_paragraphs": 0, "kinds": {"man": 1}}
    info = {"package": package, "version": version, "deb": f"{package}_{version}_all.deb", "sha256": "0" * 64,
            "html_language": lang, "licence": "GPL-2+", "licences": ["GPL-2+"], "copyright_format": "dep5",
            "copyright": f"/usr/share/doc/{package}/copyright", "languages": langs}
    with open(os.path.join(d, "info.json"), "w", encoding="utf-8") as f:
        json.dump(info, f)
    return info


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_package_documents(self):
        root = os.path.join(self.dir, "root")
        for rel in ["usr/share/man/zh_CN/man1/ls.1.gz", "usr/share/man/zh_TW/man8/x.8", "usr/share/man/xx/man1/y.1",
                    "usr/share/doc/p/index.html", "usr/share/doc/p/copyright", "usr/share/p/a.HTM.gz"]:
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            open(os.path.join(root, rel), "w").close()
        os.symlink("ls.1.gz", os.path.join(root, "usr/share/man/zh_CN/man1/dir.1.gz"))
        docs = mt.package_documents(root, "zh-Hans")
        self.assertEqual(sorted(docs), sorted([
            ("zh-Hans", "man", "usr/share/man/zh_CN/man1/ls.1.gz"), ("zh-Hant", "man", "usr/share/man/zh_TW/man8/x.8"),
            ("zh-Hans", "html", "usr/share/doc/p/index.html"), ("zh-Hans", "html", "usr/share/p/a.HTM.gz")]))

    def test_assemble_and_manifest(self):
        cache, text = os.path.join(self.dir, "cache"), os.path.join(self.dir, "text")
        a = fake_cache(cache, "manpages-de", "1:4.18-1", {"de": [["Die Datei ist nicht da.", "Kopf"],
                                                                 ["Kopf", "Und sie wird gelöscht."]]})
        b = fake_cache(cache, "libreoffice-help-de", "4:7.4", {"de": [["Die  Datei ist nicht da.", "Kopf"]],
                                                               "fr": [["Le fichier est dans le dossier."]]})
        log = io.StringIO()
        langs = mt.assemble(cache, [a, b], text, log=lambda m: log.write(m + "\n"))
        self.assertEqual(sorted(langs), ["de", "fr"])
        de = langs["de"]
        # the second package's document is all duplicates (whitespace aside): dropped whole
        self.assertEqual((de["documents"], de["paragraphs"], de["duplicate_paragraphs"]), (2, 3, 3))
        self.assertEqual(de["packages"], {"manpages-de": 49, "libreoffice-help-de": 0})
        self.assertTrue(de["check"]["ok"], de["check"])
        self.assertEqual(mt.read_documents(os.path.join(text, "de.txt")),
                         [["Die Datei ist nicht da.", "Kopf"], ["Und sie wird gelöscht."]])
        manifest = mt.write_manifest(os.path.join(self.dir, "manifest.json"), [a, b], langs)
        with open(os.path.join(self.dir, "manifest.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f), manifest)
        self.assertEqual(manifest["format"], mt.FORMAT)
        pk = manifest["packages"][1]
        self.assertEqual(set(pk), {"package", "version", "deb", "sha256", "licence", "licences", "copyright_format",
                                   "copyright", "languages"})
        self.assertEqual(pk["languages"], {"de": {"chars": 28, "documents": 1}, "fr": {"chars": 31, "documents": 1}})
        self.assertEqual(set(manifest["languages"]["fr"]),
                         {"file", "chars", "documents", "paragraphs", "duplicate_paragraphs", "packages", "check"})

    def test_cached_package_is_not_fetched(self):
        cache = os.path.join(self.dir, "cache")
        info = fake_cache(cache, "manpages-de", "9.9", {"de": [["Die Datei ist da."]]})
        orig = mt.candidate_version
        mt.candidate_version = lambda p: "9.9"
        try:
            got = mt.fetch_package("manpages-de", "de", cache, log=lambda m: None)  # no download: cached
        finally:
            mt.candidate_version = orig
        self.assertEqual(got, info)


SMALL_PACKAGE = "debian-faq-ko"  # about 0.2 MB


@unittest.skipIf(mt.requirements(), "apt-get, dpkg-deb or groff missing")
class AptTest(unittest.TestCase):
    def test_fetch_small_package(self):
        if mt.candidate_version(SMALL_PACKAGE) is None:
            self.skipTest(f"apt index does not offer {SMALL_PACKAGE} (no `apt-get update`?)")
        out = tempfile.mkdtemp()
        try:
            try:
                manifest = mt.fetch_all(out, packages=[SMALL_PACKAGE], log=lambda m: None)
            except Exception as e:  # mirror unreachable
                self.skipTest(f"fetch failed: {e}")
            if not manifest["packages"]:
                self.skipTest("download failed (mirror unreachable?)")
            pk = manifest["packages"][0]
            self.assertEqual(pk["package"], SMALL_PACKAGE)
            self.assertNotEqual(pk["licence"], "unknown")
            ko = manifest["languages"]["ko"]
            self.assertGreater(ko["chars"], 10000)
            self.assertTrue(ko["check"]["ok"], ko["check"])
            # a second run reuses the cache
            again = mt.fetch_all(out, packages=[SMALL_PACKAGE], log=lambda m: None)
            self.assertEqual(again["languages"]["ko"]["chars"], ko["chars"])
        finally:
            shutil.rmtree(out)


def tiny_corpus(folder, seed=0):
    """A text folder in fetch_multilingual.py's layout: German-like and Japanese-like documents."""
    rng = random.Random(seed)
    os.makedirs(folder)
    syl = ["ka", "ri", "to", "men", "sch", "ein", "der", "ung", "lich", "ge", "be", "st"]
    kana = list("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん")
    han = list("日本語文書内容表示一覧情報時間名前説明")
    with open(os.path.join(folder, "de.txt"), "w", encoding="utf-8") as f:
        for d in range(60):
            paras = [" ".join("".join(rng.choice(syl) for _ in range(rng.randint(1, 3))) for _ in range(12)) + "."
                     for _ in range(4)]
            f.write("\n\n".join(paras) + f"\n{mt.DOC_SEP}\n")
    with open(os.path.join(folder, "ja.txt"), "w", encoding="utf-8") as f:
        for d in range(60):
            paras = ["".join(rng.choice(kana + han) for _ in range(30)) + "。" for _ in range(4)]
            f.write("\n\n".join(paras) + f"\n{mt.DOC_SEP}\n")


class MeasureTest(unittest.TestCase):
    def test_mix_and_sizes(self):
        self.assertEqual(tm.parse_mix("en=0.4, ja=0.1"), {"en": 0.4, "ja": 0.1})
        self.assertEqual(tm.mix_budgets({"en": 0.5}, ["en", "de", "ja"], 1000), {"en": 500, "de": 250, "ja": 250})
        self.assertEqual(tm.embedding_int8_bytes(12000, 128), 12000 * 132)
        self.assertEqual(tm.embedding_int8_bytes(64000, 128, 64), 64000 * 68 + 64 * 128 + 4 * 128)
        self.assertEqual(tm.max_vocab(6_000_000, 1_000_000, 128), 5_000_000 // 132)
        self.assertEqual(tm.doc_lines(["a\n b ", "x" * (tm.MAX_LINE + 5)]), ["a", "b", "x" * tm.MAX_LINE, "xxxxx"])

    def test_default_model_sizes(self):
        sizes = tm.default_model_sizes(os.path.join(ROOT, "models", "default"))
        self.assertEqual(sizes["hidden"], 128)
        self.assertGreaterEqual(sizes["embedding"], sizes["vocab"] * 128)
        self.assertEqual(sizes["embedding"] + sizes["rest"], sizes["file"])
        self.assertLess(sizes["rest"], sizes["file"] / 2)

    def test_wordpiece(self):
        d = tempfile.mkdtemp()
        try:
            with open(os.path.join(d, "vocab.txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(["[PAD]", "[UNK]", "un", "##aff", "##able", "日", "本", ",", "の", "##の"]) + "\n")
            wp = tm.WordPieceTokenizer(os.path.join(d, "vocab.txt"))
            self.assertEqual(wp.tokenize("unaffable, 日本の"), ["un", "##aff", "##able", ",", "日", "本", "の"])
            self.assertEqual(wp.tokenize("xyz"), ["[UNK]"])
            st = tm.measure(wp, {"en": ["unaffable xyz"]})["en"]
            self.assertEqual((st["tokens"], st["chars"], st["words"]), (4, 13, 2))
            self.assertAlmostEqual(st["unk_share"], 0.25)
        finally:
            shutil.rmtree(d)

    @unittest.skipUnless(HAVE_SPM, "SentencePiece tools (spm_train) not installed")
    def test_measure_tiny_corpus(self):
        d = tempfile.mkdtemp()
        try:
            text = os.path.join(d, "text")
            tiny_corpus(text)
            docs = tm.language_documents(text)
            self.assertEqual(sorted(docs), ["de", "ja"])
            for train, held in docs.values():
                self.assertTrue(train and held)
                self.assertEqual(len(train) + len(held), 60)
            budgets = tm.mix_budgets({"de": 0.5}, ["de", "ja"], 100000)
            written = tm.write_training_text(os.path.join(d, "train.txt"), docs, {}, budgets)
            self.assertEqual(set(written), {"de", "ja"})
            model = os.path.join(d, "t.model")
            tk.train_spm(os.path.join(d, "train.txt"), model, 400, hard_vocab_limit=False, mask_symbol=True,
                         byte_fallback=True)
            tok = tm.SentencePieceTokenizer(model)
            self.assertEqual(len(tok.byte_ids), 256)
            held = tm.heldout_lines(docs, {}, 2000)
            held["th"] = ["ภาษาไทย"]  # unseen script: bytes, never <unk>
            res = tm.measure(tok, held)
            self.assertGreater(res["th"]["byte_share"], 0.9)
            self.assertEqual(res["th"]["unk_share"], 0.0)
            self.assertIsNone(res["ja"]["tok_per_word"])
            self.assertIsNotNone(res["de"]["tok_per_word"])
            for lang in ("de", "ja"):
                self.assertGreater(res[lang]["tok_per_char"], 0.0)
                self.assertLess(res[lang]["tok_per_char"], 1.5)
            # the CLI end to end on the same folder, with the default model as reference
            out = os.path.join(d, "out")
            buf = io.StringIO()
            import measure_tokenizers
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
                rc = measure_tokenizers.main(["--text", text, "--data", os.path.join(d, "none"), "--out", out,
                                              "--vocab", "400", "--train-chars", "60000", "--heldout-chars", "3000",
                                              "--mbert", "", "--threads", "1"])
            self.assertEqual(rc, 0, buf.getvalue())
            report = buf.getvalue()
            self.assertIn("| spm-bf-0k |", report)
            self.assertIn("| default |", report)
            self.assertIn("Largest vocabulary within 6.0 MB", report)
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
