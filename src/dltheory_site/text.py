"""Small text helpers shared by the stages: slugs, name folding, suggestions."""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Iterable

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that NFKD does not split into a base letter and an accent.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII form of a text: accents removed, special letters spelled out."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(text: str, max_length: int = 80) -> str:
    """A URL- and file-safe slug: ``Clément Hongler`` -> ``clement-hongler``.

    The result only holds ``[a-z0-9-]``, so it can never leave a folder or differ
    from another slug only by case; an empty result becomes ``"x"``.
    """
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")[:max_length].strip("-")
    return slug or "x"


#: Slugs that name a folder's own list page (``authors/index.md``), never a person.
RESERVED_SLUGS = frozenset({"index"})


def author_slug(name: str) -> str:
    """The slug of an author's page; a name that slugifies to ``index`` gets ``index-author``."""
    slug = slugify(name)
    return f"{slug}-author" if slug in RESERVED_SLUGS else slug


# Cyrillic and Greek letters drawn like Latin ones: a copy of a title spelled with them
# looks the same to a reviewer.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһԛԝɡАВЕКМНОРСТХІЈЅαονρΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwgABEKMHOPCTXIJSaovpABEZHIKMNOPTYX",
)


def normalise_title(title: str) -> str:
    """The form of a title used to find the same paper twice: folded, words only.

    Invisible characters (zero-width spaces, joiners, direction marks) are dropped and
    look-alike letters read as the Latin letter they imitate, so a disguised copy of a
    title is the same title.
    """
    visible = "".join(c for c in title if unicodedata.category(c) != "Cf")
    return " ".join(_NON_ALNUM.sub(" ", fold(visible.translate(_LOOKALIKES))).split())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` hint, or ``""`` when nothing is close."""
    options = list(choices)
    best = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not best:
        # Subcategory ids are long: compare the part after the group too.
        tails = {o.rsplit("/", 1)[-1]: o for o in options}
        near = difflib.get_close_matches(word.rsplit("/", 1)[-1], list(tails), n=1, cutoff=0.6)
        best = [tails[near[0]]] if near else []
    return f"did you mean '{best[0]}'?" if best else ""


def describe_value(value: object) -> str:
    """How a YAML value reads to a person: 'a number', 'a list', ..."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int) and value.bit_length() > 63:
        return "a very large number"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


#: ``[[entry-id]]`` or ``[[entry-id|label]]`` in prose links to an entry's page.
WIKILINK_RE = re.compile(r"\[\[([^\[\]|\n]{1,100})(?:\|([^\]\n]{1,200}))?\]\]")

_ARXIV_PREFIX = re.compile(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)", re.I)
_ARXIV_VERSION = re.compile(r"v\d+$", re.I)
_DOI_PREFIX = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.I)


def paper_keys(
    arxiv: str | None, doi: str | None, title: str | None
) -> tuple[tuple[str, str], ...]:
    """What makes two records the same paper: ``(what, key)`` pairs, any one of which matching.

    The one rule for checks, ``import-bib`` and ``new``: the arXiv id without its
    prefix, version and case (``arXiv:1806.07572v3`` = ``1806.07572``), the DOI
    without its resolver prefix and case, and the title folded to its words.
    """
    keys: list[tuple[str, str]] = []
    if arxiv and (a := _ARXIV_VERSION.sub("", _ARXIV_PREFIX.sub("", str(arxiv).strip()))):
        keys.append(("arXiv id", a.casefold()))
    if doi and (d := _DOI_PREFIX.sub("", str(doi).strip())):
        keys.append(("DOI", d.casefold()))
    if title and (t := normalise_title(str(title))):
        keys.append(("title", t))
    return tuple(keys)


# --------------------------------------------------------------------------- the text policy
#
# Every string a contributor writes (entries and taxonomy alike) ends up in HTML, XML
# (the feed, the pictures), JSON, BibTeX and terminals. These are the characters that
# one of those cannot carry, or that make a text look like something else.

#: C0 (except tab and newline), DEL, C1 and the Unicode line and paragraph separators.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
#: The 66 noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
NONCHARACTER_RE = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)
#: Direction controls that open a run (embeddings, overrides, isolates) and close one.
_BIDI_OPEN = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
_BIDI_OPEN |= {"\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_BIDI_CLOSE = {"\u202c", "\u2069"}
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def unbalanced_bidi(text: str) -> str | None:
    """The first direction control that is not closed (or closes nothing), per paragraph."""
    if not BIDI_RE.search(text):
        return None
    for line in text.split("\n"):
        stack: list[str] = []
        for match in BIDI_RE.finditer(line):
            char = match.group()
            if char in _BIDI_OPEN:
                stack.append(char)
            elif stack and _BIDI_OPEN[stack[-1]] == char:
                stack.pop()
            else:
                return char
        if stack:
            return stack[0]
    return None


def text_problem(text: str) -> tuple[str, str, str] | None:
    """(kind, message, hint) of the first character that breaks the text policy, or None.

    The kinds are ``control``, ``noncharacter``, ``bidi`` and ``blank``.
    """
    match = CONTROL_RE.search(text)
    if match:
        return (
            "control",
            f"contains the control character U+{ord(match.group()):04X}",
            "in double quotes YAML reads '\\e', '\\a' and the like as escapes: use single "
            "quotes or a block scalar (|) for LaTeX",
        )
    match = NONCHARACTER_RE.search(text)
    if match:
        return (
            "noncharacter",
            f"contains the noncharacter U+{ord(match.group()):04X}",
            "remove it: pages, the feed and the pictures cannot carry it",
        )
    bidi = unbalanced_bidi(text)
    if bidi is not None:
        return (
            "bidi",
            f"contains the direction control U+{ord(bidi):04X} without its end",
            "close it with U+202C, or U+2069 after an isolate, or remove it: it reorders "
            "the text around it",
        )
    if text and not text.strip():
        return ("blank", "is only whitespace", "write the text or leave the field out")
    return None


def nfc(text: str) -> str:
    """The text in Unicode normal form C (one spelling for each accented letter)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


#: Characters shown escaped in a terminal line: controls, noncharacters, direction controls.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    + NONCHARACTER_RE.pattern[1:-1]
    + "]"
)


def one_line(text: str) -> str:
    """Text safe on one terminal line: controls, direction marks and noncharacters escaped.

    A file name or a value printed raw could start a new line (forging a report line or
    a GitHub workflow command such as ``::add-mask::``) or reorder the line it is on.
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


# --------------------------------------------------------------------------- math in prose

#: TeX commands refused in prose: macro definitions (KaTeX expands them in the reader's
#: browser, exponentially for a chain of them) and boxes of arbitrary size or position.
MACRO_COMMANDS = [
    "def",
    "gdef",
    "edef",
    "xdef",
    "let",
    "futurelet",
    "global",
    "long",
    "newcommand",
    "renewcommand",
    "providecommand",
    "expandafter",
    "noexpand",
]
LAYOUT_COMMANDS = [
    "rule",
    "raisebox",
    "kern",
    "mkern",
    "hskip",
    "mskip",
    "hspace",
    "mspace",
    "vrule",
    "hrule",
]
_COMMAND_RE = re.compile(r"\\(" + "|".join(MACRO_COMMANDS + LAYOUT_COMMANDS) + r")(?![A-Za-z])")
#: How deeply braces, \left and \begin may nest in a prose field.
MAX_MATH_DEPTH = 32
_OPENERS = re.compile(r"(?<!\\)[{}]|\\(?:left|right|begin|end)(?![A-Za-z])")


def math_problem(text: str) -> tuple[str, str] | None:
    """(message, hint) when prose holds math a reader's browser should not be asked to draw."""
    if "\\" not in text and "{" not in text:
        return None
    match = _COMMAND_RE.search(text)
    if match:
        name = match.group(1)
        hint = (
            "write the expression out: a macro can expand without end in the reader's browser"
            if name in MACRO_COMMANDS
            else "it can cover the page: use plain math layout"
        )
        return f"'\\{name}' is not allowed in math", hint
    depth = 0
    for token in _OPENERS.finditer(text):
        mark = token.group()
        if mark in ("{", "\\left", "\\begin"):
            depth += 1
            if depth > MAX_MATH_DEPTH:
                return f"math nested deeper than {MAX_MATH_DEPTH} levels", "split the formula"
        else:
            depth = max(depth - 1, 0)
    return None


#: What one page may ask a reader's browser to typeset: Chromium loads and typesets the
#: heaviest paper page these allow in well under a second (benchmarks/bench_build.py);
#: the knowledge base's largest entry has 30 formulas and 773 characters of math.
MAX_FORMULAS = 100
MAX_MATH_CHARS = 5_000
# Every way arithmatex finds math, and some it does not (counting more is safe).
_FORMULA = re.compile(
    r"\$\$.+?\$\$|\$[^$\n]+?\$|\\\(.+?\\\)|\\\[.+?\\\]|\\begin\{[A-Za-z*]+\}.+?\\end\{[A-Za-z*]+\}",
    re.S,
)


def math_volume(texts: Iterable[str]) -> tuple[int, int]:
    """(formulas, characters of math) in some prose texts together."""
    formulas = chars = 0
    for text in texts:
        if "$" in text or "\\" in text:
            for match in _FORMULA.finditer(text):
                formulas += 1
                chars += len(match.group())
    return formulas, chars


def math_volume_problem(texts: Iterable[str], what: str) -> tuple[str, str] | None:
    """(message, hint) when texts shown on one page hold more math than a page may."""
    formulas, chars = math_volume(texts)
    hint = "a reader's browser typesets each one: keep the key results"
    if formulas > MAX_FORMULAS:
        return f"{what} holds {formulas} formulas, more than the limit of {MAX_FORMULAS}", hint
    if chars > MAX_MATH_CHARS:
        return (
            f"{what} holds {chars} characters of math, more than the limit of {MAX_MATH_CHARS}",
            hint,
        )
    return None


def meta_text(text: str) -> str:
    """A page title or description for front matter, safe in any theme.

    MkDocs themes print ``page.title`` and ``page.meta`` without escaping, and
    Material's ``striptags`` even unescapes entities first. So the value is
    HTML-escaped and cannot form a tag or end an attribute in any of those places:
    angle brackets become the look-alike quotation marks ‹ ›, double quotes become ″.
    """
    plain = " ".join(str(text).split()).replace("<", "‹").replace(">", "›").replace('"', "″")
    return html.escape(plain, quote=True)
