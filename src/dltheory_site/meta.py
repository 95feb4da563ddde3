"""Machine-readable metadata of a paper page: what Google Scholar, Zotero and link previews read.

Pure functions from an entry (and the taxonomy, for its venue and tags) to values:

- :func:`citation_meta`: Highwire-style ``citation_*`` tags, as Google Scholar's
  inclusion guidelines list them and Zotero's "Embedded Metadata" translator
  reads them;
- :func:`json_ld`: a schema.org ``ScholarlyArticle``;
- :func:`social_meta`: OpenGraph and Twitter card tags (description = the
  summary as plain text).

Values are plain text, never escaped here: the template ``_head_meta.html``
(autoescaped) writes them, and :func:`json_ld_text` makes the JSON safe inside a
``<script>`` element.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import nh3
from markupsafe import Markup
from pylatexenc.latex2text import LatexNodes2Text

from dltheory_site.csl import entry_url, split_name
from dltheory_site.model import Entry, Taxonomy, Venue
from dltheory_site.prose import BoundedMarkdown
from dltheory_site.text import WIKILINK_RE

#: The ``citation_*`` tag naming the venue, by venue kind (Google Scholar's names).
_VENUE_TAG = {
    "conference": "citation_conference_title",
    "journal": "citation_journal_title",
    "book": "citation_inbook_title",
}
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)
#: Longest description, in characters (link previews cut near 200).
DESCRIPTION_LIMIT = 300


def _venue(entry: Entry, taxonomy: Taxonomy) -> Venue:
    venue = taxonomy.venue(entry.venue)
    if venue is None:  # pragma: no cover - validated before
        raise KeyError(entry.venue)
    return venue


def scholar_author(name: str) -> str:
    """An author as ``Family, Given``: unambiguous for Scholar and Zotero, particles included."""
    parts = split_name(name)
    if "literal" in parts or "suffix" in parts or "given" not in parts:
        return " ".join(name.replace("{", "").replace("}", "").split())
    family = " ".join(filter(None, [parts.get("non-dropping-particle"), parts["family"]]))
    return f"{family}, {parts['given']}"


def _pages(entry: Entry) -> tuple[str, str]:
    pages = entry.bibtex.get("pages", "")
    first, _sep, last = re.sub(r"\s*(?:--|–|-)\s*", "-", pages.strip()).partition("-")
    return first, last


def citation_meta(
    entry: Entry, taxonomy: Taxonomy, page_url: str | None = None
) -> list[tuple[str, str]]:
    """The ``citation_*`` meta tags of a paper page, as (name, content) in page order.

    Args:
        entry: The paper.
        taxonomy: For the canonical venue (its kind picks conference, journal or
            book title) and the tag titles (``citation_keywords``).
        page_url: The page's absolute URL (needs ``site_url``), for
            ``citation_abstract_html_url``; left out when ``None``.
    """
    venue = _venue(entry, taxonomy)
    tags: list[tuple[str, str]] = [("citation_title", " ".join(entry.title.split()))]
    tags += [("citation_author", scholar_author(a)) for a in entry.authors]
    tags.append(("citation_publication_date", str(entry.year)))
    if venue.kind in _VENUE_TAG:
        tags.append((_VENUE_TAG[venue.kind], venue.name))
    else:
        tags.append(("citation_publisher", venue.short))
    extra = {k.strip().lower(): " ".join(v.split()) for k, v in entry.bibtex.items()}
    for key, name in (("volume", "citation_volume"), ("number", "citation_issue")):
        if extra.get(key):
            tags.append((name, extra[key]))
    first, last = _pages(entry)
    if first:
        tags.append(("citation_firstpage", first))
    if last:
        tags.append(("citation_lastpage", last))
    if extra.get("publisher") and venue.kind != "preprint":
        tags.append(("citation_publisher", extra["publisher"]))
    if entry.doi:
        tags.append(("citation_doi", entry.doi))
    if entry.arxiv:
        tags.append(("citation_arxiv_id", entry.arxiv))
        tags.append(("citation_pdf_url", f"https://arxiv.org/pdf/{entry.arxiv}"))
    if page_url:
        tags.append(("citation_abstract_html_url", page_url))
    tags += [
        ("citation_keywords", taxonomy.tag_map[t].title)
        for t in entry.tags
        if t in taxonomy.tag_map
    ]
    return tags


@lru_cache(maxsize=1)
def _latex_to_text() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


@lru_cache(maxsize=8192)
def readable_math(formula: str) -> str:
    """A formula (with its dollars) as Unicode text: ``$\\alpha^2/\\text{n}$`` -> ``α^2/n``.

    For places that show text, not rendered math: search snippets, link previews.
    Cached: a page's description, its link preview and its search document read the
    same formulas.
    """
    latex = formula.strip("$").strip()
    try:
        text = _latex_to_text().latex_to_text(latex)
    except Exception:
        return " ".join(latex.split())
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _markdown() -> BoundedMarkdown:
    # One converter, reset between texts: building one is most of a short text's cost.
    return BoundedMarkdown()


def plain_text(
    text: str,
    titles: Mapping[str, str] | None = None,
    limit: int | None = DESCRIPTION_LIMIT,
    math: Callable[[str], str] | None = None,
) -> str:
    """Markdown prose as one line of plain text, for descriptions.

    ``[[id|label]]`` becomes its label and ``[[id]]`` the title of that entry (from
    ``titles``, else the id); math stays as written between its dollars; markup and
    HTML are dropped and entities decoded. Cut at a word boundary with "…" when
    longer than ``limit`` characters. Each formula becomes readable text
    (:func:`readable_math`), or what ``math`` makes of it (with its dollars).
    """
    linked = tuple(
        (target, (titles or {}).get(target))
        for target in {m.group(1).strip() for m in WIKILINK_RE.finditer(text)}
    )
    plain = _plain(text, linked, math or readable_math)
    if limit is not None and len(plain) > limit:
        cut = plain[: limit - 1]
        if not plain[limit - 1].isspace():
            cut = cut.rsplit(" ", 1)[0]  # no half words
        plain = cut.rstrip(" ,;:.") + "…"
    return plain


@lru_cache(maxsize=4096)
def _plain(
    text: str, linked: tuple[tuple[str, str | None], ...], shown: Callable[[str], str]
) -> str:
    """:func:`plain_text` before the cut; ``linked``: the titles of the entries it links."""
    titles = dict(linked)
    maths: list[str] = []

    def keep_math(match: re.Match[str]) -> str:
        maths.append(match.group(0))
        return f"dltheorymath{len(maths) - 1}x"

    def link(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        return match.group(2) or titles.get(target) or target

    text = _MATH.sub(keep_math, WIKILINK_RE.sub(link, text))
    rendered = _markdown().convert(text)
    plain = html.unescape(nh3.clean(rendered, tags=set()))
    plain = " ".join(plain.split())
    return re.sub(r"dltheorymath(\d+)x", lambda m: shown(maths[int(m.group(1))]), plain)


def json_ld(
    entry: Entry,
    taxonomy: Taxonomy,
    page_url: str | None = None,
    *,
    titles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A schema.org ``ScholarlyArticle`` describing the paper (not the page about it)."""
    venue = _venue(entry, taxonomy)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": " ".join(entry.title.split()),
        "headline": " ".join(entry.title.split())[:110],
        "author": [_person(a) for a in entry.authors],
        "datePublished": str(entry.year),
        "description": plain_text(entry.summary, titles),
    }
    if venue.kind == "journal":
        data["isPartOf"] = {"@type": "Periodical", "name": venue.name}
    elif venue.kind == "preprint":
        data["publisher"] = {"@type": "Organization", "name": venue.short}
    else:
        data["isPartOf"] = {"@type": "CreativeWork", "name": venue.name}
    identifiers = []
    same_as = []
    if entry.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": entry.doi})
        same_as.append(f"https://doi.org/{entry.doi}")
    if entry.arxiv:
        identifiers.append({"@type": "PropertyValue", "propertyID": "arXiv", "value": entry.arxiv})
        same_as.append(f"https://arxiv.org/abs/{entry.arxiv}")
    url = entry_url(entry)
    if url and url not in same_as:
        same_as.insert(0, url)
    if identifiers:
        data["identifier"] = identifiers
    if same_as:
        data["sameAs"] = same_as
    keywords = [taxonomy.tag_map[t].title for t in entry.tags if t in taxonomy.tag_map]
    if keywords:
        data["keywords"] = keywords
    if page_url:
        data["url"] = page_url
        data["mainEntityOfPage"] = page_url
    return data


def _person(name: str) -> dict[str, str]:
    parts = split_name(name)
    person = {"@type": "Person", "name": " ".join(name.replace("{", "").replace("}", "").split())}
    if "family" in parts:
        family = " ".join(filter(None, [parts.get("non-dropping-particle"), parts["family"]]))
        person["familyName"] = family
    if "given" in parts:
        person["givenName"] = parts["given"]
    return person


def json_ld_text(data: Mapping[str, Any]) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``-style escapes, which JSON
    reads back unchanged, so no value can end the script element or open a comment.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def social_meta(
    entry: Entry,
    site_name: str,
    page_url: str | None = None,
    *,
    titles: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """OpenGraph (``og:*``, written with ``property=``) and Twitter card (``name=``) tags."""
    title = " ".join(entry.title.split())
    description = plain_text(entry.summary, titles, limit=200)
    tags = [
        ("og:type", "article"),
        ("og:title", title),
        ("og:description", description),
        ("og:site_name", site_name),
    ]
    if page_url:
        tags.append(("og:url", page_url))
    tags += [
        # Twitter reads og:title and og:description when its own tags are absent.
        ("twitter:card", "summary"),
    ]
    return tags


def head_values(
    entry: Entry,
    taxonomy: Taxonomy,
    site_name: str,
    page_url: str | None = None,
    *,
    titles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The values ``_head_meta.html`` takes: ``citation``, ``social`` and ``json_ld``."""
    return {
        "citation": citation_meta(entry, taxonomy, page_url),
        "social": social_meta(entry, site_name, page_url, titles=titles),
        "json_ld": json_ld_text(json_ld(entry, taxonomy, page_url, titles=titles)),
    }
