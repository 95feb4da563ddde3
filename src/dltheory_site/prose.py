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

import markdown
import nh3
from markupsafe import Markup

from dltheory_site.checks import WIKILINK_RE

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
    """Converts prose Markdown to sanitised HTML with one reused converter."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=["pymdownx.arithmatex", "tables", "sane_lists"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
            output_format="html",
        )

    def to_html(self, text: str, resolve: Resolver) -> Markup:
        """Render prose to safe HTML; ``[[id]]`` links go through ``resolve``."""
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

    @staticmethod
    def _link(match: re.Match[str], resolve: Resolver) -> str:
        target = match.group(1).strip()
        found = resolve(target)
        if found is None:
            return escape_markdown(match.group(0))
        label, url = found
        label = match.group(2) or label
        return f"[{escape_markdown(label)}]({url})"
