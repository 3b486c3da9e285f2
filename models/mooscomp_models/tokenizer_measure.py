"""What a multilingual vocabulary costs: SentencePiece unigram models with byte fallback trained
on English + the multilingual text of multilingual_text.py at several vocabulary sizes, measured
per language on held-out text against today's English tokenizer and mBERT's WordPiece.

Per tokenizer and language: tokens per character (characters = code points of the text lines,
spaces included), tokens per whitespace word (languages written with spaces), the share of
byte-fallback pieces (`<0xE4>`...) and of unknown tokens. Per vocabulary size: the int8 size of
the word-embedding table as quantize.py writes it (int8 rows + one float32 scale per row), plain
and factorised (V x E table + E x H projection), and the whole model's size with the rest of
the default model unchanged.

Held-out text: every HOLDOUT_EVERY-th document by a hash of its text, never in the training
mix; English: QMSum val, the Google test sentences and held-out LongBench v2 documents and
chats; code: held-out LongBench v2 code.
"""
import hashlib
import json
import os
import random
import unicodedata

from . import multilingual_text as mt
from . import tokenizer_train as tk

HOLDOUT_EVERY = 10
MAX_LINE = 3000  # characters; SentencePiece skips sentences over max_sentence_length (16 KB)
SPACED = {"en", "de", "fr", "es", "it", "pt-BR", "nl", "pl", "cs", "tr", "vi", "id", "ru", "uk", "ko", "hi"}
DEFAULT_MIX = {"en": 0.4, "zh-Hans": 0.12, "ja": 0.12}  # the rest shared evenly by the others
# English training text: source -> share of the English budget.
ENGLISH_SHARES = {"qmsum": 0.25, "google": 0.25, "longbench2-prose": 0.35, "longbench2-dialogue": 0.1,
                  "longbench2-code": 0.05}


def is_heldout(doc_text):
    h = hashlib.blake2b(doc_text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(h, "big") % HOLDOUT_EVERY == 0


def doc_lines(paragraphs):
    """Text lines (no newline inside) of a document's paragraphs, long lines cut."""
    out = []
    for p in paragraphs:
        for line in p.split("\n"):
            line = line.strip()
            while len(line) > MAX_LINE:
                out.append(line[:MAX_LINE])
                line = line[MAX_LINE:]
            if line:
                out.append(line)
    return out


# ---------------------------------------------------------------------------------------------
# Inputs


def _longbench_docs(data, names):
    docs = []
    for name in names:
        path = os.path.join(data, "pretrain", "longbench2", name + ".txt")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                docs += [d.strip("\n") for d in f.read().split("\n\f\n") if d.strip()]
    return docs


def english_sources(data, split):
    """{source: [documents as lists of lines]} of the English text in shared/data, `split` being
    "train" or "heldout" (they share no document)."""
    from . import data as D
    out = {}
    qmsum = os.path.join(data, "pretrain", "qmsum", ("train" if split == "train" else "val") + ".txt")
    if os.path.exists(qmsum):
        with open(qmsum, encoding="utf-8") as f:
            out["qmsum"] = [[D.clean_transcript_line(ln) for ln in m.split("\n") if D.clean_transcript_line(ln)]
                            for m in f.read().split("\n\n") if m.strip()]
    if split == "train":
        gpath = os.path.join(data, "compression", "google", "train.jsonl")
        if os.path.exists(gpath):
            rows = D.restore_rows(D.read_jsonl(gpath), seed=0)
            out["google"] = [[" ".join(r["words"]) for r in rows[i:i + 100]] for i in range(0, len(rows), 100)]
    else:
        gpath = os.path.join(data, "compression", "google", "test.jsonl")
        if os.path.exists(gpath):
            rows = D.read_jsonl(gpath)
            out["google"] = [[r["text"] for r in rows[i:i + 100]] for i in range(0, len(rows), 100)]
    for name, files in (("longbench2-prose", ["documents", "multi-documents"]),
                        ("longbench2-dialogue", ["dialogue"]), ("longbench2-code", ["code"])):
        docs = [d for d in _longbench_docs(data, files) if is_heldout(d) == (split == "heldout")]
        if docs:
            out[name] = [doc_lines(d.split("\n\n")) for d in docs]
    return {k: v for k, v in out.items() if v}


def language_documents(text_dir):
    """{lang: (train documents, held-out documents)}, each a list of line lists."""
    out = {}
    for name in sorted(os.listdir(text_dir)):
        if not name.endswith(".txt"):
            continue
        lang = name[:-4]
        train, held = [], []
        for doc in mt.read_documents(os.path.join(text_dir, name)):
            (held if is_heldout("\n\n".join(doc)) else train).append(doc_lines(doc))
        out[lang] = (train, held)
    return out


def take(docs, budget, seed):
    """Lines of whole documents in a seeded order until `budget` characters (the last document
    cut at the budget); returns (lines, characters)."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    lines, n = [], 0
    for i in order:
        for line in docs[i]:
            if n >= budget:
                return lines, n
            lines.append(line)
            n += len(line)
    return lines, n


def parse_mix(spec):
    """"en=0.4,zh-Hans=0.12" -> {"en": 0.4, "zh-Hans": 0.12}."""
    mix = {}
    for part in (spec or "").split(","):
        if part.strip():
            k, v = part.split("=")
            mix[k.strip()] = float(v)
    return mix


def mix_budgets(mix, languages, total_chars):
    """Characters per language: the named shares, the remainder split evenly among the others."""
    named = {k: v for k, v in mix.items() if k in languages}
    others = [k for k in languages if k not in named]
    rest = max(0.0, 1.0 - sum(named.values()))
    shares = dict(named, **{k: rest / len(others) for k in others}) if others else named
    return {k: int(total_chars * s) for k, s in shares.items()}


def write_training_text(path, lang_docs, english, budgets, seed=0):
    """The training mix as one line-per-sentence file; returns {lang: characters written}."""
    written = {}
    with open(path + ".part", "w", encoding="utf-8") as f:
        for lang, budget in sorted(budgets.items()):
            if lang == "en":
                n = 0
                for src, share in ENGLISH_SHARES.items():
                    if src in english:
                        lines, c = take(english[src], int(budget * share), seed)
                        f.write("\n".join(lines) + "\n")
                        n += c
            else:
                lines, n = take(lang_docs[lang][0], budget, seed)
                f.write("\n".join(lines) + "\n")
            written[lang] = n
    os.replace(path + ".part", path)
    return written


def heldout_lines(lang_docs, english, max_chars, seed=1):
    """{lang: lines} of held-out text, at most `max_chars` per language. English ("en") is split
    evenly among its prose sources; LongBench v2's code is a row of its own ("code")."""
    out = {}
    prose = [src for src in english if src != "longbench2-code"]
    if prose:
        lines = []
        for src in prose:
            lines += take(english[src], max_chars // len(prose), seed)[0]
        out["en"] = lines
    if "longbench2-code" in english:
        out["code"] = take(english["longbench2-code"], max_chars, seed)[0]
    for lang, (_, held) in sorted(lang_docs.items()):
        out[lang] = take(held, max_chars, seed)[0]
    return {k: v for k, v in out.items() if v}


# ---------------------------------------------------------------------------------------------
# Tokenizers


class SentencePieceTokenizer:
    def __init__(self, model_path, name=None):
        self.path, self.name = model_path, name or os.path.basename(model_path)
        self.pieces = tk.load_pieces(model_path)
        self.vocab_size = len(self.pieces)
        self.byte_ids = {i for i, p in enumerate(self.pieces) if len(p) == 6 and p.startswith("<0x") and p[-1] == ">"}

    def stats(self, lines):
        ids = [i for row in tk.encode_lines(self.path, lines) for i in row]
        return {"tokens": len(ids), "byte": sum(1 for i in ids if i in self.byte_ids),
                "unk": sum(1 for i in ids if i == tk.UNK_ID)}


def _is_cjk_ideograph(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def _is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPieceTokenizer:
    """BERT's cased tokenizer (bert-base-multilingual-cased: no lower-casing, no accent
    stripping): clean text, a space around each CJK ideograph, split on whitespace and
    punctuation, then greedy longest-match WordPiece (`##` continuations, [UNK] for a word it
    cannot cover or over 100 characters)."""

    def __init__(self, vocab_path, name=None):
        with open(vocab_path, encoding="utf-8") as f:
            self.vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}
        self.name = name or os.path.basename(os.path.dirname(vocab_path))
        self.vocab_size = len(self.vocab)

    def basic(self, text):
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
                continue
            if _is_cjk_ideograph(cp) or (_is_punct(ch)):
                out.append(" " + ch + " ")
            elif ch.isspace():
                out.append(" ")
            else:
                out.append(ch)
        return "".join(out).split()

    def wordpiece(self, word):
        if len(word) > 100:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(word):
            end, cur = len(word), None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.vocab:
                    cur = sub
                    break
                end -= 1
            if cur is None:
                return ["[UNK]"]
            pieces.append(cur)
            start = end
        return pieces

    def tokenize(self, text):
        return [p for w in self.basic(text) for p in self.wordpiece(w)]

    def stats(self, lines):
        tokens = unk = 0
        for line in lines:
            toks = self.tokenize(line)
            tokens += len(toks)
            unk += sum(1 for t in toks if t == "[UNK]")
        return {"tokens": tokens, "byte": 0, "unk": unk}


def measure(tokenizer, heldout):
    """{lang: {"chars", "words", "tokens", "tok_per_char", "tok_per_word", "byte_share", "unk_share"}}."""
    out = {}
    for lang, lines in heldout.items():
        st = tokenizer.stats(lines)
        chars = sum(len(ln) for ln in lines)
        words = sum(len(ln.split()) for ln in lines)
        t = max(1, st["tokens"])
        out[lang] = {"chars": chars, "words": words, "tokens": st["tokens"],
                     "tok_per_char": st["tokens"] / chars if chars else 0.0,
                     "tok_per_word": st["tokens"] / words if (words and lang in SPACED) else None,
                     "byte_share": st["byte"] / t, "unk_share": st["unk"] / t}
    return out


# ---------------------------------------------------------------------------------------------
# Sizes


def embedding_int8_bytes(vocab, hidden, factor=None):
    """Bytes of the word embeddings after quantize.py: int8 [V, H] + float32 scale per row; with
    `factor` E: int8 [V, E] + row scales, and an int8 [E, H] projection + column scales."""
    if not factor:
        return vocab * hidden + 4 * vocab
    return vocab * factor + 4 * vocab + factor * hidden + 4 * hidden


def default_model_sizes(model_dir):
    """{"file", "vocab", "hidden", "embedding", "rest"} in bytes for a model folder: the word
    embedding table's share read from its ONNX initialisers (onnx module), else computed."""
    with open(os.path.join(model_dir, "manifest.json"), encoding="utf-8") as f:
        man = json.load(f)
    hidden = man["hidden_size"]
    vocab = len(man["lexical"]["neg_log_freq"]) if "lexical" in man else None
    onnx_path = os.path.join(model_dir, man.get("onnx", "model.onnx"))
    size = os.path.getsize(onnx_path)
    emb = None
    try:
        import onnx
        model = onnx.load(onnx_path)
        vocab = vocab or max(int(t.dims[0]) for t in model.graph.initializer if len(t.dims) == 2)
        emb = sum(len(t.raw_data) or 0 for t in model.graph.initializer
                  if t.dims and int(t.dims[0]) == vocab)
    except ImportError:
        pass
    if not emb:
        emb = embedding_int8_bytes(vocab, hidden)
    return {"file": size, "vocab": vocab, "hidden": hidden, "embedding": emb, "rest": size - emb}


def max_vocab(budget_bytes, rest_bytes, hidden, factor=None):
    """The largest vocabulary whose model stays within `budget_bytes`."""
    room = budget_bytes - rest_bytes - ((factor * hidden + 4 * hidden) if factor else 0)
    return max(0, room // ((factor or hidden) + 4))


# ---------------------------------------------------------------------------------------------
# Report


def format_tables(results, langs, sizes=None, factors=(64, 96), budget=6_000_000):
    """Markdown tables: tokens/char, tokens/word, byte-fallback (or [UNK]) share, and sizes."""
    rows = results["tokenizers"]
    names = list(rows)
    out = []

    def table(title, key, fmt, only=None):
        cols = [lang for lang in langs if only is None or lang in only]
        out.append(f"\n{title}\n")
        out.append("| tokenizer | " + " | ".join(cols) + " |")
        out.append("|---|" + "---|" * len(cols))
        for name in names:
            cells = []
            for lang in cols:
                v = rows[name]["languages"].get(lang, {}).get(key)
                cells.append("" if v is None else fmt(v))
            out.append(f"| {name} | " + " | ".join(cells) + " |")

    table("Tokens per character (held-out text)", "tok_per_char", lambda v: f"{v:.3f}")
    table("Tokens per word (languages written with spaces)", "tok_per_word", lambda v: f"{v:.2f}", SPACED)
    table("Byte-fallback pieces, share of tokens", "byte_share", lambda v: f"{100 * v:.2f}%")
    table("Unknown tokens (<unk>, [UNK]), share of tokens", "unk_share", lambda v: f"{100 * v:.2f}%")
    if "en" in langs and "default" in rows:
        base = rows["default"]["languages"]["en"]["tok_per_char"]
        out.append("\nEnglish tokens for the same text, against the default tokenizer "
                   "(inference time per text grows with it; the limit is 1.25x)\n")
        out.append("| tokenizer | English tokens/char | ratio to default |")
        out.append("|---|---|---|")
        for name in names:
            v = rows[name]["languages"].get("en", {}).get("tok_per_char")
            if v:
                out.append(f"| {name} | {v:.4f} | {v / base:.3f}x |")
    if sizes:
        h, rest = sizes["hidden"], sizes["rest"]
        out.append(f"\nInt8 sizes (MB = 10^6 bytes), hidden {h}; the rest of the default model "
                   f"{rest / 1e6:.2f} MB (its file {sizes['file'] / 1e6:.2f} MB, embeddings "
                   f"{sizes['embedding'] / 1e6:.2f} MB at {sizes['vocab']:,} pieces)\n")
        head = ["tokenizer", "vocab", f"embeddings H={h}", "model total"]
        for e in factors:
            head += [f"factorised E={e}", f"total E={e}"]
        head += ["tokenizer.model"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|---" * len(head) + "|")
        for name in names:
            info = rows[name]
            if info.get("kind") == "wordpiece":
                continue
            v = info["vocab_size"]
            cells = [name, f"{v:,}", f"{embedding_int8_bytes(v, h) / 1e6:.2f}",
                     f"{(rest + embedding_int8_bytes(v, h)) / 1e6:.2f}"]
            for e in factors:
                eb = embedding_int8_bytes(v, h, e)
                cells += [f"{eb / 1e6:.2f}", f"{(rest + eb) / 1e6:.2f}"]
            cells.append(f"{info['model_bytes'] / 1e6:.2f}" if info.get("model_bytes") else "")
            out.append("| " + " | ".join(cells) + " |")
        mv = max_vocab(budget, rest, h)
        out.append(f"\nLargest vocabulary within {budget / 1e6:.1f} MB int8: {mv:,} unfactorised (H={h}); "
                   + ", ".join(f"{max_vocab(budget, rest, h, e):,} with E={e}" for e in factors)
                   + f"; at H=256 (the rest of the model x{(rest * 4 / 1e6):.1f} MB if every layer widens): "
                   f"{max_vocab(budget, rest * 4, 256):,} unfactorised, "
                   + ", ".join(f"{max_vocab(budget, rest * 4, 256, e):,} with E={e}" for e in factors))
    return "\n".join(out) + "\n"
