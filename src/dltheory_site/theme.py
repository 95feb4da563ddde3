"""What the plugin adds to the theme's Jinja environment.

The navigation is copied into every page, and rendering it is a large part of the
time MkDocs spends on a page. A page that is not in the navigation (a paper, an
author, a tag) shows it with nothing active, so its navigation depends only on the
folder the page sits in (its links are relative to it): :class:`NavCache` keeps it
per folder for one build, and ``overrides/partials/nav.html`` uses it. The theme's own
``partials/nav.html`` is reached as ``dlt-theme/partials/nav.html``
(:func:`theme_loader`). Under ``serve``, :class:`MemoryBytecodeCache` spares each
rebuild compiling the theme's templates again.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from jinja2.bccache import Bucket, BytecodeCache

#: The prefix under which the templates of the theme dirs after ours are found.
THEME_PREFIX = "dlt-theme"


def theme_loader(loader: BaseLoader | None, dirs: Iterable[str], overrides: str) -> BaseLoader:
    """``loader``, plus the theme dirs that come after ``overrides`` under ``dlt-theme/``."""
    dirs = list(dirs)
    after = dirs[dirs.index(overrides) + 1 :] if overrides in dirs else dirs
    theme = PrefixLoader({THEME_PREFIX: FileSystemLoader(after)})
    return ChoiceLoader([loader, theme]) if loader is not None else theme


class NavCache:
    """The rendered navigation of pages outside it, by folder, for one build."""

    def __init__(self, nav_pages: Iterable[str]) -> None:
        self.nav_pages = frozenset(nav_pages)
        self.html: dict[str, str] = {}

    def key(self, page: Any) -> str | None:
        """The folder of a page outside the navigation; ``None`` for a page in it.

        Pages in one folder link to any other page by the same relative URL.
        """
        file = getattr(page, "file", None)
        if file is None or file.src_uri in self.nav_pages:
            return None
        return posixpath.dirname(str(page.url).rstrip("/"))

    def keep(self, key: str, html: str) -> str:
        """Remember the navigation rendered for ``key``; returns it."""
        self.html[key] = html
        return html


class MemoryBytecodeCache(BytecodeCache):
    """Compiled theme templates kept in memory from one ``serve`` rebuild to the next.

    MkDocs makes a new theme environment for every build, which compiles every
    template again; Jinja checks each kept entry against the template's source.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
