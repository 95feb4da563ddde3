"""Loading: a project's taxonomy and entry files into a validated :class:`KnowledgeBase`.

:func:`load_knowledge_base` is the one entry point that the CLI and the MkDocs
plugin share, so ``dltheory-site validate`` and ``mkdocs build`` can never
disagree. It reads ``taxonomy/`` and ``entries/``, checks each file
(``checks.check_entry``) and then the whole (``checks.check_entries``), and
returns the knowledge base of the valid entries with every problem found.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dltheory_site import sitemap, views
from dltheory_site.checks import check_entry, validate_model
from dltheory_site.crosschecks import (
    check_entries,
    check_links,
    check_markup,
    check_moves,
    check_relative_links,
    entry_prose,
)
from dltheory_site.diagnostics import Code, Diagnostic, problem
from dltheory_site.fields import ID_RE
from dltheory_site.kb import KnowledgeBase
from dltheory_site.loader import Document, load_file
from dltheory_site.model import (
    Entry,
    Group,
    Move,
    RelationType,
    Tag,
    Taxonomy,
    Venue,
)
from dltheory_site.text import did_you_mean, fold

TAXONOMY_DIR = "taxonomy"
ENTRIES_DIR = "entries"
#: The renamed entry ids, under ``taxonomy/`` (see ``dltheory-site mv``).
MOVED_FILE = "moved.yaml"


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
        problems.append(
            problem(
                doc.path, Code.TAXONOMY_NOT_A_LIST, "", f"{key} must be a list", "", line=1, col=1
            )
        )
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
                problem(
                    doc.path,
                    Code.TAXONOMY_ID_TWICE,
                    f"[{i}].id",
                    f"{key} id '{item.id}' is defined twice",
                    f"first defined as item {seen[item.id]}",
                    line=line,
                    col=col,
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
            problem(
                display_path(tdir),
                Code.TAXONOMY_MISSING,
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
                doc.problem(
                    Code.GROUP_FILE_NAME,
                    ("id",),
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
                doc.problem(
                    Code.GROUP_NUMBER_TWICE,
                    ("number",),
                    f"group number {g.number} is used twice",
                    "give each group its own number",
                )
            )
    tags = _load_list(tdir / "tags.yaml", "tag", Tag, problems)
    relations = _load_list(tdir / "relations.yaml", "relation type", RelationType, problems)
    venues = _load_list(tdir / "venues.yaml", "venue", Venue, problems)
    moved = tdir / MOVED_FILE
    moves = _load_list(moved, "move", Move, problems) if moved.exists() else ()
    taxonomy = Taxonomy(tuple(groups), tags, relations, venues, moves)
    problems.extend(_venue_clashes(taxonomy, tdir / "venues.yaml"))
    return taxonomy, group_docs, problems


def _venue_clashes(taxonomy: Taxonomy, path: Path) -> list[Diagnostic]:
    owner: dict[str, str] = {}
    out = []
    for v in taxonomy.venues:
        for name in dict.fromkeys(fold(n).strip() for n in (v.id, v.short, v.name, *v.aliases)):
            if name in owner and owner[name] != v.id:
                out.append(
                    problem(
                        display_path(path),
                        Code.VENUE_SPELLING_CLASH,
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
    # Every entry file by id: those that failed their own checks still exist for
    # references to them.
    paths: dict[str, str] = {}
    folder = display_path(root / ENTRIES_DIR)  # once, not once per file
    for path in entry_files(root):
        shown = f"{folder}/{path.name}" if folder != "." else path.name
        if path.suffix != ".yaml":
            problems.append(
                problem(
                    shown,
                    Code.INVALID_ID,
                    "",
                    "entry files must end in '.yaml'",
                    f"rename it to '{path.stem}.yaml'",
                )
            )
            if ID_RE.match(path.stem):
                paths.setdefault(path.stem, shown)
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
        if ID_RE.match(path.stem):
            paths[path.stem] = shown
    entries.sort(key=lambda e: e.id)
    broken = set(paths) - set(docs)
    renamed = {m.old: new for m in taxonomy.moves if (new := taxonomy.renamed(m.old))}
    problems.extend(check_entries(entries, docs, broken, renamed))
    moved = root / TAXONOMY_DIR / MOVED_FILE
    moved_doc = load_file(moved, display_path(moved)) if taxonomy.moves else None
    problems.extend(check_moves(taxonomy, paths, moved_doc))
    known = set(paths)
    for gid, doc in group_docs.items():
        group = next(g for g in taxonomy.groups if g.id == gid)
        prose: list[tuple[tuple[str | int, ...], str]] = [(("overview",), group.overview)]
        prose += [(("description",), group.description)]
        prose += [
            (("subcategories", i, part), getattr(s, part))
            for i, s in enumerate(group.subcategories)
            for part in ("overview", "description")
        ]
        problems.extend(check_links(doc, prose, known, renamed))
        problems.extend(check_markup(doc, prose))
    kb = KnowledgeBase(taxonomy, tuple(entries), root)
    problems.extend(_check_site_links(kb, docs, group_docs, broken, renamed))
    return kb, problems


def _check_site_links(
    kb: KnowledgeBase,
    docs: Mapping[str, Document],
    group_docs: Mapping[str, Document],
    broken: Iterable[str] = (),
    renamed: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Relative links in the prose of every generated page, against the site map.

    The page of an entry that failed its own checks counts as a page whose anchors
    are not known: a link to it is not a second report of the same problem.
    """
    pages: dict[str, frozenset[str] | None] = dict.fromkeys(sitemap.page_sources(kb))
    pages.update(dict.fromkeys(sitemap.entry_src(b) for b in broken))
    for e in kb.entries:
        sections = views.paper_sections(e, kb.links(e))
        pages[sitemap.entry_src(e)] = frozenset({e.id, *(s.id for s in sections)})
    files = {"downloads/dltheory.bib", "downloads/entries.json", "feed.xml"}
    docs_dir = kb.root / "docs"
    if docs_dir.is_dir():
        for path in docs_dir.rglob("*"):
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(docs_dir).as_posix()
                if rel.endswith(".md"):
                    pages[rel] = None  # a hand-written page: MkDocs checks its anchors
                else:
                    files.add(rel)
    frozen = frozenset(files)
    out: list[Diagnostic] = []
    for e in kb.entries:
        # The fields shown on the paper's own page (comparison values are on the
        # subcategory's, relation notes as plain text).
        prose = [(p, t) for p, t in entry_prose(e) if p[0] in {"summary", "results", "notes"}]
        out += check_relative_links(docs[e.id], prose, sitemap.entry_src(e), pages, frozen, renamed)
    for group in kb.taxonomy.groups:
        doc = group_docs[group.id]
        src = sitemap.group_src(group)
        out += check_relative_links(
            doc, [(("overview",), group.overview)], src, pages, frozen, renamed
        )
        for i, sub in enumerate(group.subcategories):
            src = sitemap.sub_src(group.full_id(sub))
            prose = [(("subcategories", i, "overview"), sub.overview)]
            out += check_relative_links(doc, prose, src, pages, frozen, renamed)
    return out


def suggest_category(name: str, taxonomy: Taxonomy, *, groups: bool = False) -> str:
    """A did-you-mean for a subcategory (or, with ``groups``, also a group) id."""
    choices: Iterable[str] = [*taxonomy.subcategories]
    if groups:
        choices = [*choices, *(g.id for g in taxonomy.groups)]
    return did_you_mean(name, choices)
