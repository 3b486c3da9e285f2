"""Silver labels in the LLM-prompt style, from unlabelled text and the part-of-speech rule.

    /usr/bin/python3 models/silver.py --data ../shared/data --out models/runs/silver.jsonl

Sources (../shared/data/pretrain, never the eval sets): QMSum *train* meeting transcripts
(speaker labels and {disfmarker}-style markers kept, so the model learns to keep the one and
drop the other), the user/assistant messages of the LongBench v2 chat histories, and
paragraphs of its documents. Each is cut into chunks of about --chunk-words words.

With --languages (fetch_multilingual.py's text folder) it writes rows in the other languages
instead (mooscomp_models/silver_multilingual.py: jieba, MeCab, stopword lists), from the
documents the tokenizer measurement does not hold out, --language-words words per language
(three times as many for Chinese and Japanese, whose words are short).

Labels are graded, not binary: the rule of mooscomp_models/pos_rule.py ranks a chunk's words
(names and numbers, then content words, ..., fillers last; longer first within a class) and a
word's target is the fraction of the keep rates RATES at which the rule keeps it. One
threshold would throw the rule's order away; the grades keep it, and the network's context can
then reorder where the rule is wrong. Output: JSON lines {"words", "keep" (floats), "source"}.
"""
import argparse

from mooscomp_models.silver_labels import write_silver
from mooscomp_models.silver_multilingual import write_multilingual


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--chunk-words", type=int, default=200)
    p.add_argument("--qmsum-words", type=int, default=1_200_000)
    p.add_argument("--chat-words", type=int, default=400_000)
    p.add_argument("--doc-words", type=int, default=400_000)
    p.add_argument("--keep-class", type=int, default=None,
                   help="words of this rule class or above get target 1.0 whatever the chunk (5: names, "
                        "numbers, speaker labels)")
    p.add_argument("--languages", help="text folder of fetch_multilingual.py: write rows in those languages")
    p.add_argument("--language-words", type=int, default=40_000)
    args = p.parse_args(argv)
    if args.languages:
        write_multilingual(args.languages, args.out, args.chunk_words, args.language_words)
        return
    write_silver(args.data, args.out, args.chunk_words, args.qmsum_words, args.chat_words, args.doc_words,
                 args.keep_class)


if __name__ == "__main__":
    main()
