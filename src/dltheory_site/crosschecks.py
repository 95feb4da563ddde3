"""Validation across files: relations, the same paper twice, links and markup in prose.

Each check takes the valid entries (or a taxonomy document) with their loaded
documents, for positions, and returns diagnostics; none stops at the first problem.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from dltheory_site.diagnostics import Code, Diagnostic, problem
from dltheory_site.loader import Document, FieldPath, format_field
from dltheory_site.model import Entry, Taxonomy
from dltheory_site.text import WIKILINK_RE, did_you_mean, paper_keys
from dltheory_site.urls import is_relative_link, resolve_link


def wikilinks(text: str) -> list[str]:
    """The entry ids that ``[[id]]`` links in a Markdown text point to."""
    return [m.group(1).strip() for m in WIKILINK_RE.finditer(text)]


def entry_prose(entry: Entry) -> Iterable[tuple[FieldPath, str]]:
    """Every Markdown field of an entry, with its field path."""
    yield ("summary",), entry.summary
    for i, result in enumerate(entry.results):
        yield ("results", i, "statement"), result.statement
    if entry.notes:
        yield ("notes",), entry.notes
    for i, rel in enumerate(entry.relations):
        if rel.note:
            yield ("relations", i, "note"), rel.note
    for key, value in entry.comparison.items():
        if isinstance(value, str):
            yield ("comparison", key), value


def renamed_hint(old: str, renamed: Mapping[str, str], write: str | None = None) -> str:
    """The hint for a reference to a renamed id: its new id, and what to write instead."""
    new = renamed.get(old)
    if new is None:
        return ""
    return f"'{old}' was renamed to '{new}' (taxonomy/moved.yaml): write '{write or new}'"


#: Dangling links of one file that get a did-you-mean (the rest are reported without).
MAX_SUGGESTIONS = 5


def check_links(
    doc: Document,
    prose: Iterable[tuple[FieldPath, str]],
    known: Collection[str],
    renamed: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Report ``[[id]]`` links whose target is not an entry.

    Args:
        doc: The file the prose comes from, for positions.
        prose: The prose fields with their field paths.
        known: Every entry id, those of files that failed their own checks included.
        renamed: Old id -> new id of renamed entries, for the hint.
    """
    renamed = renamed or {}
    out: list[Diagnostic] = []
    for fpath, text in prose:
        for target in wikilinks(text):
            if target not in known:
                line, col = doc.mark(fpath)
                out.append(
                    problem(
                        doc.path,
                        Code.DANGLING_WIKILINK,
                        format_field(fpath),
                        f"link [[{target}]] points to no entry",
                        renamed_hint(target, renamed, f"[[{renamed.get(target)}]]")
                        # Each suggestion is a search over every id: only for the first few.
                        or (len(out) < MAX_SUGGESTIONS and did_you_mean(target, sorted(known)))
                        or "link an entry id, the file name without .yaml",
                        line=line,
                        col=col,
                    )
                )
    return out


# Math and code are text, not markup: `$a<b$` is not a tag.
_MATH_OR_CODE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$|`[^`\n]*`", re.S)
# A tag starts right after "<" ("a < b" is text); <https://...> is a Markdown autolink.
_RAW_HTML = re.compile(r"<(?!(?:https?|mailto):)/?[A-Za-z!?][^>]{0,200}>?", re.I)
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_BAD_SCHEME = re.compile(r"^(?:(?:javascript|vbscript|data|file):|//|\\\\|/\\)", re.I)


def unsafe_markup(text: str) -> list[str]:
    """What the sanitiser will remove from a prose field: raw HTML and dangerous links.

    Prose is Markdown and math only. Raw HTML never reaches a page (nh3 removes it
    when the page is built); this finds it beforehand so validation can say so.
    """
    plain = _MATH_OR_CODE.sub(" ", text)
    found = [m.group(0)[:40] for m in _RAW_HTML.finditer(plain)]
    for m in _LINK_TARGET.finditer(plain):
        target = html.unescape(m.group(1) or m.group(2) or "")
        compact = "".join(ch for ch in target if not ch.isspace() and ch.isprintable())
        if _BAD_SCHEME.match(compact):
            found.append(target[:40])
    return found


def check_markup(doc: Document, prose: Iterable[tuple[FieldPath, str]]) -> list[Diagnostic]:
    """A warning for each prose field that holds markup the sanitiser will remove."""
    out = []
    for fpath, text in prose:
        found = unsafe_markup(text)
        if found:
            line, col = doc.mark(fpath)
            out.append(
                problem(
                    doc.path,
                    Code.UNSAFE_MARKUP,
                    format_field(fpath),
                    f"raw HTML or an unsafe link is removed from the page: {found[0]!r}"
                    + (f" and {len(found) - 1} more" if len(found) > 1 else ""),
                    "prose is Markdown and math only; links must be http(s)",
                    line=line,
                    col=col,
                )
            )
    return out


def check_entries(
    entries: Sequence[Entry],
    docs: Mapping[str, Document],
    broken: Collection[str] = (),
    renamed: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Checks across entries: relations, duplicate papers, prose links.

    Args:
        entries: The valid entries, in id order.
        docs: Each entry's loaded document, by id, for positions.
        broken: The ids of entry files that failed their own checks. They still exist
            for references to them, so that one typo is one error, not one more per
            entry that points to the file.
        renamed: Old id -> new id of renamed entries: a reference to an old id is
            reported with the new one in its hint.
    """
    renamed = renamed or {}
    out: list[Diagnostic] = []
    by_id = {e.id: e for e in entries}
    known = set(by_id) | set(broken)
    for entry in entries:
        doc = docs[entry.id]
        seen: set[tuple[str, str]] = set()
        for i, rel in enumerate(entry.relations):
            line, col = doc.mark(("relations", i, "target"))
            field = f"relations[{i}].target"
            if rel.target == entry.id:
                out.append(
                    problem(
                        doc.path,
                        Code.SELF_RELATION,
                        field,
                        "an entry cannot be related to itself",
                        "point the relation at another entry",
                        line=line,
                        col=col,
                    )
                )
            elif rel.target not in known:
                hint = (
                    renamed_hint(rel.target, renamed)
                    or did_you_mean(rel.target, sorted(known))
                    or "the target must be an entry id in entries/"
                )
                out.append(
                    problem(
                        doc.path,
                        Code.DANGLING_RELATION,
                        field,
                        f"relation target '{rel.target}' is not an entry",
                        hint,
                        line=line,
                        col=col,
                    )
                )
            if (rel.type, rel.target) in seen:
                out.append(
                    problem(
                        doc.path,
                        Code.DUPLICATE_RELATION,
                        field,
                        f"relation '{rel.type}' to '{rel.target}' is given twice",
                        "remove one",
                        line=line,
                        col=col,
                    )
                )
            seen.add((rel.type, rel.target))
        out.extend(check_links(doc, entry_prose(entry), known, renamed))
        out.extend(check_markup(doc, entry_prose(entry)))
        if entry.draft:
            out.append(
                doc.problem(
                    Code.DRAFT,
                    ("draft",),
                    "the entry is a draft: the built site leaves it out",
                    "delete the line 'draft: true' when the entry is ready",
                )
            )
        if entry.summary.lstrip().startswith("TODO"):
            line, col = doc.mark(("summary",))
            out.append(
                problem(
                    doc.path,
                    Code.PLACEHOLDER,
                    "summary",
                    "the summary is still a placeholder",
                    "write 2-6 sentences in your own words",
                    line=line,
                    col=col,
                )
            )
    out.extend(_duplicates(entries, docs))
    out.extend(_builds_on_cycles(entries, docs))
    return out


def _builds_on_cycles(entries: Sequence[Entry], docs: Mapping[str, Document]) -> list[Diagnostic]:
    """A paper cannot build on itself through others: report each builds-on cycle found."""
    edges: dict[str, list[tuple[int, str]]] = {
        e.id: [
            (i, r.target)
            for i, r in enumerate(e.relations)
            if r.type == "builds-on" and r.target != e.id
        ]
        for e in entries
    }
    done: set[str] = set()
    out: list[Diagnostic] = []
    for start in sorted(edges):
        if start in done:
            continue
        # Iterative depth-first search; `stack` is the current path.
        stack: list[tuple[str, Iterator[tuple[int, str]]]] = [(start, iter(edges[start]))]
        on_path = {start}
        while stack:
            node, steps = stack[-1]
            step = next(steps, None)
            if step is None:
                stack.pop()
                on_path.discard(node)
                done.add(node)
                continue
            index, target = step
            if target not in edges or target in done:
                continue
            if target in on_path:
                names = [n for n, _ in stack]
                cycle = [*names[names.index(target) :], target]
                doc = docs[node]
                line, col = doc.mark(("relations", index, "target"))
                out.append(
                    problem(
                        doc.path,
                        Code.RELATION_CYCLE,
                        f"relations[{index}].target",
                        "builds-on relations form a cycle: " + " -> ".join(cycle),
                        "a paper builds on older work; remove or retype one of these relations",
                        line=line,
                        col=col,
                    )
                )
                continue
            stack.append((target, iter(edges[target])))
            on_path.add(target)
    return out


def _duplicates(entries: Sequence[Entry], docs: Mapping[str, Document]) -> list[Diagnostic]:
    """The same paper twice (``text.paper_keys``): reported on every copy after the first."""
    keys: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        for key in paper_keys(e.arxiv, e.doi, e.title):
            keys[key].append(e)
    field_of = {"arXiv id": "arxiv", "DOI": "doi", "title": "title"}
    # The copy added later (or, added the same day, the later id) is the one reported.
    keys = {key: sorted(group, key=lambda e: (e.added, e.id)) for key, group in keys.items()}
    return [
        docs[other.id].problem(
            Code.DUPLICATE_PAPER,
            (field_of[what],),
            f"the same paper as '{group[0].id}' (same {what})",
            f"{docs[group[0].id].path} already holds it; keep one entry",
        )
        for (what, _value), group in keys.items()
        for other in group[1:]
    ]


# --------------------------------------------------------------------------- relative links

# Inline links ``[text](target)`` and reference definitions ``[label]: target``.
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE_LINK = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)

_PAGE_LINK = re.compile(r"^(?:[\w.~%-]+(?:/[\w.~%-]+)*\.md)?(?:#[\w.~%:-]+)?$")

#: Source path of a page -> the anchors it is known to have (None: not known, any passes).
PageAnchors = Mapping[str, frozenset[str] | None]


def relative_links(text: str) -> list[str]:
    """The links to pages of the site in a Markdown text, outside math and code.

    That is, as MkDocs writes them, a relative path to a page's source file with an
    optional anchor (``../x.md#a``), or an anchor of the same page (``#a``). Other
    targets are the sanitiser's business (schemes) or are not links to pages.
    """
    plain = _MATH_OR_CODE.sub(" ", text)
    found = [m.group(1) for m in _INLINE_LINK.finditer(plain)]
    found += [m.group(1) for m in _REFERENCE_LINK.finditer(plain)]
    return [u for u in found if _PAGE_LINK.match(u) and (u.startswith("#") or is_relative_link(u))]


def _renamed_page_hint(target: str, page_src: str, renamed: Mapping[str, str]) -> str:
    """The hint for a link to the page of a renamed entry: the link to write instead."""
    folder, _, name = target.rpartition("/")
    old = name.removesuffix(".md")
    if folder != "papers" or old not in renamed:
        return ""
    link = posixpath.relpath(f"papers/{renamed[old]}.md", posixpath.dirname(page_src) or ".")
    return renamed_hint(old, renamed, link)


def check_relative_links(
    doc: Document,
    prose: Iterable[tuple[FieldPath, str]],
    page_src: str,
    pages: PageAnchors,
    files: frozenset[str] = frozenset(),
    renamed: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Report relative links in prose that point to no page, file or anchor of the site.

    MkDocs checks the links of the pages it converts; generated pages are rendered
    by us, so their prose is checked here, as strictly, against the site map.

    Args:
        doc: The file the prose comes from, for positions.
        prose: The prose fields shown on the page, with their field paths.
        page_src: The source path of the page the prose is shown on.
        pages: Every page of the site with its anchors.
        files: Other files of the site (downloads, assets, pictures).
        renamed: Old id -> new id of renamed entries, for the hint.
    """
    out = []
    for fpath, text in prose:
        for url in relative_links(text):
            path, _, anchor = url.partition("#")
            target = resolve_link(page_src, path) if path else page_src
            if path and target not in pages and target not in files:
                example = posixpath.relpath("groups/GROUP/index.md", posixpath.dirname(page_src))
                hint = (
                    _renamed_page_hint(target, page_src, renamed or {})
                    or did_you_mean(target, pages)
                    or (f"link the source file of a page, relative to {page_src}: e.g. '{example}'")
                )
                out.append(
                    doc.problem(
                        Code.BROKEN_LINK,
                        fpath,
                        f"link '{url}' points to no page of the site",
                        hint,
                    )
                )
                continue
            anchors = pages.get(target)
            if anchor and anchors is not None and anchor not in anchors:
                shown = ", ".join(sorted(anchors)) or "none"
                out.append(
                    doc.problem(
                        Code.BROKEN_ANCHOR,
                        fpath,
                        f"link '{url}' points to no anchor of {target}",
                        f"anchors there: {shown}",
                    )
                )
    return out


# --------------------------------------------------------------------------- renamed ids


def check_moves(
    taxonomy: Taxonomy, entry_paths: Mapping[str, str], doc: Document | None
) -> list[Diagnostic]:
    """The renamed ids of ``taxonomy/moved.yaml`` against the entry files.

    An entry file named with an old id is refused (E038): its address serves the
    redirect to the new id, and a reader who followed an old link must not land on
    another paper. A rename that leads to no entry, or goes round in a loop, is E039.

    Args:
        taxonomy: The taxonomy with its moves.
        entry_paths: Every entry file's id -> its path as shown, broken files included.
        doc: ``taxonomy/moved.yaml`` as loaded, for positions; None when there is none.
    """
    out = []
    for old, path in sorted(entry_paths.items()):
        move = taxonomy.moved.get(old)
        if move is not None:
            out.append(
                problem(
                    path,
                    Code.ID_USED_BEFORE,
                    "",
                    f"the id '{old}' was used before: it was renamed to '{move.new}' on "
                    f"{move.date} and its address redirects there",
                    "choose another id (taxonomy/moved.yaml lists the ids used before)",
                )
            )
    if doc is None or not isinstance(doc.data, list):
        return out
    for move in taxonomy.moves:
        index = next(
            i
            for i, raw in enumerate(doc.data)
            if isinstance(raw, dict) and raw.get("from") == move.old
        )
        now = taxonomy.renamed(move.old)
        if now is None:
            message, hint = f"the renames of '{move.old}' go round in a loop", "remove one of them"
        elif now in entry_paths:
            continue
        else:
            message = f"'{move.old}' was renamed to '{now}', which is not an entry"
            hint = did_you_mean(now, sorted(entry_paths)) or "'to' is the id the entry has now"
        out.append(doc.problem(Code.MOVE_TO_NOTHING, (index, "to"), message, hint))
    return out
