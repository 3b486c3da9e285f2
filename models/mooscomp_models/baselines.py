"""The word-ranking baselines every F1 is set against: random, and drop-stopwords-first."""
import random

from .word_f1 import kept_f1

# English function words, written for the drop-stopwords-first baseline.
STOPWORDS = set("""a an the and or but nor so yet for of to in on at by with from into onto upon about
above below over under after before during since until while as than then that this these those there
here it its it's he him his she her hers they them their theirs we us our ours you your yours i me my
mine who whom whose which what when where why how is am are was were be been being have has had having
do does did doing will would shall should can could may might must not no also just very too only even
all any both each few more most other some such own same again further once if because whether""".split())


def baseline_scores(rows, seed=0):
    """Word scores of the two baselines: random, and drop-stopwords-first (stopwords go first,
    in random order; every other word, punctuation too, is random after)."""
    rng = random.Random(seed)
    rand = [[rng.random() for _ in r["words"]] for r in rows]
    stop = [[(0.0 if w.lower() in STOPWORDS else 1.0) + 0.5 * rng.random() for w in r["words"]] for r in rows]
    return {"random": rand, "stopwords_first": stop}


def baselines(rows, seed=0):
    return {name: kept_f1(rows, scores) for name, scores in baseline_scores(rows, seed).items()}
