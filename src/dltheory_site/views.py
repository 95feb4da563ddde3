"""Views: pure functions from the knowledge base to the values that templates draw.

Labels, colours, the relation graph, a paper's neighbourhood, chart geometry and
the section list of a paper page. Nothing here renders markup or knows where a
page is written: functions that need a page's links take a ``url_of`` callable
that maps an entry to its URL as seen from the page being drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from dltheory_site.kb import Author, KnowledgeBase, Link
from dltheory_site.model import Entry, Tag, Taxonomy
from dltheory_site.text import fold

#: Related papers drawn around a paper (its page lists them all): each costs about
#: 180 bytes of the page, which must stay light (see the README's benchmark).
NEIGHBOURS = 6
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
    used = {edge["type"] for edge in edges}
    relations = [
        {
            "id": s.id,
            "label": s.label,
            "inverse": kb.taxonomy.relation_map[s.id].inverse,
            "dash": s.dash,
            "style": s.style,
        }
        for s in relation_styles(kb.taxonomy).values()
        if s.id in used
    ]
    return {"nodes": nodes, "edges": edges, "relations": relations}


@dataclass(frozen=True, slots=True)
class RelationStyle:
    """How a relation type is drawn: its label and its dash pattern.

    ``dash`` is an SVG ``stroke-dasharray`` (empty: solid) and ``style`` its index in
    :data:`DASHES`, which names the CSS class ``dlt-d<style>`` that draws it.
    """

    id: str
    label: str
    dash: str
    style: int


#: Dash patterns of the relation types, in the taxonomy's order (``assets/graph.css``
#: has a class ``dlt-d<i>`` for each).
DASHES = ("", "6 3", "14 4", "9 3 2 3", "2 4", "1 6")


def relation_styles(taxonomy: Taxonomy) -> dict[str, RelationStyle]:
    """Relation type id -> its style, in the taxonomy's order."""
    return {
        r.id: RelationStyle(r.id, r.label, DASHES[i % len(DASHES)], i % len(DASHES))
        for i, r in enumerate(taxonomy.relation_types)
    }


@dataclass(frozen=True, slots=True)
class PictureNode:
    """A paper in a neighbourhood picture: its place, where its label starts, its link."""

    x: int
    y: int
    label: str
    lx: int
    ly: int
    color: str
    url: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A paper's neighbourhood, drawn as an inline SVG (see ``_neighbourhood.html``).

    Attributes:
        width: The picture's width in user units (drawn 1:1 on a desktop).
        height: Its height.
        centre: The paper itself.
        left: The papers it points to (it builds on, extends... them): labels end left
            of their nodes.
        right: The papers pointing to it: labels start right of their nodes.
        edges: (SVG path, dash style) of each arrow, from a relation's source to its target.
        relations: The relation types drawn, for the legend.
        label: How the paper is named.
        more: Related papers not drawn (the page's table lists them).
    """

    width: int
    height: int
    centre: PictureNode
    left: tuple[PictureNode, ...]
    right: tuple[PictureNode, ...]
    edges: tuple[tuple[str, int], ...]
    relations: tuple[RelationStyle, ...]
    label: str
    more: int


#: Geometry of the neighbourhood picture in user units: width, row height, the radius
#: of the paper's node (as in ``assets/graph.css``), the x of the left column, the
#: paper and the right column, and the longest label that fits beside a column.
PICTURE_WIDTH, PICTURE_ROW, CENTRE_R = 660, 34, 10
COLUMNS = (200, 330, 460)
LABEL_CHARS = 24


def picture_label(entry: Entry) -> str:
    """``cite_label``, or ``Surname et al. (year)`` when that is too long for a picture."""
    label = cite_label(entry)
    if len(label) <= LABEL_CHARS:
        return label
    surname = (entry.authors[0].split() or [entry.authors[0]])[-1]
    short = f"{surname} et al. ({entry.year})"
    return (
        short if len(short) <= LABEL_CHARS + 4 else f"{surname[: LABEL_CHARS - 8]}… ({entry.year})"
    )


def _arrow(a: tuple[int, int], b: tuple[int, int]) -> str:
    """An SVG path from node ``a`` to node ``b`` through its midpoint, where the
    arrowhead is drawn (heads at the nodes would pile up on the paper's node)."""
    mx, my = round((a[0] + b[0]) / 2), round((a[1] + b[1]) / 2)
    return f"M{a[0]} {a[1]} {mx} {my} {b[0]} {b[1]}"


def neighbourhood(kb: KnowledgeBase, entry: Entry, url_of: UrlOf) -> Picture | None:
    """A paper and the papers it is related to, as a picture with arrows.

    The papers this one builds on, extends, improves, contradicts or relates to are on
    the left (arrows from this paper to them); the papers that do so to this one are on
    the right (arrows from them to this paper). Nodes take their group's colour. The
    page's table lists every relation; the picture shows at most :data:`NEIGHBOURS`.
    """
    links = kb.links(entry)
    if not links:
        return None
    styles = relation_styles(kb.taxonomy)
    firsts: dict[str, Link] = {}
    for link in links:
        firsts.setdefault(link.entry.id, link)
    shown = list(firsts.values())[:NEIGHBOURS]
    left = [link for link in shown if link.outgoing]
    right = [link for link in shown if not link.outgoing]
    height = max(len(left), len(right), 1) * PICTURE_ROW + 30
    cx, cy = COLUMNS[1], height // 2
    centre = PictureNode(
        cx,
        cy,
        picture_label(entry),
        cx,
        cy + CENTRE_R + 14,
        group_color(kb.taxonomy, entry.group_id),
        "",
    )
    sides: list[list[PictureNode]] = [[], []]
    edges = []
    for k, (side, column) in enumerate(((left, COLUMNS[0]), (right, COLUMNS[2]))):
        for i, link in enumerate(side):
            y = round(cy + (i - (len(side) - 1) / 2) * PICTURE_ROW)
            gap = 12
            sides[k].append(
                PictureNode(
                    column,
                    y,
                    picture_label(link.entry),
                    column - gap if k == 0 else column + gap,
                    y + 4,
                    group_color(kb.taxonomy, link.entry.group_id),
                    url_of(link.entry),
                )
            )
            path = _arrow((cx, cy), (column, y)) if link.outgoing else _arrow((column, y), (cx, cy))
            edges.append((path, styles[link.type.id].style if link.type.id in styles else 0))
    used = {link.type.id for link in shown}
    return Picture(
        width=PICTURE_WIDTH,
        height=height,
        centre=centre,
        left=tuple(sides[0]),
        right=tuple(sides[1]),
        edges=tuple(edges),
        relations=tuple(s for s in styles.values() if s.id in used),
        label=cite_label(entry),
        more=len(firsts) - len(shown),
    )
