"""Prose fields (summaries, results, notes, overviews): Markdown and math to safe HTML.

One Markdown converter is made per build and reset between texts (making one
per page is where MkDocs spends much of a build). Math is kept for KaTeX by
pymdownx.arithmatex in generic mode. Every result goes through nh3, a
maintained allow-list sanitiser, so no script, handler, style or dangerous URL
from an entry reaches a page, whatever the Markdown and raw HTML it holds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from dltheory_site.text import WIKILINK_RE
from dltheory_site.urls import relink

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "b",
    "i",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "span",
    "div",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    "hr",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_CLASSES = {"span": {"arithmatex"}, "div": {"arithmatex"}}
URL_SCHEMES = {"http", "https", "mailto"}

#: Maps an entry id to (link label, URL relative to the current page), or None.
Resolver = Callable[[str], tuple[str, str] | None]

# Markdown and math punctuation become numeric entities: a backslash would not do,
# since arithmatex reads \( and \[ as math delimiters.
_MD_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]|~$:"})


def escape_markdown(text: str) -> str:
    """Escape text for a Markdown page: ``&<>`` as entities, Markdown punctuation backslashed.

    The result is safe as inline text anywhere in a Markdown page, table cells included.
    """
    return html.escape(" ".join(text.split()), quote=False).translate(_MD_ENTITIES)


_DISPLAY_MATH = re.compile(r"[ \t]*\$\$(.+?)\$\$[ \t]*\n?", re.S)


def _pad_display_math(text: str) -> str:
    """Make every ``$$...$$`` a block of its own, which is the only place Markdown sees it.

    Contributors write display math straight after a sentence, on one line or
    across several; without blank lines around it the ``$$`` would stay raw text
    inside the paragraph.
    """
    return _DISPLAY_MATH.sub(lambda m: "\n\n$$" + m.group(1).strip("\n") + "$$\n\n", text)


class ProseRenderer:
    """Converts prose Markdown to sanitised HTML with one reused converter.

    Args:
        previous: Results of an earlier build (``mkdocs serve`` keeps them across
            rebuilds); a text whose links resolve as before is not converted again.
    """

    def __init__(
        self,
        previous: dict[tuple[Any, ...], Markup] | None = None,
        use_directory_urls: bool = True,
    ) -> None:
        self._md = markdown.Markdown(
            extensions=["pymdownx.arithmatex", "tables", "sane_lists"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
            output_format="html",
        )
        self._src: str | None = None
        self._udu = use_directory_urls
        self._md.treeprocessors.register(
            _RelinkTreeprocessor(self._md, self._relink), "dltheory_relink", 1
        )
        self._previous = previous or {}
        #: The results of this build, to hand to the next one.
        self.results: dict[tuple[Any, ...], Markup] = {}

    def to_html(self, text: str, resolve: Resolver, src: str | None = None) -> Markup:
        """Render prose to safe HTML.

        Args:
            text: Markdown with math.
            resolve: Gives the label and URL of an ``[[id]]`` link.
            src: The source path of the page the text goes on: relative links to
                source files (``../groups/x/index.md``) become the built pages' URLs,
                as MkDocs makes them. None leaves them as written.
        """
        targets = tuple(resolve(m.group(1).strip()) for m in WIKILINK_RE.finditer(text))
        # Relative links depend on the page; most texts have none and are shared.
        key = (text, targets, src if "](" in text else None)
        found = self.results.get(key) or self._previous.get(key)
        if found is None:
            self._src = src
            found = self._convert(text, resolve)
        self.results[key] = found
        return found

    def _convert(self, text: str, resolve: Resolver) -> Markup:
        source = _pad_display_math(WIKILINK_RE.sub(lambda m: self._link(m, resolve), text))
        self._md.reset()
        raw = self._md.convert(source)
        clean = nh3.clean(
            raw,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            allowed_classes=ALLOWED_CLASSES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener nofollow",
            strip_comments=True,
        )
        return Markup(clean)

    def _relink(self, url: str) -> str:
        if self._src is None or not urlsplit(url).path.endswith(".md"):
            return url
        return relink(self._src, url, self._udu)

    @staticmethod
    def _link(match: re.Match[str], resolve: Resolver) -> str:
        target = match.group(1).strip()
        found = resolve(target)
        if found is None:
            return escape_markdown(match.group(0))
        label, url = found
        label = match.group(2) or label
        return f"[{escape_markdown(label)}]({url})"


class _RelinkTreeprocessor(Treeprocessor):  # type: ignore[misc]  # markdown is untyped
    """Rewrites relative links written against source files into URLs of built pages."""

    def __init__(self, md: markdown.Markdown, relink: Callable[[str], str]) -> None:
        super().__init__(md)
        self.relink = relink

    def run(self, root: Element) -> None:
        for element in root.iter():
            attr = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            value = element.get(attr) if attr else None
            if attr and value:
                element.set(attr, self.relink(value))


class PageConverter:
    """Converts generated Markdown pages with one reused converter.

    MkDocs makes a new converter, with every extension, for each page; for the
    hundreds of generated list pages (authors, tags, years) that setup is most of
    the cost. This converter is made once per build with the site's extensions and
    reset between pages. Links to source files (``../papers/x.md``) become links
    to the built pages, as MkDocs would make them.
    """

    def __init__(
        self, extensions: list[Any], configs: dict[str, Any], use_directory_urls: bool
    ) -> None:
        self._md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self._src = ""
        self._udu = use_directory_urls
        self._md.treeprocessors.register(
            _RelinkTreeprocessor(self._md, self._relink), "dltheory_relink", 1
        )

    def _relink(self, url: str) -> str:
        return relink(self._src, url, self._udu)

    def convert(self, src: str, text: str) -> tuple[str, list[dict[str, Any]]]:
        """HTML of a page's Markdown body, and its table-of-contents tokens."""
        self._src = src
        self._md.reset()
        html = self._md.convert(text)
        return html, list(getattr(self._md, "toc_tokens", []))
