"""Small factories shared by the tests."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
SNAPSHOTS = REPO / "tests" / "snapshots"

#: A minimal valid entry for the fixture taxonomy; tests format a variation of it.
VALID_ENTRY = """\
title: "A valid paper"
authors: [Ada Lovelace]
year: 2019
venue: NeurIPS
categories: [alpha/one]
summary: |
  A summary.
added: 2026-11-28
"""


def make_project(
    tmp_path: Path, entries: dict[str, str] | None = None, keep_fixture_entries: bool = False
) -> Path:
    """A copy of the fixture site under ``tmp_path``, with the given entry files.

    Args:
        tmp_path: Where to put the project.
        entries: File name -> file text; bytes are allowed for encoding tests.
        keep_fixture_entries: Keep the fixture's three entries beside the new ones.
    """
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns("site"))
    if not keep_fixture_entries:
        shutil.rmtree(root / "entries")
        (root / "entries").mkdir()
        # The fixture taxonomy links fixture entries in its overviews: drop them.
        for group in (root / "taxonomy" / "groups").glob("*.yaml"):
            text = group.read_text(encoding="utf-8")
            group.write_text(re.sub(r"\[\[[^\]]+\]\]", "a paper", text), encoding="utf-8")
    for name, text in (entries or {}).items():
        path = root / "entries" / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def entry(**changes: str | None) -> str:
    """VALID_ENTRY with fields replaced (value None removes the field's line)."""
    lines = VALID_ENTRY.splitlines()
    out = []
    skipping = False
    for line in lines:
        if skipping and line.startswith(" "):
            continue  # the replaced field's block continues
        skipping = False
        key = line.split(":", 1)[0]
        if key in changes and not line.startswith(" "):
            value = changes.pop(key)
            if value is not None:
                out.append(f"{key}: {value}")
            skipping = True
            continue
        out.append(line)
    out += [f"{k}: {v}" for k, v in changes.items() if v is not None]
    return "\n".join(out) + "\n"


def snapshot(name: str, text: str) -> None:
    """Compare with tests/snapshots/NAME; UPDATE_SNAPSHOTS=1 rewrites it instead."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or (
        not path.exists() and os.environ.get("CI") != "true"
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"snapshot {name} is missing: run UPDATE_SNAPSHOTS=1 make test"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its snapshot; if the change is intended, run "
        "UPDATE_SNAPSHOTS=1 make test and review the diff"
    )


def copy_repository(tmp_path: Path) -> Path:
    """A copy of the project's own taxonomy, entries, docs and mkdocs.yml."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("taxonomy", "entries", "docs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, for before/after comparisons."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
