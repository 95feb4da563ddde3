"""The export commands: the knowledge base, a group or a subcategory as BibTeX or CSL-JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from dltheory_site.cliopts import load_or_fail, root_option
from dltheory_site.fsutil import OverwriteRefusedError, atomic_write
from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry
from dltheory_site.project import suggest_category


def _export_options(func: Any) -> Any:
    """--root, --category, --out and --force, shared by every export."""
    for option in reversed(
        (
            root_option,
            click.option(
                "--category", help="A group (complexity) or subcategory (complexity/pac-bayes)."
            ),
            click.option(
                "--out",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Write to this file instead of standard output.",
            ),
            click.option("--force", is_flag=True, help="Replace --out if it exists."),
        )
    ):
        func = option(func)
    return func


@click.command("export-bib")
@_export_options
def export_bib(root: Path, category: str | None, out: Path | None, force: bool) -> None:
    """BibTeX of the whole knowledge base or of one group or subcategory."""
    from dltheory_site.bibtex import to_bibtex

    kb = load_or_fail(root)
    entries = _select(kb, category)
    _write_export(to_bibtex((e, kb.venue(e)) for e in entries), out, force, len(entries))


def _select(kb: KnowledgeBase, category: str | None) -> list[Entry]:
    """The entries of a group or subcategory (all without one), ordered by id."""
    entries = kb.entries
    if category:
        groups = {g.id for g in kb.taxonomy.groups}
        if category in groups:
            entries = tuple(
                e for e in entries if any(c.split("/")[0] == category for c in e.categories)
            )
        elif category in kb.taxonomy.subcategories:
            entries = kb.by_subcategory[category]
        else:
            hint = suggest_category(category, kb.taxonomy, groups=True)
            raise click.ClickException(
                f"unknown group or subcategory '{category}'" + (f" ({hint})" if hint else "")
            )
    return sorted(entries, key=lambda e: e.id)


def _write_export(text: str, out: Path | None, force: bool, count: int) -> None:
    """Print an export, or write it atomically to ``out`` (replaced only with --force)."""
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(out, text, overwrite=force)
    except OverwriteRefusedError as e:
        raise click.ClickException(f"{out} exists; pass --force to replace it") from e
    click.echo(f"wrote {count} entries to {out}")


@click.command("export-csl")
@_export_options
def export_csl(root: Path, category: str | None, out: Path | None, force: bool) -> None:
    """CSL-JSON of the whole knowledge base or of one group or subcategory.

    Zotero, Mendeley, Pandoc (--citeproc) and other CSL processors read it.
    """
    from dltheory_site.csl import csl_items, to_csl_json

    kb = load_or_fail(root)
    entries = _select(kb, category)
    _write_export(
        to_csl_json(csl_items((e, kb.venue(e)) for e in entries)), out, force, len(entries)
    )
