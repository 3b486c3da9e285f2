"""Training data: word keep-labels -> token labels, packed windows, MLM text.

Source format (Google sentence compression, see ../shared/data/README.md): one JSON object a
line, {"words": [...], "keep": [0/1, ...]}. The training split is lower-cased, masks numbers
as "##" and marks out-of-vocabulary words as "<unk>"; real prompts have digits and rare words,
so `restore_words` replaces both with plausible stand-ins (the labels are unchanged):
- "##" -> a sampled digit string (years, small counts, decimals, thousands), so the model learns
  what digits look like after the tokenizer splits them;
- "<unk>" -> a rare word of the training vocabulary (what the original OOV word was: rare).
"""
import json
import random
import re
import unicodedata

import torch

from . import tokenizer_train as tk

IGNORE = -100  # label of CLS/SEP/pad positions: excluded from every loss and metric
_MARKER = re.compile(r"\{[a-z]+\}")  # QMSum's {disfmarker}, {vocalsound}, ...
_BYTE_PIECE = re.compile(r"<0x([0-9A-F]{2})>")


def read_jsonl(path, limit=None):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def sample_number(rng):
    r = rng.random()
    if r < 0.3:
        return str(rng.randint(1950, 2030))
    if r < 0.65:
        return str(rng.randint(0, 100))
    if r < 0.8:
        return str(rng.randint(100, 999999))
    if r < 0.92:
        return f"{rng.randint(0, 99)}.{rng.randint(0, 99)}"
    return f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}"


def rare_words(rows, max_count=2, limit=50000):
    counts = {}
    for r in rows:
        for w in r["words"]:
            counts[w] = counts.get(w, 0) + 1
    pool = [w for w, c in counts.items() if c <= max_count and w.isalpha()]
    return sorted(pool)[:limit] or ["word"]


def restore_words(words, rng, rare):
    out = []
    for w in words:
        if w == "##":
            w = sample_number(rng)
        elif w == "<unk>":
            w = rng.choice(rare)
        out.append(w)
    return out


def restore_rows(rows, seed=0):
    """Returns a copy of `rows` with masked numbers and <unk> replaced (deterministic)."""
    rng = random.Random(seed)
    rare = rare_words(rows)
    return [{"words": restore_words(r["words"], rng, rare), "keep": r["keep"]} for r in rows]


def clean_transcript_line(line):
    return " ".join(_MARKER.sub(" ", line).split())


def read_text_lines(path):
    with open(path, encoding="utf-8") as f:
        return [c for c in (clean_transcript_line(line) for line in f) if c]


def align_labels(ids, pieces, word_labels):
    """Token labels from word labels: each sub-token takes the label of its word.

    A token starts a word iff its piece starts with "▁" (words are whitespace-separated and
    SentencePiece never joins across whitespace). Returns None when the word count does not
    match (a word the normaliser erased), so the caller can drop the sentence.
    """
    labels, word = [], -1
    for i in ids:
        if pieces[i].startswith("\u2581") or word < 0:
            word += 1
        if word >= len(word_labels):
            return None
        labels.append(word_labels[word])
    return labels if word == len(word_labels) - 1 else None


def row_text(row):
    """The text of a labelled row: its words joined by spaces, or, where the row has `spaces`
    (per word: a space before it), as written (Chinese and Japanese words join without one)."""
    spaces = row.get("spaces")
    if spaces is None:
        return " ".join(row["words"])
    return "".join((" " if s and i else "") + w for i, (w, s) in enumerate(zip(row["words"], spaces)))


def _fold(text):
    """Simple (one-to-one) case folding, as the tokenizer's normaliser does: "ß" and "İ" stay."""
    return "".join(f if len(f := c.casefold()) == 1 else c for c in text)


def align_labels_by_chars(ids, pieces, words, word_labels):
    """Token labels from word labels for text whose words need not be space-separated: each
    token takes the label of the word of its first character, walking the pieces over the
    words' normalised characters (NFKC and simple case folding, as the tokenizer's nmt_nfkc_cf); a
    byte piece belongs to the character it is part of, a bare "▁" to the next character.
    Returns None when the pieces do not spell the words (a character the normaliser changed
    differently)."""
    owner = []
    for k, w in enumerate(words):
        owner += [k] * len("".join(_fold(unicodedata.normalize("NFKC", w)).split()))
    labels, pos, pending = [], 0, b""
    for i in ids:
        if pos >= len(owner):
            return None
        labels.append(word_labels[owner[pos]])
        m = _BYTE_PIECE.fullmatch(pieces[i])
        if m:
            pending += bytes([int(m.group(1), 16)])
            try:
                pos += len(pending.decode("utf-8"))
                pending = b""
            except UnicodeDecodeError:
                if len(pending) >= 4:
                    return None
            continue
        pos += len(pieces[i].replace("\u2581", ""))
    return labels if pos == len(owner) and not pending else None


def encode_labelled(rows, model_path):
    """rows of {"words", "keep"[, "spaces"]} -> list of (ids, labels); drops unalignable rows."""
    pieces = tk.load_pieces(model_path)
    encoded = tk.encode_lines(model_path, [row_text(r) for r in rows])
    out, dropped = [], 0
    for r, ids in zip(rows, encoded):
        labels = (align_labels(ids, pieces, r["keep"]) if r.get("spaces") is None else
                  align_labels_by_chars(ids, pieces, r["words"], r["keep"]))
        if labels is None or not ids:
            dropped += 1
            continue
        out.append((ids, labels))
    return out, dropped


def pack_windows(examples, max_len):
    """Packs consecutive (ids, labels) examples into windows of <= max_len with CLS/SEP.

    Sentences are never split unless one alone exceeds the window, then it is cut in pieces.
    Returns a list of (ids, labels, segments): IGNORE labels on CLS and SEP; `segments` numbers
    the sentences of the window per token (CLS joins the first, SEP the last), for the
    per-sentence attention of the warm-up (see sentence_attention_bias).
    """
    room = max_len - 2
    windows, cur_ids, cur_lab, cur_seg = [], [], [], []

    def flush():
        if cur_ids:
            windows.append(([tk.BOS_ID] + cur_ids + [tk.EOS_ID], [IGNORE] + cur_lab + [IGNORE],
                            [0] + cur_seg + [cur_seg[-1]]))

    for ids, labels in examples:
        for s in range(0, len(ids), room):
            part_ids, part_lab = ids[s:s + room], labels[s:s + room]
            if len(cur_ids) + len(part_ids) > room:
                flush()
                cur_ids, cur_lab, cur_seg = [], [], []
            seg = cur_seg[-1] + 1 if cur_seg else 0
            cur_ids = cur_ids + part_ids
            cur_lab = cur_lab + part_lab
            cur_seg = cur_seg + [seg] * len(part_ids)
    flush()
    return windows


def collate(windows, pad_id=tk.PAD_ID, label_dtype=torch.long):
    """(ids, labels[, segments]) windows -> padded tensors input_ids, attention_mask, labels
    (label_dtype: float for graded labels) and segments, padded with -1, when the windows carry
    them."""
    width = max(len(w[0]) for w in windows)
    ids = torch.full((len(windows), width), pad_id, dtype=torch.long)
    labels = torch.full((len(windows), width), IGNORE, dtype=label_dtype)
    segs = torch.full((len(windows), width), -1, dtype=torch.long)
    for b, w in enumerate(windows):
        ids[b, :len(w[0])] = torch.tensor(w[0])
        labels[b, :len(w[1])] = torch.tensor(w[1])
        if len(w) > 2:
            segs[b, :len(w[2])] = torch.tensor(w[2])
    mask = (ids != pad_id).long()
    return (ids, mask, labels, segs) if len(windows[0]) > 2 else (ids, mask, labels)


def sentence_attention_bias(segments, value=-10000.0):
    """[B, T] sentence numbers -> additive [B, 1, T, T] bias: `value` between different sentences
    (the default lets tokens see their own sentence only; small magnitudes only discourage).

    Why: learned absolute positions make a from-scratch encoder sit on a plateau (predicting
    each token's unigram prior) for a number of steps that grows with the window length, since
    uniform attention over 512 tokens carries no sentence information. Starting with attention
    confined to each packed sentence (~35 tokens) breaks the plateau early at every absolute
    position; the locality learned then carries over when full attention is switched on.
    """
    same = segments[:, :, None] == segments[:, None, :]
    return torch.where(same, 0.0, value).unsqueeze(1)


def mask_tokens(ids, attention_mask, vocab_size, gen, prob=0.15, mask_id=tk.MASK_ID, first_normal=5):
    """BERT's MLM corruption: of `prob` of the real tokens, 80% -> <mask>, 10% random, 10% kept."""
    special = (ids == tk.BOS_ID) | (ids == tk.EOS_ID) | (attention_mask == 0)
    chosen = (torch.rand(ids.shape, generator=gen) < prob) & ~special
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
    r = torch.rand(ids.shape, generator=gen)
    corrupted = ids.clone()
    corrupted[chosen & (r < 0.8)] = mask_id
    rand_ids = torch.randint(first_normal, vocab_size, ids.shape, generator=gen)
    swap = chosen & (r >= 0.8) & (r < 0.9)
    corrupted[swap] = rand_ids[swap]
    return corrupted, labels
