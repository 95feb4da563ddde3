"""The knowledge base: taxonomy and entries loaded, validated and indexed once.

:func:`load_knowledge_base` is the one entry point that the CLI and the MkDocs
plugin share, so ``dltheory-site validate`` and ``mkdocs build`` can never
disagree. The :class:`KnowledgeBase` is immutable; its indexes (by category,
tag, author, year, venue, and relations seen from the target's side) are
built on first use and kept.
"""

from __future__ import annotations

import heapq
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from dltheory_site.checks import (
    check_entries,
    check_entry,
    check_links,
    check_markup,
    validate_model,
)
from dltheory_site.diagnostics import Diagnostic
from dltheory_site.loader import Document, load_file
from dltheory_site.model import Entry, Group, RelationType, Tag, Taxonomy, Venue
from dltheory_site.text import author_slug, did_you_mean, slugify

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
            "groups": groups,
            "years": {str(y): len(es) for y, es in sorted(self.by_year.items())},
        }

    def venue(self, entry: Entry) -> Venue:
        """The canonical venue of an entry (validation guarantees it exists)."""
        venue = self.taxonomy.venue(entry.venue)
        if venue is None:  # pragma: no cover - validated before
            raise KeyError(entry.venue)
        return venue

    def group(self, group_id: str) -> Group:
        """The group with this id."""
        return next(g for g in self.taxonomy.groups if g.id == group_id)

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
    return (slugify(parts[-1]) if parts else "", slugify(name))


# --------------------------------------------------------------------------- loading


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _load_list(path: Path, key: str, model: Any, problems: list[Diagnostic]) -> tuple[Any, ...]:
    doc = load_file(path, display_path(path))
    problems.extend(doc.diagnostics)
    if doc.data is None:
        return ()
    if not isinstance(doc.data, list):
        problems.append(Diagnostic(doc.path, 1, 1, "E030", "", f"{key} must be a list", ""))
        return ()
    items = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(doc.data):
        item, found = validate_model(model, raw, doc, base=(i,))
        problems.extend(found)
        if item is None:
            continue
        if item.id in seen:
            line, col = doc.mark((i,))
            problems.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E030",
                    f"[{i}].id",
                    f"{key} id '{item.id}' is defined twice",
                    f"first defined as item {seen[item.id]}",
                )
            )
            continue
        seen[item.id] = i
        items.append(item)
    return tuple(items)


def load_taxonomy(root: Path) -> tuple[Taxonomy, dict[str, Document], list[Diagnostic]]:
    """Load ``taxonomy/`` under a project root.

    Returns:
        The taxonomy built from every part that loaded, the group documents by
        group id (for positions of prose links), and the problems found.
    """
    tdir = root / TAXONOMY_DIR
    problems: list[Diagnostic] = []
    if not tdir.is_dir():
        problems.append(
            Diagnostic(
                display_path(tdir),
                0,
                0,
                "E030",
                "",
                "the taxonomy folder is missing",
                "run from the project root or pass its path",
            )
        )
        return Taxonomy((), (), (), ()), {}, problems
    groups: list[Group] = []
    group_docs: dict[str, Document] = {}
    for path in sorted((tdir / "groups").glob("*.y*ml")):
        doc = load_file(path, display_path(path))
        problems.extend(doc.diagnostics)
        if doc.data is None:
            continue
        group, found = validate_model(Group, doc.data, doc)
        problems.extend(found)
        if group is None:
            continue
        if group.id != path.stem:
            problems.append(
                Diagnostic(
                    doc.path,
                    *doc.mark(("id",)),
                    "E030",
                    "id",
                    f"group id '{group.id}' differs from the file name",
                    f"rename the file to '{group.id}.yaml'",
                )
            )
        groups.append(group)
        group_docs[group.id] = doc
    groups.sort(key=lambda g: g.number)
    numbers = Counter(g.number for g in groups)
    for g in groups:
        if numbers[g.number] > 1:
            doc = group_docs[g.id]
            problems.append(
                Diagnostic(
                    doc.path,
                    *doc.mark(("number",)),
                    "E030",
                    "number",
                    f"group number {g.number} is used twice",
                    "",
                )
            )
    tags = _load_list(tdir / "tags.yaml", "tag", Tag, problems)
    relations = _load_list(tdir / "relations.yaml", "relation type", RelationType, problems)
    venues = _load_list(tdir / "venues.yaml", "venue", Venue, problems)
    taxonomy = Taxonomy(tuple(groups), tags, relations, venues)
    problems.extend(_venue_clashes(taxonomy, tdir / "venues.yaml"))
    return taxonomy, group_docs, problems


def _venue_clashes(taxonomy: Taxonomy, path: Path) -> list[Diagnostic]:
    from dltheory_site.text import fold

    owner: dict[str, str] = {}
    out = []
    for v in taxonomy.venues:
        for name in dict.fromkeys(fold(n).strip() for n in (v.id, v.short, v.name, *v.aliases)):
            if name in owner and owner[name] != v.id:
                out.append(
                    Diagnostic(
                        display_path(path),
                        0,
                        0,
                        "E030",
                        "",
                        f"venue spelling '{name}' names both '{owner[name]}' and '{v.id}'",
                        "make the aliases unique",
                    )
                )
            owner.setdefault(name, v.id)
    return out


#: A cache of checked entry files, kept by the MkDocs plugin across rebuilds.
#: Key: (path, mtime_ns, size, taxonomy fingerprint).
EntryCache = dict[tuple[str, int, int, int], tuple[Entry | None, Document, tuple[Diagnostic, ...]]]


def entry_files(root: Path) -> list[Path]:
    """The files of ``entries/`` that are or look like entries."""
    edir = root / ENTRIES_DIR
    if not edir.is_dir():
        return []
    with os.scandir(edir) as found:
        # Links are listed (and refused by the loader); folders are not entries.
        names = [
            f.name
            for f in found
            if f.name.endswith((".yaml", ".yml")) and (f.is_symlink() or f.is_file())
        ]
    return [edir / name for name in sorted(names)]


def load_knowledge_base(
    root: Path, cache: EntryCache | None = None
) -> tuple[KnowledgeBase, list[Diagnostic]]:
    """Load, validate and index a project's taxonomy and entries.

    Args:
        root: The project folder holding ``taxonomy/`` and ``entries/``.
        cache: Optional cache of checked files, reused when a file is unchanged.

    Returns:
        The knowledge base of the valid entries, and every problem found.
    """
    taxonomy, group_docs, problems = load_taxonomy(root)
    fingerprint = hash((taxonomy.groups, taxonomy.tags, taxonomy.relation_types, taxonomy.venues))
    entries: list[Entry] = []
    docs: dict[str, Document] = {}
    folder = display_path(root / ENTRIES_DIR)  # once, not once per file
    for path in entry_files(root):
        shown = f"{folder}/{path.name}" if folder != "." else path.name
        if path.suffix != ".yaml":
            problems.append(
                Diagnostic(
                    shown,
                    0,
                    0,
                    "E014",
                    "",
                    "entry files must end in '.yaml'",
                    f"rename it to '{path.stem}.yaml'",
                )
            )
            continue
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size, fingerprint)
        cached = cache.get(key) if cache is not None else None
        if cached is None:
            doc = load_file(path, shown)
            checked, found = check_entry(doc, path.stem, taxonomy)
            cached = (checked, doc, tuple(found))
            if cache is not None:
                cache[key] = cached
        entry, doc, file_problems = cached
        problems.extend(file_problems)
        if entry is not None:
            entries.append(entry)
            docs[entry.id] = doc
    entries.sort(key=lambda e: e.id)
    problems.extend(check_entries(entries, docs))
    known = {e.id: e for e in entries}
    for gid, doc in group_docs.items():
        group = next(g for g in taxonomy.groups if g.id == gid)
        prose: list[tuple[tuple[str | int, ...], str]] = [(("overview",), group.overview)]
        prose += [(("description",), group.description)]
        prose += [
            (("subcategories", i, part), getattr(s, part))
            for i, s in enumerate(group.subcategories)
            for part in ("overview", "description")
        ]
        problems.extend(check_links(doc, prose, known))
        problems.extend(check_markup(doc, prose))
    return KnowledgeBase(taxonomy, tuple(entries), root), problems


def suggest_category(name: str, taxonomy: Taxonomy, *, groups: bool = False) -> str:
    """A did-you-mean for a subcategory (or, with ``groups``, also a group) id."""
    choices: Iterable[str] = [*taxonomy.subcategories]
    if groups:
        choices = [*choices, *(g.id for g in taxonomy.groups)]
    return did_you_mean(name, choices)
