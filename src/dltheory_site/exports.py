"""Exports: the knowledge base as files for other tools, and the static assets.

The whole base as BibTeX and JSON, the Atom feed's values, and the KaTeX and site
assets that ship inside the package. Functions here return text or bytes; the
renderer decides where they go.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, MutableMapping
from importlib import resources
from pathlib import Path
from typing import Any

from dltheory_site import csl
from dltheory_site.bibtex import to_bibtex
from dltheory_site.citation import CitationError, ProjectCitation, read_citation
from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry
from dltheory_site.sitemap import entry_src
from dltheory_site.urls import page_url

#: Entries in the Atom feed.
FEED_SIZE = 50
#: Scripts and styles every page loads, all shipped inside the package.
KATEX_JS = (
    "assets/katex/katex.min.js",
    "assets/katex/contrib/auto-render.min.js",
    "assets/vendor/tablesort.min.js",
    "assets/vendor/tablesort.number.min.js",
    "assets/dltheory.js",
    "assets/explorer.js",
    "assets/graph.js",
)
KATEX_CSS = (
    "assets/katex/katex.min.css",
    "assets/dltheory.css",
    "assets/explorer.css",
    "assets/graph.css",
)

#: Entry id -> (the entry it was written for, its BibTeX), kept across serve rebuilds.
BibtexCache = MutableMapping[str, tuple[Entry, str]]


def bibtex_of(kb: KnowledgeBase, cache: BibtexCache) -> Callable[[Entry], str]:
    """A function giving each entry's BibTeX, filling ``cache`` for entries new or changed.

    Every missing entry is written in one pass (faster than one call each); an entry
    whose object is the one cached (the loader hands back unchanged entries as the very
    same objects) is not written again.
    """
    missing = [e for e in kb.entries if (c := cache.get(e.id)) is None or c[0] is not e]
    if missing:
        text = to_bibtex((e, kb.venue(e)) for e in missing)
        blocks = ["@" + b if not b.startswith("@") else b for b in text.split("\n@") if b.strip()]
        for entry, block in zip(missing, blocks, strict=True):
            cache[entry.id] = (entry, block.strip() + "\n")

    def bibtex(entry: Entry) -> str:
        cached = cache.get(entry.id)
        if cached is None or cached[0] is not entry:
            cache[entry.id] = (entry, to_bibtex([(entry, kb.venue(entry))]))
        return cache[entry.id][1]

    return bibtex


def entries_json(kb: KnowledgeBase, use_directory_urls: bool = True) -> str:
    """The whole knowledge base as JSON: taxonomy ids and every entry's fields."""
    payload = {
        "generated": dt.date.today().isoformat(),
        "count": len(kb.entries),
        "groups": [
            {
                "id": g.id,
                "number": g.number,
                "title": g.title,
                "subcategories": [{"id": g.full_id(s), "title": s.title} for s in g.subcategories],
            }
            for g in kb.taxonomy.groups
        ],
        "entries": [
            {
                **e.model_dump(mode="json", exclude_none=True),
                "venue_name": kb.venue(e).name,
                "page": page_url(entry_src(e), use_directory_urls),
            }
            for e in kb.entries
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def feed_values(
    kb: KnowledgeBase, site_url: str | None, use_directory_urls: bool = True
) -> dict[str, Any]:
    """What the Atom feed template needs: the newest entries and their absolute links."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = kb.recent[:FEED_SIZE]
    return {
        "base": base,
        "entries": entries,
        "updated": entries[0].added.isoformat() if entries else dt.date.today().isoformat(),
        "page": lambda e: base + page_url(entry_src(e), use_directory_urls),
    }


#: A paper's CSL-JSON file, and its item as written inside a list, by entry id, with
#: the entry they were made from.
CslCache = dict[str, tuple[Entry, str, bytes]]


def csl_files(kb: KnowledgeBase, cache: CslCache | None = None) -> dict[str, bytes]:
    """CSL-JSON of the whole base, of each group and of each paper, by path.

    ``cache`` (kept by ``mkdocs serve``) holds each paper's item and file; an entry
    whose object is the one cached is not written again. A list is its items' text
    joined, as ``json.dumps(items, indent=2)`` writes it.
    """
    cache = {} if cache is None else cache

    def cached(entry: Entry) -> tuple[Entry, str, bytes]:
        found = cache.get(entry.id)
        if found is None or found[0] is not entry:
            text = csl.to_csl_json(csl.paper_csl(kb, entry))
            found = cache[entry.id] = (entry, text[2:-3], text.encode())
        return found

    def document(entries: list[Entry]) -> bytes:
        if not entries:
            return csl.to_csl_json([]).encode()
        return ("[\n" + ",\n".join(cached(e)[1] for e in entries) + "\n]\n").encode()

    ordered = sorted(kb.entries, key=lambda e: e.id)
    out = {"downloads/dltheory.csl.json": document(ordered)}
    for group in kb.taxonomy.groups:
        members = [e for e in ordered if csl.in_group(e, group.id)]
        out[f"downloads/{group.id}.csl.json"] = document(members)
    for entry in kb.entries:
        out[csl_src(entry)] = cached(entry)[2]
    return out


def csl_src(entry: Entry) -> str:
    """Path of one paper's CSL-JSON file."""
    return f"downloads/papers/{entry.id}.csl.json"


def project_citation(root: Path) -> ProjectCitation | None:
    """The project's own ``CITATION.cff``, for the home page's "How to cite", if readable."""
    path = root / "CITATION.cff"
    if path.is_symlink():  # a pull request could point it at any file of the machine
        return None
    try:
        return read_citation(path)
    except CitationError:
        return None


def static_assets() -> dict[str, bytes]:
    """KaTeX and the site's own script and style, shipped inside the package."""
    root = resources.files("dltheory_site") / "assets"
    out: dict[str, bytes] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, name + "/")
            elif child.name not in {"README", "LICENSE"} or prefix.startswith("assets/katex"):
                out[name] = child.read_bytes()

    walk(root, "assets/")
    return out
