"""Render: the site map's pages through Jinja templates, the exports into files.

The result is a :class:`Site`: pages as Markdown sources (paper pages, for the
plugin, also as finished HTML bodies), static files (downloads, feed,
KaTeX) and the navigation. The MkDocs plugin hands these to MkDocs in memory;
``generate`` writes them to disk for any builder that reads ``mkdocs.yml``.
Nothing here knows MkDocs.

Templates live in ``dltheory_site/templates``; a site overrides any of them by
putting a file of the same name in its own templates folder. Python passes
values; templates hold all markup. Every template is autoescaped, so a value
from an entry that reaches a page without a filter is HTML-escaped; the ``md``
filter additionally neutralises Markdown punctuation, and prose fields go through
:class:`~dltheory_site.prose.ProseRenderer`, which sanitises their HTML.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, is_dataclass, replace
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup, escape

from dltheory_site import charts, exports, meta, sitemap, views
from dltheory_site.explorer import explorer_values
from dltheory_site.fsutil import read_inside
from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry, field_reference
from dltheory_site.prose import (
    HTML_BLOCK_END,
    HTML_BLOCK_START,
    ProseRenderer,
    escape_markdown,
    markdown_only,
)
from dltheory_site.site import RenderCache, RenderOptions, Site, SitePage
from dltheory_site.text import meta_text
from dltheory_site.urls import page_url, relative_url
from dltheory_site.views import Section

__all__ = [
    "RenderCache",
    "RenderOptions",
    "Site",
    "SitePage",
    "SiteRenderer",
    "environment",
    "markdown_text",
]

#: Markers that hand-written pages use to pull in generated parts.
MARKERS = {
    "<!-- dltheory:groups -->": "partials/groups.md",
    "<!-- dltheory:recent -->": "partials/recent.md",
    "<!-- dltheory:counts -->": "partials/counts.md",
    "<!-- dltheory:field-reference -->": "partials/field-reference.md",
    "<!-- dltheory:charts -->": "partials/charts.md",
    "<!-- dltheory:suggest -->": "partials/suggest.md",
    "<!-- dltheory:how-to-cite -->": "partials/how-to-cite.md",
}
#: Replaced by the project's CONTRIBUTING.md, so the site's page and the repository's
#: guide are one text.
CONTRIBUTING_MARKER = "<!-- dltheory:contributing -->"
RECENT_ON_HOME = 10


#: Templates whose page depends only on its ``PageSpec`` values and the taxonomy (no
#: global of the whole base): ``serve`` re-renders such a page only when they change.
VALUES_ONLY_TEMPLATES = frozenset({"author.md", "tag.md", "subcategory.md"})


def _value_key(value: Any) -> Any:
    """``value`` as nested tuples for :func:`_same`, entries kept as objects."""
    if isinstance(value, Entry):
        return value
    if isinstance(value, dict):
        return tuple((k, _value_key(v)) for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        return tuple(_value_key(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value), *(_value_key(getattr(value, f.name)) for f in fields(value)))
    return value


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Keys equal, with entries compared by identity."""
    return len(a) == len(b) and all(
        x is y if isinstance(x, Entry) else (_same(x, y) if isinstance(x, tuple) else x == y)
        for x, y in zip(a, b, strict=True)
    )


# ---------------------------------------------------------------------- filters


_INLINE_MATH = re.compile(r"\$([^$\n]+)\$")


def text_with_math(text: object) -> Markup:
    """The ``math`` filter: plain text (a relation's note) escaped, its ``$...$`` as math.

    Each formula becomes the span arithmatex makes, which KaTeX typesets in the page.
    """
    parts = _INLINE_MATH.split(str(text))
    return Markup("").join(
        escape(part) if i % 2 == 0 else Markup('<span class="arithmatex">\\(%s\\)</span>') % part
        for i, part in enumerate(parts)
    )


def markdown_text(text: object) -> Markup:
    """The ``md`` filter: text safe as inline Markdown (see ``escape_markdown``)."""
    return Markup(escape_markdown(str(text)))


def environment(options: RenderOptions) -> jinja2.Environment:
    """The Jinja environment: the site's templates folder first, then the package's."""
    loaders: list[jinja2.BaseLoader] = []
    if options.templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(options.templates_dir)))
    loaders.append(jinja2.PackageLoader("dltheory_site", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # Front matter is YAML: characters outside the BMP written as JSON's surrogate
    # escapes lost the page's title; written as themselves they load back unchanged.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.filters.update(
        md=markdown_text, math=text_with_math, authors_short=views.authors_short, meta=meta_text
    )
    return env


# ---------------------------------------------------------------------- renderer


class SiteRenderer:
    """Renders one knowledge base; make one per build, call :meth:`render`."""

    def __init__(
        self,
        kb: KnowledgeBase,
        options: RenderOptions | None = None,
        cache: RenderCache | None = None,
    ) -> None:
        self.kb = kb
        self.options = options or RenderOptions()
        self.cache = cache if cache is not None else RenderCache()
        if self.cache.taxonomy != kb.taxonomy or self.cache.options != self.options:
            self.cache.pages.clear()
            self.cache.bibtex.clear()
            self.cache.csl.clear()
            self.cache.spec_pages.clear()
            self.cache.env = None
            self.cache.taxonomy, self.cache.options = kb.taxonomy, self.options
        self.prose_renderer = ProseRenderer(self.cache.prose, self.options.use_directory_urls)
        self.bibtex = exports.bibtex_of(kb, self.cache.bibtex)
        self._titles = {e.id: e.title for e in kb.entries}
        if self.cache.env is None:
            self.cache.env = environment(self.options)
        self.env: jinja2.Environment = self.cache.env
        self._mark_blocks = False
        self.env.filters["html_block"] = self._html_block
        self.env.globals.update(
            kb=kb,
            taxonomy=kb.taxonomy,
            site_name=self.options.site_name,
            venue_of=kb.venue,
            cite_label=views.cite_label,
            subcategory=kb.taxonomy.subcategories.__getitem__,
            group_color=lambda gid: views.group_color(kb.taxonomy, gid),
            charts=lambda: charts.charts(kb),
            tags_by_count=lambda: views.tags_by_count(kb),
            authors_by_letter=lambda: views.authors_by_letter(kb),
            reading_path=lambda gid: views.reading_path(kb, gid),
            relation_groups=views.relation_groups,
            explorer=lambda: explorer_values(kb),
            entry_src=sitemap.entry_src,
            group_src=sitemap.group_src,
            sub_src=sitemap.sub_src,
            tag_src=sitemap.tag_src,
            author_src=sitemap.author_src,
            graph_src=sitemap.graph_src,
            csl_src=exports.csl_src,
            permalink=Markup(self.options.permalink) if self.options.permalink else None,
            permalink_title=self.options.permalink_title,
            suggest_url=(
                f"{self.options.repo_url}/issues/new?template=suggest-a-paper.yml"
                if self.options.repo_url
                else None
            ),
        )

    def _url_of(self, src: str) -> Callable[[Entry], str]:
        """The URL of a paper's page, relative to the page ``src``."""
        udu = self.options.use_directory_urls
        return lambda entry: relative_url(src, sitemap.entry_src(entry), udu)

    def _context(self, src: str) -> dict[str, Any]:
        """Functions bound to the page being rendered."""
        udu = self.options.use_directory_urls

        def url(to_src: str) -> str:
            return relative_url(src, to_src, udu)

        def link(to_src: str) -> str:
            # A Markdown link to a source file: MkDocs resolves it and checks it.
            return posixpath.relpath(to_src, posixpath.dirname(src) or ".")

        url_of = self._url_of(src)

        def resolve(target: str) -> tuple[str, str] | None:
            entry = self.kb.by_id.get(target)
            return None if entry is None else (views.cite_label(entry), url_of(entry))

        def prose(text: str) -> Markup:
            return self.prose_renderer.to_html(text, resolve, src)

        return {
            "page_src": src,
            "url": url,
            "link": link,
            "prose": prose,
            "prose_inline": lambda text: views.inline(prose(text)),
            "graph_data": lambda group_id: views.graph_data(self.kb, group_id, url_of),
            "neighbourhood": lambda entry: views.neighbourhood(self.kb, entry, url_of),
        }

    def _html_block(self, html: str) -> Markup:
        """The ``html_block`` filter: marks an HTML block that needs no Markdown pass.

        Only when rendering for the plugin, whose converter sets such blocks aside
        (``PageConverter``); the Markdown that ``generate`` writes stays as it was.
        """
        if not self._mark_blocks:
            return Markup(html)
        return Markup(f"{HTML_BLOCK_START}\n{html.strip(chr(10))}\n{HTML_BLOCK_END}\n")

    def _render(self, template: str, src: str, **values: Any) -> str:
        return self.env.get_template(template).render(**self._context(src), **values)

    def render(self, *, html_papers: bool = False, defer_papers: bool = False) -> Site:
        """All generated pages, downloads and the navigation.

        Args:
            html_papers: Render paper pages straight to HTML (for the plugin) instead
                of as Markdown (for ``generate`` and other builders).
            defer_papers: With ``html_papers``, leave paper bodies out (``html`` None,
                ``head`` empty): the caller renders each with :meth:`paper_page` when
                it writes the page, so the bodies are never all held at once.
        """
        if defer_papers and html_papers:
            papers = tuple(self.paper_stub(e) for e in self.kb.entries)
        else:
            papers = tuple(self.paper_page(e, html=html_papers) for e in self.kb.entries)
        # The plugin converts the other pages itself and sets their HTML blocks aside.
        self._mark_blocks = html_papers
        try:
            others = tuple(
                SitePage(s.src, s.title, self._spec_page(s)) for s in sitemap.page_specs(self.kb)
            )
        finally:
            self._mark_blocks = False
        pages = (*papers, *others)
        site = Site(pages, self.files(), sitemap.nav(self.kb))
        self.cache.prose = self.prose_renderer.results
        return site

    def _spec_page(self, spec: sitemap.PageSpec) -> str:
        """A page of the site map, from the cache when it depends on values only and they
        are the same (entries compared by identity, as for paper pages)."""
        values = dict(spec.values)
        view: dict[str, Any] = {}
        if spec.template == "graph.md":
            group = values["group"]
            view["graph"] = views.graph_data(
                self.kb, group.id if group else None, self._url_of(spec.src)
            )
        elif spec.template == "explorer.md":
            view["x"] = explorer_values(self.kb)
        values.update(view)
        if (spec.template not in VALUES_ONLY_TEMPLATES and not view) or not self.cache.keep:
            return self._render(spec.template, spec.src, title=spec.title, **values)
        # A graph or the explorer depends on all entries, but only through its view
        # (plain data, compared by equality): an edited summary leaves it as it was.
        key = (spec.template, spec.title, self._mark_blocks, _value_key(spec.values), view)
        cached = self.cache.spec_pages.get(spec.src)
        if cached is not None and _same(cached[0], key):
            return cached[1]
        text = self._render(spec.template, spec.src, title=spec.title, **values)
        self.cache.spec_pages[spec.src] = (key, text)
        return text

    def paper_page(self, entry: Entry, *, html: bool = False) -> SitePage:
        """The page of one paper, as Markdown or (``html``) as a finished HTML body."""
        links = self.kb.links(entry)
        key = (html, entry, tuple((x.entry, x.label, x.note, x.outgoing) for x in links))
        cached = self.cache.pages.get(entry.id)
        if cached is not None and _same(cached[0], key):
            return cached[1]
        sections = views.paper_sections(entry, links)
        stub = self.paper_stub(entry, sections)
        values: dict[str, Any] = {
            "title": entry.title,
            "entry": entry,
            "venue": self.kb.venue(entry),
            "links": links,
            "sections": {s.id: s for s in sections},
            "bibtex": self.bibtex(entry),
            "edit_url": stub.edit_url,
        }
        if html:
            body = self._render("paper.html", stub.src, as_markdown=False, **values)
            page = replace(stub, html=body, head=self._head(entry))
        else:
            body = self._render("paper.html", stub.src, as_markdown=True, **values)
            page = SitePage(stub.src, entry.title, f"{stub.markdown}\n{body}", stub.edit_url)
        if self.cache.keep:
            self.cache.pages[entry.id] = (key, page)
        return page

    def paper_stub(self, entry: Entry, sections: Sequence[Section] | None = None) -> SitePage:
        """A paper page without its body: front matter, edit link and table of contents."""
        if sections is None:
            sections = views.paper_sections(entry, self.kb.links(entry))
        src = sitemap.entry_src(entry)
        edit_base = self.options.edit_base
        edit_url = f"{edit_base}entries/{entry.id}.yaml" if edit_base else None
        front = self._render(
            "_paper_front.md", src, title=entry.title, entry=entry, venue=self.kb.venue(entry)
        )
        toc = tuple((2, s.id, s.title) for s in sections)
        return SitePage(src, entry.title, front, edit_url, None, toc)

    def _head(self, entry: Entry) -> str:
        """Citation, OpenGraph and JSON-LD tags of a paper page (``meta``), for its head."""
        site = self.options.site_url
        canonical = (
            site.rstrip("/")
            + "/"
            + page_url(sitemap.entry_src(entry), self.options.use_directory_urls)
            if site
            else None
        )
        values = meta.head_values(
            entry, self.kb.taxonomy, self.options.site_name, canonical, titles=self._titles
        )
        return self.env.get_template("_head_meta.html").render(**values)

    def expand_markers(self, markdown: str, src: str) -> str:
        """Replace the ``<!-- dltheory:... -->`` markers of a hand-written page."""
        if CONTRIBUTING_MARKER in markdown:
            # Only a file inside the project: a pull request may commit a link to any file.
            text = read_inside(self.kb.root / "CONTRIBUTING.md", self.kb.root) or ""
            body = text.split("\n", 1)[1] if text.startswith("# ") else text
            markdown = markdown.replace(CONTRIBUTING_MARKER, markdown_only(body.strip())[0])
        for marker, template in MARKERS.items():
            if marker in markdown:
                part = self._render(
                    template,
                    src,
                    recent_count=RECENT_ON_HOME,
                    fields=field_reference(),
                    project=exports.project_citation(self.kb.root),
                )
                markdown = markdown.replace(marker, part)
        return markdown

    def nav(self, hand_written: Iterable[str] = ()) -> list[Any]:
        """The navigation, with the hand-written pages that exist (see ``sitemap.nav``)."""
        return sitemap.nav(self.kb, hand_written)

    def files(self) -> dict[str, bytes]:
        """Downloads, the Atom feed and static assets, by path under the site root."""
        kb, udu = self.kb, self.options.use_directory_urls
        out: dict[str, bytes] = {
            "downloads/dltheory.bib": "\n".join(self.bibtex(e) for e in kb.entries).encode(),
            "downloads/entries.json": exports.entries_json(kb, udu).encode(),
            **exports.csl_files(kb, self.cache.csl if self.cache.keep else None),
            "feed.xml": self.feed().encode(),
        }
        for spec in sitemap.redirect_specs(kb):
            out[sitemap.redirect_path(spec, udu)] = self.redirect(spec).encode()
        out.update(exports.static_assets())
        return out

    def redirect(self, spec: sitemap.PageSpec) -> str:
        """The redirect page left at a renamed entry's old address."""
        udu = self.options.use_directory_urls
        new_src = sitemap.entry_src(spec.values["entry"])
        url = relative_url(spec.src, new_src, udu)
        site_url = self.options.site_url
        canonical = urljoin(site_url.rstrip("/") + "/", page_url(new_src, udu)) if site_url else url
        return self.env.get_template(spec.template).render(
            title=spec.title, url=url, canonical=canonical, **spec.values
        )

    def feed(self) -> str:
        """An Atom feed of the most recently added entries."""
        values = exports.feed_values(
            self.kb, self.options.site_url, self.options.use_directory_urls
        )
        return self.env.get_template("feed.xml").render(
            **values,
            # str() drops the Markup mark: the feed holds the HTML escaped, as type="html" wants.
            summary=lambda e: str(self.prose_renderer.to_html(e.summary, lambda _t: None)),
        )
