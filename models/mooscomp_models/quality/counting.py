"""What a compressed text kept: the mask of kept characters, and how many numbers, options,
answer words, names, speakers, fillers and comparisons survived; numbers the output altered."""
import re

from .. import meaning as MN
from ..baselines import STOPWORDS

NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
OPTION = re.compile(r"\([A-R]\)")
WORD = re.compile(r"\w+")
SPEAKER = re.compile(r"^([^\s:][^:\n]{0,40}?):", re.M)
FILLER = re.compile(r"(?<![\w-])(?:uh-huh|mm-hmm|um-hmm|uh|um|uhm|mm|hmm|hm|er|erm)(?![\w-])|\{\w+\}", re.I)
CONTRACTED = set("don can won didn doesn isn wasn aren weren couldn wouldn shouldn haven hasn gotta gonna wanna".split())
NAME_STOP = set("I OK Okay Yeah Yes No Oh Uh Um Mm Hmm Huh Alright Right Well So And But Yep Mah".split())


def kept_mask(text, kept):
    mask = bytearray(len(text))
    for s, e in kept:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def span_kept(text, mask, s, e):
    return all(mask[i] or text[i].isspace() for i in range(s, e))


def count_kept(text, mask, spans, any_char=False):
    if any_char:
        return sum(any(mask[s:e]) for s, e in spans), len(spans)
    return sum(span_kept(text, mask, s, e) for s, e in spans), len(spans)


def pattern_retention(text, mask, pattern):
    return count_kept(text, mask, [m.span() for m in pattern.finditer(text)])


def answer_words(answers):
    words = set()
    for a in answers:
        for w in WORD.findall(a.lower()):
            if w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
                words.add(w)
    return words


def answer_retention(text, mask, answers):
    low = text.lower()
    kept = present = 0
    for w in answer_words(answers):
        pat = re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)") if w.isascii() else re.compile(re.escape(w))
        spans = [m.span() for m in pat.finditer(low)]
        if spans:
            present += 1
            kept += any(span_kept(text, mask, s, e) for s, e in spans)
    return kept, present


def speaker_spans(text):
    return [m.span(1) for m in SPEAKER.finditer(text)]


def filler_spans(text):
    return [m.span() for m in FILLER.finditer(text)]


def name_spans(text):
    """Capitalised words that start no turn or sentence (after . ? ! or a {marker}), minus NAME_STOP
    and function words: transcripts often start a sentence after a comma ("OK , It was"), and
    "It" or "What" there is no name."""
    out = []
    for line in re.finditer(r"[^\n]+", text):
        m = SPEAKER.match(line.group())
        start = line.start() + (m.end() if m else 0)
        prev = None
        for t in re.finditer(r"\S+", text[start:line.end()]):
            w = t.group()
            initial = prev is None or prev[-1] in ".?!" or prev.startswith("{")
            if (not initial and w[0].isupper() and len(w) > 1 and w.isalpha() and w not in NAME_STOP
                    and w.lower() not in STOPWORDS and w.lower() not in CONTRACTED):
                out.append((start + t.start(), start + t.end()))
            prev = w
    return out


def altered_numbers(text, mask, output):
    """Input numbers kept in part ("1.5 -> 1"), then output numbers that are neither a number of
    the input nor such a part (e.g. two kept numbers joined into a new one)."""
    out, parts = [], set()
    for m in NUMBER.finditer(text):
        s, e = m.span()
        if 0 < sum(mask[s:e]) < e - s:
            part = "".join(c for c, k in zip(m.group(), mask[s:e]) if k)
            out.append(f"{m.group()} -> {part}")
            parts.update(NUMBER.findall(part))
    known = set(NUMBER.findall(text)) | parts
    return out + [f"{n} (not in the input)" for n in NUMBER.findall(output) if n not in known]


def sat_answer_retention(text, mask, options):
    kept = total = 0
    for opt in options:  # per question
        k, t = answer_retention(text, mask, [opt])
        kept, total = kept + k, total + t
    return kept, total


def comparisons_whole(text, mask):
    """(comparisons not split from their number, comparisons): the number kept without its
    comparison is the failure ("more than 20" -> "20" says another number)."""
    found = MN.comparisons(text)
    whole = sum(span_kept(text, mask, *x["comparison"]) or not span_kept(text, mask, *x["number"]) for x in found)
    return whole, len(found)


METRICS = {  # name -> (item, mask) -> (kept, total)
    "numbers": lambda it, m: pattern_retention(it["text"], m, NUMBER),
    "options": lambda it, m: pattern_retention(it["text"], m, OPTION),
    "answer_words": lambda it, m: answer_retention(it["text"], m, it["answers"]),
    "names": lambda it, m: count_kept(it["text"], m, name_spans(it["text"])),
    "speakers": lambda it, m: count_kept(it["text"], m, speaker_spans(it["text"])),
    "fillers": lambda it, m: count_kept(it["text"], m, filler_spans(it["text"]), any_char=True),
    "sat_answers": lambda it, m: sat_answer_retention(it["text"], m, it["options"]),
    "comparisons_whole": lambda it, m: comparisons_whole(it["text"], m),
}
