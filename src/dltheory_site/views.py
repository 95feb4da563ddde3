"""Views: pure functions from the knowledge base to the values that templates draw.

Labels, colours, the relation graph, a paper's neighbourhood, chart geometry and
the section list of a paper page. Nothing here renders markup or knows where a
page is written: functions that need a page's links take a ``url_of`` callable
that maps an entry to its URL as seen from the page being drawn.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from dltheory_site.kb import Author, KnowledgeBase, Link
from dltheory_site.model import Entry, Tag, Taxonomy
from dltheory_site.text import fold

#: Related papers drawn around a paper (its page lists them all).
NEIGHBOURS = 12
#: Years with a bar of their own in the papers-per-year chart.
CHART_YEARS = 36
#: Group colours (Okabe-Ito palette, safe for colour-blind readers).
GROUP_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

UrlOf = Callable[[Entry], str]


@dataclass(frozen=True, slots=True)
class Section:
    """One ``<h2>`` section of a paper page: its anchor and its heading."""

    id: str
    title: str


def paper_sections(entry: Entry, links: Sequence[Link]) -> tuple[Section, ...]:
    """The sections of a paper page, in order.

    The one list that both the page's headings and its table of contents are drawn from.
    """
    wanted = (
        ("summary", "Summary", True),
        ("key-results", "Key results", bool(entry.results)),
        ("notes", "Notes", bool(entry.notes)),
        ("categories-and-tags", "Categories and tags", True),
        ("related-papers", "Related papers", bool(links)),
        ("cite", "Cite", True),
    )
    return tuple(Section(anchor, title) for anchor, title, shown in wanted if shown)


#: How a paper page groups its relations: relation type -> (heading of the relations
#: the paper states, heading of those stated by others), in the order shown.
RELATION_HEADINGS = {
    "builds-on": ("Builds on", "Built on by"),
    "extends": ("Extends", "Extended by"),
    "improves": ("Improves", "Improved by"),
    "contradicts": ("Contradicts", "Contradicted by"),
    "concurrent": ("Concurrent work", "Concurrent work"),
    "related": ("Related", "Related"),
}


def relation_groups(links: Sequence[Link]) -> list[tuple[str, list[Link]]]:
    """A paper's relations grouped by type and direction, for its page.

    The known types come in the order of :data:`RELATION_HEADINGS`; any other type
    (``related`` and those a site adds) follows under its own label, both directions
    together when its two labels are the same.
    """
    groups: dict[str, list[Link]] = {t: [] for pair in RELATION_HEADINGS.values() for t in pair}
    for link in links:
        pair = RELATION_HEADINGS.get(link.type.id)
        title = pair[0 if link.outgoing else 1] if pair else link.label[:1].upper() + link.label[1:]
        groups.setdefault(title, []).append(link)
    return [(title, found) for title, found in groups.items() if found]


def tags_by_count(kb: KnowledgeBase) -> list[tuple[Tag, tuple[Entry, ...]]]:
    """The tags in use, the most used first, then by title."""
    return sorted(
        ((kb.tag(t), es) for t, es in kb.by_tag.items()),
        key=lambda te: (-len(te[1]), te[0].title.casefold()),
    )


def authors_by_letter(kb: KnowledgeBase) -> list[tuple[str, list[Author]]]:
    """Authors grouped by the first letter of their surname (accents folded), A to Z."""
    out: dict[str, list[Author]] = {}
    for author in kb.authors.values():
        surname = (author.name.split() or ["?"])[-1]
        letter = fold(surname)[:1].upper()
        out.setdefault(letter if letter.isalpha() else "#", []).append(author)
    return sorted(out.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def reading_path(kb: KnowledgeBase, group_id: str, limit: int = 12) -> tuple[Entry, ...]:
    """A group's key papers in reading order: those that other papers build on.

    A paper is key when papers of the knowledge base build on, extend or improve it;
    the ``limit`` most used are kept and shown in the group's reading order (each
    after the papers it builds on, otherwise by year).
    """
    used: dict[str, int] = {}
    for link_entry in kb.by_group[group_id]:
        used[link_entry.id] = sum(
            1
            for link in kb.links(link_entry)
            if not link.outgoing and link.type.id in {"builds-on", "extends", "improves"}
        )
    ranked = sorted((eid for eid, n in used.items() if n), key=lambda eid: -used[eid])
    keep = set(ranked[:limit])
    return tuple(e for e in kb.reading_path(group_id) if e.id in keep)


def authors_short(entry: Entry, limit: int = 3) -> str:
    """``A, B and C`` or ``A, B, C et al.`` for tables."""
    names = list(entry.authors)
    if len(names) > limit + 1:
        return ", ".join(names[:limit]) + " et al."
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0]


def cite_label(entry: Entry) -> str:
    """``Jacot et al. (2018)``: how prose links and graphs name an entry."""
    surnames = [(a.split() or [a])[-1] for a in entry.authors]
    if len(surnames) == 1:
        who = surnames[0]
    elif len(surnames) == 2:
        who = f"{surnames[0]} and {surnames[1]}"
    else:
        who = f"{surnames[0]} et al."
    return f"{who} ({entry.year})"


def group_color(taxonomy: Taxonomy, group_id: str) -> str:
    """The colour of a group in graphs and charts (a colour-blind-safe palette)."""
    ids = [g.id for g in taxonomy.groups]
    if group_id not in ids:
        return "#888888"
    return GROUP_COLORS[ids.index(group_id) % len(GROUP_COLORS)]


def inline(html: Markup) -> Markup:
    """Prose HTML of one paragraph without its ``<p>``, for a table cell."""
    text = str(html)
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        text = text[3:-4]
    return Markup(text)  # already sanitised prose


def _edge(kb: KnowledgeBase, source: Entry, rel_type: str, target: str) -> dict[str, str]:
    return {
        "source": source.id,
        "target": target,
        "type": rel_type,
        "label": kb.taxonomy.relation_map[rel_type].label,
    }


def graph_data(kb: KnowledgeBase, group_id: str | None, url_of: UrlOf) -> dict[str, Any]:
    """Nodes and edges of the relation graph of a group (with its neighbours) or of all."""
    core = kb.by_group[group_id] if group_id else kb.entries
    ids = {e.id for e in core}
    edges = [
        _edge(kb, e, rel.type, rel.target)
        for e in core
        for rel in e.relations
        if rel.target in kb.by_id and rel.target != e.id
    ]
    # Papers of other groups that relate to this group's papers.
    edges += [
        _edge(kb, e, rel.type, rel.target)
        for e in kb.entries
        if e.id not in ids
        for rel in e.relations
        if rel.target in ids
    ]
    shown = ids | {x for edge in edges for x in (edge["source"], edge["target"])}
    nodes = [
        {
            "id": e.id,
            "label": cite_label(e),
            "title": e.title,
            "group": e.group_id,
            "color": group_color(kb.taxonomy, e.group_id),
            "url": url_of(e),
            "core": e.id in ids,
        }
        for e in kb.entries
        if e.id in shown
    ]
    return {"nodes": nodes, "edges": edges}


def neighbourhood(kb: KnowledgeBase, entry: Entry, url_of: UrlOf) -> dict[str, Any] | None:
    """A small radial picture of a paper and the papers it is related to."""
    links = kb.links(entry)
    if not links:
        return None
    size, radius = 380, 125
    others = list(dict.fromkeys(link.entry.id for link in links))[:NEIGHBOURS]
    nodes = []
    for i, other_id in enumerate(others):
        angle = 2 * math.pi * i / len(others) - math.pi / 2
        other = kb.by_id[other_id]
        nodes.append(
            {
                "x": round(size / 2 + radius * math.cos(angle), 1),
                "y": round(size / 2 + radius * math.sin(angle), 1),
                "label": cite_label(other),
                "title": other.title,
                "color": group_color(kb.taxonomy, other.group_id),
                "url": url_of(other),
                "relation": next(link.label for link in links if link.entry.id == other_id),
            }
        )
    return {
        "size": size,
        "center": size / 2,
        "nodes": nodes,
        "color": group_color(kb.taxonomy, entry.group_id),
        "label": cite_label(entry),
    }


def _year_bars(
    kb: KnowledgeBase, width: int, height: int, pad: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Stacked bars of papers per year (older years share one bar), their ticks and the top."""
    groups = [g.id for g in kb.taxonomy.groups]
    years = sorted(kb.by_year)
    if not years:
        return [], [], 0
    first = max(years[0], years[-1] - CHART_YEARS + 1)
    span: list[int | str] = list(range(first, years[-1] + 1))
    counts: dict[int | str, Counter[str]] = {
        y: Counter(e.group_id for e in kb.by_year.get(y, ())) for y in span if isinstance(y, int)
    }
    if years[0] < first:
        counts["earlier"] = Counter(e.group_id for y in years if y < first for e in kb.by_year[y])
        span.insert(0, "earlier")
    top = max(sum(c.values()) for c in counts.values()) or 1
    step = (width - 2 * pad) / len(span)
    bars: list[dict[str, Any]] = []
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
                        "color": group_color(kb.taxonomy, gid),
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
    return bars, ticks, top


def charts(kb: KnowledgeBase) -> dict[str, Any]:
    """Bar and line geometry of the two statistics charts (drawn by templates as SVG)."""
    width, height, pad = 640, 220, 30
    bars, ticks, top = _year_bars(kb, width, height, pad)
    # Growth: entries in the knowledge base by the day they were added.
    added = sorted(e.added for e in kb.entries)
    points = []
    if added:
        first, last = added[0].toordinal(), added[-1].toordinal()
        days = max(last - first, 1)
        points = [
            (
                round(pad + (width - 2 * pad) * (day.toordinal() - first) / days, 1),
                round(height - pad - (height - 2 * pad) * (i + 1) / len(added), 1),
            )
            for i, day in enumerate(added)
        ]
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "bars": bars,
        "ticks": ticks,
        "top": top,
        "legend": [
            (g.number, g.short_title, group_color(kb.taxonomy, g.id)) for g in kb.taxonomy.groups
        ],
        "growth": " ".join(f"{x},{y}" for x, y in points),
        "growth_start": added[0].isoformat() if added else "",
        "growth_end": added[-1].isoformat() if added else "",
        "total": len(kb.entries),
    }
