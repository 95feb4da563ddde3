"""Bibliographic data from the arXiv API and Crossref, for ``dltheory-site new``.

Real network code with a timeout and one clear message for every way it can
fail. The service addresses can be changed with ``DLTHEORY_ARXIV_API`` and
``DLTHEORY_CROSSREF_API`` (the tests point them at a local server).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from dltheory_site import __version__
from dltheory_site.model import ARXIV_RE, DOI_RE

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org/works/"
DEFAULT_TIMEOUT = 15.0
MAX_RESPONSE = 2 * 1024 * 1024
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


#: The next step when a service cannot help: the contributor's way on without a network.
BY_HAND = (
    "or write an empty entry with 'dltheory-site new ID' (make new ID=...) "
    "and fill in the fields by hand"
)


class FetchError(Exception):
    """A look-up failed; the message says why and what to do."""


@dataclass(frozen=True)
class Found:
    """What a service said about a paper (only the fields it gave)."""

    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str | None
    arxiv: str | None = None
    doi: str | None = None
    bibtex: dict[str, str] = field(default_factory=dict)


def _get(url: str, service: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"User-Agent": f"dltheory-site/{__version__} (knowledge base tooling)"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            raise FetchError(f"{service} has no record of it (HTTP 404)") from e
        raise FetchError(f"{service} answered HTTP {e.code}; try again later, {BY_HAND}") from e
    except TimeoutError as e:
        raise FetchError(
            f"{service} did not answer within {timeout:g} s; try again later, {BY_HAND}"
        ) from e
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise FetchError(
                f"{service} did not answer within {timeout:g} s; try again later, {BY_HAND}"
            ) from e
        raise FetchError(f"cannot reach {service}: {e.reason}; {BY_HAND}") from e
    if len(data) > MAX_RESPONSE:
        raise FetchError(f"{service} sent more than {MAX_RESPONSE} bytes; not read")
    return data


def fetch_arxiv(arxiv_id: str, timeout: float = DEFAULT_TIMEOUT) -> Found:
    """Title, authors, year and DOI of an arXiv paper from the arXiv API."""
    if not ARXIV_RE.match(arxiv_id):
        raise FetchError(f"'{arxiv_id}' is not an arXiv id (write it like 1806.07572)")
    base = os.environ.get("DLTHEORY_ARXIV_API", ARXIV_API)
    url = f"{base}?{urllib.parse.urlencode({'id_list': arxiv_id, 'max_results': 1})}"
    raw = _get(url, "the arXiv API", timeout)
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        raise FetchError("the arXiv API sent an answer that is not valid XML") from e
    entry = root.find(f"{_ATOM}entry")
    if entry is None or "api/errors" in (entry.findtext(f"{_ATOM}id") or ""):
        raise FetchError(f"arXiv has no paper {arxiv_id}")
    title = " ".join((entry.findtext(f"{_ATOM}title") or "").split())
    authors = tuple(
        " ".join((a.findtext(f"{_ATOM}name") or "").split())
        for a in entry.findall(f"{_ATOM}author")
    )
    published = entry.findtext(f"{_ATOM}published") or ""
    if not title or not authors or not re.match(r"^\d{4}-", published):
        raise FetchError("the arXiv API's answer lacks a title, authors or date")
    doi = (entry.findtext(f"{_ARXIV}doi") or "").strip() or None
    return Found(
        title,
        authors,
        int(published[:4]),
        "arXiv",
        arxiv_id,
        doi if doi and DOI_RE.match(doi) else None,
    )


def fetch_crossref(doi: str, timeout: float = DEFAULT_TIMEOUT) -> Found:
    """Title, authors, year, venue and volume/pages of a DOI from Crossref."""
    if not DOI_RE.match(doi):
        raise FetchError(f"'{doi}' is not a DOI (write it like 10.1145/307400.307435)")
    base = os.environ.get("DLTHEORY_CROSSREF_API", CROSSREF_API)
    raw = _get(base + urllib.parse.quote(doi, safe="/"), "Crossref", timeout)
    try:
        message = json.loads(raw)["message"]
        title = " ".join(str(message["title"][0]).split())
        authors = tuple(_crossref_name(a) for a in message.get("author", []))
        year = _crossref_year(message)
        container = message.get("container-title") or []
        venue = str(container[0]) if container else None
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise FetchError("Crossref sent an answer that could not be read") from e
    if not authors:
        raise FetchError("Crossref's record has no authors; fill them by hand")
    extra = {k: str(message[k]) for k in ("volume", "page") if message.get(k)}
    if "page" in extra:
        extra["pages"] = extra.pop("page").replace("-", "--")
    return Found(title, authors, year, venue, None, doi, extra)


def _crossref_name(author: dict[str, Any]) -> str:
    if "family" in author:
        return " ".join(f"{author.get('given', '')} {author['family']}".split())
    return str(author["name"])


def _crossref_year(message: dict[str, Any]) -> int | None:
    for key in ("published-print", "published-online", "issued", "created"):
        parts = (message.get(key) or {}).get("date-parts") or [[None]]
        if parts[0] and parts[0][0]:
            return int(parts[0][0])
    return None
