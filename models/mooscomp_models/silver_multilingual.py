"""Graded silver labels in languages other than English, on the rule of pos_rule.py's scale:

    5  names, numbers, dates and times
    4  nouns, verbs, adjectives, negations
    3  adverbs, punctuation, symbols, affixes
    2  function words (particles, prepositions, pronouns, conjunctions, auxiliaries, stopwords)
    1  interjections, fillers, modal particles

and, within a class, longer words first. Taggers: Chinese, jieba's part-of-speech tagging
(Debian python3-jieba); Japanese, MeCab with IPAdic (Debian mecab, mecab-ipadic-utf8);
languages written with spaces, the stopword lists of stopwords-iso (npm), digits and
capitalised words inside a sentence. Negations come from the core's own list
(core/src/meaning_lexicon.cc), so the model learns what the core binds.

Rows carry `spaces`: per word, whether a space precedes it in the text (Chinese and Japanese
words are joined without one), so training encodes the text as it is written.
"""
import functools
import json
import logging
import os
import re
import subprocess

from .silver_labels import graded

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LEXICON = os.path.join(ROOT, "core", "src", "meaning_lexicon.cc")
STOPWORDS = os.path.join(ROOT, "node_modules", "stopwords-iso", "stopwords-iso.json")
_DIGIT = re.compile(r"[0-9０-９]")
_SENTENCE_END = tuple(".!?:;。！？")


@functools.lru_cache(maxsize=None)
def core_negations():
    """The negation words of the core's meaning lexicon (kNegations and kTrailingNegations)."""
    with open(LEXICON, encoding="utf-8") as f:
        src = f.read()
    words = set()
    for name in ("kNegations", "kTrailingNegations"):
        block = re.search(name + r"\[\] = \{(.*?)\};", src, re.S).group(1)
        words.update(re.findall(r'"([^"]+)"', re.sub(r"//[^\n]*", "", block)))
    return frozenset(words)


@functools.lru_cache(maxsize=None)
def stopwords(lang):
    with open(STOPWORDS, encoding="utf-8") as f:
        table = json.load(f)
    return frozenset(table.get(lang.split("-")[0].lower(), []))


def _punct(word):
    return not any(ch.isalnum() for ch in word)


# ------------------------------------------------------------------ Chinese (jieba flags)

_ZH = {5: ("m", "nr", "nrfg", "nrt", "ns", "nt", "nz", "t", "j", "eng"),
       4: ("n", "v", "a", "i", "l", "q", "s", "b", "z"),
       3: ("d", "x", "w", "h", "k", "f"),
       1: ("e", "y", "o")}


# jieba joins a negation to its verb ("不要", "尚未", "没有"): a word is a negation when it
# starts with one of these, or is one of the two-character forms ending in one.
_ZH_NEG_START = ("不", "没", "沒", "未", "无法", "無法", "别", "別", "勿")
_ZH_NEG_FORMS = {"尚未", "并未", "並未", "从未", "從未", "从不", "從不", "决不", "決不", "绝不", "絕不", "毫无", "毫無"}
_ZH_NOT_NEG = {"不过", "不過", "不仅", "不僅", "不断", "不斷", "不同", "不少", "未来", "未來", "别人", "別人",
               "别的", "別的", "不但", "不管", "不论", "不論"}


def zh_negation(word, negations):
    return word in negations or word in _ZH_NEG_FORMS or (word.startswith(_ZH_NEG_START) and word not in _ZH_NOT_NEG)


def zh_class(word, flag, negations):
    if zh_negation(word, negations):
        return 4
    if _DIGIT.search(word):
        return 5
    if _punct(word):
        return 3
    for cls in (5, 1):  # exact families first: "nr" before "n", "eng" before "e"
        if flag in _ZH[cls]:
            return cls
    if flag.startswith(("u", "p", "c", "r")):
        return 2
    for cls in (4, 3):
        if flag[:1] in _ZH[cls] or flag in _ZH[cls]:
            return cls
    return 2


def zh_words(line):
    """(word, flag, space before) of one line, whitespace dropped."""
    import jieba
    import jieba.posseg
    jieba.setLogLevel(logging.ERROR)
    out, space = [], False
    for pair in jieba.posseg.cut(line):
        if not pair.word.strip():
            space = True
            continue
        out.append((pair.word, pair.flag, space))
        space = False
    return out


# ------------------------------------------------------------------ Japanese (MeCab, IPAdic)

_JA_NEGATIONS = {"ない", "ぬ", "ん", "ず", "無い"}


def ja_class(surface, features, negations):
    pos, sub = (features + ["*", "*"])[:2]
    base = features[6] if len(features) > 6 else surface
    if surface in negations or (pos in ("助動詞", "形容詞") and base in _JA_NEGATIONS):
        return 4
    if _DIGIT.search(surface) or sub in ("固有名詞", "数"):
        return 5
    if pos in ("感動詞", "フィラー"):
        return 1
    if pos == "名詞":
        return 2 if sub in ("代名詞", "非自立") else 3 if sub == "接尾" else 4
    if pos in ("動詞", "形容詞"):
        return 4 if sub == "自立" else 2
    if pos in ("副詞", "記号", "接頭詞"):
        return 3
    return 2


def ja_lines(lines):
    """Per line, (surface, features, space before) from one MeCab process."""
    text = "".join(line.replace("\n", " ") + "\n" for line in lines)
    out = subprocess.run(["mecab"], input=text, capture_output=True, text=True, check=True).stdout
    rows, cur = [], []
    for row in out.split("\n"):
        if row == "EOS":
            rows.append(cur)
            cur = []
        elif "\t" in row:
            surface, feats = row.split("\t", 1)
            cur.append((surface, feats.split(",")))
    result = []
    for line, morphs in zip(lines, rows):
        words, pos = [], 0
        for surface, feats in morphs:
            at = line.find(surface, pos)
            if at < 0:  # MeCab rewrote it: the morpheme is left out
                continue
            words.append((surface, feats, at > pos and line[pos:at].isspace()))  # MeCab drops spaces
            pos = at + len(surface)
        result.append(words)
    return result


# ------------------------------------------------------------------ languages with spaces

def spaced_classes(words, stop, negations, cased):
    classes = []
    for i, w in enumerate(words):
        core = w.strip(".,;:!?()[]{}\"'«»„“”‘’").lower()
        starts_sentence = i == 0 or words[i - 1].endswith(_SENTENCE_END)
        if core in negations or w.lower() in negations:
            c = 4
        elif _DIGIT.search(w):
            c = 5
        elif _punct(w):
            c = 3
        elif cased and w[:1].isupper() and not starts_sentence and core not in stop:
            c = 5
        elif core in stop:
            c = 2
        else:
            c = 4
        classes.append(c)
    return classes


CASED = {"cs", "de", "es", "fr", "id", "it", "nl", "pl", "pt-BR", "ru", "tr", "uk", "vi"}


def scores(words, classes):
    return [c + min(len(w), 20) / 21.0 for w, c in zip(words, classes)]


def label_lines(lang, lines):
    """Lines of one document -> rows {words, keep: None (graded later), spaces, classes}."""
    negations = core_negations()
    out = []
    if lang.startswith("zh"):
        for line in lines:
            ws = zh_words(line)
            out.append(([w for w, _, _ in ws], [zh_class(w, f, negations) for w, f, _ in ws],
                        [s for _, _, s in ws]))
    elif lang == "ja":
        for ws in ja_lines(lines):
            out.append(([s for s, _, _ in ws], [ja_class(s, f, negations) for s, f, _ in ws],
                        [sp for _, _, sp in ws]))
    else:
        stop, cased = stopwords(lang), lang in CASED
        for line in lines:
            ws = line.split()
            out.append((ws, spaced_classes(ws, stop, negations, cased), [True] * len(ws)))
    return out


def chunk_rows(lang, lines, chunk_words=200):
    """Consecutive lines of a document -> silver rows of about chunk_words words; the first word
    of each line but the first starts with a space (lines are joined with one)."""
    rows, words, classes, spaces = [], [], [], []
    for ws, cs, sp in label_lines(lang, lines):
        if not ws:
            continue
        sp = [bool(words)] + sp[1:]
        words, classes, spaces = words + ws, classes + cs, spaces + sp
        if len(words) >= chunk_words:
            rows.append((words, classes, spaces))
            words, classes, spaces = [], [], []
    if len(words) >= 8:
        rows.append((words, classes, spaces))
    return [{"words": w, "keep": graded(scores(w, c)), "spaces": s, "source": lang} for w, c, s in rows]


def write_multilingual(text_dir, out_path, chunk_words=200, words=40_000, seed=0):
    """Silver rows of every language in text_dir (one .txt per language, documents as
    tokenizer_measure reads them, held-out documents left out) to out_path, atomically."""
    import random
    from .tokenizer_measure import language_documents
    docs = language_documents(text_dir)
    with open(out_path + ".tmp", "w", encoding="utf-8") as out:
        for lang in sorted(docs):
            budget = words * (3 if lang.startswith("zh") or lang == "ja" else 1)
            train = docs[lang][0]
            order = random.Random(seed).sample(range(len(train)), len(train))
            n = rows = 0
            for i in order:
                for row in chunk_rows(lang, train[i], chunk_words):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += len(row["words"])
                    rows += 1
                if n >= budget:
                    break
            print(f"silver: {lang}: {rows} chunks, {n} words", flush=True)
    os.replace(out_path + ".tmp", out_path)
