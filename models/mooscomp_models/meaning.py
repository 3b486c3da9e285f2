"""Meaning-bearing words of a text, and whether a compression keeps them (models/quality.py's
meaning block).

Detectors return character spans (Python string indices, i.e. code points):
- negations(text): not, no, never, n't contractions, cannot, without, nor, neither, none,
  nobody, nothing, nowhere, "no one" (and a few German/French/Spanish/Italian/Dutch words),
  each with the word it negates: the next content word of the clause, skipping articles,
  "to", forms of "be"/"have"/"do", modals, determiners, common prepositions and a few adverbs
  ("not a very big deal" -> "big"); none when punctuation or more than four skipped words
  come first ("No, thanks"). "not only" is no negation; nor is a prefix ("non-profit").
- units(text): a number followed by a unit or noun that is no function word ("5 days",
  "3.5 GB", "120-second", "4 million dollars": "million" is the number's scale word; "66 new
  cases": a few adjectives are passed over). A capitalised word is a name, not a unit,
  unless it is all capitals of up to 4 letters ("GB", "USD"); a year-like number counts only
  before a plural ("2023 marked" no, "1500 dollars" yes); "COVID-19" is no number.
- comparisons(text): a comparison or an approximation right before a number, which dropped
  alone says another number ("more than 20" -> "20", "at least 3", "no more than 10", "up
  to 5", "over 40", "below 0", "< 5", "≥ 18", "about 20" -> an exact 20, "nearly 3"), or
  right after it or its unit ("20 or more", "65 years and older"), and in Chinese and
  Japanese ("超过20", "至少3", "约20", "20人以上", "18歳未満", "20人左右", "20多人"), with the
  number.
- dates(text): a month name with an adjacent number ("14 March", "14th of March",
  "March 14, 2023", "Tuesday 14 March", "March 2023"), with the numbers; months(text): every
  month name (full names, capitalised; "May" only in a date or after in/of/since/...).

Metrics take the compressor's words as (start, end, keep) in code points (compress_many.mjs
converts; `utf16_to_cp` does it for the package's own UTF-16 offsets) and count, pooled:
- neg_whole: among negations with a negated word, those not split (the negated word kept and
  the negation dropped is the failure; both dropped is whole);  neg_kept: negations kept;
- unit_kept: among numbers kept, those whose unit (and scale word) is kept too;
- date_month: among dates with a number kept, those with the month kept;  month_kept: months kept;
- cmp_whole: among comparisons (and approximations), those not split from their number (the
  number kept and the comparison dropped is the failure: "more than 20" -> "20" says another
  number).
A span is kept when every non-space character of it is inside a kept word.

Code and JSON outputs: fences_intact, identifiers_kept, request_kept, json_same_keys.
"""
import io
import json
import keyword
import re
import tokenize

# ---------------------------------------------------------------- words

TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
APOS = "'’"

NEG_EN = set("not no never cannot without nor neither none nobody nothing nowhere".split())
NEG_OTHER = set("""nicht kein keine keinen keinem keiner keines nie niemals nichts niemand
ne pas jamais rien aucun aucune nunca nada nadie ningún ninguna ninguno tampoco
non mai niente nessuno nessuna niet geen nooit""".split())
NEGATION_WORDS = NEG_EN | NEG_OTHER
# skipped between a negation and the word it negates
SKIP = set("""a an the to be is am are was were been being have has had having do does did
will would shall should can could may might must this that these those my your his her its our their
any some much many all every such very really even always just quite so too yet ever actually
necessarily exactly entirely fully completely always also quite rather more most as only
on in at of for with by from about into
der die das den dem des ein eine einen einem le la les un une l el los las una il lo gli de het een""".split())
CLAUSE_END = set(".,;:!?()[]{}\"“”")
MAX_SKIP = 4

# Function words: a number followed by one of these has no unit ("5 of", "2023 and").
FUNCTION = set("""a an the and or but nor so yet for of to in on at by with from into onto upon about
above below over under after before during since until while as than then that this these those there
here it its he him his she her hers they them their we us our you your i me my who whom whose which
what when where why how is am are was were be been being have has had do does did will would shall
should can could may might must not no also just very too only even all any both each few more most
other some such own same again further once if because whether per via vs versus up down out off
through between among against within without across along around behind beyond toward towards
regarding including concerning following respectively right left st nd rd th s""".split())
# between a number and its unit: "66 new cases" -> "cases"
UNIT_ADJ = set("""new more less additional other different separate major minor small large higher lower
old main key total further extra full consecutive""".split())
SHORT_UNITS = set("m g s h l".split())
SCALE = set("hundred thousand million billion trillion k m bn".split())

MONTHS = ("January February March April May June July August September October November December")
MONTH_NAMES = set(MONTHS.split())
MONTH_ABBR = set("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
WEEKDAYS = set("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
MAY_CUES = set("in of since until by during early late mid last next this from before after till".split())
ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$", re.I)
YEAR = re.compile(r"^(1[5-9]\d\d|2[01]\d\d)$")
# a number standing alone (not "3D", "B12", "14th", "COVID-19")
NUM = re.compile(r"(?<![\w.,])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?![\w])")


def tokens(text):
    """(start, end, token) for words (with inner apostrophes) and punctuation marks."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def _is_word(tok):
    return any(c.isalnum() for c in tok)


def _is_negation(tok):
    low = tok.lower()
    if low in NEGATION_WORDS:
        return True
    return len(low) > 3 and low[-3] in "nN" and low[-2] in APOS and low[-1] == "t"  # don't, won’t, can't


# ---------------------------------------------------------------- detectors

def negations(text):
    """[{"span": (s, e), "word": str, "target": (s, e) | None}] for each negation."""
    toks = tokens(text)
    out = []
    i = 0
    while i < len(toks):
        s, e, tok = toks[i]
        low = tok.lower()
        if not _is_negation(tok) or text.startswith("-", e):  # "non-dedicated", "no-go": a prefix
            i += 1
            continue
        nxt = toks[i + 1][2].lower() if i + 1 < len(toks) else ""
        if low == "not" and nxt == "only":  # "not only ... but also": no negation
            i += 2
            continue
        j = i + 1
        if low == "no" and nxt == "one":  # "no one" = nobody
            e = toks[i + 1][1]
            j = i + 2
        target, skipped = None, 0
        while j < len(toks):
            ts, te, t = toks[j]
            tl = t.lower()
            if not _is_word(t):
                if t in CLAUSE_END:
                    break
                j += 1
                continue
            if tl in SKIP or _is_negation(t):
                skipped += 1
                if skipped > MAX_SKIP:
                    break
                j += 1
                continue
            target = (ts, te)
            break
        out.append({"span": (s, e), "word": text[s:e], "target": target})
        i = i + 2 if e != toks[i][1] else i + 1
    return out


def units(text):
    """[{"number": (s, e), "scale": (s, e) | None, "unit": (s, e)}] for a number + unit word."""
    out = []
    word = re.compile(r"(?:[^\S\n]+|[^\S\n]*-[^\S\n]*)([A-Za-z]+(?:/[A-Za-z]+)?)(?![\w'’-])")
    for m in NUM.finditer(text):
        pos, scale = m.end(), None
        w = word.match(text, pos)
        if w and w.group(1).lower() in SCALE:
            scale = w.span(1)
            pos = w.end()
            w = word.match(text, pos)
        if w and w.group(1).lower() in UNIT_ADJ:
            w = word.match(text, w.end())
        if not w:
            continue
        span = w.span(1)
        u = text[span[0]:span[1]]
        if (len(u) < 2 and u not in SHORT_UNITS) or u.lower() in FUNCTION or u.lower() in SCALE or u in MONTH_NAMES or u in MONTH_ABBR or u in WEEKDAYS:
            continue
        if u[0].isupper() and not (u.isupper() and len(u) <= 4):  # a name ("1952 Ferguson"), not "GB", "USD"
            continue
        if YEAR.match(m.group()) and not u.lower().endswith("s"):  # "2023 marked", "1952 election": a year
            continue
        out.append({"number": m.span(), "scale": scale, "unit": span})
    return out


# A comparison before a number: the words (lower case) or sign right before it.
COMPARISON = re.compile(
    r"(?<![\w-])((?:no |not )?(?:more|less|fewer|greater|higher|lower|larger|smaller|older|younger) than"
    r"|(?:no |not )?(?:at least|at most|up to)|over|under|above|below|exceeding"
    r"|about|around|approximately|approx\.|roughly|nearly|almost|circa|ca\.|close to"
    r"|<=|>=|!=|[<>≤≥≠])[^\S\n]*(?=\$?\d)", re.I)


# After a number, or a number and one word (its unit): "20 or more", "65 years and older".
COMPARISON_AFTER = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?:[^\S\n]+[a-z]+)?[^\S\n]+((?:or|and) (?:more|less|fewer|above|below|over|under"
    r"|older|younger|greater|higher|lower|up)|or later|or earlier)\b", re.I)
# Chinese and Japanese, written without spaces: before a number ("超过20", "不少于3",
# "少なくとも3") and after it and up to three characters of its counter ("20人以上", "18歳未満").
CJK_NUM = r"[0-9０-９]+(?:[.,][0-9０-９]+)*"
CJK_BEFORE = re.compile(
    r"(不?(?:超过|超過|多于|多於|少于|少於|高于|高於|低于|低於|大于|大於|小于|小於)|不到|不足|至少|最多|至多|最少"
    r"|最高|最低|少なくとも|最大|最小|约|約|大约|大約|将近|將近|接近|几乎|幾乎|差不多|およそ|ほぼ)[^\S\n]*(" + CJK_NUM + ")")
CJK_AFTER = re.compile(r"(?<![0-9０-９.,])(" + CJK_NUM + r")[^\S\n]*[\u3040-\u30ff\u4e00-\u9fff%]{0,3}?(以上|以下|以内|之内|未満|未满|左右|前后|前後)")
# "20多人", "20余年": 20-odd.
CJK_ODD = re.compile(r"(?<![0-9０-９.,])(" + CJK_NUM + r")(多|余|餘)(?=[\u4e00-\u9fff])")


def comparisons(text):
    """[{"comparison": (s, e), "number": (s, e)}] for a comparison right before or after a number."""
    out = []
    for m in COMPARISON.finditer(text):
        n = NUM.match(text, m.end() + (text[m.end()] == "$"))
        if n:
            out.append({"comparison": m.span(1), "number": n.span()})
    for m in COMPARISON_AFTER.finditer(text):
        out.append({"comparison": m.span(2), "number": m.span(1)})
    for m in CJK_BEFORE.finditer(text):
        out.append({"comparison": m.span(1), "number": m.span(2)})
    for m in CJK_AFTER.finditer(text):
        out.append({"comparison": m.span(2), "number": m.span(1)})
    for m in CJK_ODD.finditer(text):
        out.append({"comparison": m.span(2), "number": m.span(1)})
    return out


def _month_tokens(toks):
    """Indices of tokens that are month names (abbreviations only with a number, decided later)."""
    return [i for i, (_, _, t) in enumerate(toks) if t in MONTH_NAMES or t.rstrip(".") in MONTH_ABBR]


def dates(text):
    """[{"month": (s, e), "numbers": [(s, e)...], "span": (s, e)}] for a month with an adjacent number."""
    toks = tokens(text)
    out = []
    for i in _month_tokens(toks):
        ms, me, _ = toks[i]
        nums = []
        start, end = ms, me
        # before: "14 March", "14th of March", "Tuesday, 14 March"
        j = i - 1
        if j >= 0 and toks[j][2].lower() == "of":
            j -= 1
        if j >= 0 and ORDINAL.match(toks[j][2]) and int(ORDINAL.match(toks[j][2]).group(1)) <= 31:
            nums.append(toks[j][:2])
            start = toks[j][0]
        # after: "March 14", "March 14th, 2023", "March 2023"
        k = i + 1
        if k < len(toks) and toks[k][2] == ".":  # "Dec. 5"
            k += 1
        if k < len(toks) and ORDINAL.match(toks[k][2]) and int(ORDINAL.match(toks[k][2]).group(1)) <= 31 and not nums:
            nums.append(toks[k][:2])
            end = toks[k][1]
            k += 1
            if k + 1 < len(toks) and toks[k][2] == "," and YEAR.match(toks[k + 1][2]):
                k += 1
        if k < len(toks) and YEAR.match(toks[k][2]):
            nums.append(toks[k][:2])
            end = toks[k][1]
        if nums:
            out.append({"month": (ms, me), "numbers": sorted(nums), "span": (start, end)})
    return out


def months(text):
    """Spans of month names: full names (capitalised); "May" only in a date or after a cue word
    ("in May"); abbreviations only in a date."""
    toks = tokens(text)
    in_date = {d["month"] for d in dates(text)}
    out = []
    for i in _month_tokens(toks):
        s, e, t = toks[i]
        if (s, e) in in_date:
            out.append((s, e))
        elif t in MONTH_NAMES and (t != "May" or (i > 0 and toks[i - 1][2].lower() in MAY_CUES)):
            out.append((s, e))
    return out


# ---------------------------------------------------------------- metrics

def utf16_to_cp(text, words):
    """Words [start, end, keep...] with UTF-16 offsets (the package's) -> code point offsets."""
    cp, pos = [], 0
    for ch in text:
        cp.append(pos)
        if ord(ch) > 0xFFFF:
            cp.append(pos)
        pos += 1
    cp.append(pos)
    return [(cp[w[0]], cp[w[1]], *w[2:]) for w in words]


def keep_mask(text, words):
    """words: (start, end, keep) in code points -> a bytearray, 1 where a kept word covers the char."""
    mask = bytearray(len(text))
    for w in words:
        if w[2]:
            mask[w[0]:w[1]] = b"\x01" * (w[1] - w[0])
    return mask


def kept(text, mask, span):
    s, e = span
    return all(mask[i] or text[i].isspace() for i in range(s, e))


COUNTS = ("neg_whole", "neg_kept", "unit_kept", "date_month", "month_kept", "cmp_whole")


def meaning_counts(text, words, found=None):
    """{name: [kept, total]} for COUNTS; words: (start, end, keep) in code points.
    found: the detectors' output for text (meaning_found), to reuse over many keep flags."""
    f = found or meaning_found(text)
    mask = keep_mask(text, words)
    c = {k: [0, 0] for k in COUNTS}
    for n in f["negations"]:
        neg = kept(text, mask, n["span"])
        c["neg_kept"][0] += neg
        c["neg_kept"][1] += 1
        if n["target"] is not None:
            c["neg_whole"][0] += neg or not kept(text, mask, n["target"])
            c["neg_whole"][1] += 1
    for u in f["units"]:
        if kept(text, mask, u["number"]):
            c["unit_kept"][1] += 1
            c["unit_kept"][0] += kept(text, mask, u["unit"]) and (u["scale"] is None or kept(text, mask, u["scale"]))
    for d in f["dates"]:
        if any(kept(text, mask, s) for s in d["numbers"]):
            c["date_month"][1] += 1
            c["date_month"][0] += kept(text, mask, d["month"])
    for s in f["months"]:
        c["month_kept"][0] += kept(text, mask, s)
        c["month_kept"][1] += 1
    for x in f["comparisons"]:
        c["cmp_whole"][0] += kept(text, mask, x["comparison"]) or not kept(text, mask, x["number"])
        c["cmp_whole"][1] += 1
    return c


def meaning_found(text):
    return {"negations": negations(text), "units": units(text), "dates": dates(text), "months": months(text),
            "comparisons": comparisons(text)}


def add_counts(total, counts):
    for k, (a, b) in counts.items():
        t = total.setdefault(k, [0, 0])
        t[0] += a
        t[1] += b
    return total


def shares(total):
    return {k: (a / b if b else None) for k, (a, b) in total.items()}


# ---------------------------------------------------------------- code and JSON

FENCE = re.compile(r"^[ \t]*```.*$", re.M)


def fence_lines(text):
    return FENCE.findall(text)


def fences_intact(original, output):
    """The output has the input's fence lines, as many and byte-identical, in order."""
    return fence_lines(original) == fence_lines(output)


def code_blocks(text):
    """Contents of the ```-fenced blocks (an unclosed last fence runs to the end)."""
    out, lines, inside, cur = [], text.split("\n"), False, []
    for line in lines:
        if FENCE.match(line):
            if inside:
                out.append("\n".join(cur))
                cur = []
            inside = not inside
        elif inside:
            cur.append(line)
    if inside and cur:
        out.append("\n".join(cur))
    return out


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def identifiers(code):
    """Distinct names of Python code (NAME tokens that are no keyword; strings and comments are
    not read), or every [A-Za-z_]\\w* match outside keywords when the code does not tokenize."""
    names = set()
    try:
        for t in tokenize.generate_tokens(io.StringIO(code).readline):
            if t.type == tokenize.NAME and not keyword.iskeyword(t.string) and IDENT.fullmatch(t.string):
                names.add(t.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        names = {m for m in IDENT.findall(code) if not keyword.iskeyword(m)}
    return names


def identifiers_kept(original, output):
    """(found, total): the input code's identifiers found as whole names in the output's code
    (its fenced blocks, or the whole output when it has none)."""
    names = set().union(*(identifiers(c) for c in code_blocks(original))) if code_blocks(original) else set()
    blocks = code_blocks(output)
    where = "\n".join(blocks) if blocks else output
    present = set(IDENT.findall(where))
    return len(names & present), len(names)


def request_kept(request, output):
    return request.strip() in output


def json_keys(value, path=()):
    """Every key path of a JSON value (list items by position)."""
    out = set()
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(path + (k,))
            out |= json_keys(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out |= json_keys(v, path + (i,))
    return out


def json_same_keys(original, output):
    """The output parses as JSON and has the input's key paths, no more, no fewer."""
    try:
        out = json.loads(output)
    except (ValueError, TypeError):
        return False
    return json_keys(json.loads(original)) == json_keys(out)
