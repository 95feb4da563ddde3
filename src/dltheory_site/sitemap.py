"""The site map: where every generated page lives, and the inventory of pages as data.

A page is a :class:`PageSpec`: its source path under the docs folder (as MkDocs
names pages, ``papers/<id>.md``), its title, the template that draws it and the
values the template needs. :func:`page_specs` lists every page of a knowledge
base; :func:`nav` is the navigation. Nothing here renders anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry, Group
from dltheory_site.text import meta_text
from dltheory_site.urls import page_url

#: Hand-written pages that the navigation lists after the generated ones, when present.
HAND_WRITTEN_NAV = {"contributing.md": "Contribute", "about.md": "About"}
#: Source path of the paper explorer (every paper in one table, with filters).
EXPLORER_SRC = "explorer.md"


def entry_src(entry: Entry | str) -> str:
    """Source path of a paper page."""
    return f"papers/{entry if isinstance(entry, str) else entry.id}.md"


def group_src(group: Group | str) -> str:
    """Source path of a group page."""
    return f"groups/{group if isinstance(group, str) else group.id}/index.md"


def sub_src(full_id: str) -> str:
    """Source path of a subcategory page (``complexity/pac-bayes``)."""
    group, sub = full_id.split("/", 1)
    return f"groups/{group}/{sub}.md"


def graph_src(group_id: str | None) -> str:
    """Source path of the relation graph of a group, or of everything (None)."""
    return f"graphs/{group_id}.md" if group_id else "graphs/index.md"


def tag_src(tag_id: str) -> str:
    """Source path of a tag page."""
    return f"tags/{tag_id}.md"


def author_src(slug: str) -> str:
    """Source path of an author page."""
    return f"authors/{slug}.md"


@dataclass(frozen=True)
class PageSpec:
    """One generated page as data.

    Attributes:
        src: Source path under the docs folder.
        title: The page title.
        template: The Jinja template that draws it.
        values: What the template needs beyond the shared context.
    """

    src: str
    title: str
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)


def _fixed_pages(kb: KnowledgeBase) -> tuple[PageSpec, ...]:
    return (
        PageSpec(graph_src(None), "Relation graph", "graph.md", {"group": None}),
        PageSpec("statistics.md", "Statistics", "statistics.md", {"stats": kb.stats()}),
        PageSpec("tags/index.md", "Tags", "tags.md"),
        PageSpec("authors/index.md", "Authors", "authors.md"),
        PageSpec("timeline.md", "Timeline", "years.md"),
        PageSpec("venues.md", "Venues", "venues.md"),
        PageSpec("recent.md", "Recently added", "recent.md"),
        PageSpec("downloads.md", "Downloads", "downloads.md"),
        PageSpec(EXPLORER_SRC, "Explorer", "explorer.md"),
    )


def page_specs(kb: KnowledgeBase) -> tuple[PageSpec, ...]:
    """Every generated page except paper pages (see :func:`paper_specs`), in build order."""
    groups = kb.taxonomy.groups
    return (
        *(PageSpec(group_src(g), g.title, "group.md", {"group": g}) for g in groups),
        *(
            PageSpec(
                sub_src(g.full_id(s)),
                s.title,
                "subcategory.md",
                {
                    "group": g,
                    "sub": s,
                    "full_id": g.full_id(s),
                    "entries": kb.by_subcategory[g.full_id(s)],
                },
            )
            for g in groups
            for s in g.subcategories
        ),
        *(
            PageSpec(graph_src(g.id), f"Relation graph: {g.short_title}", "graph.md", {"group": g})
            for g in groups
        ),
        *_fixed_pages(kb),
        *(
            PageSpec(
                tag_src(tag_id),
                f"Tag: {kb.tag(tag_id).title}",
                "tag.md",
                {"tag": kb.tag(tag_id), "entries": entries},
            )
            for tag_id, entries in kb.by_tag.items()
        ),
        *(
            PageSpec(author_src(a.slug), a.name, "author.md", {"author": a})
            for a in kb.authors.values()
        ),
    )


def paper_specs(kb: KnowledgeBase) -> tuple[PageSpec, ...]:
    """The page of every paper."""
    return tuple(PageSpec(entry_src(e), e.title, "paper", {"entry": e}) for e in kb.entries)


def redirect_specs(kb: KnowledgeBase) -> tuple[PageSpec, ...]:
    """A redirect page at the address of every renamed entry (``taxonomy/moved.yaml``).

    Links to ``/papers/OLD/`` out in the world (bookmarks, citations of the site)
    keep working. Unlike the other kinds, the page is a whole HTML file of its own
    (meta refresh, canonical link, a visible link for readers without script), not
    a page of the theme: ``src`` is where the old page was, and :func:`redirect_path`
    the file that takes its place. An old id that an entry uses again (which
    ``validate`` refuses) or whose renames lead to no entry gets no redirect.
    """
    out = []
    for move in kb.taxonomy.moves:
        new = kb.taxonomy.renamed(move.old)
        target = kb.by_id.get(new) if new else None
        if target is None or move.old in kb.by_id:
            continue
        values = {"old": move.old, "entry": target, "move": move}
        out.append(PageSpec(entry_src(move.old), f"Moved: {target.title}", "redirect.html", values))
    return tuple(out)


def redirect_path(spec: PageSpec, use_directory_urls: bool = True) -> str:
    """The file a redirect page is written to: where MkDocs would put the old page."""
    url = page_url(spec.src, use_directory_urls)
    return f"{url}index.html" if url.endswith("/") else url


def page_sources(kb: KnowledgeBase) -> frozenset[str]:
    """The source path of every generated page: what a relative link may point to."""
    return frozenset(s.src for s in (*paper_specs(kb), *page_specs(kb)))


def nav(kb: KnowledgeBase, hand_written: Iterable[str] = ()) -> list[Any]:
    """The navigation: home, the groups, the indexes.

    Args:
        kb: The knowledge base.
        hand_written: Source paths of the hand-written pages; those named in
            :data:`HAND_WRITTEN_NAV` are listed last.
    """
    present = set(hand_written)
    extra = [{title: src} for src, title in HAND_WRITTEN_NAV.items() if src in present]
    # Each group is a section whose first page is its overview and whose other pages
    # are its subcategories. Themes that copy the whole navigation into every page
    # grow by it; Material's navigation.prune keeps only the open branch.
    # Themes print navigation titles unescaped: they are escaped as page titles are.
    groups = [
        {
            meta_text(g.short_title): [
                group_src(g),
                *({meta_text(s.title): sub_src(g.full_id(s))} for s in g.subcategories),
            ]
        }
        for g in kb.taxonomy.groups
    ]
    return [
        {"Home": "index.md"},
        {"Groups": groups},
        {"Explorer": EXPLORER_SRC},
        {"Relation graph": graph_src(None)},
        {"Tags": "tags/index.md"},
        {"Authors": "authors/index.md"},
        {"Timeline": "timeline.md"},
        {"Venues": "venues.md"},
        {"Recently added": "recent.md"},
        {"Statistics": "statistics.md"},
        {"Downloads": "downloads.md"},
        *extra,
    ]
