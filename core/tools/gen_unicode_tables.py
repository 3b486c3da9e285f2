#!/usr/bin/python3
"""Writes core/src/unicode_tables.inc: the Unicode data the BERT normalizer needs.

Run with the system Python (its `unicodedata` fixes the Unicode version):
    /usr/bin/python3 core/tools/gen_unicode_tables.py > core/src/unicode_tables.inc

Tables are range-compressed so the generated file stays small:
  - kPropertyRanges: (first code point << 8 | flags), each entry holds up to the next one.
  - kCombiningClassRanges: the same layout with the canonical combining class.
  - kLowercaseRanges: runs of single-code-point lower-case mappings with one delta and step.
  - kDecompositionIndex/kDecompositionChars: full canonical decompositions (Hangul excluded,
    it is algorithmic).
Unicode version: Python 3.11 has 14.0; transformers.js uses the host's (Node 20 with ICU 78:
17.0). The only differences are characters assigned in 15.0-17.0 (about 230 code points:
new punctuation, Mn marks, Egyptian hieroglyph format controls, case pairs such as
U+1C89 and U+A7CB, and canonical decompositions of new scripts), which these tables treat
as unassigned. Regenerate with a newer Python to move forward.

Cased and Case_Ignorable are not exposed by `unicodedata`, so they are read back from
`str.lower()`'s Final_Sigma rule, which is defined by exactly those two properties.
"""
import sys
import unicodedata

MAX_CP = 0x110000
SIGMA = "\u03a3"

FLAG_PUNCT = 1
FLAG_MN = 2
FLAG_CONTROL = 4
FLAG_SPACE = 8
FLAG_CASED = 16
FLAG_CASE_IGNORABLE = 32
FLAG_MARK = 64  # any combining mark: Mn, Mc, Me

# ECMAScript WhiteSpace + LineTerminator: what /\s/ matches in JS.
JS_SPACE_EXTRA = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xFEFF, 0x2028, 0x2029}


def is_surrogate(cp):
    return 0xD800 <= cp <= 0xDFFF


def final_sigma_after(prefix, suffix=""):
    # prefix.lower() may be longer than prefix (U+0130), so index by it.
    return (prefix + SIGMA + suffix).lower()[len(prefix.lower())] == "\u03c2"


def case_properties(ch):
    """(cased, case_ignorable) as far as the Final_Sigma rule can tell them apart."""
    # "A" + ch + Σ is final iff ch is ignorable (skipped back to A) or ch is cased.
    ignorable_or_cased = final_sigma_after("A" + ch)
    # "AΣ" + ch is final iff ch is ignorable (end of text) or ch is not cased.
    ignorable_or_uncased = final_sigma_after("A", ch)
    ignorable = ignorable_or_cased and ignorable_or_uncased
    # Both rules skip ignorable characters first, so "cased" only matters otherwise.
    cased = (not ignorable) and ignorable_or_cased
    return cased, ignorable


def flags_of(cp):
    if is_surrogate(cp):
        return 0
    ch = chr(cp)
    cat = unicodedata.category(ch)
    flags = 0
    if cat.startswith("P") or (cp < 0x80 and not ch.isalnum() and 33 <= cp <= 126):
        flags |= FLAG_PUNCT
    if cat == "Mn":
        flags |= FLAG_MN
    if cat in ("Mn", "Mc", "Me"):
        flags |= FLAG_MARK
    if cat in ("Cc", "Cf", "Co"):
        flags |= FLAG_CONTROL
    if cat == "Zs" or cp in JS_SPACE_EXTRA:
        flags |= FLAG_SPACE
    cased, ignorable = case_properties(ch)
    if cased:
        flags |= FLAG_CASED
    if ignorable:
        flags |= FLAG_CASE_IGNORABLE
    return flags


def ranges_of(value_of):
    """[(first, value)] where each entry holds until the next one begins."""
    out = []
    for cp in range(MAX_CP):
        v = value_of(cp)
        if not out or out[-1][1] != v:
            out.append((cp, v))
    return out


def lowercase_runs():
    """Runs (first, last, delta, step) of single code point lower-case mappings."""
    singles = []
    multi = []
    for cp in range(MAX_CP):
        if is_surrogate(cp):
            continue
        low = chr(cp).lower()
        if low == chr(cp):
            continue
        if len(low) == 1:
            singles.append((cp, ord(low) - cp))
        else:
            multi.append((cp, [ord(c) for c in low]))
    runs = []
    for cp, delta in singles:
        if runs:
            first, last, d, step = runs[-1]
            if d == delta and step in (0, cp - last) and cp - last in (1, 2):
                runs[-1] = (first, cp, d, cp - last)
                continue
        runs.append((cp, cp, delta, 0))
    return [(f, l, d, s or 1) for f, l, d, s in runs], multi


def decompositions():
    table = []
    for cp in range(MAX_CP):
        if is_surrogate(cp) or 0xAC00 <= cp <= 0xD7A3:
            continue
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        table.append((cp, [ord(c) for c in unicodedata.normalize("NFD", chr(cp))]))
    return table


def emit_uint32_array(name, values, out):
    out.append(f"constexpr uint32_t {name}[] = {{")
    line = "   "
    for value in values:
        item = f" 0x{value:x},"
        if len(line) + len(item) > 95:
            out.append(line)
            line = "   "
        line += item
    out.append(line)
    out.append("};")


def emit_packed(name, ranges, out):
    emit_uint32_array(name, [(first << 8) | value for first, value in ranges], out)


def check_mn_vanish():
    """The normalizer relies on this: after lower-casing and NFD, a code point becomes only
    Mn characters (and so vanishes with accent stripping) exactly when it is Mn itself."""
    for cp in range(MAX_CP):
        if is_surrogate(cp):
            continue
        ch = chr(cp)
        parts = unicodedata.normalize("NFD", ch.lower())
        only_mn = all(unicodedata.category(p) == "Mn" for p in parts)
        assert only_mn == (unicodedata.category(ch) == "Mn"), hex(cp)


def main():
    check_mn_vanish()
    out = [
        "// Generated by core/tools/gen_unicode_tables.py; do not edit.",
        f"// Unicode {unicodedata.unidata_version} (Python {sys.version.split()[0]} unicodedata).",
        "// Included by unicode.cc only.",
        "",
        f"constexpr char kUnicodeVersion[] = \"{unicodedata.unidata_version}\";",
        "",
    ]
    emit_packed("kPropertyRanges", ranges_of(flags_of), out)
    out.append("")
    out.append("// The same flags for ASCII, looked up directly on the hot path.")
    out.append("constexpr uint8_t kAsciiProperties[128] = {")
    for i in range(0, 128, 16):
        out.append("    " + " ".join(f"{flags_of(cp)}," for cp in range(i, i + 16)))
    out.append("};")
    out.append("")
    emit_packed("kCombiningClassRanges",
                ranges_of(lambda cp: 0 if is_surrogate(cp) else unicodedata.combining(chr(cp))), out)
    out.append("")

    runs, multi = lowercase_runs()
    out.append("constexpr LowercaseRun kLowercaseRuns[] = {")
    for first, last, delta, step in runs:
        out.append(f"    {{0x{first:x}, 0x{last:x}, {delta}, {step}}},")
    out.append("};")
    out.append("")
    out.append("// Code points whose lower case is more than one code point.")
    out.append("constexpr LowercaseMulti kLowercaseMulti[] = {")
    for cp, chars in multi:
        padded = chars + [0] * (3 - len(chars))
        assert len(chars) <= 3, hex(cp)
        out.append(f"    {{0x{cp:x}, {len(chars)}, {{{', '.join(hex(c) for c in padded)}}}}},")
    out.append("};")
    out.append("")

    table = decompositions()
    out.append("// (code point << 8 | length) with the start of its chars in kDecompositionOffsets.")
    chars = []
    offsets = []
    for cp, seq in table:
        assert len(seq) <= 4, hex(cp)  # kMaxDecomposition in unicode.h
        offsets.append(len(chars))
        chars.extend(seq)
    emit_packed("kDecompositionKeys", [(cp, len(seq)) for cp, seq in table], out)
    assert len(chars) < 1 << 16
    out.append("constexpr uint16_t kDecompositionOffsets[] = {")
    for i in range(0, len(offsets), 14):
        out.append("    " + " ".join(f"{o}," for o in offsets[i:i + 14]))
    out.append("};")
    out.append("constexpr char32_t kDecompositionChars[] = {")
    for i in range(0, len(chars), 10):
        out.append("    " + " ".join(f"0x{c:x}," for c in chars[i:i + 10]))
    out.append("};")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
