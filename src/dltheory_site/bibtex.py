"""BibTeX out of entries (the site's "cite" box and the whole-base ``.bib`` download).

The fields come from the entry; an entry's optional ``bibtex:`` mapping adds
fields the schema has no name for (volume, pages, publisher, ...). Writing goes
through bibtexparser 2.x, so what we write is what bibtexparser reads back.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.middlewares.names import NameParts
from bibtexparser.model import DuplicateBlockKeyBlock, Field
from bibtexparser.model import Entry as BibEntry
from bibtexparser.writer import BibtexFormat

from dltheory_site.model import ARXIV_RE, Entry, Venue
from dltheory_site.text import slugify

_TYPES = {
    "conference": "inproceedings",
    "journal": "article",
    "preprint": "misc",
    "book": "incollection",
}
_VENUE_FIELD = {"conference": "booktitle", "journal": "journal", "book": "booktitle"}
# Characters that LaTeX treats as commands inside a BibTeX value.
_LATEX_SPECIAL = re.compile(r"(?<!\\)([&%#])")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


# TeX primitives and LaTeX commands that read or write files, run programs or redefine
# things: BibTeX copies a value into the .bbl, where LaTeX would run them.
_DANGEROUS = re.compile(
    r"\\(?=(?:input|include|includeonly|InputIfFileExists|IfFileExists|openin|openout|read|"
    r"readline|write|immediate|special|catcode|def|edef|gdef|xdef|let|futurelet|csname|"
    r"expandafter|newcommand|renewcommand|providecommand|DeclareRobustCommand|usepackage|"
    r"RequirePackage|documentclass|makeatletter|makeatother|ShellEscape|directlua|"
    r"luaexec|jobname|endinput|everypar|everyeof|scantokens|newwrite|newread|outer|"
    r"globaldefs|output|shipout|pdfprimitive|primitive|uppercase|lowercase)(?![A-Za-z@]))"
)


def _latex(text: str) -> str:
    """A text value for BibTeX: specials escaped, braces balanced, no file or definition command.

    The one rule for every text field (title, authors, venue, the extra fields): a value
    can neither leave its ``{...}`` nor make LaTeX read a file when the bibliography is
    typeset. ``\\input`` is written as ``\\textbackslash{}input``.
    """
    text = _LATEX_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    depth = 0
    out = []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                continue
            depth -= 1
        out.append(char)
    if depth:
        # Unclosed braces: drop every brace rather than guess where they close.
        out = [c for c in out if c not in "{}"]
    return _DANGEROUS.sub(r"\\textbackslash{}", "".join(out))


_VERBATIM_UNSAFE = re.compile(r"[{}\\\s%#\"@]")


def _verbatim(text: str) -> str:
    """A URL-like value (url, doi, eprint) for BibTeX: braces, backslashes and the like
    percent-encoded, so it stays one field and keeps pointing where it did."""
    return _VERBATIM_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)


def bib_entry(entry: Entry, venue: Venue) -> BibEntry:
    """The bibtexparser entry for one knowledge-base entry."""
    fields: dict[str, str] = {
        # Double braces keep the title's capitalisation in every bibliography style.
        "title": "{" + _latex(entry.title) + "}",
        "author": " and ".join(_latex(a) for a in entry.authors),
        "year": str(entry.year),
    }
    venue_field = _VENUE_FIELD.get(venue.kind)
    if venue_field:
        fields[venue_field] = _latex(venue.name)
    if entry.arxiv:
        fields["eprint"] = _verbatim(entry.arxiv)
        fields["archiveprefix"] = "arXiv"
        if venue.kind == "preprint":
            fields["howpublished"] = f"arXiv:{_verbatim(entry.arxiv)}"
    if entry.doi:
        fields["doi"] = _verbatim(entry.doi)
    if entry.url:
        fields["url"] = _verbatim(entry.url)
    for key, value in entry.bibtex.items():
        name = key.strip().lower()
        if _FIELD_NAME.match(name) and name not in {"title", "author", "year"}:
            fields[name] = _latex(value)
    return BibEntry(_TYPES[venue.kind], entry.id, [Field(k, v) for k, v in fields.items()])


def to_bibtex(pairs: Iterable[tuple[Entry, Venue]]) -> str:
    """BibTeX text for entries (each with its canonical venue), in the order given."""
    library = Library([bib_entry(e, v) for e, v in pairs])
    format_ = BibtexFormat()  # type: ignore[no-untyped-call]  # untyped upstream
    format_.indent = "  "
    format_.block_separator = "\n"
    return write_string(library, bibtex_format=format_).strip() + "\n"


# --------------------------------------------------------------------------- import

#: The summary an imported entry starts with; validation warns until it is replaced.
IMPORT_PLACEHOLDER = "TODO: write 2-6 sentences in your own words on what this paper shows."
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv[:\s/]*(?:abs/)?|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_VERSION = re.compile(r"v\d+$")
_STOPWORDS = {
    "a",
    "an",
    "the",
    "on",
    "of",
    "in",
    "for",
    "to",
    "and",
    "with",
    "from",
    "by",
    "at",
    "is",
    "are",
    "do",
    "does",
    "how",
    "why",
    "what",
    "when",
    "towards",
    "toward",
}


@dataclass(frozen=True)
class FailedBlock:
    """A BibTeX block bibtexparser could not read, with its 1-based line."""

    line: int
    message: str


@dataclass(frozen=True)
class ParsedEntry:
    """A BibTeX entry turned into entry-file data."""

    key: str
    line: int
    data: dict[str, Any]


def parse_bibtex(text: str) -> tuple[list[ParsedEntry], list[FailedBlock]]:
    """Read BibTeX with bibtexparser 2.x, decoding LaTeX and splitting names.

    Never raises: blocks that fail to parse, and second entries with a key
    already seen, come back as :class:`FailedBlock` with their line.
    """
    quiet = logging.getLogger("bibtexparser")
    saved = (quiet.level, quiet.propagate)
    quiet.setLevel(logging.CRITICAL)
    quiet.propagate = False
    try:
        library = parse_string(
            text,
            append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
        )
    finally:
        quiet.setLevel(saved[0])
        quiet.propagate = saved[1]
    failed = []
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            message = f"duplicate key '{block.key}': only the first entry with it is imported"
        else:
            reason = str(getattr(block, "error", "") or "").strip().split("\n")[0]
            message = "cannot parse this block" + (f": {reason}" if reason else "")
        failed.append(FailedBlock((block.start_line or 0) + 1, message))
    parsed = [ParsedEntry(e.key, (e.start_line or 0) + 1, _entry_data(e)) for e in library.entries]
    return parsed, failed


def _text(value: Any) -> str:
    return " ".join(str(value).replace("{", "").replace("}", "").split())


def _name(parts: Any) -> str:
    if isinstance(parts, NameParts):
        name = " ".join([*parts.first, *parts.von, *parts.last])
        name = _text(name)
        return f"{name}, {_text(' '.join(parts.jr))}" if parts.jr else name
    return _text(parts)


def _entry_data(entry: BibEntry) -> dict[str, Any]:
    fields = {f.key.lower(): f.value for f in entry.fields}
    data: dict[str, Any] = {}
    if "title" in fields:
        data["title"] = _text(fields["title"])
    authors = fields.get("author") or []
    if isinstance(authors, list):
        names = [_name(a) for a in authors]
        data["authors"] = [n for n in names if n and n.lower() != "others"]
    year = re.search(r"\d{4}", str(fields.get("year") or fields.get("date") or ""))
    if year:
        data["year"] = int(year.group())
    arxiv = _find_arxiv(fields)
    if arxiv:
        data["arxiv"] = arxiv
    doi = (
        _text(fields.get("doi", ""))
        .removeprefix("https://doi.org/")
        .removeprefix("http://dx.doi.org/")
    )
    if doi:
        data["doi"] = doi
    url = _text(fields.get("url", ""))
    if url.startswith(("http://", "https://")) and "arxiv.org" not in url and "doi.org" not in url:
        data["url"] = url
    venue = ""
    for key in ("journal", "journaltitle", "booktitle", "howpublished", "series", "publisher"):
        if fields.get(key):
            venue = _text(fields[key])
            break
    data["venue"] = venue
    extra = {
        k: _text(fields[k]).replace("–", "-").replace("--", "-").replace("-", "--")
        if k == "pages"
        else _text(fields[k])
        for k in ("volume", "number", "pages")
        if fields.get(k)
    }
    if extra:
        data["bibtex"] = extra
    return data


def _find_arxiv(fields: dict[str, Any]) -> str | None:
    prefix = _text(fields.get("archiveprefix", "") or fields.get("eprinttype", "")).lower()
    eprint = _text(fields.get("eprint", ""))
    candidates = []
    if eprint and (prefix == "arxiv" or not prefix):
        candidates.append(eprint)
    candidates += [_text(fields[k]) for k in ("arxiv", "arxivid") if fields.get(k)]
    for key in ("journal", "howpublished", "note", "url", "eprint"):
        match = _ARXIV_IN_TEXT.search(_text(fields.get(key, "")))
        if match:
            candidates.append(match.group(1))
    for candidate in candidates:
        candidate = _VERSION.sub("", candidate.removeprefix("arXiv:").strip())
        if ARXIV_RE.match(candidate):
            return candidate
    return None


def suggest_id(data: dict[str, Any], taken: set[str]) -> str:
    """``<surname><year><first-title-word>``, made unique with a letter, then a number."""
    authors = data.get("authors") or ["anonymous"]
    surname = slugify(authors[0].split(",")[0].split()[-1]).replace("-", "")
    words = [w for w in slugify(data.get("title", "")).split("-") if w not in _STOPWORDS]
    base = f"{surname}{data.get('year', '')}{words[0] if words else ''}"[:60] or "entry"
    if base not in taken:
        return base
    # base, baseb ... basez, then base-27, base-28, ...: always a valid id.
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if f"{base}{letter}" not in taken:
            return f"{base}{letter}"
    number = 27
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
