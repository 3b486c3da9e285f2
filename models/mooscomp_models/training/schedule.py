"""What changes with the step: the learning rate and the early sentence-attention bias."""
from .. import data as D


def lr_at(step, args, total):
    """Linear warm-up, then linear decay to zero."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    return args.lr * max(0.0, (total - step) / max(1, total - args.warmup))


def sentence_bias(step, segs, args):
    """The warm-up's attention bias: hard sentence blocks, then a soft penalty that fades out so
    that the model has to learn locality from its position embeddings while it still helps."""
    if step < args.sentence_attn_steps:
        return D.sentence_attention_bias(segs)
    t = step - args.sentence_attn_steps
    if t < args.sentence_attn_anneal:
        return D.sentence_attention_bias(segs, -8.0 * (1.0 - t / args.sentence_attn_anneal))
    return None
