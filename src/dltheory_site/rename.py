"""``dltheory-site mv OLD NEW``: rename an entry without breaking a link to it.

An entry's id is its file name and the address of its page (``/papers/OLD/``),
which readers bookmark and other sites cite. A rename

- writes ``entries/NEW.yaml`` (never over an existing file) and removes ``OLD.yaml``;
- rewrites every reference: relation targets, ``[[OLD]]`` links and relative links
  to ``papers/OLD.md`` in entries, the ``[[OLD]]`` and relative links of taxonomy
  overviews, and relative links in the hand-written pages of ``docs/``;
- appends ``{from: OLD, to: NEW, date: ...}`` to ``taxonomy/moved.yaml``, from which
  the site keeps a redirect page at the old address (``sitemap.redirect_specs``)
  and ``validate`` reports a reference to the old id and refuses it as a new id.

Files are rewritten as text, so comments and layout stay as they were. A rewritten
file is kept only if it loads to exactly the data expected (the old data with the
references renamed); otherwise the rename stops before any file is written. Every
write is atomic; an interrupted rename leaves ``OLD.yaml`` beside ``NEW.yaml``,
which ``validate`` reports as the same paper twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dltheory_site.fields import ID_RE
from dltheory_site.fsutil import atomic_write
from dltheory_site.loader import load_text
from dltheory_site.model import Taxonomy
from dltheory_site.project import ENTRIES_DIR, MOVED_FILE, TAXONOMY_DIR, display_path
from dltheory_site.sitemap import entry_src, group_src
from dltheory_site.text import did_you_mean
from dltheory_site.urls import resolve_link

MOVED_HEADER = (
    "# Entry ids that were renamed with 'dltheory-site mv'. The site keeps a redirect\n"
    "# page at each old address, and an old id is never used again.\n"
)

# A link target in Markdown, inline ``](x.md`` or a reference definition ``[a]: x.md``,
# whose file name is an id: the folder part and the name are checked by resolving it.
_LINK = re.compile(
    r"(?P<lead>\]\(\s*<?|^\s*\[[^\]\n]+\]:\s*<?)(?P<dir>(?:[\w.~%-]+/)*)(?P<name>[a-z0-9-]+)\.md"
    r"(?=[#)\s>]|$)",
    re.M,
)


class RenameError(Exception):
    """A rename that cannot be done; nothing was changed."""


@dataclass(frozen=True)
class RenamePlan:
    """Everything a rename writes, decided before anything is written.

    Attributes:
        source: ``entries/OLD.yaml``, removed last.
        target: ``entries/NEW.yaml`` and its text.
        rewrites: Other files with a reference, and their new text.
        references: How many references each rewritten file held (the entry itself
            included when it names itself).
        moved: ``taxonomy/moved.yaml`` and its new text.
    """

    source: Path
    target: tuple[Path, str]
    rewrites: dict[Path, str]
    references: dict[Path, int]
    moved: tuple[Path, str]


def _rename_links(text: str, page_src: str, old: str, new: str) -> tuple[str, int]:
    """Relative links to ``papers/OLD.md`` in a Markdown text shown on ``page_src``."""
    count = 0

    def link(match: re.Match[str]) -> str:
        nonlocal count
        if match["name"] != old or resolve_link(page_src, f"{match['dir']}{old}.md") != (
            entry_src(old)
        ):
            return match[0]
        count += 1
        return f"{match['lead']}{match['dir']}{new}.md"

    return _LINK.sub(link, text), count


def _rename_prose(text: str, page_src: str, old: str, new: str) -> tuple[str, int]:
    """``[[OLD]]`` links and relative links to ``papers/OLD.md`` in a Markdown text."""
    text, links = _rename_links(text, page_src, old, new)
    text, wikilinks = re.subn(r"\[\[\s*" + re.escape(old) + r"\s*(?=\||\]\])", f"[[{new}", text)
    return text, links + wikilinks


def _rename_yaml(text: str, page_src: str, old: str, new: str) -> tuple[str, int]:
    """The same in a YAML file's text, relation targets included."""
    text, count = _rename_prose(text, page_src, old, new)
    target = re.compile(
        r"(\btarget:[ \t]*)([\"']?)" + re.escape(old) + r"\2(?=[ \t]*(?:[,}#]|$))", re.M
    )
    text, targets = target.subn(lambda m: f"{m[1]}{m[2]}{new}{m[2]}", text)
    return text, count + targets


def _renamed_data(value: Any, page_src: str, old: str, new: str) -> Any:
    """What a file's data must be after the rename: the check on a text rewrite."""
    if isinstance(value, dict):
        return {
            k: new if k == "target" and v == old else _renamed_data(v, page_src, old, new)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_renamed_data(v, page_src, old, new) for v in value]
    if isinstance(value, str):
        return _rename_prose(value, page_src, old, new)[0]
    return value


def _checked_rewrite(path: Path, page_src: str, old: str, new: str) -> tuple[str, int] | None:
    """A YAML file's new text and its number of references, None when it has none.

    Raises:
        RenameError: The file holds a reference but does not load, or its rewrite
            would change something else.
    """
    text = path.read_text(encoding="utf-8")
    result, count = _rename_yaml(text, page_src, old, new)
    if not count:
        return None
    before, after = load_text(text, str(path)), load_text(result, str(path))
    if before.diagnostics or after.data != _renamed_data(before.data, page_src, old, new):
        raise RenameError(
            f"{display_path(path)} refers to '{old}' but cannot be rewritten safely: "
            "fix it (run 'dltheory-site validate') or rename the reference by hand; "
            "nothing was changed"
        )
    return result, count


def _moved_text(path: Path, old: str, new: str, today: dt.date) -> str:
    line = f"- {{from: {old}, to: {new}, date: {today.isoformat()}}}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    text = (current if current.endswith("\n") or not current else current + "\n") + line
    if not current.strip():
        text = MOVED_HEADER + line
    before = load_text(current, str(path)).data if current.strip() else None
    after = load_text(text, str(path)).data
    expected = [*(before or []), {"from": old, "to": new, "date": today}]
    if not isinstance(before, list | None) or after != expected:
        raise RenameError(
            f"{display_path(path)} cannot be appended to: write it as a block list of "
            "'- {from: old, to: new, date: YYYY-MM-DD}' lines; nothing was changed"
        )
    return text


def plan_rename(root: Path, old: str, new: str, taxonomy: Taxonomy, today: dt.date) -> RenamePlan:
    """Decide every file a rename writes.

    Raises:
        RenameError: The rename cannot be done (no such entry, a bad or used id, a
            file that cannot be rewritten safely).
    """
    entries = root / ENTRIES_DIR
    source, target = entries / f"{old}.yaml", entries / f"{new}.yaml"
    if not source.is_file():
        known = sorted(p.stem for p in entries.glob("*.yaml"))
        hint = did_you_mean(old, known)
        raise RenameError(f"{display_path(source)} does not exist" + (f" ({hint})" if hint else ""))
    if not ID_RE.match(new) or len(new) > 80:
        raise RenameError(f"'{new}' is not a valid id: use lower-case letters, digits and hyphens")
    if new == old:
        raise RenameError(f"'{old}' already has that id")
    if target.exists():
        raise RenameError(f"{display_path(target)} exists already; nothing was changed")
    used = taxonomy.moved.get(new)
    if used is not None:
        raise RenameError(
            f"the id '{new}' was used before (renamed to '{used.new}' on {used.date}, "
            f"{TAXONOMY_DIR}/{MOVED_FILE}): choose another id"
        )
    rewrites: dict[Path, str] = {}
    references: dict[Path, int] = {}
    target_text = source.read_text(encoding="utf-8")
    for path in sorted(entries.glob("*.yaml")):
        found = _checked_rewrite(path, entry_src(path.stem), old, new)
        if found is None:
            continue
        references[target if path == source else path] = found[1]
        if path == source:
            target_text = found[0]
        else:
            rewrites[path] = found[0]
    for path in sorted((root / TAXONOMY_DIR / "groups").glob("*.y*ml")):
        found = _checked_rewrite(path, group_src(path.stem), old, new)
        if found is not None:
            rewrites[path], references[path] = found
    docs = root / "docs"
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        # Hand-written pages have no [[id]] links: only their relative links count.
        text = path.read_text(encoding="utf-8")
        result, count = _rename_links(text, path.relative_to(docs).as_posix(), old, new)
        if count:
            rewrites[path], references[path] = result, count
    moved = root / TAXONOMY_DIR / MOVED_FILE
    return RenamePlan(
        source,
        (target, target_text),
        rewrites,
        references,
        (moved, _moved_text(moved, old, new, today)),
    )


def apply_rename(plan: RenamePlan) -> None:
    """Write a planned rename: the new file first (never over a file), the old one last."""
    path, text = plan.target
    atomic_write(path, text, overwrite=False)
    for other, new_text in plan.rewrites.items():
        atomic_write(other, new_text, overwrite=True)
    moved, moved_text = plan.moved
    atomic_write(moved, moved_text, overwrite=True)
    plan.source.unlink()
