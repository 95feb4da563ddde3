"""CSL-JSON out of entries, beside BibTeX: what Zotero, Mendeley, Pandoc and citeproc read.

Pure functions from an :class:`~dltheory_site.model.Entry` and its canonical
:class:`~dltheory_site.model.Venue` to CSL-JSON items (a list of them is a
CSL-JSON document, checked in the tests against the official ``csl-data.json``
schema). Names are split by the BibTeX rules, with the same parser that
``import-bib`` uses (bibtexparser's), so an author gets the same family and given
names in the ``.bib`` and in the ``.json``.

:func:`formatted_reference` renders one APA 7th edition reference with
citeproc-py; it needs the optional ``cite`` extra and costs about 7 ms per entry.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import nh3
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry, Venue

#: CSL item type for each venue kind (CSL 1.0.2 uses ``article`` for preprints).
CSL_TYPES = {
    "conference": "paper-conference",
    "journal": "article-journal",
    "preprint": "article",
    "book": "chapter",
}
#: Extra ``bibtex:`` fields of an entry that have a CSL variable.
_BIBTEX_TO_CSL = {
    "volume": "volume",
    "number": "issue",
    "pages": "page",
    "publisher": "publisher",
    "isbn": "ISBN",
    "issn": "ISSN",
}
# A suffix after the last comma of a name written first-name-first ("Martin Luther King, Jr.").
_SUFFIX = re.compile(r"^(?:jr|sr|[ivx]+)\.?$", re.IGNORECASE)


def split_name(name: str) -> dict[str, str]:
    """A CSL name (``family``, ``given``, particles, ``suffix``) from one author as written.

    Entries write names first name first (``Jürgen Müller``, ``Ludwig van
    Beethoven``, ``Martin Luther King, Jr.``); a single word is a family name,
    and a name in braces (``{Google Research}``) is kept whole as a ``literal``.
    """
    text = " ".join(name.split())
    if text.startswith("{") and text.endswith("}"):
        return {"literal": text[1:-1].strip()}
    suffix = ""
    head, sep, tail = text.rpartition(",")
    if sep and _SUFFIX.match(tail.strip()):
        text, suffix = head.strip(), tail.strip()
    try:
        parts = parse_single_name_into_parts(text)
    except InvalidNameError:  # unbalanced braces: no parts to split, keep it whole
        return {"literal": text.replace("{", "").replace("}", "").strip() or text}
    out: dict[str, str] = {"family": " ".join(parts.last).replace("{", "").replace("}", "")}
    if parts.first:
        out["given"] = " ".join(parts.first)
    if parts.von:
        out["non-dropping-particle"] = " ".join(parts.von)
    if suffix or parts.jr:
        out["suffix"] = suffix or " ".join(parts.jr)
    return out


def entry_url(entry: Entry) -> str | None:
    """The paper's address: its own ``url``, else its arXiv page, else its DOI."""
    if entry.url:
        return entry.url
    if entry.arxiv:
        return f"https://arxiv.org/abs/{entry.arxiv}"
    if entry.doi:
        return f"https://doi.org/{entry.doi}"
    return None


def csl_item(entry: Entry, venue: Venue) -> dict[str, Any]:
    """The CSL-JSON item of one entry.

    Args:
        entry: The entry.
        venue: Its canonical venue (``KnowledgeBase.venue(entry)``): the kind picks
            the CSL type, the full name is the ``container-title`` (or, for a
            preprint server, the ``publisher``).
    """
    item: dict[str, Any] = {
        "id": entry.id,
        "type": CSL_TYPES[venue.kind],
        "title": " ".join(entry.title.split()),
        "author": [split_name(a) for a in entry.authors],
        "issued": {"date-parts": [[entry.year]]},
    }
    if venue.kind == "preprint":
        item["publisher"] = venue.short
        if entry.arxiv:
            item["number"] = f"arXiv:{entry.arxiv}"
    else:
        item["container-title"] = venue.name
        item["container-title-short"] = venue.short
    if entry.doi:
        item["DOI"] = entry.doi
    url = entry_url(entry)
    if url:
        item["URL"] = url
    for key, value in entry.bibtex.items():
        name = _BIBTEX_TO_CSL.get(key.strip().lower())
        if name and name not in item:
            item[name] = " ".join(value.split()).replace("--", "–")
    return item


def csl_items(pairs: Iterable[tuple[Entry, Venue]]) -> list[dict[str, Any]]:
    """CSL-JSON items for entries (each with its canonical venue), in the order given."""
    return [csl_item(e, v) for e, v in pairs]


def to_csl_json(items: list[dict[str, Any]]) -> str:
    """A CSL-JSON document (a JSON array) as text, UTF-8 kept, one field per line."""
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def kb_csl(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The whole knowledge base as CSL-JSON items, ordered by id."""
    return csl_items((e, kb.venue(e)) for e in sorted(kb.entries, key=lambda e: e.id))


def in_group(entry: Entry, group_id: str) -> bool:
    """Whether any of an entry's categories is in the group (what a group's download holds)."""
    return any(c.split("/")[0] == group_id for c in entry.categories)


def group_csl(kb: KnowledgeBase, group_id: str) -> list[dict[str, Any]]:
    """The entries of a group (any of their categories in it), ordered by id."""
    entries = [e for e in kb.entries if in_group(e, group_id)]
    return csl_items((e, kb.venue(e)) for e in sorted(entries, key=lambda e: e.id))


def paper_csl(kb: KnowledgeBase, entry: Entry) -> list[dict[str, Any]]:
    """One paper as a CSL-JSON document (a list of one item, as reference managers expect)."""
    return [csl_item(entry, kb.venue(entry))]


# --------------------------------------------------------------------------- formatted


class CiteprocMissingError(RuntimeError):
    """citeproc-py is not installed (install the ``cite`` extra)."""


@lru_cache(maxsize=1)
def _apa_style() -> Any:
    try:
        from citeproc import CitationStylesStyle
    except ImportError as e:
        raise CiteprocMissingError(
            "formatted references need citeproc-py: pip install 'dltheory-site[cite]'"
        ) from e
    path = resources.files("dltheory_site") / "csl_styles" / "apa.csl"
    with resources.as_file(path) as style_file:
        return CitationStylesStyle(str(style_file), validate=False)


def formatted_reference(entry: Entry, venue: Venue, fmt: Literal["text", "html"] = "text") -> str:
    """The APA 7th edition reference of an entry, rendered by citeproc-py.

    ``html`` escapes the entry's text and marks italics with ``<i>``, so it can be
    put in a page as it is; ``text`` is plain text (not escaped).

    Raises:
        CiteprocMissingError: citeproc-py is not installed.
    """
    style = _apa_style()
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = csl_item(entry, venue)
    # APA capitalises the report number ("ArXiv:...") and repeats the URL's id: leave it out.
    item.pop("number", None)
    if fmt == "text":
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(entry.id)]))
        return " ".join(str(bibliography.bibliography()[0]).split())
    # citeproc-py's HTML formatter escapes its own terms but passes variables through
    # as they are: escape every value first, then keep only the tags APA uses.
    bibliography = CitationStylesBibliography(style, CiteProcJSON([_escaped(item)]), formatter.html)
    bibliography.register(Citation([CitationItem(entry.id)]))
    rendered = " ".join(str(bibliography.bibliography()[0]).split())
    return nh3.clean(rendered, tags={"i", "b", "sup", "sub"}, attributes={})


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value
