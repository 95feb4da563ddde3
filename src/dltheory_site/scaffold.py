"""``dltheory-site init``: a new living review, for any field, that builds out of the box.

The files come from the package's ``scaffold/`` folder: ``mkdocs.yml``, a taxonomy
with one group and one subcategory, tags, venues and relation types, one example
entry, ``docs/index.md`` and ``docs/contributing.md``, the GitHub workflows, a README,
a ``CITATION.cff`` and a requirements file. The site's name and description are the
only values filled in; nothing in them is about any one field.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from dltheory_site.fsutil import atomic_write

#: Where a new review installs the engine from.
PACKAGE_HOME = "https://github.com/dltheory-site/dltheory-site"
PACKAGE_SOURCE = f"git+{PACKAGE_HOME}"
# Stored without their leading dot: package data drops hidden files and folders.
_RENAMES = {"gitignore": ".gitignore", "github/": ".github/"}


class ScaffoldError(Exception):
    """The target folder cannot take a new review."""


@dataclass(frozen=True)
class Review:
    """What a new review is called."""

    name: str
    description: str = "A living review of the literature, one paper at a time."


def _target(rel: str) -> str:
    for old, new in _RENAMES.items():
        if rel == old or (old.endswith("/") and rel.startswith(old)):
            return new + rel[len(old) :]
    return rel


def scaffold_files(review: Review) -> dict[str, str]:
    """Every file of a new review: relative path -> text, in path order."""
    root = resources.files("dltheory_site") / "scaffold"
    out: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif child.name != "__pycache__":
                out[_target(rel)] = _fill(child.read_text(encoding="utf-8"), rel, review)

    walk(root, "")
    return dict(sorted(out.items()))


def _fill(text: str, rel: str, review: Review) -> str:
    # In YAML the values are written as JSON strings, which YAML reads as they are; in
    # Markdown as text (a '<' would open a tag).
    quote: Callable[[str], str] = str
    if rel.endswith((".yml", ".yaml", ".cff")):
        quote = json.dumps
    elif rel.endswith(".md"):
        quote = html.escape
    return (
        text.replace("__SITE_NAME__", quote(review.name))
        .replace("__SITE_DESCRIPTION__", quote(review.description))
        .replace("__PACKAGE_SOURCE__", PACKAGE_SOURCE)
        .replace("__PACKAGE_HOME__", PACKAGE_HOME)
    )


def init_review(folder: Path, review: Review) -> list[Path]:
    """Write a new review into ``folder`` (new or empty); return the files written.

    Raises:
        ScaffoldError: ``folder`` is a file, or a folder that is not empty.
    """
    if folder.exists():
        if not folder.is_dir():
            raise ScaffoldError(f"{folder} exists and is not a folder")
        if any(folder.iterdir()):
            raise ScaffoldError(f"{folder} is not empty; choose a new or empty folder")
    written = []
    for rel, text in scaffold_files(review).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text, overwrite=False)
        written.append(path)
    return written
