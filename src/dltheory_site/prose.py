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
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from dltheory_site.diagnostics import Code, Diagnostic, problem
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


#: Characters the link patterns may scan per character of a text, all links together.
SCAN_BUDGET_FACTOR = 4
_LINK_PATTERNS = (
    "link",
    "image_link",
    "reference",
    "image_reference",
    "short_reference",
    "short_image_ref",
)


class _ScanBudget:
    """How many more characters the link patterns may scan in the current text."""

    def __init__(self) -> None:
        self.left = 0


def _bound_link_scanning(md: markdown.Markdown, budget: _ScanBudget) -> None:
    """Make link parsing linear in the text's length.

    Python-Markdown looks for the closing ``]`` (and ``)``) of every ``[`` by scanning
    forward, to the end of the text when there is none: a run of ``[`` costs the square
    of its length (a 90 KB entry held a strict build for 96 s). Each scan is charged to
    a budget of a few times the text's length; once it is spent, the remaining ``[``
    are text. Real prose spends a small part of it.
    """
    for name in _LINK_PATTERNS:
        if name not in md.inlinePatterns:
            continue
        processor = md.inlinePatterns[name]
        for attr, end in (("getText", 1), ("getLink", 2)):
            original = getattr(processor, attr, None)
            if original is not None:
                setattr(processor, attr, _charged(original, budget, end))


def _charged(original: Callable[..., Any], budget: _ScanBudget, end: int) -> Callable[..., Any]:
    def scan(data: str, index: int) -> Any:
        if budget.left <= 0:
            return ("", index, False) if end == 1 else ("", None, index, False)
        found = original(data, index)
        budget.left -= max(found[end] - index, 0)
        return found

    return scan


class BoundedMarkdown:
    """A reused Markdown converter whose link scanning is linear in the text's length.

    For prose turned into something other than a page (plain-text descriptions):
    the same protection as :class:`ProseRenderer` against runs of ``[``.
    """

    def __init__(self) -> None:
        self._md = markdown.Markdown()
        self._budget = _ScanBudget()
        _bound_link_scanning(self._md, self._budget)

    def convert(self, text: str) -> str:
        """HTML of ``text``; text nested past Python's recursion limit comes back escaped."""
        self._md.reset()
        self._budget.left = SCAN_BUDGET_FACTOR * len(text) + 1000
        try:
            return str(self._md.convert(text))
        except RecursionError:
            return f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>"


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
        self._budget = _ScanBudget()
        _bound_link_scanning(self._md, self._budget)
        self._previous = previous or {}
        #: The results of this build, to hand to the next one.
        self.results: dict[tuple[Any, ...], Markup] = {}
        #: How many results to keep (None: all, to hand to the next build; a build that
        #: hands nothing on keeps the latest few, for texts that repeat).
        self.keep: int | None = None

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
        if self.keep is not None and len(self.results) > self.keep:
            del self.results[next(iter(self.results))]
        return found

    def _convert(self, text: str, resolve: Resolver) -> Markup:
        source = _pad_display_math(WIKILINK_RE.sub(lambda m: self._link(m, resolve), text))
        self._md.reset()
        self._budget.left = SCAN_BUDGET_FACTOR * len(source) + 1000
        try:
            raw = self._md.convert(source)
        except RecursionError:
            # "- - - - ..." nests one list per dash; such a text is shown as plain text.
            raw = f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>"
        clean = nh3.clean(
            raw,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            allowed_classes=ALLOWED_CLASSES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener nofollow",
            strip_comments=True,
            attribute_filter=_drop_unsafe_href,
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


def _drop_unsafe_href(element: str, attribute: str, value: str) -> str | None:
    """nh3 keeps relative URLs, and ``//host`` looks relative: drop it like other schemes."""
    if attribute == "href" and unsafe_target(value):
        return None
    return value


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


#: Around an HTML block of a generated page (the ``html_block`` filter, plugin builds
#: only): the block goes into the page as it is, never through Markdown.
HTML_BLOCK_START = "<!-- dltheory:html -->"
HTML_BLOCK_END = "<!-- /dltheory:html -->"
_HTML_BLOCK = re.compile(
    re.escape(HTML_BLOCK_START) + r"\n(.*?)\n" + re.escape(HTML_BLOCK_END), re.S
)


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
        # Stands for a set-aside HTML block while Markdown runs; random, so no text
        # of a page can spell it.
        self._token = f"dltheoryblock{secrets.token_hex(8)}n"
        self._token_re = re.compile(rf"<p>{self._token}(\d+)x</p>|{self._token}(\d+)x")
        self._aside_re = re.compile(rf"<!--{self._token}(\d+)x-->")

    def _relink(self, url: str) -> str:
        return relink(self._src, url, self._udu)

    def convert(
        self, src: str, text: str, aside: list[str] | None = None
    ) -> tuple[str, list[dict[str, Any]]]:
        """HTML of a page's Markdown body, and its table-of-contents tokens.

        The HTML blocks between :data:`HTML_BLOCK_START` and :data:`HTML_BLOCK_END`
        (a page's long tables and lists, already HTML) are set aside and put back
        after the conversion: Markdown would only parse them and write them out
        again, which is most of the time a list page takes. With ``aside``, they
        are not put back but appended to it, each leaving a comment in its place
        (:meth:`restore` puts them back): a search indexer then reads the page
        without them (they are all left out of search).
        """
        self._src = src
        self._md.reset()
        blocks: list[str] = []

        def set_aside(match: re.Match[str]) -> str:
            blocks.append(match.group(1))
            return f"\n\n{self._token}{len(blocks) - 1}x\n\n"

        html = self._md.convert(_HTML_BLOCK.sub(set_aside, text))
        if blocks:
            start = 0 if aside is None else len(aside)
            if aside is not None:
                aside.extend(blocks)

            def put(match: re.Match[str]) -> str:
                i = int(match.group(1) or match.group(2))
                return blocks[i] if aside is None else f"<!--{self._token}{start + i}x-->"

            html = self._token_re.sub(put, html)
        return html, list(getattr(self._md, "toc_tokens", []))

    def restore(self, html: str, aside: list[str]) -> str:
        """``html`` with the blocks :meth:`convert` set ``aside`` back in their places."""
        return self._aside_re.sub(lambda m: aside[int(m.group(1))], html)


# --------------------------------------------------------------------------- hand-written pages

# Fenced code blocks, inline code and our own markers stay as they are.
_PROTECTED = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=fence)[ \t]*$|`[^`\n]*`|<!-- dltheory:[a-z:-]+ -->",
    re.S | re.M,
)
# A tag starts right after "<" ("a < b" is text); <https://...> is a Markdown autolink.
_TAG = re.compile(r"<(?!(?:https?|mailto):)/?[A-Za-z!?][^>]{0,200}>?", re.I)
# Inline link targets, autolinks and reference definitions.
_TARGET = re.compile(
    r"\]\(\s*<?(?P<inline>(?:[^()\s>]|\([^()\s]*\))*)"
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<ref>[^\s>]+)",
    re.M,
)
# An attribute list that sets a value ({: onclick="..." }, { style=... }).
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*=[^{}\n]*\}")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def unsafe_target(url: str) -> bool:
    """Whether a link target is neither http(s), mailto nor on the site.

    ``//host/x`` is refused too: it leaves the site with the page's own scheme.
    """
    compact = "".join(ch for ch in html.unescape(url) if ch.isprintable() and not ch.isspace())
    scheme = _SCHEME.match(compact)
    if scheme:
        return scheme.group(1).lower() not in URL_SCHEMES
    return compact.startswith(("//", "\\\\", "/\\", "\\/"))


def markdown_only(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """A hand-written page as Markdown only: raw HTML shown as text, unsafe links inert.

    Pages under ``docs/`` and ``CONTRIBUTING.md`` come in pull requests like entries.
    MkDocs passes raw HTML and attribute lists through, so here every tag becomes
    text (``&lt;``), every link whose target is not http(s), mailto, an anchor or a
    relative path points to ``#``, and an attribute list that sets a value is shown as
    text. Code and our ``<!-- dltheory:... -->`` markers are kept.

    Returns:
        The page, and (line, column, what) of each change, for warnings.
    """
    found: list[tuple[int, int, str]] = []
    out: list[str] = []
    pos = 0

    def place(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    def defuse(start: int, part: str) -> str:
        # (start, end, replacement, where the problem starts, what) in the original text.
        edits: list[tuple[int, int, str, int, str]] = []
        for m in _TAG.finditer(part):
            edits.append((m.start(), m.start() + 1, "&lt;", m.start(), m.group(0)[:40]))
        for m in _TARGET.finditer(part):
            group = "inline" if m.group("inline") is not None else "ref"
            value = m.group(group)
            if value and unsafe_target(value):
                edits.append((m.start(group), m.end(group), "#", m.start(group), value[:40]))
        for m in _ATTR_LIST.finditer(part):
            edits.append((m.start(), m.start() + 1, "&#123;", m.start(), m.group(0)[:40]))
        out: list[str] = []
        pos = 0
        for begin, finish, new, at, what in sorted(edits):
            if begin < pos:
                continue  # inside an earlier change
            found.append((*place(start + at), what))
            out += [part[pos:begin], new]
            pos = finish
        out.append(part[pos:])
        return "".join(out)

    for match in _PROTECTED.finditer(text):
        out.append(defuse(pos, text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(defuse(pos, text[pos:]))
    return "".join(out), found


def hand_written_page(text: str, path: str) -> tuple[str, list[Diagnostic]]:
    """:func:`markdown_only` with a W001 warning for each change (a strict build fails)."""
    safe, found = markdown_only(text)
    return safe, [
        problem(
            path,
            Code.UNSAFE_MARKUP,
            "",
            f"raw HTML or an unsafe link is shown as text: {what!r}",
            "hand-written pages are Markdown only; links must be http(s) or relative",
            line=line,
            col=col,
        )
        for line, col, what in found
    ]
