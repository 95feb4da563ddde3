"""``dltheory-site report --base REF``: what a branch changes, as Markdown for a pull request.

The knowledge base at ``REF`` (taken from git with ``git archive``, into a
temporary folder) is compared with the one in the working tree:

- entries added, changed (which fields) and removed, and ids renamed;
- relations added;
- every diagnostic of the working tree, as ``validate`` prints them;
- the pages of the site that will change: added, changed, removed (generated pages
  compared as rendered, hand-written ones with their generated parts filled in).

Entries are compared by their files' data, so a file that does not validate still
shows what it changes. The pull-request workflow writes the report to the job summary.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dltheory_site.diagnostics import Diagnostic, Severity
from dltheory_site.kb import KnowledgeBase
from dltheory_site.loader import load_file
from dltheory_site.project import ENTRIES_DIR, TAXONOMY_DIR, entry_files, load_knowledge_base
from dltheory_site.prose import escape_markdown
from dltheory_site.render import SiteRenderer
from dltheory_site.urls import page_url

#: What is taken from the base: the knowledge base and the pages around it.
COMPARED = (TAXONOMY_DIR, ENTRIES_DIR, "docs", "CONTRIBUTING.md")


class ReportError(Exception):
    """The base cannot be read (no git, an unknown ref)."""


@dataclass(frozen=True)
class Side:
    """One side of the comparison: entry files' data, the knowledge base, its problems."""

    data: Mapping[str, Any]
    kb: KnowledgeBase
    problems: list[Diagnostic]


def _git(root: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError as e:
        raise ReportError("git is not installed") from e
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReportError(f"git {args[0]} failed: {message[-1] if message else result.returncode}")
    return result.stdout


def extract_base(root: Path, ref: str, dest: Path) -> None:
    """Write the knowledge base of ``ref`` (``taxonomy/``, ``entries/``, ``docs/``) to ``dest``."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ReportError as e:
        raise ReportError(
            f"'{ref}' is not a commit of this repository (fetch it first, e.g. "
            "'git fetch origin main', or give another --base)"
        ) from e
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    archive = _git(root, "archive", "--format=tar", f"{ref}:{prefix}" if prefix else ref)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = [m for m in tar.getmembers() if m.name.split("/")[0] in COMPARED]
        tar.extractall(dest, members=members, filter="data")


def load_side(root: Path) -> Side:
    """Load one side: every entry file's data by id, and the knowledge base."""
    data = {path.stem: load_file(path, path.name).data for path in entry_files(root)}
    kb, problems = load_knowledge_base(root)
    return Side(data, kb, problems)


def _relations(data: Any) -> set[tuple[str, str]]:
    raw = data.get("relations") if isinstance(data, dict) else None
    return {
        (str(r.get("type")), str(r.get("target")))
        for r in (raw if isinstance(raw, list) else [])
        if isinstance(r, dict)
    }


def _title(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("title"), str) and data["title"].strip():
        year = data.get("year")
        return escape_markdown(data["title"]) + (f" ({year})" if isinstance(year, int) else "")
    return "*(no title yet)*"


def _pages(kb: KnowledgeBase, root: Path) -> dict[str, str]:
    """Every page of the site as text by URL: generated ones rendered, hand-written filled in."""
    renderer = SiteRenderer(kb.published())
    site = renderer.render()
    pages = {page_url(p.src): p.markdown for p in site.pages}
    # Redirect pages (renamed ids) are files; they are listed under their address.
    pages.update(
        {
            path.removesuffix("index.html"): text.decode()
            for path, text in site.files.items()
            if path.endswith(".html")
        }
    )
    docs = root / "docs"
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        src = path.relative_to(docs).as_posix()
        pages[page_url(src)] = renderer.expand_markers(path.read_text(encoding="utf-8"), src)
    return pages


def _fence(lines: Iterable[str]) -> str:
    longest = max((len(m) for line in lines for m in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def build_report(base_root: Path, head_root: Path, ref: str) -> str:
    """The Markdown report of what ``head_root`` changes against ``base_root``."""
    base, head = load_side(base_root), load_side(head_root)
    added = sorted(set(head.data) - set(base.data))
    removed = sorted(set(base.data) - set(head.data))
    changed = {
        i: sorted(
            k
            for k in {*_keys(base.data[i]), *_keys(head.data[i])}
            if _field(base.data[i], k) != _field(head.data[i], k)
        )
        for i in sorted(set(head.data) & set(base.data))
        if base.data[i] != head.data[i]
    }
    relations = sorted(
        (i, t, target)
        for i, d in head.data.items()
        for t, target in _relations(d) - _relations(base.data.get(i))
    )
    old_moves = set(base.kb.taxonomy.moved)
    moves = [m for m in head.kb.taxonomy.moves if m.old not in old_moves]
    errors = sum(d.severity is Severity.ERROR for d in head.problems)
    warnings = len(head.problems) - errors
    out = [
        f"## Knowledge base: this branch against `{ref}`",
        "",
        f"**{len(added)} added, {len(changed)} changed, {len(removed)} removed**, "
        f"{len(relations)} relation{'s' if len(relations) != 1 else ''} added; "
        f"`validate`: {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}",
        "",
    ]
    out += _section("Entries added", [f"`{i}`: {_title(head.data[i])}" for i in added])
    out += _section(
        "Entries changed",
        [
            f"`{i}`: {', '.join(f'`{k}`' for k in keys) or 'layout only'}"
            for i, keys in changed.items()
        ],
    )
    out += _section("Entries removed", [f"`{i}`: {_title(base.data[i])}" for i in removed])
    out += _section(
        "Ids renamed", [f"`{m.old}` → `{m.new}` (`/papers/{m.old}/` redirects)" for m in moves]
    )
    out += _section("Relations added", [f"`{i}` {t} `{target}`" for i, t, target in relations])
    lines = [d.format() for d in sorted(head.problems, key=Diagnostic.sort_key)]
    out += ["### Problems", ""]
    if lines:
        fence = _fence(lines)
        out += [fence + "text", *lines, fence, ""]
    else:
        out += ["None: `validate` passes without a warning.", ""]
    before, after = _pages(base.kb, base_root), _pages(head.kb, head_root)
    pages = [
        *(f"added `/{u}`" for u in sorted(set(after) - set(before))),
        *(
            f"changed `/{u}`"
            for u in sorted(u for u in after if u in before and before[u] != after[u])
        ),
        *(f"removed `/{u}`" for u in sorted(set(before) - set(after))),
    ]
    if errors:
        out += ["*Entries with errors are left out of the pages below until they validate.*", ""]
    out += _section(f"Pages that will change ({len(pages)})", pages, always=True)
    return "\n".join(out).rstrip("\n") + "\n"


def _keys(data: Any) -> list[str]:
    return [str(k) for k in data] if isinstance(data, dict) else ["(the whole file)"]


def _field(data: Any, key: str) -> Any:
    if not isinstance(data, dict):
        return data if key == "(the whole file)" else None
    return data.get(key)


def _section(title: str, items: list[str], *, always: bool = False) -> list[str]:
    if not items and not always:
        return []
    return [f"### {title}", "", *(f"- {item}" for item in items or ["none"]), ""]


def report(root: Path, ref: str) -> str:
    """The report of the project at ``root`` against the git ref ``ref``."""
    with tempfile.TemporaryDirectory(prefix="dltheory-base-") as folder:
        extract_base(root, ref, Path(folder))
        return build_report(Path(folder), root, ref)
