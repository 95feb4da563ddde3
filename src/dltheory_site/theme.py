"""What the plugin adds to the theme's Jinja environment.

The navigation is copied into every page, and rendering it is a large part of the
time MkDocs spends on a page. A page that is not in the navigation (a paper, an
author, a tag) shows it with nothing active, so its navigation depends only on the
folder the page sits in (its links are relative to it): :class:`NavCache` keeps it
per folder for one build, and ``overrides/partials/nav.html`` uses it. The theme's own
``partials/nav.html`` is reached as ``dlt-theme/partials/nav.html``
(:func:`theme_loader`). Under ``serve``, :class:`MemoryBytecodeCache` spares each
rebuild compiling the theme's templates again, and :class:`Unindent` keeps their
indentation out of the pages.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.ext import Extension

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


class PartCache:
    """Parts of the theme's page that are the same on every page of a folder.

    The search box, the palette switch, the logo, the repository link, the "back to
    top" button and the head's styles and scripts and the page's ``__config`` read only
    the site's settings; the only page-dependent thing in them is where their links
    point, relative to the page. Pages in one folder (at one depth) share those
    relative URLs, so each part is rendered once per build and folder. The theme's
    own templates are reached under ``dlt-theme/`` (:func:`theme_loader`).
    """

    def __init__(self) -> None:
        self.html: dict[tuple[str, str, str], str] = {}

    @staticmethod
    def key(name: str, page: Any, base_url: Any) -> tuple[str, str, str] | None:
        """``name`` with the folder of ``page`` and its ``base_url``; ``None``: no page."""
        url = getattr(page, "url", None)
        if url is None or base_url is None:
            return None
        return (name, str(base_url), posixpath.dirname(str(url).rstrip("/")))

    def keep(self, key: tuple[str, str, str], html: str) -> str:
        """Remember the part rendered for ``key``; returns it."""
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


_INDENT = re.compile(r"^[ \t]+", re.M)
#: The line break after a line that holds nothing but a comment or one Jinja tag that
#: writes nothing where it stands (not an include, a call or an expression).
_SILENT_TAGS = (
    "if|elif|else|endif|for|endfor|set|endset|macro|endmacro|import|from|extends"
    "|block|endblock|with|endwith|endfilter|endcall"
)
_TAG_LINE_END = re.compile(
    rf"^(\{{%-?\s*(?:{_SILENT_TAGS})\b[^\n]*?%\}}|\{{#[^\n]*#\}})[ \t]*\n", re.M
)


class Unindent(Extension):
    """Drops the layout of the theme's template source before it is compiled.

    Material's templates are indented for reading, with a line for each tag; the
    indentation and the empty lines went into every page (about a fifth of a paper
    page). Here each line loses its indentation, and a line holding only a tag that
    writes nothing there (``if``, ``for``, ``set``...) loses its line break, as with
    Jinja's ``trim_blocks``. What the layout separated is
    still separated by the line break before it, so the page reads the same; the
    theme has no ``<pre>`` or ``<textarea>`` whose text would change. Page content
    (``page.content``) is a value, not template source: its code keeps its spaces.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _TAG_LINE_END.sub(r"\1", _INDENT.sub("", source))
