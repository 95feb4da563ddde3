"""BibTeX out of entries (the site's "cite" box and the whole-base ``.bib`` download).

The fields come from the entry; an entry's optional ``bibtex:`` mapping adds
fields the schema has no name for (volume, pages, publisher, ...). Writing goes
through bibtexparser 2.x, so what we write is what bibtexparser reads back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field
from bibtexparser.writer import BibtexFormat

from dltheory_site.model import Entry, Venue

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


def _latex(text: str) -> str:
    """Escape LaTeX specials and drop braces that do not balance, so BibTeX reads the value."""
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
        return "".join(c for c in out if c not in "{}")
    return "".join(out)


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
        fields["eprint"] = entry.arxiv
        fields["archiveprefix"] = "arXiv"
        if venue.kind == "preprint":
            fields["howpublished"] = f"arXiv:{entry.arxiv}"
    if entry.doi:
        fields["doi"] = entry.doi
    if entry.url:
        fields["url"] = entry.url
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
