"""The knowledge base: taxonomy and entries loaded, validated and indexed once.

:func:`load_knowledge_base` is the one entry point that the CLI and the MkDocs
plugin share, so ``dltheory-site validate`` and ``mkdocs build`` can never
disagree. The :class:`KnowledgeBase` is immutable; its indexes (by category,
tag, author, year, venue, and relations seen from the target's side) are
built on first use and kept.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from dltheory_site.model import Entry, RelationType, Tag, Taxonomy, Venue
from dltheory_site.text import author_slug, paper_keys, slugify

TAXONOMY_DIR = "taxonomy"
ENTRIES_DIR = "entries"


@dataclass(frozen=True, slots=True)
class Author:
    """One person, whatever the spelling of accents in the entries that name them."""

    slug: str
    name: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A relation seen from one side: the other entry and the label to show."""

    entry: Entry
    type: RelationType
    label: str
    note: str | None
    outgoing: bool


@dataclass(frozen=True)
class KnowledgeBase:
    """Validated entries with their taxonomy and the indexes the site needs."""

    taxonomy: Taxonomy
    entries: tuple[Entry, ...]
    root: Path = field(default=Path("."))

    def published(self) -> KnowledgeBase:
        """The knowledge base without its drafts: what a built site shows."""
        if not any(e.draft for e in self.entries):
            return self
        return KnowledgeBase(
            self.taxonomy, tuple(e for e in self.entries if not e.draft), self.root
        )

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        """Entry id -> entry."""
        return {e.id: e for e in self.entries}

    @cached_property
    def by_subcategory(self) -> dict[str, tuple[Entry, ...]]:
        """Subcategory id -> entries that list it (any position), newest year first."""
        out: dict[str, list[Entry]] = {sid: [] for sid in self.taxonomy.subcategories}
        for e in self.entries:
            for c in dict.fromkeys(e.categories):
                out[c].append(e)
        return {k: tuple(sorted(v, key=_by_year_desc)) for k, v in out.items()}

    @cached_property
    def by_group(self) -> dict[str, tuple[Entry, ...]]:
        """Group id -> entries whose primary category is in the group."""
        out: dict[str, list[Entry]] = {g.id: [] for g in self.taxonomy.groups}
        for e in self.entries:
            out[e.group_id].append(e)
        return {k: tuple(sorted(v, key=_by_year_desc)) for k, v in out.items()}

    @cached_property
    def by_tag(self) -> dict[str, tuple[Entry, ...]]:
        """Tag id -> entries with the tag (only tags in use)."""
        out: dict[str, list[Entry]] = defaultdict(list)
        for e in self.entries:
            for t in dict.fromkeys(e.tags):
                out[t].append(e)
        order = {t.id: i for i, t in enumerate(self.taxonomy.tags)}
        return {
            k: tuple(sorted(out[k], key=_by_year_desc)) for k in sorted(out, key=order.__getitem__)
        }

    @cached_property
    def authors(self) -> dict[str, Author]:
        """Author slug -> author, sorted by surname then name."""
        entries: dict[str, list[Entry]] = defaultdict(list)
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for e in self.entries:
            for name in dict.fromkeys(e.authors):
                slug = author_slug(name)
                if not entries[slug] or entries[slug][-1] is not e:
                    entries[slug].append(e)
                spellings[slug][name] += 1
        authors = {
            slug: Author(slug, _preferred(spellings[slug]), tuple(sorted(es, key=_by_year_desc)))
            for slug, es in entries.items()
        }
        return dict(sorted(authors.items(), key=lambda kv: _surname_key(kv[1].name)))

    @cached_property
    def by_year(self) -> dict[int, tuple[Entry, ...]]:
        """Year -> entries, newest year first."""
        out: dict[int, list[Entry]] = defaultdict(list)
        for e in self.entries:
            out[e.year].append(e)
        return {
            y: tuple(sorted(out[y], key=lambda e: e.title.casefold()))
            for y in sorted(out, reverse=True)
        }

    @cached_property
    def by_venue(self) -> dict[str, tuple[Entry, ...]]:
        """Venue id -> entries, venues by short name."""
        out: dict[str, list[Entry]] = defaultdict(list)
        for e in self.entries:
            out[self.venue(e).id].append(e)
        venues = {v.id: v for v in self.taxonomy.venues}
        return {
            k: tuple(sorted(out[k], key=_by_year_desc))
            for k in sorted(out, key=lambda k: venues[k].short.casefold())
        }

    @cached_property
    def recent(self) -> tuple[Entry, ...]:
        """Entries by date added, newest first."""
        return tuple(sorted(self.entries, key=lambda e: (e.added, e.year, e.id), reverse=True))

    @cached_property
    def _links(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = {e.id: [] for e in self.entries}
        for e in self.entries:
            for rel in e.relations:
                target = self.by_id.get(rel.target)
                rtype = self.taxonomy.relation_map.get(rel.type)
                if target is None or rtype is None or target is e:
                    continue
                out[e.id].append(Link(target, rtype, rtype.label, rel.note, True))
                out[target.id].append(Link(e, rtype, rtype.inverse, rel.note, False))
        for links in out.values():
            links.sort(key=lambda link: not link.outgoing)  # stable: file order kept
        return out

    @cached_property
    def _papers(self) -> dict[tuple[str, str], Entry]:
        out: dict[tuple[str, str], Entry] = {}
        for e in self.entries:
            for key in paper_keys(e.arxiv, e.doi, e.title):
                out.setdefault(key, e)
        return out

    def find_paper(
        self, arxiv: str | None, doi: str | None, title: str | None
    ) -> tuple[str, Entry] | None:
        """The entry that is the same paper (see ``text.paper_keys``), with what matched."""
        for key in paper_keys(arxiv, doi, title):
            if key in self._papers:
                return key[0], self._papers[key]
        return None

    def links(self, entry: Entry) -> tuple[Link, ...]:
        """An entry's relations in both directions, outgoing first."""
        return tuple(self._links.get(entry.id, ()))

    def reading_path(self, group_id: str) -> tuple[Entry, ...]:
        """A group's papers from foundations to recent work.

        A topological order of the ``builds-on`` relations among the group's papers
        (a paper after every paper it builds on), ties broken by year, then title.
        Validation rejects builds-on cycles; were one present, its papers would
        follow the rest by year.
        """
        members = {e.id: e for e in self.by_group[group_id]}
        needs = {
            e.id: {
                r.target
                for r in e.relations
                if r.type == "builds-on" and r.target in members and r.target != e.id
            }
            for e in members.values()
        }
        users: dict[str, list[str]] = defaultdict(list)
        for eid, targets in needs.items():
            for target in targets:
                users[target].append(eid)

        def key(eid: str) -> tuple[int, str, str]:
            return (members[eid].year, members[eid].title.casefold(), eid)

        waiting = {eid: len(targets) for eid, targets in needs.items()}
        ready = [key(eid) for eid, n in waiting.items() if n == 0]
        heapq.heapify(ready)
        order: list[str] = []
        while ready:
            eid = heapq.heappop(ready)[2]
            order.append(eid)
            for user in users[eid]:
                waiting[user] -= 1
                if waiting[user] == 0:
                    heapq.heappush(ready, key(user))
        rest = sorted((eid for eid in members if eid not in set(order)), key=key)
        return tuple(members[eid] for eid in [*order, *rest])

    def stats(self) -> dict[str, Any]:
        """The numbers ``dltheory-site stats`` prints and the statistics page shows."""
        primary = Counter(e.primary_category for e in self.entries)
        groups = []
        for g in self.taxonomy.groups:
            subs = [
                {
                    "id": g.full_id(s),
                    "title": s.title,
                    "primary": primary.get(g.full_id(s), 0),
                    "all": len(self.by_subcategory[g.full_id(s)]),
                }
                for s in g.subcategories
            ]
            groups.append(
                {
                    "id": g.id,
                    "number": g.number,
                    "title": g.title,
                    "entries": len(self.by_group[g.id]),
                    "subcategories": subs,
                }
            )
        return {
            "entries": len(self.entries),
            "authors": len(self.authors),
            "relations": sum(len(e.relations) for e in self.entries),
            "with_relations": sum(bool(e.relations) for e in self.entries),
            "relation_types": dict(
                Counter(r.type for e in self.entries for r in e.relations).most_common()
            ),
            "since_2021": sum(e.year >= 2021 for e in self.entries),
            "since_2024": sum(e.year >= 2024 for e in self.entries),
            "without_link": sorted(e.id for e in self.entries if not (e.arxiv or e.doi or e.url)),
            "groups": groups,
            "years": {str(y): len(es) for y, es in sorted(self.by_year.items())},
        }

    def venue(self, entry: Entry) -> Venue:
        """The canonical venue of an entry (validation guarantees it exists)."""
        venue = self.taxonomy.venue(entry.venue)
        if venue is None:  # pragma: no cover - validated before
            raise KeyError(entry.venue)
        return venue

    def tag(self, tag_id: str) -> Tag:
        """The tag with this id."""
        return self.taxonomy.tag_map[tag_id]

    def author_slugs(self, entry: Entry) -> list[tuple[str, str]]:
        """(slug, name as written) for each author of an entry."""
        return [(author_slug(name), name) for name in entry.authors]


def _by_year_desc(e: Entry) -> tuple[int, str]:
    return (-e.year, e.title.casefold())


def _preferred(spellings: Counter[str]) -> str:
    """The spelling to show: the most common, preferring accented forms on ties."""
    return max(spellings, key=lambda n: (spellings[n], sum(not c.isascii() for c in n), n))


def _surname_key(name: str) -> tuple[str, str]:
    parts = name.split()
    return (slugify(parts[-1]) if parts else "", author_slug(name))
