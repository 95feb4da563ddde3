"""The project's own citation, read from ``CITATION.cff`` (Citation File Format 1.2.0).

One file says how to cite the review: GitHub's "Cite this repository" reads it,
and the home page's "How to cite" is drawn from the values here, so the two never
disagree. Only the fields that text needs are read; ``cffconvert --validate``
checks the whole file in the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dltheory_site.fsutil import read_plain_yaml
from dltheory_site.text import slugify


class CitationError(Exception):
    """``CITATION.cff`` cannot be read or lacks a field the citation needs."""


@dataclass(frozen=True)
class ProjectCitation:
    """The values of ``CITATION.cff`` that a "How to cite" section shows."""

    title: str
    authors: tuple[str, ...]
    message: str = ""
    version: str | None = None
    year: int | None = None
    url: str | None = None
    doi: str | None = None

    def reference(self) -> str:
        """One line in author-date form: ``Authors (year). Title (version x). URL``."""
        names = ", ".join(self.authors[:-1]) + (" and " if len(self.authors) > 1 else "")
        out = f"{names}{self.authors[-1]} ({self.year or 'n.d.'}). {self.title}"
        if self.version:
            out += f" (version {self.version})"
        out += "."
        if self.doi:
            out += f" https://doi.org/{self.doi}"
        elif self.url:
            out += f" {self.url}"
        return out

    def bibtex(self) -> str:
        """A ``@misc`` BibTeX entry (authors that are organisations stay in braces)."""
        key = slugify(self.title).split("-")[0] + (str(self.year) if self.year else "")
        fields = [
            ("title", "{" + self.title + "}"),
            ("author", " and ".join("{" + a + "}" if " " in a else a for a in self.authors)),
        ]
        if self.year:
            fields.append(("year", str(self.year)))
        if self.version:
            fields.append(("version", self.version))
        if self.doi:
            fields.append(("doi", self.doi))
        if self.url:
            fields.append(("url", self.url))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        return f"@misc{{{key},\n{body}\n}}\n"


def _person(author: dict[str, Any]) -> str:
    if author.get("name"):
        return str(author["name"]).strip()
    parts = [author.get(k) for k in ("given-names", "name-particle", "family-names", "name-suffix")]
    return " ".join(str(p).strip() for p in parts if p)


def citation_from_data(data: Any) -> ProjectCitation:
    """The citation values of parsed ``CITATION.cff`` data."""
    if not isinstance(data, dict):
        raise CitationError("CITATION.cff does not hold a mapping")
    title = str(data.get("title") or "").strip()
    authors = tuple(
        a for a in (_person(x) for x in data.get("authors") or [] if isinstance(x, dict)) if a
    )
    if not title or not authors:
        raise CitationError("CITATION.cff needs a title and at least one author")
    released = data.get("date-released")
    if isinstance(released, str):
        try:
            released = dt.date.fromisoformat(released)
        except ValueError as e:
            raise CitationError(f"CITATION.cff: date-released '{released}' is not a date") from e
    doi = data.get("doi")
    url = data.get("url") or data.get("repository-code")
    return ProjectCitation(
        title=title,
        authors=authors,
        message=" ".join(str(data.get("message") or "").split()),
        version=str(data["version"]) if data.get("version") is not None else None,
        year=released.year if isinstance(released, dt.date) else None,
        url=str(url) if url else None,
        doi=str(doi) if doi else None,
    )


def read_citation(path: Path) -> ProjectCitation:
    """Read ``CITATION.cff`` (safe YAML) into the values the home page shows.

    Raises:
        CitationError: The file is missing, is not YAML, or lacks title or authors.
    """
    try:
        data = read_plain_yaml(path)
    except ValueError as e:
        raise CitationError(str(e)) from e
    return citation_from_data(data)
