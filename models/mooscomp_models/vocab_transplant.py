"""A trained model's encoder under a new vocabulary: the word embeddings of a new tokenizer
built from the old ones, so that a multilingual run starts from what the English model knows
instead of from scratch (train.py --init-onnx OLD/model.onnx --transplant-from OLD/tokenizer.model).

Each new piece takes the mean of the old embeddings of the old tokenizer's pieces for the same
text, leaving out the word-boundary "▁" that every encoding starts with; special pieces and
"▁" keep their rows; a piece the old vocabulary cannot spell (its encoding is only <unk>:
Han, kana, byte pieces) starts at the old <unk> row plus a little noise, so that
those pieces are told apart from the first step and MLM learns them.
"""
import torch

from . import tokenizer_train as tk

SPECIAL = 5  # <pad> <unk> <s> </s> <mask>: the same ids in every tokenizer of this project
BOUNDARY = "\u2581"


def piece_text(piece):
    """The text a piece stands for, or None for byte pieces (`<0xE4>`) and control pieces."""
    if piece.startswith("<") and piece.endswith(">"):
        return None
    return piece.replace(BOUNDARY, " ")


def transplant_embeddings(old_emb, old_tok, new_tok, seed=0, noise=0.02):
    """old_emb [V_old, H] -> [V_new, H] for new_tok's pieces (see the module doc); also returns
    counts {"mapped", "unknown"}."""
    old_pieces, new_pieces = tk.load_pieces(old_tok), tk.load_pieces(new_tok)
    texts = [piece_text(p) for p in new_pieces]
    todo = [i for i in range(SPECIAL, len(new_pieces)) if texts[i] and texts[i].strip()]
    encoded = tk.encode_lines(old_tok, [texts[i].strip() for i in todo])
    gen = torch.Generator().manual_seed(seed)
    hidden = old_emb.shape[1]
    out = old_emb[tk.UNK_ID].repeat(len(new_pieces), 1) + noise * torch.randn(len(new_pieces), hidden, generator=gen)
    out[:SPECIAL] = old_emb[:SPECIAL]
    if BOUNDARY in new_pieces and BOUNDARY in old_pieces:
        out[new_pieces.index(BOUNDARY)] = old_emb[old_pieces.index(BOUNDARY)]
    mapped = 0
    for i, ids in zip(todo, encoded):
        text_ids = [t for t in ids if t != tk.UNK_ID and old_pieces[t] != BOUNDARY]
        if text_ids:
            out[i] = old_emb[text_ids].mean(0)
            mapped += 1
    return out, {"mapped": mapped, "unknown": len(new_pieces) - SPECIAL - mapped}
