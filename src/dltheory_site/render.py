"""Render the knowledge base into site pages and downloads, with Jinja templates.

The result is a :class:`Site`: pages as Markdown sources (``papers/<id>.md``,
``groups/<group>/index.md``, ...), static files (downloads, feed, KaTeX) and a
navigation. The MkDocs plugin hands these to MkDocs in memory; ``generate``
writes them to disk for any builder that reads ``mkdocs.yml``. Nothing here
knows MkDocs.

Templates live in ``dltheory_site/templates``; a site overrides any of them by
putting a file of the same name in its own templates folder. Python passes
values; templates hold all markup. Every template is autoescaped, so a value
from an entry that reaches a page without a filter is HTML-escaped; ``md``
additionally neutralises Markdown punctuation, and prose fields go through
:class:`~dltheory_site.prose.ProseRenderer`, which sanitises their HTML.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from dltheory_site.bibtex import to_bibtex
from dltheory_site.fsutil import read_inside
from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry, Group, Subcategory, field_reference
from dltheory_site.prose import ProseRenderer, escape_markdown, markdown_only
from dltheory_site.urls import page_url, relative_url

#: Markers that hand-written pages use to pull in generated parts.
MARKERS = {
    "<!-- dltheory:groups -->": "partials/groups.md",
    "<!-- dltheory:recent -->": "partials/recent.md",
    "<!-- dltheory:counts -->": "partials/counts.md",
    "<!-- dltheory:field-reference -->": "partials/field-reference.md",
    "<!-- dltheory:charts -->": "partials/charts.md",
}
#: Hand-written pages that the navigation lists after the generated ones, when present.
HAND_WRITTEN_NAV = {"contributing.md": "Contribute", "about.md": "About"}
RECENT_ON_HOME = 10
#: Related papers drawn around a paper (its page lists them all).
NEIGHBOURS = 12
#: Years with a bar of their own in the papers-per-year chart.
CHART_YEARS = 36
#: Group colours (Okabe-Ito palette, safe for colour-blind readers).
GROUP_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
FEED_SIZE = 50
KATEX_JS = (
    "assets/katex/katex.min.js",
    "assets/katex/contrib/auto-render.min.js",
    "assets/vendor/tablesort.min.js",
    "assets/vendor/tablesort.number.min.js",
    "assets/dltheory.js",
)
KATEX_CSS = ("assets/katex/katex.min.css", "assets/dltheory.css")


@dataclass(frozen=True)
class RenderOptions:
    """Site settings the renderer needs (read from ``mkdocs.yml`` by the caller).

    Attributes:
        use_directory_urls: MkDocs' setting: ``papers/x/`` or ``papers/x.html``.
        templates_dir: A folder whose templates replace the package's of the same name.
        edit_base: URL prefix of the repository's edit view (``.../edit/main/``), or None.
        site_url: The site's public URL, for absolute links in the feed, or None.
        site_name: The site's name.
    """

    use_directory_urls: bool = True
    templates_dir: Path | None = None
    edit_base: str | None = None
    site_url: str | None = None
    site_name: str = "Deep learning theory"


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
    kind: str
    edit_url: str | None = None
    html: str | None = None
    toc: tuple[tuple[int, str, str], ...] = ()


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


def _relative_src(from_src: str, to_src: str) -> str:
    """A Markdown link from one source file to another (MkDocs resolves and checks it)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


@dataclass
class RenderCache:
    """What one build hands to the next under ``mkdocs serve``.

    Entries whose files did not change come back from the loader's cache as the
    very same objects, so a paper page whose entry and related entries are the
    same objects as last time (compared by identity, never by ``id()`` values,
    which can be reused) is not rendered again. A change of the taxonomy or of
    the options empties the cache.
    """

    taxonomy: Any = None
    options: Any = None
    prose: dict[tuple[Any, ...], Markup] = field(default_factory=dict)
    pages: dict[str, tuple[tuple[Any, ...], SitePage]] = field(default_factory=dict)
    bibtex: dict[str, tuple[Entry, str]] = field(default_factory=dict)
    pictures: dict[str, tuple[tuple[Any, ...], bytes]] = field(default_factory=dict)


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Keys equal, with entries compared by identity."""
    return len(a) == len(b) and all(
        x is y if isinstance(x, Entry) else (_same(x, y) if isinstance(x, tuple) else x == y)
        for x, y in zip(a, b, strict=True)
    )


def meta_text(text: str) -> str:
    """A page title or description for front matter, safe in any theme.

    MkDocs themes print ``page.title`` and ``page.meta`` without escaping, and
    Material's ``striptags`` even unescapes entities first. So the value is
    HTML-escaped and cannot form a tag or end an attribute in any of those places:
    angle brackets become the look-alike quotation marks ‹ ›, double quotes become ″.
    """
    plain = " ".join(str(text).split()).replace("<", "‹").replace(">", "›").replace('"', "″")
    return html_escape(plain, quote=True)


class SiteRenderer:
    """Renders one knowledge base; build one per build, call :meth:`render`."""

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
            self.cache.pictures.clear()
            self.cache.taxonomy, self.cache.options = kb.taxonomy, self.options
        self.prose_renderer = ProseRenderer(self.cache.prose)
        loaders: list[jinja2.BaseLoader] = []
        if self.options.templates_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(self.options.templates_dir)))
        loaders.append(jinja2.PackageLoader("dltheory_site", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
        # Front matter is YAML: characters outside the BMP written as JSON's surrogate
        # escapes lost the page's title; written as themselves they load back unchanged.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        self.env.filters["md"] = lambda s: Markup(escape_markdown(str(s)))
        self.env.filters["authors_short"] = self.authors_short
        self.env.filters["meta"] = meta_text
        self.env.globals.update(kb=kb, taxonomy=kb.taxonomy, site_name=self.options.site_name)

    # ------------------------------------------------------------------ paths

    @staticmethod
    def entry_src(entry: Entry | str) -> str:
        """Source path of a paper page."""
        return f"papers/{entry if isinstance(entry, str) else entry.id}.md"

    @staticmethod
    def group_src(group: Group | str) -> str:
        """Source path of a group page."""
        return f"groups/{group if isinstance(group, str) else group.id}/index.md"

    @staticmethod
    def sub_src(full_id: str) -> str:
        """Source path of a subcategory page (``complexity/pac-bayes``)."""
        group, sub = full_id.split("/", 1)
        return f"groups/{group}/{sub}.md"

    @staticmethod
    def graph_src(group_id: str | None) -> str:
        """Source path of the relation graph of a group, or of everything (None)."""
        return f"graphs/{group_id}.md" if group_id else "graphs/index.md"

    @staticmethod
    def tag_src(tag_id: str) -> str:
        """Source path of a tag page."""
        return f"tags/{tag_id}.md"

    @staticmethod
    def author_src(slug: str) -> str:
        """Source path of an author page."""
        return f"authors/{slug}.md"

    # ------------------------------------------------------------------ helpers

    def authors_short(self, entry: Entry, limit: int = 3) -> str:
        """``A, B and C`` or ``A, B, C et al.`` for tables."""
        names = list(entry.authors)
        if len(names) > limit + 1:
            return ", ".join(names[:limit]) + " et al."
        if len(names) > 1:
            return ", ".join(names[:-1]) + " and " + names[-1]
        return names[0]

    def cite_label(self, entry: Entry) -> str:
        """``Jacot et al. (2018)``: how prose links name an entry."""
        surnames = [a.split()[-1] for a in entry.authors]
        if len(surnames) == 1:
            who = surnames[0]
        elif len(surnames) == 2:
            who = f"{surnames[0]} and {surnames[1]}"
        else:
            who = f"{surnames[0]} et al."
        return f"{who} ({entry.year})"

    def _prefill_bibtex(self) -> None:
        """Write the BibTeX of every entry not cached yet, in one pass (faster than one each)."""
        missing = [
            e
            for e in self.kb.entries
            if (c := self.cache.bibtex.get(e.id)) is None or c[0] is not e
        ]
        if not missing:
            return
        text = to_bibtex((e, self.kb.venue(e)) for e in missing)
        blocks = ["@" + b if not b.startswith("@") else b for b in text.split("\n@") if b.strip()]
        for entry, block in zip(missing, blocks, strict=True):
            self.cache.bibtex[entry.id] = (entry, block.strip() + "\n")

    def bibtex(self, entry: Entry) -> str:
        """The BibTeX of one entry (kept across serve rebuilds while the entry is unchanged)."""
        cached = self.cache.bibtex.get(entry.id)
        if cached is not None and cached[0] is entry:
            return cached[1]
        text = to_bibtex([(entry, self.kb.venue(entry))])
        self.cache.bibtex[entry.id] = (entry, text)
        return text

    def _context(self, src: str) -> dict[str, Any]:
        """Functions bound to the page being rendered."""
        udu = self.options.use_directory_urls

        def link(to_src: str) -> str:
            return _relative_src(src, to_src)

        def url(to_src: str) -> str:
            return relative_url(src, to_src, udu)

        def resolve(target: str) -> tuple[str, str] | None:
            entry = self.kb.by_id.get(target)
            if entry is None:
                return None
            return self.cite_label(entry), url(self.entry_src(entry))

        def prose(text: str) -> Markup:
            return self.prose_renderer.to_html(text, resolve)

        return {
            "page_src": src,
            "link": link,
            "url": url,
            "prose": prose,
            "entry_src": self.entry_src,
            "group_src": self.group_src,
            "sub_src": self.sub_src,
            "tag_src": self.tag_src,
            "author_src": self.author_src,
            "graph_src": self.graph_src,
            "venue_of": self.kb.venue,
            "cite_label": self.cite_label,
            "subcategory": self._subcategory,
            "group_color": self.group_color,
            "charts": lambda: self.charts(),
            "neighbourhood_src": self.neighbourhood_src,
            "prose_inline": lambda text: self._inline(prose(text)),
        }

    def group_color(self, group_id: str) -> str:
        """The colour of a group in graphs and charts (a colour-blind-safe palette)."""
        ids = [g.id for g in self.kb.taxonomy.groups]
        return (
            GROUP_COLORS[ids.index(group_id) % len(GROUP_COLORS)] if group_id in ids else "#888888"
        )

    @staticmethod
    def _inline(html: Markup) -> Markup:
        """Prose HTML of one paragraph without its <p>, for a table cell."""
        text = str(html)
        if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
            text = text[3:-4]
        return Markup(text)  # already sanitised prose

    def graph_data(self, src: str, group_id: str | None) -> dict[str, Any]:
        """Nodes and edges of the relation graph of a group (with its neighbours) or of all."""
        kb = self.kb
        core = kb.by_group[group_id] if group_id else kb.entries
        ids = {e.id for e in core}
        edges = []
        for e in core:
            for rel in e.relations:
                if rel.target in kb.by_id and rel.target != e.id:
                    edges.append(
                        {
                            "source": e.id,
                            "target": rel.target,
                            "type": rel.type,
                            "label": kb.taxonomy.relation_map[rel.type].label,
                        }
                    )
        for e in kb.entries:  # papers of other groups that relate to this group's
            if e.id not in ids:
                for rel in e.relations:
                    if rel.target in ids:
                        edges.append(
                            {
                                "source": e.id,
                                "target": rel.target,
                                "type": rel.type,
                                "label": kb.taxonomy.relation_map[rel.type].label,
                            }
                        )
        shown = ids | {x for edge in edges for x in (edge["source"], edge["target"])}
        nodes = [
            {
                "id": e.id,
                "label": self.cite_label(e),
                "title": e.title,
                "group": e.group_id,
                "color": self.group_color(e.group_id),
                "url": relative_url(src, self.entry_src(e), self.options.use_directory_urls),
                "core": e.id in ids,
            }
            for e in kb.entries
            if e.id in shown
        ]
        return {"nodes": nodes, "edges": edges}

    @staticmethod
    def neighbourhood_src(entry: Entry) -> str:
        """Path of the SVG picture of a paper's neighbourhood."""
        return f"neighbourhoods/{entry.id}.svg"

    def neighbourhood(self, src: str, entry: Entry) -> dict[str, Any] | None:
        """A small radial picture of a paper and the papers it is related to.

        Args:
            src: The path of the file the picture's links start from.
            entry: The paper in the middle.
        """
        links = self.kb.links(entry)
        if not links:
            return None
        size, radius = 380, 125
        others = list(dict.fromkeys(link.entry.id for link in links))[:NEIGHBOURS]
        nodes = []
        for i, other_id in enumerate(others):
            angle = 2 * math.pi * i / len(others) - math.pi / 2
            other = self.kb.by_id[other_id]
            nodes.append(
                {
                    "x": round(size / 2 + radius * math.cos(angle), 1),
                    "y": round(size / 2 + radius * math.sin(angle), 1),
                    "label": self.cite_label(other),
                    "title": other.title,
                    "color": self.group_color(other.group_id),
                    "url": relative_url(
                        src, self.entry_src(other), self.options.use_directory_urls
                    ),
                    "relation": next(link.label for link in links if link.entry.id == other_id),
                }
            )
        return {
            "size": size,
            "center": size / 2,
            "nodes": nodes,
            "color": self.group_color(entry.group_id),
            "label": self.cite_label(entry),
        }

    def charts(self) -> dict[str, Any]:
        """Bar and line geometry of the two statistics charts (drawn by templates as SVG)."""
        kb = self.kb
        groups = [g.id for g in kb.taxonomy.groups]
        years = sorted(kb.by_year) if kb.entries else []
        width, height, pad = 640, 220, 30
        bars: list[dict[str, Any]] = []
        if years:
            # The last CHART_YEARS years get a bar each; older papers share one bar.
            first = max(years[0], years[-1] - CHART_YEARS + 1)
            span: list[int | str] = list(range(first, years[-1] + 1))
            counts: dict[int | str, Counter[str]] = {
                y: Counter(e.group_id for e in kb.by_year.get(y, ()))
                for y in span
                if isinstance(y, int)
            }
            if years[0] < first:
                counts["earlier"] = Counter(
                    e.group_id for y in years if y < first for e in kb.by_year[y]
                )
                span.insert(0, "earlier")
            top = max(sum(c.values()) for c in counts.values()) or 1
            step = (width - 2 * pad) / len(span)
            for i, year in enumerate(span):
                y0: float = height - pad
                for gid in groups:
                    n = counts[year].get(gid, 0)
                    if n:
                        h = (height - 2 * pad) * n / top
                        bars.append(
                            {
                                "x": round(pad + i * step, 1),
                                "y": round(y0 - h, 1),
                                "w": round(max(step - 1, 1), 1),
                                "h": round(h, 1),
                                "color": self.group_color(gid),
                                "title": f"{year}, group {groups.index(gid) + 1}: {n}",
                            }
                        )
                        y0 -= h
            ticks = [
                {
                    "x": round(pad + i * step + step / 2, 1),
                    "label": f"before {first}" if y == "earlier" else str(y),
                }
                for i, y in enumerate(span)
                if y == "earlier" or int(y) % 5 == 0
            ]
        else:
            top, ticks = 0, []
        # Growth: entries in the knowledge base by the day they were added.
        added = sorted(e.added for e in kb.entries)
        points = []
        if added:
            first, last = added[0].toordinal(), added[-1].toordinal()
            days = max(last - first, 1)
            for i, day in enumerate(added):
                points.append(
                    (
                        round(pad + (width - 2 * pad) * (day.toordinal() - first) / days, 1),
                        round(height - pad - (height - 2 * pad) * (i + 1) / len(added), 1),
                    )
                )
        return {
            "width": width,
            "height": height,
            "pad": pad,
            "bars": bars,
            "ticks": ticks,
            "top": top,
            "legend": [
                (g.number, g.short_title, self.group_color(g.id)) for g in kb.taxonomy.groups
            ],
            "growth": " ".join(f"{x},{y}" for x, y in points),
            "growth_start": added[0].isoformat() if added else "",
            "growth_end": added[-1].isoformat() if added else "",
            "total": len(kb.entries),
        }

    def _subcategory(self, full_id: str) -> tuple[Group, Subcategory]:
        return self.kb.taxonomy.subcategories[full_id]

    def _render(self, template: str, src: str, **values: Any) -> str:
        return self.env.get_template(template).render(**self._context(src), **values)

    def _page(self, template: str, src: str, title: str, kind: str, **values: Any) -> SitePage:
        return SitePage(
            src,
            title,
            self._render(template, src, title=title, **values),
            kind,
            values.pop("edit_url", None),
        )

    # ------------------------------------------------------------------ pages

    def render(self, *, html_papers: bool = False) -> Site:
        """All generated pages, downloads and the navigation.

        Args:
            html_papers: Render paper pages straight to HTML (for the plugin) instead
                of as Markdown (for ``generate`` and other builders).
        """
        kb = self.kb
        self._prefill_bibtex()
        pages: list[SitePage] = []
        for entry in kb.entries:
            pages.append(self.paper_page(entry, html=html_papers))
        for group in kb.taxonomy.groups:
            pages.append(
                self._page("group.md", self.group_src(group), group.title, "group", group=group)
            )
            for sub in group.subcategories:
                full = group.full_id(sub)
                pages.append(
                    self._page(
                        "subcategory.md",
                        self.sub_src(full),
                        sub.title,
                        "subcategory",
                        group=group,
                        sub=sub,
                        full_id=full,
                        entries=kb.by_subcategory[full],
                    )
                )
        for group in kb.taxonomy.groups:
            pages.append(
                self._page(
                    "graph.md",
                    self.graph_src(group.id),
                    f"Relation graph: {group.short_title}",
                    "graph",
                    group=group,
                    graph=self.graph_data(self.graph_src(group.id), group.id),
                )
            )
        pages.append(
            self._page(
                "graph.md",
                self.graph_src(None),
                "Relation graph",
                "graph",
                group=None,
                graph=self.graph_data(self.graph_src(None), None),
            )
        )
        pages.append(
            self._page(
                "statistics.md", "statistics.md", "Statistics", "statistics", stats=kb.stats()
            )
        )
        pages.append(self._page("tags.md", "tags/index.md", "Tags", "tags"))
        for tag_id, entries in kb.by_tag.items():
            tag = kb.tag(tag_id)
            pages.append(
                self._page(
                    "tag.md",
                    self.tag_src(tag_id),
                    f"Tag: {tag.title}",
                    "tag",
                    tag=tag,
                    entries=entries,
                )
            )
        pages.append(self._page("authors.md", "authors/index.md", "Authors", "authors"))
        for author in kb.authors.values():
            pages.append(
                self._page(
                    "author.md", self.author_src(author.slug), author.name, "author", author=author
                )
            )
        pages.append(self._page("years.md", "timeline.md", "Timeline", "timeline"))
        pages.append(self._page("venues.md", "venues.md", "Venues", "venues"))
        pages.append(self._page("recent.md", "recent.md", "Recently added", "recent"))
        pages.append(self._page("downloads.md", "downloads.md", "Downloads", "downloads"))
        site = Site(tuple(pages), self.files(), self.nav())
        self.cache.prose = self.prose_renderer.results
        return site

    def paper_page(self, entry: Entry, *, html: bool = False) -> SitePage:
        """The page of one paper, as Markdown or (``html``) as a finished HTML body."""
        links = self.kb.links(entry)
        key = (html, entry, tuple((x.entry, x.label, x.note, x.outgoing) for x in links))
        cached = self.cache.pages.get(entry.id)
        if cached is not None and _same(cached[0], key):
            return cached[1]
        page = self._paper_page(entry, html)
        self.cache.pages[entry.id] = (key, page)
        return page

    def _paper_page(self, entry: Entry, html: bool) -> SitePage:
        src = self.entry_src(entry)
        edit_url = (
            f"{self.options.edit_base}entries/{entry.id}.yaml" if self.options.edit_base else None
        )
        values = {
            "title": entry.title,
            "entry": entry,
            "venue": self.kb.venue(entry),
            "links": self.kb.links(entry),
            "bibtex": self.bibtex(entry),
            "edit_url": edit_url,
        }
        if not html:
            return SitePage(
                src, entry.title, self._render("paper.md", src, **values), "paper", edit_url
            )
        toc = [(2, "summary", "Summary")]
        if entry.results:
            toc.append((2, "key-results", "Key results"))
        if entry.notes:
            toc.append((2, "notes", "Notes"))
        toc.append((2, "categories-and-tags", "Categories and tags"))
        if values["links"]:
            toc.append((2, "related-papers", "Related papers"))
        toc.append((2, "cite", "Cite"))
        return SitePage(
            src,
            entry.title,
            self._render("_paper_front.md", src, **values),
            "paper",
            edit_url,
            html=self._render("paper.html", src, **values),
            toc=tuple(toc),
        )

    def expand_markers(self, markdown: str, src: str) -> str:
        """Replace the ``<!-- dltheory:... -->`` markers of a hand-written page.

        ``<!-- dltheory:contributing -->`` is replaced by the project's CONTRIBUTING.md
        (without its title), so the site's contribute page and the repository's guide
        are one text.
        """
        marker = "<!-- dltheory:contributing -->"
        if marker in markdown:
            text = read_inside(self.kb.root / "CONTRIBUTING.md", self.kb.root) or ""
            body = text.split("\n", 1)[1] if text.startswith("# ") else text
            markdown = markdown.replace(marker, markdown_only(body.strip())[0])
        for marker, template in MARKERS.items():
            if marker in markdown:
                part = self._render(
                    template, src, recent_count=RECENT_ON_HOME, fields=field_reference()
                )
                markdown = markdown.replace(marker, part)
        return markdown

    # ------------------------------------------------------------------ files

    def files(self) -> dict[str, bytes]:
        """Downloads, the Atom feed and the static assets, by path under the site root."""
        kb = self.kb
        out: dict[str, bytes] = {
            "downloads/dltheory.bib": "\n".join(self.bibtex(e) for e in kb.entries).encode("utf-8"),
            "downloads/entries.json": self.entries_json().encode("utf-8"),
            "feed.xml": self.feed().encode("utf-8"),
        }
        for entry in kb.entries:
            if kb.links(entry):
                svg_src = self.neighbourhood_src(entry)
                picture = self.neighbourhood(svg_src, entry)
                out[svg_src] = (
                    self.env.get_template("neighbourhood.svg")
                    .render(n=picture, entry=entry)
                    .encode("utf-8")
                )
        out.update(static_assets())
        return out

    def entries_json(self) -> str:
        """The whole knowledge base as JSON: taxonomy ids and every entry's fields."""
        udu = self.options.use_directory_urls
        payload = {
            "generated": dt.date.today().isoformat(),
            "count": len(self.kb.entries),
            "groups": [
                {
                    "id": g.id,
                    "number": g.number,
                    "title": g.title,
                    "subcategories": [
                        {"id": g.full_id(s), "title": s.title} for s in g.subcategories
                    ],
                }
                for g in self.kb.taxonomy.groups
            ],
            "entries": [
                {
                    **e.model_dump(mode="json", exclude_none=True),
                    "venue_name": self.kb.venue(e).name,
                    "page": page_url(self.entry_src(e), udu),
                }
                for e in self.kb.entries
            ],
        }
        return json.dumps(payload, ensure_ascii=False, indent=1, allow_nan=False) + "\n"

    def feed(self) -> str:
        """An Atom feed of the most recently added entries."""
        base = (self.options.site_url or "").rstrip("/") + "/" if self.options.site_url else ""
        udu = self.options.use_directory_urls
        entries = self.kb.recent[:FEED_SIZE]
        updated = entries[0].added.isoformat() if entries else dt.date.today().isoformat()
        return self.env.get_template("feed.xml").render(
            base=base,
            entries=entries,
            updated=updated,
            page=lambda e: base + page_url(self.entry_src(e), udu),
            # str() drops the Markup mark: the feed holds the HTML escaped, as type="html" wants.
            summary=lambda e: str(self.prose_renderer.to_html(e.summary, lambda _t: None)),
        )

    def nav(self, hand_written: Iterable[str] = ()) -> list[Any]:
        """The navigation: home, the six groups, the indexes.

        Args:
            hand_written: Source paths of the hand-written pages; those named in
                :data:`HAND_WRITTEN_NAV` are listed last.
        """
        present = set(hand_written)
        extra = [{title: src} for src, title in HAND_WRITTEN_NAV.items() if src in present]
        # Subcategories are listed on their group's page, not in the navigation: the
        # navigation is copied into every page, and with them a paper page weighs
        # about 45 KB instead of under 25 KB.
        # Themes print navigation titles unescaped: escape them as page titles are.
        groups = [{meta_text(g.short_title): self.group_src(g)} for g in self.kb.taxonomy.groups]
        return [
            {"Home": "index.md"},
            {"Groups": groups},
            {"Relation graph": self.graph_src(None)},
            {"Tags": "tags/index.md"},
            {"Authors": "authors/index.md"},
            {"Timeline": "timeline.md"},
            {"Venues": "venues.md"},
            {"Recently added": "recent.md"},
            {"Statistics": "statistics.md"},
            {"Downloads": "downloads.md"},
            *extra,
        ]


def static_assets() -> dict[str, bytes]:
    """KaTeX and the site's own script and style, shipped inside the package."""
    root = resources.files("dltheory_site") / "assets"
    out: dict[str, bytes] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, name + "/")
            elif child.name not in {"README", "LICENSE"} or prefix.startswith("assets/katex"):
                out[name] = child.read_bytes()

    walk(root, "assets/")
    return out


def render_site(kb: KnowledgeBase, options: RenderOptions | None = None) -> Site:
    """Render every page and file of the site."""
    return SiteRenderer(kb, options).render()


RenderFn = Callable[[KnowledgeBase, RenderOptions | None], Site]
