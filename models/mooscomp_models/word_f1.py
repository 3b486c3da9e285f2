"""Word F1 at the reference's own keep rate: each sentence keeps as many of its best-scored
words as its reference keeps, F1 pooled over the sentences."""


def word_index(ids, pieces):
    """Word number of each token (a word starts at a "▁" piece)."""
    out, w = [], -1
    for i in ids:
        if pieces[i].startswith("\u2581") or w < 0:
            w += 1
        out.append(w)
    return out


def word_scores(token_probs, widx, n_words):
    """Mean preserve probability of each word's tokens (LLMLingua-2's default)."""
    sums, counts = [0.0] * n_words, [0] * n_words
    for p, w in zip(token_probs, widx):
        sums[w] += p
        counts[w] += 1
    return [s / max(c, 1) for s, c in zip(sums, counts)]


def kept_f1(rows, scores_per_row):
    """Pooled F1 of kept words when each sentence keeps as many words as its reference."""
    tp = kept = ref = 0
    for r, scores in zip(rows, scores_per_row):
        keep = r["keep"]
        k = sum(keep)
        top = sorted(range(len(keep)), key=lambda i: -scores[i])[:k]
        tp += sum(keep[i] for i in top)
        kept += k
        ref += k
    prec, rec = tp / max(kept, 1), tp / max(ref, 1)
    return 2 * prec * rec / max(prec + rec, 1e-12)


def f1_at_refs(rows, scores):
    """Word F1 at each reference's own keep rate, pooled over rows, averaged over references."""
    n_refs = max(len(r["refs"]) for r in rows)
    f1s = []
    for k in range(n_refs):
        sub = [(dict(words=r["words"], keep=r["refs"][k]), s) for r, s in zip(rows, scores) if len(r["refs"]) > k]
        f1s.append(kept_f1([a for a, _ in sub], [b for _, b in sub]))
    return sum(f1s) / len(f1s)
