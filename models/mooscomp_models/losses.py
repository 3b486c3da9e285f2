"""Losses: token cross-entropy and MOOSComp's inter-class cosine similarity L_CS."""
import torch
import torch.nn.functional as F

from .data import IGNORE


def token_ce(logits, labels):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE)


def soft_token_ce(logits, targets):
    """Cross-entropy against graded targets t = P(preserve) in [0, 1] (hard 0/1 labels give the
    usual CE); IGNORE positions count in nothing."""
    valid = targets != IGNORE
    logp = torch.log_softmax(logits[valid].float(), -1)
    t = targets[valid].to(logp.dtype)
    return -(t * logp[:, 1] + (1 - t) * logp[:, 0]).mean()


def hard_labels(targets, threshold=0.5):
    """Graded targets -> 0/1 (preserve iff t >= threshold), IGNORE kept: the classes of L_CS."""
    hard = (targets >= threshold).long()
    return torch.where(targets == IGNORE, torch.full_like(hard, IGNORE), hard)


def interclass_cosine(hidden, labels, preserve=1, eps=1e-8):
    """Mean cosine similarity between preserve and discard tokens of the same sequence.

    For one sequence with preserve set P and discard set D (IGNORE positions excluded),
        mean_{i in P, j in D} cos(h_i, h_j) = (mean_i h_i/|h_i|) . (mean_j h_j/|h_j|),
    so the exact value costs O(T*H) instead of O(|P|*|D|*H). Sequences lacking either class
    have no pairs and are left out; returns (mean over the rest, their count).
    """
    n = F.normalize(hidden, dim=-1, eps=eps)                  # [B, T, H]
    p = (labels == preserve).to(n.dtype)                      # [B, T]
    d = ((labels != preserve) & (labels != IGNORE)).to(n.dtype)
    cp, cd = p.sum(1), d.sum(1)                               # [B]
    mean_p = torch.einsum("bt,bth->bh", p, n) / cp.clamp(min=1).unsqueeze(1)
    mean_d = torch.einsum("bt,bth->bh", d, n) / cd.clamp(min=1).unsqueeze(1)
    both = (cp > 0) & (cd > 0)
    cos = (mean_p * mean_d).sum(1)
    count = int(both.sum())
    if count == 0:
        return hidden.new_zeros(()), 0
    return cos[both].mean(), count
