"""Turn a BibTeX file into entry files, skipping papers the knowledge base already has.

A paper is the same paper when it has the same arXiv id, the same DOI (any
case), or the same normalised title, whether it is already an entry or came
earlier in the same file. Nothing is written here: :func:`plan_import` says
what would be created, skipped and what failed, and the caller writes the new
files without ever replacing one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from dltheory_site.bibtex import IMPORT_PLACEHOLDER, parse_bibtex, suggest_id
from dltheory_site.entryfile import dump_entry
from dltheory_site.kb import KnowledgeBase
from dltheory_site.text import one_line, paper_keys

#: The largest BibTeX file import-bib reads, and the most entries it imports at once.
MAX_BIB_BYTES = 8 * 1024 * 1024
MAX_BIB_ENTRIES = 2000
_BLOCK_START = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.M)


class ImportLimitError(Exception):
    """The BibTeX file is larger than import-bib reads at once."""


def check_size(text: str, source: str) -> None:
    """Refuse a file with more entries than :data:`MAX_BIB_ENTRIES`, before parsing it.

    Raises:
        ImportLimitError: with the message to show.
    """
    count = len(_BLOCK_START.findall(text))
    if count > MAX_BIB_ENTRIES:
        raise ImportLimitError(
            f"{source} holds {count} entries, more than the limit of {MAX_BIB_ENTRIES}; split it"
        )


@dataclass(frozen=True)
class PlannedEntry:
    """An entry file to create."""

    id: str
    key: str
    line: int
    text: str


@dataclass
class ImportPlan:
    """What an import would do."""

    create: list[PlannedEntry] = field(default_factory=list)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # key, line, reason
    failed: list[tuple[int, str]] = field(default_factory=list)  # line, message


def _identities(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return paper_keys(data.get("arxiv"), data.get("doi"), data.get("title"))


def plan_import(
    text: str, kb: KnowledgeBase, source: str, category: str | None, today: dt.date | None = None
) -> ImportPlan:
    """Plan the import of BibTeX ``text`` into ``kb``.

    Args:
        text: The BibTeX file's content.
        kb: The knowledge base as it is (for duplicates and taken ids).
        source: The file name, recorded in each new file's first comment.
        category: The subcategory to give every new entry, or None.
        today: The ``added`` date (default: today).
    """
    day = today or dt.date.today()
    plan = ImportPlan()
    parsed, failed = parse_bibtex(text)
    plan.failed = [(f.line, f.message) for f in failed]
    known: dict[tuple[str, str], str] = {}
    for e in kb.entries:
        for ident in paper_keys(e.arxiv, e.doi, e.title):
            known.setdefault(ident, f"already in the knowledge base as '{e.id}'")
    taken = set(kb.by_id) | set(kb.taxonomy.moved)  # an old id is never used again
    for item in parsed:
        data = dict(item.data)
        if not data.get("title") or not data.get("authors"):
            plan.failed.append((item.line, f"entry '{item.key}' has no title or no authors"))
            continue
        match = next((known[i] for i in _identities(data) if i in known), None)
        if match:
            plan.skipped.append((item.key, item.line, match))
            continue
        entry_id = suggest_id(data, taken)
        taken.add(entry_id)
        for ident in _identities(data):
            known[ident] = f"a duplicate of '{item.key}' earlier in {source}"
        if not data.get("venue") and data.get("arxiv"):
            data["venue"] = "arXiv"
        elif data.get("venue"):
            venue = kb.taxonomy.find_venue(str(data["venue"]))
            if venue is not None:
                data["venue"] = venue.short
        data["categories"] = [category] if category else []
        data["tags"] = []
        data["summary"] = IMPORT_PLACEHOLDER + "\n"
        data["added"] = day
        header = (
            # one_line: a newline in a key or file name would end the comment and add a field.
            f"# Imported from {one_line(source)} (BibTeX key {one_line(item.key)}) "
            f"on {day.isoformat()}.\n"
            "# Check every fact against the paper, then write the summary.\n"
        )
        plan.create.append(PlannedEntry(entry_id, item.key, item.line, header + dump_entry(data)))
    plan.failed.sort()
    return plan
