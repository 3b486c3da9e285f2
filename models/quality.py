"""The quality of the real compressor (wasm core + onnxruntime-web, via models/node/compress_many.mjs)
with a model folder, under one or more selection settings, as one table (and --json).

    /usr/bin/python3 models/quality.py --data ../shared/data --model models/default \\
        [--settings none:1,hidden:0.8,lexical:0.9 | --outlier KIND --alpha A] [--json out.json] [--quick]
        [--only agreement|meaning|question|languages] [--sat-fold K/N] [--extra '{"keepMeaning": false}']

A setting is OUTLIER:ALPHA, handed unchanged to compress() as {outlier, alpha}, so kinds the
compressor adds later need no change here. Default: none:1 and the model's manifest default.
OUTLIER:ALPHA+KEY=VALUE... adds compress() options to a setting (VALUE read as JSON, else a
string: word-rarity:0.7+keepMeaning=false, none:1+code=lines); --extra adds them to every one.
One model pass per text serves every setting and rate (compress_many memoises ORT runs).

Agreement (word F1 at the reference's own keep rate: rank the words of a sentence or passage,
keep the k best, k = the words the reference keeps; F1 pooled over the rows). A dataset
word's score is the highest fused word score of the compressor words overlapping its
characters (words with a letter or digit first, so "Eliot," is not ranked by its comma):
- SAT (compression/llm-style/sat-dev.jsonl, LLM-style labels): the 12 validation passages of
  mooscomp_models.splits.sat_split, and all 40 for comparison with older figures;
- Google test (human deletions): the first --google sentences of test.jsonl;
- broadcast dev (human deletions, up to 3 references a sentence): F1 per reference, averaged
  (mooscomp_models.word_f1.f1_at_refs, as eval.py --sets).
Baselines at the same k: random (mean of 5 seeds), drop-stopwords-first
(mooscomp_models.baselines.STOPWORDS; mean of 5 seeds) and the part-of-speech rule of
mooscomp_models.pos_rule.

Retention at 2x/3x/5x (rates 1/2, 1/3, 1/5 of the target-LLM tokens): a number, option,
name or speaker counts as kept when all of its characters are kept; an answer word when one
of its occurrences is; a filler when any of its characters is (it shows in the output).
- GSM8K: numbers (digits, with . , / or : inside) of --gsm8k 8-shot chain-of-thought prompts
  built from GSM8K *train*; BBH: options "(A)".."(R)" and numbers of the 27 CoT prompts;
  LongBench: words of the gold answers (lower-cased, no stopwords or 1-letter words) found in
  --per-task prompts of each MiniLongBench task.
- QMSum val transcripts, --qmsum chunks of whole turns of >= 1,500 words, evenly spaced over
  all such chunks: numbers; proper names (a capitalised word that is not the turn's or a
  sentence's first word, nor I/OK/Yeah/...: NAME_STOP); speaker labels ("Grad A" of "Grad A:");
  fillers (uh, um, mm, hmm, uh-huh, mm-hmm, {disfmarker}, {vocalsound}, any {...}; lower is better).
- SAT: per question, the content words of the correct option found in the passage.
Integrity, both must be 0: numbers altered (an input number partly kept, or a number in the
output that is no number of the input) and empty outputs for non-empty input, over every
retention prompt plus short prompts and CJK/Thai sentences (EDGE), at every rate and setting.

Question (--only question runs it alone): minilongbench's English QA prompts split into
instruction, contexts (the multi-hop sets' passages as a list, one document otherwise) and
question; each multi-hop answer passage hidden among 4 passages of other prompts; each SAT
question over its passage (answer words: the correct option's content words in the passage).
At 2x/3x/5x, per setting with and without the question (and with it, questionWeight 0): the
share of prompts whose whole answer survives in the kept context text, and of answer words
kept; random and drop-stopwords-first at the same rate. Goals: multi-passage whole answers
>= 0.90 at 3x and >= 0.85 at 5x with the question.

Languages (--only languages runs it alone): models/eval/parallel_text.jsonl, the project's own
30 short documents (a numbered heading, 4 sentences) in 12 languages, each as one text. At
2x/3x per language: spread (sentences keeping a word), front (kept characters in the first
half; and pooled with the same documents' sentences reversed, the position bias without what the
first sentences say), heading numbers kept whole, characters and the compressor's tokens kept, with random
alongside (no stopword list per language). Then minilongbench's Chinese QA contexts (answer
character bigrams) against its English QA contexts (answer words), at 3x with no question.
Goals at 3x in every language: spread >= 0.90, front in [0.40, 0.60], heading numbers >= 0.90;
Chinese bigrams >= English words.

Meaning (a second table; --only meaning runs it alone): detectors and counts of
mooscomp_models.meaning on data built at run time (never committed, never a held-out set):
--meaning passages of 150-300 words, a third with >= 2 negations (half QMSum val turns, half
LongBench v2 multi-documents text, which the silver labels do not use), a third with >= 2
number + unit, a third with a date in words; --code chat prompts, each a request, a ```python
fenced standard-library function (8-40 lines, a docstring; fixed seed) and a request after it;
20 JSON objects made of the passages. At 2x/3x/5x: negations kept whole (the negated word is
not kept without its negation) and kept; units kept among the numbers kept; months kept among
the dates whose number is kept, and month names kept; then the same on the 40 SAT passages at
the LLM's own rate, next to the LLM's labels (llm_ref); code fences intact, identifiers kept,
the request after the code verbatim, with plain compress and through protectPrompt; JSON that
parses with the same keys (compressJson when the package has it). Baselines keep as many
whitespace words of each passage as the first setting does at that rate (on SAT the LLM's own
count): random and stopwords-first (5 seeds, pooled) and the pos rule. Goal lines follow.

Side by side: the 5 prompts of eval/llmlingua2-reference with LLMLingua-2 large's output, ours
under the same compress_prompt options (+ the setting), and the word F1 of our kept words
against theirs, pooled over the 5 (their output's \\w+ words matched in order to the
original's by LCS); and 3 short prompts at 3x for a person to read.
"""
import argparse
import json
import os

from mooscomp_models.quality.run import ONE_BLOCK, quality
from mooscomp_models.splits import fold_arg

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", default=os.path.join(HERE, "default"), help="model folder (manifest.json)")
    p.add_argument("--settings", help="OUTLIER:ALPHA,... e.g. none:1,hidden:0.8,lexical:0.9")
    p.add_argument("--outlier", help="one setting (with --alpha), after --settings")
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--gsm8k", type=int, default=40, help="8-shot GSM8K prompts to build")
    p.add_argument("--per-task", type=int, default=3, help="LongBench prompts per task")
    p.add_argument("--google", type=int, default=2000, help="first N Google test sentences")
    p.add_argument("--qmsum", type=int, default=30, help="QMSum val chunks of ~1,500 words")
    p.add_argument("--meaning", type=int, default=150, help="meaning passages of 150-300 words")
    p.add_argument("--code", type=int, default=40, help="code prompts (standard-library functions)")
    p.add_argument("--extra", type=json.loads, default={},
                   help='compress() options added to every setting, e.g. \'{"keepMeaning": false}\'')
    p.add_argument("--sat-fold", default=None, type=fold_arg,
                   help="K/N: SAT val is fold K of N (a model trained with train.py --sat-fold K/N; models/kfold.sh)")
    p.add_argument("--only", choices=sorted(ONE_BLOCK), help="run only this block")
    p.add_argument("--quick", action="store_true", help="a few texts of each set (smoke test)")
    p.add_argument("--json", help="also write everything here")
    args = p.parse_args(argv)
    quality(args)


if __name__ == "__main__":
    main()
