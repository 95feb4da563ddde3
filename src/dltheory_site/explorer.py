"""The paper explorer: every paper in one table, and what its filters need.

:func:`explorer_values` is pure: from a knowledge base to the rows, the options of
each filter (with counts) and one compact JSON island that ``assets/explorer.js``
filters on. The template (``explorer.md``) draws the table as plain HTML, so the page
without script is the full list; the script reads the island once, keeps one object
per row and toggles the rows' ``hidden`` attribute.

The island holds numbers, not names: each row is ``[year, venue, subcategories,
tags, builds-on targets, more authors]``, where venue, subcategories and tags are
indexes into the island's lists, targets are row indexes, and "more authors" is the
full author list when the table shows it shortened (so the text filter finds every
author). A row's groups are those of its subcategories (``subGroup``), so a paper
listed in two groups matches both; its primary group is that of its first
subcategory, as everywhere on the site.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry
from dltheory_site.sitemap import entry_src
from dltheory_site.views import authors_short

#: Relation types that make a paper one that "builds on" its target (the ``rel`` filter).
BUILDS_ON = ("builds-on", "extends", "improves")


class Option(NamedTuple):
    """One choice of a filter: the value in the URL, its label and how many papers have it."""

    value: str
    label: str
    papers: int


class OptionGroup(NamedTuple):
    """Options under a heading (the subcategories of one group)."""

    label: str
    options: tuple[Option, ...]


class Row(NamedTuple):
    """One paper as the table shows it."""

    src: str
    title: str
    authors: str
    year: int
    venue: str
    group: str


def _sort_key(entry: Entry) -> tuple[int, str, str]:
    return (-entry.year, entry.title.casefold(), entry.id)


def explorer_values(kb: KnowledgeBase) -> dict[str, Any]:
    """Rows, filter options and the JSON island of the explorer page.

    Rows are in the site's usual order for lists: newest year first, then by title.
    """
    entries = sorted(kb.entries, key=_sort_key)
    index = {e.id: i for i, e in enumerate(entries)}
    groups = kb.taxonomy.groups
    group_of = {g.full_id(s): g for g in groups for s in g.subcategories}
    group_index = {g.id: i for i, g in enumerate(groups)}
    subs = list(group_of)
    sub_index = {sid: i for i, sid in enumerate(subs)}
    tags = list(kb.by_tag)
    tag_index = {t: i for i, t in enumerate(tags)}
    venues = list(kb.by_venue)
    venue_index = {v: i for i, v in enumerate(venues)}
    in_group = {g.id: 0 for g in groups}
    for e in entries:
        for gid in dict.fromkeys(group_of[c].id for c in e.categories):
            in_group[gid] += 1
    rows = []
    data_rows: list[list[Any]] = []
    for e in entries:
        short = authors_short(e)
        full = ", ".join(e.authors)
        rows.append(
            Row(
                src=entry_src(e),
                title=e.title,
                authors=short,
                year=e.year,
                venue=kb.venue(e).short,
                group=group_of[e.primary_category].short_title,
            )
        )
        targets = dict.fromkeys(
            index[r.target]
            for r in e.relations
            if r.type in BUILDS_ON and r.target in index and r.target != e.id
        )
        data_rows.append(
            [
                e.year,
                venue_index[kb.venue(e).id],
                [sub_index[c] for c in dict.fromkeys(e.categories)],
                [tag_index[t] for t in dict.fromkeys(e.tags)],
                list(targets),
                full if short.endswith(" et al.") else "",
            ]
        )
    years = [e.year for e in entries]
    return {
        "total": len(entries),
        "rows": rows,
        "first_year": min(years, default=0),
        "last_year": max(years, default=0),
        "groups": tuple(
            Option(g.id, f"{g.number}. {g.short_title}", in_group[g.id]) for g in groups
        ),
        "subcategories": tuple(
            OptionGroup(
                f"{g.number}. {g.short_title}",
                tuple(
                    Option(g.full_id(s), s.title, len(kb.by_subcategory[g.full_id(s)]))
                    for s in g.subcategories
                ),
            )
            for g in groups
        ),
        "tags": tuple(
            sorted(
                (Option(t, kb.tag(t).title, len(kb.by_tag[t])) for t in tags),
                key=lambda o: o.label.casefold(),
            )
        ),
        "venues": tuple(
            Option(v, kb.venue(kb.by_venue[v][0]).short, len(kb.by_venue[v])) for v in venues
        ),
        "data": {
            "ids": [e.id for e in entries],
            "groups": [g.id for g in groups],
            "subs": subs,
            "subGroup": [group_index[group_of[s].id] for s in subs],
            "tags": tags,
            "venues": venues,
            "rows": data_rows,
        },
    }
