"""Search entries of paper pages, built from the data rather than parsed out of the page.

Material's search plugin splits each page's HTML into sections and keeps their text,
so a paper page became six documents ("Summary", "Cite", ...) whose snippets showed
LaTeX source and ran the author list into the venue. Here every paper is one
document: its title, then its authors, its venue and year, and its summary as plain
text, each in a paragraph of its own, with math as readable Unicode
(``\\sigma_w^2/\\text{width}`` becomes ``σ_w^2/width``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from dltheory_site import sitemap
from dltheory_site.kb import KnowledgeBase
from dltheory_site.meta import plain_text, readable_math
from dltheory_site.model import Entry
from dltheory_site.urls import page_url

#: Where generated paper pages live: their documents are replaced.
PAPERS = "papers/"


def paper_document(
    kb: KnowledgeBase, entry: Entry, use_directory_urls: bool, titles: Mapping[str, str]
) -> dict[str, str]:
    """The search document of one paper page (``titles``: entry id -> title, for links)."""
    venue = kb.venue(entry)
    summary = plain_text(entry.summary, titles, limit=None)
    paragraphs = (", ".join(entry.authors), f"{venue.name} ({venue.short}), {entry.year}", summary)
    return {
        "location": page_url(sitemap.entry_src(entry), use_directory_urls),
        "title": html.escape(entry.title, quote=False),
        "text": "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
    }


#: Math as arithmatex leaves it in a page, ``\(...\)`` or ``\[...\]``.
_PAGE_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def readable_page_text(text: str) -> str:
    """A search document's text with every formula of the page as readable text."""
    return _PAGE_MATH.sub(
        lambda m: html.escape(readable_math(html.unescape(m.group(1) or m.group(2) or "")), False),
        text,
    )


def replace_paper_documents(
    index: dict[str, Any], documents: Iterable[dict[str, str]]
) -> dict[str, Any]:
    """Material's search index with the documents of paper pages replaced by ``documents``."""
    kept = [
        {**d, "text": readable_page_text(str(d.get("text", "")))}
        for d in index.get("docs", [])
        if not str(d.get("location", "")).startswith(PAPERS)
    ]
    return {**index, "docs": [*kept, *documents]}


def rewrite_index(text: str, kb: KnowledgeBase, use_directory_urls: bool) -> str:
    """The text of ``search/search_index.json`` with one document per paper."""
    titles = {e.id: e.title for e in kb.entries}
    documents = (paper_document(kb, e, use_directory_urls, titles) for e in kb.entries)
    index = replace_paper_documents(json.loads(text), documents)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))
