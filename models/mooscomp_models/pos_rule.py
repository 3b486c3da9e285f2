"""A part-of-speech rule for LLM-style compression, and the tagger behind it.

LLMLingua-2's labels (GPT-4 told to drop only unimportant words) keep names, numbers and
content words and drop fillers and function words. The rule ranks words in that order:

    5  names, numbers, speaker labels ("Marcus:" at a line start)
    4  nouns, negations, adjectives, main verbs
    3  other adverbs, punctuation, symbols
    2  function words (determiners, prepositions, pronouns, auxiliaries, conjunctions, ...)
    1  interjections and fillers ("uh", "um", "{disfmarker}", "you know" is not detected)

and, within a class, longer words first. It is the part-of-speech baseline of
models/quality.py and the source of the silver labels of models/silver.py.

Tags come from Debian's Lingua::EN::Tagger (package liblingua-en-tagger-perl; Penn-style
tags in lower case), run as one perl process per call. The tagger splits words further
("shouldn't" -> should n't, "Marcus:" -> Marcus :); a word takes the highest class of the
tagger tokens inside it.
"""
import os
import re
import subprocess

NAMES = {"nnp", "nnps", "cd"}
CONTENT = {"nn", "nns", "jj", "jjr", "jjs", "vb", "vbd", "vbg", "vbn", "vbp", "vbz", "fw"}
ADVERBS = {"rb", "rbr", "rbs"}
PUNCT = {"pp", "ppc", "ppd", "ppl", "ppr", "pps", "lrb", "rrb", "sym"}
INTERJECTIONS = {"uh"}
AUXILIARIES = set("""be am is are was were been being 's 're 'm have has had having 've 'd do does did
doing will would shall should can could may might must 'll wo ca""".split())
NEGATIONS = set("not n't no never nor none nothing neither nobody nowhere cannot without".split())
FILLERS = set("""uh um umm uhm uh-huh mm mmm mm-hmm um-hmm hmm hm ah oh er erm eh huh yeah yep yup
okay ok""".split())
_MARKER = re.compile(r"^\{[a-z]+\}$")  # QMSum's {disfmarker}, {vocalsound}, ...
_TAGGED = re.compile(r"<([a-z$]+)>(.*?)</\1>")
_DIGIT = re.compile(r"\d")

_PERL = r"""
use strict; use warnings; use Lingua::EN::Tagger;
binmode(STDIN, ':utf8'); binmode(STDOUT, ':utf8'); $| = 1;
my $p = Lingua::EN::Tagger->new(longest_noun_phrase => 5, weight_noun_phrases => 0);
while (my $line = <STDIN>) { chomp $line; my $t = $line =~ /\S/ ? $p->add_tags($line) : '';
  $t = '' unless defined $t; $t =~ s/\n/ /g; print $t, "\n"; }
"""


def tag_lines(lines):
    """Each line (no newlines inside) -> list of (token, tag) from the perl tagger."""
    if not lines:
        return []
    text = "".join(line.replace("\n", " ").replace("\r", " ") + "\n" for line in lines)
    # Perl randomises hash order per process, and the tagger's ties follow it: fixed here so
    # that the same text gets the same tags (and silver labels) every time.
    env = dict(os.environ, PERL_HASH_SEED="0", PERL_PERTURB_KEYS="0")
    out = subprocess.run(["perl", "-e", _PERL], input=text, capture_output=True, text=True, check=True,
                         env=env).stdout
    rows = out.split("\n")
    if len(rows) < len(lines):
        raise RuntimeError(f"tagger returned {len(rows)} lines for {len(lines)}")
    return [[(tok, tag) for tag, tok in _TAGGED.findall(r)] for r in rows[:len(lines)]]


def token_class(token, tag):
    low = token.lower()
    if _MARKER.match(low) or low in FILLERS or tag in INTERJECTIONS:
        return 1
    if low in NEGATIONS:
        return 4
    if tag in NAMES or _DIGIT.search(token):
        return 5
    if tag.startswith("vb") and low in AUXILIARIES:
        return 2
    if tag in CONTENT:
        return 4
    if tag in ADVERBS or tag in PUNCT:
        return 3
    return 2


def _word_classes(words, tagged):
    """Aligns tagger tokens to `words` by their characters; a word takes its best class."""
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    text = " ".join(words)
    classes = [None] * len(words)
    w, pos = 0, 0
    for tok, tag in tagged:
        at = text.find(tok, pos)
        if at < 0 or at - pos > 40:  # a token the tagger rewrote (quotes): skip it
            continue
        pos = at + len(tok)
        while w + 1 < len(words) and starts[w + 1] <= at:
            w += 1
        c = token_class(tok, tag)
        # markers and fillers decide alone; otherwise the best class of the word's tokens
        classes[w] = c if classes[w] is None else max(classes[w], c) if c != 1 else classes[w]
    for i, word in enumerate(words):
        if _MARKER.match(word.lower()) or word.lower().strip(",.?!") in FILLERS:
            classes[i] = 1
        elif classes[i] is None:
            classes[i] = 5 if _DIGIT.search(word) else 3 if not any(ch.isalnum() for ch in word) else 2
    return classes


def speaker_labels(words, line_starts):
    """Indices of words that are a speaker label: the words of a line before its first ":"
    when that is within the first four words ("Grad A:", "Marcus:")."""
    out = set()
    for s in line_starts:
        for k in range(s, min(s + 4, len(words))):
            if k > s and k in line_starts:
                break
            if words[k].endswith(":"):
                out.update(range(s, k + 1))
                break
    return out


def rule_classes(docs, line_starts=None):
    """docs: lists of words -> per doc, the rule class of each word (5 = keep first).
    line_starts: per doc, the word indices that begin a line (for speaker labels), optional."""
    tagged = tag_lines([" ".join(words) for words in docs])
    out = []
    for d, (words, tags) in enumerate(zip(docs, tagged)):
        classes = _word_classes(words, tags)
        if line_starts is not None:
            for i in speaker_labels(words, set(line_starts[d])):
                classes[i] = 5
        out.append(classes)
    return out


def rule_scores(docs, line_starts=None):
    """docs: lists of words -> per doc, a score per word (higher = keep first): the rule class,
    then longer words first within a class."""
    return [[c + min(len(w), 20) / 21.0 for w, c in zip(words, classes)]
            for words, classes in zip(docs, rule_classes(docs, line_starts))]
