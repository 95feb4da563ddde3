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
from markupsafe import Markup, escape

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


# ---------------------------------------------------------------------- skeletons

#: What differs between two paper pages of one folder in the theme's page template: the
#: page's attributes and meta values it reads, and the head metadata the plugin adds.
SKELETON_FIELDS = ("meta_title", "title", "description", "canonical", "edit", "content", "head")


def _token(name: str) -> str:
    # A private-use character, a tag and an entity: each filter the theme applies to a
    # value (none, ``striptags``, ``e``) leaves a different trace of it.
    return f"\ue000{name}<i></i>&amp;\ue001"


def _forms(name: str) -> dict[str, str]:
    token = _token(name)
    return {
        token: "raw",
        str(Markup(token).striptags()): "striptags",
        str(escape(token)): "escape",
    }


def _transform(value: Any, how: str) -> str:
    if how == "raw":
        return str(value)
    if how == "striptags":
        return str(Markup(value).striptags())
    return str(escape(value))


_FORMS = {form: (name, how) for name in SKELETON_FIELDS for form, how in _forms(name).items()}
_FORM_RE = re.compile("|".join(re.escape(f) for f in sorted(_FORMS, key=len, reverse=True)))
#: Any trace of a token that is not one of the forms above (JSON, URL encoding...).
_TRACE_RE = re.compile("\ue000|\\\\ue000|ue000|%EE%80%80", re.I)


class Skeleton:
    """The theme's page for one kind of page, with a hole for each value that differs.

    Made from the page rendered with a token in place of each value
    (:meth:`from_probe`); :meth:`fill` puts a page's own values in, each through the
    filter the theme applied to it. A probe in which a token went through anything
    else makes no skeleton.
    """

    def __init__(self, parts: list[str | tuple[str, str]]) -> None:
        self.parts = parts

    @classmethod
    def from_probe(cls, output: str) -> Skeleton | None:
        parts: list[str | tuple[str, str]] = []
        last = 0
        for match in _FORM_RE.finditer(output):
            literal = output[last : match.start()]
            if _TRACE_RE.search(literal):
                return None
            parts.append(literal)
            parts.append(_FORMS[match.group(0)])
            last = match.end()
        rest = output[last:]
        if _TRACE_RE.search(rest):
            return None
        parts.append(rest)
        return cls(parts)

    def fill(self, values: dict[str, Any]) -> str:
        return "".join(
            p if isinstance(p, str) else _transform(values[p[0]], p[1]) for p in self.parts
        )


class ProbePage:
    """A page whose varying values are tokens (:class:`Skeleton`); the rest is the page's."""

    def __init__(self, page: Any, tokens: dict[str, Any]) -> None:
        self._page = page
        self.title = tokens["title"]
        self.canonical_url = tokens["canonical"]
        self.edit_url = tokens["edit"]
        self.content = tokens["content"]
        self.meta = {**page.meta}
        if self.meta.get("title"):
            self.meta["title"] = tokens["meta_title"]
        if self.meta.get("description"):
            self.meta["description"] = tokens["description"]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def skeleton_values(page: Any, head: Any) -> dict[str, Any]:
    """A page's values for :meth:`Skeleton.fill`."""
    return {
        "meta_title": page.meta.get("title"),
        "title": page.title,
        "description": page.meta.get("description"),
        "canonical": page.canonical_url,
        "edit": page.edit_url,
        "content": page.content,
        "head": head,
    }


class _AnswersAsValue:
    """A token that answers ``in`` as the value it stands for: Material writes a page's
    title as its heading unless the body has one (``"<h1" in page.content``)."""

    value: str

    def __contains__(self, part: object) -> bool:
        return isinstance(part, str) and part in self.value


class _Token(_AnswersAsValue, str):
    pass


class _MarkupToken(_AnswersAsValue, Markup):
    pass


def probe_tokens(values: dict[str, Any]) -> dict[str, Any]:
    """The tokens a :class:`ProbePage` and the probe's context hold: one for each value
    that is set (an empty one stays as it is, for the theme's ``if``)."""
    tokens: dict[str, Any] = {}
    for name in SKELETON_FIELDS:
        value = values[name]
        if not value:
            tokens[name] = value
            continue
        token = (_MarkupToken if isinstance(value, Markup) else _Token)(_token(name))
        token.value = str(value)
        tokens[name] = token
    return tokens


def skeleton_shape(values: dict[str, Any]) -> tuple[bool, ...]:
    """Which values are set, and whether the body has its heading: pages of one shape
    take the same branches of the theme."""
    return (
        *(bool(values[name]) for name in SKELETON_FIELDS),
        "<h1" in str(values["content"] or ""),
    )
