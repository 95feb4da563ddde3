"""What rendering makes and keeps: the options it reads, the pages and files of a site.

Plain values shared by :mod:`dltheory_site.render` (which makes them), the MkDocs
plugin and ``generate`` (which hand them on): no rendering happens here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dltheory_site.model import Entry


@dataclass(frozen=True)
class RenderOptions:
    """Site settings the renderer needs (read from ``mkdocs.yml`` by the caller).

    Attributes:
        use_directory_urls: MkDocs' setting: ``papers/x/`` or ``papers/x.html``.
        templates_dir: A folder whose templates replace the package's of the same name.
        edit_base: URL prefix of the repository's edit view (``.../edit/main/``), or None.
        repo_url: The repository's address, for "Suggest a paper" links, or None.
        site_url: The site's public URL, for absolute links in the feed, or None.
        site_name: The site's name.
        permalink: The ``toc`` extension's permalink text (None: no permalinks), so that
            headings of pages rendered straight to HTML look like converted ones.
        permalink_title: The ``toc`` extension's permalink title.
    """

    use_directory_urls: bool = True
    templates_dir: Path | None = None
    edit_base: str | None = None
    repo_url: str | None = None
    site_url: str | None = None
    site_name: str = "Deep learning theory"
    permalink: str | None = "&para;"
    permalink_title: str = "Permanent link"


@dataclass(frozen=True)
class SitePage:
    """One generated page: its source path under the docs folder and its Markdown.

    Paper pages rendered for the plugin also carry ``html``, the finished body, and
    ``toc``, its table of contents as (level, id, title); their ``markdown`` is then
    only the front matter, since MkDocs does not convert them.
    """

    src: str
    title: str
    markdown: str
    edit_url: str | None = None
    html: str | None = None
    toc: tuple[tuple[int, str, str], ...] = ()
    head: str = ""


@dataclass(frozen=True)
class Site:
    """Everything the renderer makes for one build."""

    pages: tuple[SitePage, ...]
    files: Mapping[str, bytes]
    nav: list[Any] = field(default_factory=list)

    @property
    def nav_key(self) -> str:
        """The navigation as text: pages must be rebuilt when it changes."""
        return repr(self.nav)


@dataclass
class RenderCache:
    """What one build hands to the next under ``mkdocs serve``.

    Entries whose files did not change come back from the loader's cache as the
    very same objects, so a paper page whose entry and related entries are the
    same objects as last time (compared by identity, never by ``id()`` values,
    which can be reused) is not rendered again. A change of the taxonomy or of
    the options empties the cache.
    """

    #: Whether there is a next build to keep pages for (``serve``); a single build
    #: keeps nothing, so that its memory holds one page at a time.
    keep: bool = True
    taxonomy: Any = None
    options: Any = None
    prose: dict[tuple[Any, ...], Markup] = field(default_factory=dict)
    pages: dict[str, tuple[tuple[Any, ...], SitePage]] = field(default_factory=dict)
    bibtex: dict[str, tuple[Entry, str]] = field(default_factory=dict)
    csl: dict[str, tuple[Entry, str, bytes]] = field(default_factory=dict)
    spec_pages: dict[str, tuple[tuple[Any, ...], str]] = field(default_factory=dict)
    #: The Jinja environment, whose compiled templates a rebuild reuses.
    env: Any = None
