"""Multilingual plain text from Debian's packages: translated manual pages and documentation.

What it needs: `apt-get` with a package index (`apt-get update` once; only
`apt-get download` is used, nothing is installed), `dpkg-deb` to unpack a .deb into a scratch
folder, and `groff` (package groff-base) to render manual pages. Nothing here needs root.

Each package becomes, in a cache folder, one text file per language it holds (documents
separated by a form-feed line, paragraphs by a blank line: the layout of the English
pre-training text in shared/data) plus `info.json` (version, .deb checksum, licence from the
package's own /usr/share/doc/PKG/copyright, counts). A package whose cache entry exists for
the version apt offers is not fetched again, so an interrupted run resumes, and a run with no
network still assembles what it has. Assembly then writes one deduplicated file per language
(first occurrence of a paragraph wins, in package order) and `manifest.json`.

Language: a manual page's language is its locale folder (usr/share/man/zh_CN -> zh-Hans), an
HTML page's the package's. Every paragraph is then checked against that language by script
(share of Han, kana, Hangul, Cyrillic, ... among its letters) and, for Latin-script languages,
by function words against English's: untranslated English pages (LibreOffice's help falls
back to English for pages nobody translated) and option lists are dropped. The assembled
file is checked again as a whole and the result is recorded in the manifest.
"""
import bisect
import gzip
import hashlib
import html.parser
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor

FORMAT = "mooscomp-multilingual-text/1"
DOC_SEP = "\f"  # a line of its own between documents, as in shared/data/pretrain/longbench2

# Languages: the script its text is written in and, for Latin scripts, frequent function words
# that tell it from English (a word both languages use is left out of the English count).
LANGUAGES = {
    "zh-Hans": {"name": "Chinese (simplified)", "script": "Han"},
    "zh-Hant": {"name": "Chinese (traditional)", "script": "Han"},
    "ja": {"name": "Japanese", "script": "Japanese"},
    "ko": {"name": "Korean", "script": "Hangul"},
    "ru": {"name": "Russian", "script": "Cyrillic"},
    "uk": {"name": "Ukrainian", "script": "Cyrillic"},
    "hi": {"name": "Hindi", "script": "Devanagari"},
    "de": {"name": "German", "script": "Latin",
           "words": "der die das und ist nicht mit den von zu ein eine sie es auf für im dem des werden "
                    "wird auch als sich oder kann bei"},
    "fr": {"name": "French", "script": "Latin",
           "words": "le la les et est des une un du dans pour que qui pas sur au avec ne se ce sont être "
                    "par vous il on"},
    "es": {"name": "Spanish", "script": "Latin",
           "words": "el la los las y es de que en un una por para con no se del al como su más puede"},
    "it": {"name": "Italian", "script": "Latin",
           "words": "il la le e è di che un una per non con del della si sono da gli al può"},
    "pt-BR": {"name": "Portuguese (Brazil)", "script": "Latin",
              "words": "o a os as e é de que um uma para com não do da em no na se por são você"},
    "nl": {"name": "Dutch", "script": "Latin",
           "words": "de het een en is van dat niet met op voor te zijn er wordt worden ook als bij of"},
    "pl": {"name": "Polish", "script": "Latin",
           "words": "i w na nie się z do jest to że jak o dla lub przez może są od po"},
    "cs": {"name": "Czech", "script": "Latin",
           "words": "a v se na je že s z do to jako pro by které nebo není jsou o i"},
    "tr": {"name": "Turkish", "script": "Latin",
           "words": "ve bir bu için ile da de olarak olan gibi daha veya çok ya değil kadar"},
    "vi": {"name": "Vietnamese", "script": "Latin",
           "words": "và của là các có trong được cho không một những với này để khi người"},
    "id": {"name": "Indonesian", "script": "Latin",
           "words": "dan yang di ini untuk dengan dari tidak akan pada atau adalah dalam dapat ke juga"},
}
ENGLISH_WORDS = frozenset(("the of and to in is that for it with as on be by this are or from at not "
                           "can an which you if will your these").split())

# Locale folders of usr/share/man and the language they hold.
MAN_LOCALES = {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant", "ja": "ja", "ko": "ko", "ru": "ru", "uk": "uk",
               "de": "de", "fr": "fr", "es": "es", "it": "it", "pt_BR": "pt-BR", "nl": "nl", "pl": "pl",
               "cs": "cs", "tr": "tr", "vi": "vi", "id": "id"}

# The default package list, in priority order (earlier packages win deduplication): Chinese and
# Japanese in quantity first, then the other languages. `lang` is the language of the package's
# HTML pages; manual pages take theirs from the locale folder.
PACKAGES = [
    ("manpages-zh", "zh-Hans"), ("debian-reference-zh-cn", "zh-Hans"), ("libreoffice-help-zh-cn", "zh-Hans"),
    ("maint-guide-zh-cn", "zh-Hans"), ("debian-faq-zh-cn", "zh-Hans"), ("lilypond-doc-html-zh", "zh-Hans"),
    ("manpages-ja", "ja"), ("debian-reference-ja", "ja"), ("libreoffice-help-ja", "ja"),
    ("maint-guide-ja", "ja"), ("debian-faq-ja", "ja"), ("developers-reference-ja", "ja"),
    ("debian-policy-ja", "ja"), ("lilypond-doc-html-ja", "ja"),
    ("libreoffice-help-zh-tw", "zh-Hant"),
    ("libreoffice-help-ko", "ko"), ("debian-faq-ko", "ko"),
    ("manpages-de", "de"), ("debian-reference-de", "de"), ("libreoffice-help-de", "de"),
    ("manpages-fr", "fr"), ("debian-reference-fr", "fr"), ("libreoffice-help-fr", "fr"),
    ("manpages-es", "es"), ("debian-reference-es", "es"), ("libreoffice-help-es", "es"),
    ("manpages-it", "it"), ("debian-reference-it", "it"), ("libreoffice-help-it", "it"),
    ("manpages-pt-br", "pt-BR"), ("debian-reference-pt-br", "pt-BR"), ("libreoffice-help-pt-br", "pt-BR"),
    ("manpages-ru", "ru"), ("libreoffice-help-ru", "ru"), ("debian-faq-ru", "ru"),
    ("manpages-pl", "pl"), ("libreoffice-help-pl", "pl"),
    ("manpages-nl", "nl"), ("libreoffice-help-nl", "nl"),
    ("manpages-uk", "uk"),
    ("manpages-cs", "cs"), ("libreoffice-help-cs", "cs"),
    ("manpages-tr", "tr"), ("libreoffice-help-tr", "tr"),
    ("manpages-vi", "vi"), ("libreoffice-help-vi", "vi"),
    ("manpages-id", "id"), ("debian-reference-id", "id"), ("libreoffice-help-id", "id"),
    ("libreoffice-help-hi", "hi"),
]
# A little more Chinese and Japanese for large downloads (mostly images; GIMP's Chinese help is
# mostly untranslated): `--extra`, or name them in --packages. Measured yields (2026-12):
# gimp-help-ja 0.55 M chars (48 MB .deb), gimp-help-zh-cn 0.03 M (50 MB), kicad-doc-zh 0.06 M
# (19 MB), kicad-doc-ja 0.02 M (24 MB).
EXTRA_PACKAGES = [
    ("gimp-help-ja", "ja"), ("gimp-help-zh-cn", "zh-Hans"), ("kicad-doc-zh", "zh-Hans"), ("kicad-doc-ja", "ja"),
]

# Legacy encodings tried, per language, when a file is not UTF-8.
LEGACY_ENCODINGS = {"zh-Hans": ("gb18030",), "zh-Hant": ("big5hkscs", "gb18030"), "ja": ("euc_jp", "shift_jis"),
                    "ko": ("euc_kr",), "ru": ("koi8_r", "cp1251"), "uk": ("koi8_u", "cp1251")}

# ---------------------------------------------------------------------------------------------
# Scripts


_SCRIPT_RANGES = sorted([
    (0x0041, 0x005A, "Latin"), (0x0061, 0x007A, "Latin"), (0x00C0, 0x00D6, "Latin"), (0x00D8, 0x00F6, "Latin"),
    (0x00F8, 0x024F, "Latin"), (0x1E00, 0x1EFF, "Latin"),
    (0x0370, 0x03FF, "Greek"), (0x0400, 0x052F, "Cyrillic"), (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"), (0x0900, 0x097F, "Devanagari"), (0x0E00, 0x0E7F, "Thai"),
    (0x1100, 0x11FF, "Hangul"), (0x3130, 0x318F, "Hangul"), (0xAC00, 0xD7AF, "Hangul"),
    (0x3040, 0x309F, "Kana"), (0x30A0, 0x30FF, "Kana"), (0x31F0, 0x31FF, "Kana"), (0xFF66, 0xFF9D, "Kana"),
    (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xF900, 0xFAFF, "Han"), (0x20000, 0x2FFFF, "Han"),
])
_RANGE_STARTS = [r[0] for r in _SCRIPT_RANGES]


def script_of(ch):
    """The script of one character among those counted here, or None (digits, punctuation, ...)."""
    cp = ord(ch)
    i = bisect.bisect_right(_RANGE_STARTS, cp) - 1
    if i >= 0 and cp <= _SCRIPT_RANGES[i][1]:
        return _SCRIPT_RANGES[i][2]
    return None


def script_counts(text):
    counts = {}
    for ch in text:
        if ch.isascii() and not ch.isalpha():
            continue
        s = script_of(ch)
        if s:
            counts[s] = counts.get(s, 0) + 1
    return counts


def script_shares(text):
    """Share of each script among the letters of `text` (letters of the scripts above only)."""
    counts = script_counts(text)
    total = sum(counts.values())
    return {s: n / total for s, n in sorted(counts.items())} if total else {}


def target_share(lang, counts):
    """Share of the language's own script among the letters counted in `counts`."""
    script = LANGUAGES[lang]["script"]
    total = sum(counts.values())
    if not total:
        return 0.0
    if script == "Japanese":
        own = counts.get("Han", 0) + counts.get("Kana", 0)
    elif script == "Hangul":
        own = counts.get("Hangul", 0) + counts.get("Han", 0)
    else:
        own = counts.get(script, 0)
    return own / total


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def function_word_hits(lang, text):
    """(hits of the language's function words, hits of English-only function words)."""
    own = LANGUAGES[lang].get("_words")
    if own is None:
        own = LANGUAGES[lang]["_words"] = frozenset(LANGUAGES[lang].get("words", "").split())
    english = ENGLISH_WORDS - own
    mine = eng = 0
    for w in _WORD.findall(text.lower()):
        if w in own:
            mine += 1
        elif w in english:
            eng += 1
    return mine, eng


# A paragraph is kept for its language when at least this share of its letters is the
# language's script (non-Latin languages): option lists and untranslated English go.
MIN_PARAGRAPH_SHARE = {"Han": 0.3, "Japanese": 0.3, "Hangul": 0.3, "Cyrillic": 0.5, "Devanagari": 0.3,
                       "Latin": 0.6}


def paragraph_in_language(lang, para):
    """True when `para` reads as text of `lang` (see MIN_PARAGRAPH_SHARE and the word check)."""
    counts = script_counts(para)
    if not counts:
        return False
    script = LANGUAGES[lang]["script"]
    if target_share(lang, counts) < MIN_PARAGRAPH_SHARE[script]:
        return False
    if script == "Han":  # Chinese: no kana (a Japanese paragraph in a Chinese file)
        cjk = counts.get("Han", 0) + counts.get("Kana", 0)
        return counts.get("Kana", 0) <= 0.02 * cjk
    if script == "Latin":
        mine, eng = function_word_hits(lang, para)
        return not (eng >= 2 and eng > mine)
    return True


# Characters that mark simplified and traditional Chinese (frequent ones that differ).
_SIMPLIFIED = set("们这说时会对发经为与门个来国过还进后见现长问间动东车书认样给让话应该网络据设请")
_TRADITIONAL = set("們這說時會對發經為與門個來國過還進後見現長問間動東車書認樣給讓話應該網絡據設請")


def check_language(lang, text):
    """The file-level check recorded in the manifest: {"ok", "target_share", "script_share", ...}."""
    counts = script_counts(text)
    shares = {s: round(n / sum(counts.values()), 4) for s, n in sorted(counts.items())} if counts else {}
    share = target_share(lang, counts)
    script = LANGUAGES[lang]["script"]
    out = {"expected_script": script, "target_share": round(share, 4), "script_share": shares}
    problems = []
    if share < 0.5:
        problems.append(f"{script} share {share:.2f} < 0.5")
    if script == "Japanese":
        kana = counts.get("Kana", 0) / max(1, counts.get("Han", 0) + counts.get("Kana", 0))
        out["kana_share_of_cjk"] = round(kana, 4)
        if kana < 0.2:
            problems.append(f"kana {kana:.2f} of Han+kana < 0.2: not Japanese")
    if script == "Han":
        simp = sum(1 for ch in text if ch in _SIMPLIFIED)
        trad = sum(1 for ch in text if ch in _TRADITIONAL)
        out["simplified_markers"], out["traditional_markers"] = simp, trad
        if (lang == "zh-Hans") != (simp > trad):
            problems.append(f"simplified/traditional markers {simp}/{trad} do not fit {lang}")
    if script == "Latin":
        mine, eng = function_word_hits(lang, text)
        out["function_words"], out["english_function_words"] = mine, eng
        if mine <= eng:
            problems.append(f"{lang} function words {mine} <= English {eng}")
    out["ok"] = not problems
    if problems:
        out["problems"] = problems
    return out


# ---------------------------------------------------------------------------------------------
# Text clean-up shared by both converters

_CJK_GAP = re.compile(r"(?<=[\u2E80-\u2FFF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF])"
                      r"[ \t]+(?=[\u2E80-\u2FFF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffd]")


def clean_line(line):
    """NFC, no control or zero-width characters, runs of spaces collapsed, and no space between
    two Han/kana/CJK punctuation characters (a line break in the source, not a word gap)."""
    line = _CONTROL.sub("", unicodedata.normalize("NFC", line))
    line = " ".join(line.split())
    return _CJK_GAP.sub("", line)


def decode(data, lang=None, declared=None):
    """Bytes to text: the declared charset, else UTF-8, else the language's legacy encodings."""
    for enc in ([declared] if declared else []) + ["utf-8"] + list(LEGACY_ENCODINGS.get(lang, ())):
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# Manual pages (roff) -> paragraphs

GROFF = ["groff", "-K", "utf-8", "-t", "-mandoc", "-Tutf8", "-rLL=20000n", "-rHY=0", "-P-cbou"]


def is_so_link(source):
    """A page that only includes another (`.so man1/other.1`): a duplicate, skipped."""
    lines = [ln for ln in source.splitlines() if ln.strip() and not ln.startswith(('.\\"', "'\\\"", '.\\}'))]
    return len(lines) == 1 and lines[0].startswith(".so ")


def man_to_paragraphs(source, timeout=60):
    """Renders a roff manual page with groff (lines as long as a paragraph, no hyphenation, no
    bold/underline) and returns its paragraphs (runs of non-empty lines), header and footer
    dropped. `source` is text; [] for a `.so` link."""
    if is_so_link(source):
        return []
    res = subprocess.run(GROFF, input=source.encode("utf-8"), capture_output=True, timeout=timeout,
                         env=dict(os.environ, LC_ALL="C.UTF-8", GROFF_NO_SGR="1"))
    text = res.stdout.decode("utf-8", errors="replace")
    return text_to_paragraphs(text, drop_header_footer=True)


def text_to_paragraphs(text, drop_header_footer=False):
    lines = text.split("\n")
    if drop_header_footer:
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        if len(idx) >= 2:
            lines[idx[0]] = lines[idx[-1]] = ""
    paras, cur = [], []
    for ln in lines + [""]:
        c = clean_line(ln)
        if c:
            cur.append(c)
        elif cur:
            paras.append("\n".join(cur))
            cur = []
    return paras


# ---------------------------------------------------------------------------------------------
# HTML -> paragraphs

_BLOCK = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table tr td th caption br hr pre blockquote "
                   "section article main figure figcaption title center form fieldset legend address "
                   "details summary".split())
_SKIP = frozenset("script style head noscript svg math template button select textarea nav header footer "
                  "aside iframe object".split())
_VOID = frozenset("br hr img meta link input area base col embed param source track wbr".split())


class _HTMLText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paras, self.buf, self.skip, self.pre = [], [], 0, 0

    def flush(self):
        raw = "".join(self.buf)
        self.buf = []
        if self.pre:
            lines = [clean_line(ln) for ln in raw.split("\n")]
            text = "\n".join(ln for ln in lines if ln)
        else:
            text = clean_line(raw)
        if text:
            self.paras.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip += 1
            return
        if tag in _BLOCK:
            self.flush()
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in _BLOCK:
            self.flush()
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def html_to_paragraphs(data, lang=None):
    """HTML (bytes or text) -> its paragraphs: block elements break paragraphs, scripts, styles,
    navigation, headers and footers are dropped, whitespace collapsed (kept line by line in <pre>)."""
    if isinstance(data, bytes):
        m = _META_CHARSET.search(data[:4096])
        data = decode(data, lang, m.group(1).decode("ascii").lower() if m else None)
    p = _HTMLText()
    try:
        p.feed(data)
        p.close()
    except AssertionError:  # html.parser on badly broken markup
        pass
    p.flush()
    return p.paras


# ---------------------------------------------------------------------------------------------
# Licences (from the package's copyright file)

_LICENSE_WORDS = [("GNU Free Documentation License", "GFDL"), ("GNU General Public License", "GPL"),
                  ("GNU Lesser General Public License", "LGPL"), ("GNU Library General Public", "LGPL"),
                  ("Mozilla Public License", "MPL"), ("Creative Commons", "CC"), ("public domain", "public-domain"),
                  ("BSD", "BSD"), ("MIT", "MIT"), ("Open Publication License", "OPL"), ("Artistic", "Artistic"),
                  # the FSF's documentation notice (copies, modified versions and translations allowed)
                  ("Permission is granted to make and distribute verbatim copies", "verbatim-copying-notice"),
                  # manpages-ja: each translated page under its original page's licence
                  ("same license as the original", "per-page (the original pages' licences)")]


def parse_copyright(text):
    """{"format": "dep5"|"free-form", "licence": main licence, "licences": all named}: for DEP-5
    files the licence of the `Files: *` stanza (else the first) and every `License:` short name;
    otherwise licence names spotted in the text."""
    if re.match(r"Format:\s*https?://(www\.)?debian\.org/doc/packaging-manuals/copyright-format", text):
        names, main = [], None
        for stanza in re.split(r"\n\s*\n", text):
            files = re.search(r"^Files:\s*(.+)$", stanza, re.M)
            lic = re.search(r"^License:\s*(.+)$", stanza, re.M)
            if not lic:
                continue
            name = lic.group(1).strip()
            if name not in names:
                names.append(name)
            if files and files.group(1).strip() == "*" and main is None:
                main = name
        return {"format": "dep5", "licence": main or (names[0] if names else "unknown"), "licences": names}
    found = []
    for needle, short in _LICENSE_WORDS:
        if re.search(r"\b" + re.escape(needle) + r"\b", text, re.I if needle != "MIT" else 0) and short not in found:
            found.append(short)
    m = re.search(r"version (\d(?:\.\d)?)", text)
    main = found[0] if found else "unknown"
    if main in ("GPL", "GFDL", "LGPL") and m:
        main += "-" + m.group(1)
    return {"format": "free-form", "licence": main, "licences": found}


# ---------------------------------------------------------------------------------------------
# apt and dpkg


def requirements():
    """What is missing for fetching (an empty list when everything is there)."""
    missing = [t for t in ("apt-get", "apt-cache", "dpkg-deb", "groff") if shutil.which(t) is None]
    return [f"`{t}` not found (Debian: apt, dpkg, groff-base)" for t in missing]


def candidate_version(package):
    """The version `apt-get download` would fetch, or None (unknown package / no index)."""
    if shutil.which("apt-cache") is None:
        return None
    res = subprocess.run(["apt-cache", "policy", package], capture_output=True, text=True)
    m = re.search(r"Candidate:\s*(\S+)", res.stdout)
    return m.group(1) if m and m.group(1) != "(none)" else None


def download_deb(package, folder):
    """`apt-get download PKG` into `folder`; returns the .deb path."""
    args = ["apt-get", "download", "-q"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args += ["-o", "APT::Sandbox::User=root"]  # root: no drop to _apt, who cannot write here
    subprocess.run(args + [package], cwd=folder, check=True, capture_output=True)
    debs = [f for f in os.listdir(folder) if f.startswith(package + "_") and f.endswith(".deb")]
    if len(debs) != 1:
        raise RuntimeError(f"apt-get download {package}: expected one .deb, found {debs}")
    return os.path.join(folder, debs[0])


def _read_maybe_gz(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if path.endswith(".gz") else data


def package_documents(root, html_lang):
    """(language, kind, relative path) of the documents in an unpacked package tree: manual pages
    under usr/share/man/<locale>/man*/ and HTML pages anywhere under usr/share."""
    docs = []
    share = os.path.join(root, "usr", "share")
    for dirpath, dirnames, filenames in os.walk(share):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        parts = rel.split(os.sep)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                continue
            if len(parts) >= 5 and parts[:3] == ["usr", "share", "man"] and parts[4].startswith("man"):
                lang = MAN_LOCALES.get(parts[3].split(".")[0])
                if lang and re.search(r"\.\w+(\.gz)?$", name):
                    docs.append((lang, "man", os.path.join(rel, name)))
            elif re.search(r"\.(x?html?)(\.gz)?$", name, re.I) and html_lang:
                docs.append((html_lang, "html", os.path.join(rel, name)))
    return docs


def convert_document(root, lang, kind, relpath):
    """(language, kind, kept paragraphs, dropped paragraph count) of one document."""
    data = _read_maybe_gz(os.path.join(root, relpath))
    if kind == "man":
        paras = man_to_paragraphs(decode(data, lang))
    else:
        paras = html_to_paragraphs(data, lang)
    kept = [p for p in paras if paragraph_in_language(lang, p)]
    return lang, kind, kept, len(paras) - len(kept)


def fetch_package(package, html_lang, cache_dir, jobs=2, log=print):
    """Downloads and converts one package into cache_dir/PKG/VERSION/ unless it is there already.
    Returns its info dict (also written as info.json), or None when apt does not offer it."""
    version = candidate_version(package)
    if version is None:
        cached = cached_info(cache_dir, package)
        if cached:
            log(f"{package}: not in the apt index; using the cached {cached['version']}")
        else:
            log(f"{package}: not in the apt index (unknown package, or no `apt-get update`): skipped")
        return cached
    out = os.path.join(cache_dir, package, _safe(version))
    info_path = os.path.join(out, "info.json")
    if os.path.exists(info_path):
        return _load_info(out)
    tmp = tempfile.mkdtemp(prefix="mooscomp-deb-")
    try:
        deb = download_deb(package, tmp)
        with open(deb, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        root = os.path.join(tmp, "root")
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        copyright_text = ""
        cpath = os.path.join(root, "usr", "share", "doc", package, "copyright")
        if os.path.isfile(cpath):
            with open(cpath, encoding="utf-8", errors="replace") as f:
                copyright_text = f.read()
        docs = package_documents(root, html_lang)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            results = list(pool.map(lambda d: convert_document(root, *d), docs))
        part = out + ".part"
        shutil.rmtree(part, ignore_errors=True)
        os.makedirs(part)
        langs = {}
        files = {}
        for lang, kind, kept, dropped in results:
            st = langs.setdefault(lang, {"documents": 0, "paragraphs": 0, "chars": 0, "dropped_paragraphs": 0,
                                         "kinds": {}})
            st["dropped_paragraphs"] += dropped
            if not kept:
                continue
            st["documents"] += 1
            st["paragraphs"] += len(kept)
            st["chars"] += sum(len(p) for p in kept)
            st["kinds"][kind] = st["kinds"].get(kind, 0) + 1
            if lang not in files:
                files[lang] = open(os.path.join(part, f"text.{lang}.txt"), "w", encoding="utf-8")
            files[lang].write("\n\n".join(kept) + f"\n{DOC_SEP}\n")
        for f in files.values():
            f.close()
        if copyright_text:
            with open(os.path.join(part, "copyright"), "w", encoding="utf-8") as f:
                f.write(copyright_text)
        copyright_at = f"/usr/share/doc/{package}/copyright" if copyright_text else None
        if copyright_text:
            lic = parse_copyright(copyright_text)
        elif os.path.islink(os.path.dirname(cpath)):  # the doc folder is another package's (a Depends)
            other = os.path.basename(os.readlink(os.path.dirname(cpath)).rstrip("/"))
            lic = {"format": "elsewhere", "licence": f"see {other}", "licences": []}
            copyright_at = f"/usr/share/doc/{other}/copyright (package {other})"
        else:
            lic = {"format": "missing", "licence": "unknown", "licences": []}
        info = {"package": package, "version": version, "deb": os.path.basename(deb), "sha256": sha,
                "html_language": html_lang, "licence": lic["licence"], "licences": lic["licences"],
                "copyright_format": lic["format"],
                "copyright": copyright_at,
                "languages": {k: v for k, v in sorted(langs.items()) if v["documents"]}}
        with open(os.path.join(part, "info.json"), "w", encoding="utf-8") as f:
            json.dump(info, f, ensure_ascii=False, indent=1)
        shutil.rmtree(out, ignore_errors=True)
        os.replace(part, out)  # the entry appears whole or not at all
        chars = ", ".join(f"{k} {v['chars']:,}" for k, v in info["languages"].items()) or "no text"
        log(f"{package} {version}: {len(docs)} documents -> {chars} chars")
        return info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _safe(version):
    return re.sub(r"[^A-Za-z0-9.+~-]", "_", version)


def _load_info(entry):
    """A cache entry's info.json, its licence read again from the kept copyright file (so a
    better parse_copyright applies without fetching again)."""
    with open(os.path.join(entry, "info.json"), encoding="utf-8") as f:
        info = json.load(f)
    cpath = os.path.join(entry, "copyright")
    if os.path.exists(cpath):
        with open(cpath, encoding="utf-8") as f:
            lic = parse_copyright(f.read())
        info.update(licence=lic["licence"], licences=lic["licences"], copyright_format=lic["format"])
    return info


def cached_info(cache_dir, package):
    """The newest cached entry of a package (for runs without an apt index), or None."""
    base = os.path.join(cache_dir, package)
    if not os.path.isdir(base):
        return None
    entries = sorted(os.path.join(base, v) for v in os.listdir(base)
                     if os.path.exists(os.path.join(base, v, "info.json")))
    if not entries:
        return None
    return _load_info(max(entries, key=os.path.getmtime))


# ---------------------------------------------------------------------------------------------
# Assembly


def read_documents(path):
    """Documents of a text file in this layout: lists of paragraphs."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    docs = []
    for chunk in text.split(f"\n{DOC_SEP}\n"):
        chunk = chunk.strip("\n" + DOC_SEP)
        if chunk:
            docs.append([p for p in chunk.split("\n\n") if p])
    return docs


def paragraph_key(p):
    return hashlib.blake2b(" ".join(p.split()).encode("utf-8"), digest_size=12).digest()


def assemble(cache_dir, infos, text_dir, log=print):
    """One deduplicated file per language from the cached packages (in the given order); returns
    {lang: {"file", "chars", "documents", "paragraphs", "duplicates", "packages", "check"}}."""
    os.makedirs(text_dir, exist_ok=True)
    by_lang = {}
    for info in infos:
        for lang in info["languages"]:
            by_lang.setdefault(lang, []).append(info)
    out = {}
    for lang in sorted(by_lang):
        seen, docs, dup = set(), 0, 0
        paras = chars = 0
        per_package = {}
        path = os.path.join(text_dir, f"{lang}.txt")
        sample = []
        with open(path + ".part", "w", encoding="utf-8") as f:
            for info in by_lang[lang]:
                src = os.path.join(cache_dir, info["package"], _safe(info["version"]), f"text.{lang}.txt")
                n_chars = 0
                for doc in read_documents(src):
                    kept = []
                    for p in doc:
                        k = paragraph_key(p)
                        if k in seen:
                            dup += 1
                            continue
                        seen.add(k)
                        kept.append(p)
                    if not kept:
                        continue
                    f.write("\n\n".join(kept) + f"\n{DOC_SEP}\n")
                    docs += 1
                    paras += len(kept)
                    c = sum(len(p) for p in kept)
                    chars += c
                    n_chars += c
                    if len(sample) < 4000:
                        sample.extend(kept[:20])
                per_package[info["package"]] = n_chars
        os.replace(path + ".part", path)
        with open(path, encoding="utf-8") as f:
            check = check_language(lang, f.read())
        out[lang] = {"file": os.path.basename(path), "chars": chars, "documents": docs, "paragraphs": paras,
                     "duplicate_paragraphs": dup, "packages": per_package, "check": check}
        flag = "ok" if check["ok"] else "CHECK FAILED: " + "; ".join(check["problems"])
        log(f"{lang}: {chars:,} chars, {docs:,} documents, {paras:,} paragraphs "
            f"({dup:,} duplicates dropped); {check['expected_script']} share {check['target_share']:.2f}; {flag}")
    return out


def write_manifest(path, infos, languages):
    manifest = {
        "format": FORMAT,
        "layout": "one UTF-8 file per language; documents separated by a form-feed line, paragraphs by a "
                  "blank line; paragraphs deduplicated across the language's packages (first wins). "
                  "packages[].languages: what each package gave before deduplication; "
                  "languages[].packages: characters each package kept in the language's file",
        "packages": [{k: info[k] for k in ("package", "version", "deb", "sha256", "licence", "licences",
                                           "copyright_format", "copyright")}
                     | {"languages": {lang: {"chars": st["chars"], "documents": st["documents"]}
                                      for lang, st in info["languages"].items()}}
                     for info in infos],
        "languages": languages,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    return manifest


def fetch_all(out_dir, packages=None, languages=None, extra=False, jobs=2, log=print):
    """The whole pipeline: fetch (or reuse) each package, assemble, write the manifest.
    `packages`: names to fetch instead of PACKAGES (+ EXTRA_PACKAGES with `extra`); a package
    in neither list contributes its manual pages only."""
    missing = requirements()
    if missing:
        raise RuntimeError("cannot fetch: " + "; ".join(missing))
    known = dict(PACKAGES + EXTRA_PACKAGES)
    if packages is None:
        chosen = PACKAGES + (EXTRA_PACKAGES if extra else [])
    else:
        chosen = [(p, known.get(p)) for p in packages]
    chosen = [(p, lang) for p, lang in chosen if languages is None or lang is None or lang in languages]
    cache = os.path.join(out_dir, "cache")
    os.makedirs(cache, exist_ok=True)
    infos = []
    for package, lang in chosen:
        try:
            info = fetch_package(package, lang, cache, jobs=jobs, log=log)
        except (subprocess.CalledProcessError, RuntimeError, OSError) as e:
            detail = getattr(e, "stderr", b"") or b""
            log(f"{package}: failed ({e}; {detail.decode('utf-8', 'replace').strip()[-300:]})")
            continue
        if info:
            if languages is not None:
                info = dict(info, languages={k: v for k, v in info["languages"].items() if k in languages})
            infos.append(info)
    langs = assemble(cache, infos, os.path.join(out_dir, "text"), log=log)
    return write_manifest(os.path.join(out_dir, "manifest.json"), infos, langs)
