"""The ``dltheory-site`` command line.

Every command is a thin layer over the same core the MkDocs plugin uses. Errors
go to stderr as one line each with a non-zero exit; ``--format json`` gives
machine-readable output where a command reports something.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from dltheory_site.diagnostics import format_report, has_errors
from dltheory_site.fsutil import atomic_write
from dltheory_site.kb import KnowledgeBase, entry_files, load_knowledge_base
from dltheory_site.schema import SCHEMA_PATH, render_schema

ROOT_HELP = "Project folder holding taxonomy/ and entries/ (default: the current folder)."


def _root_option(func: Any) -> Any:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=False,
        help=ROOT_HELP,
    )(func)


def _load_or_fail(root: Path) -> KnowledgeBase:
    """Load the knowledge base; on any error print the report and exit 1."""
    kb, problems = load_knowledge_base(root)
    if has_errors(problems):
        click.echo(format_report(problems, "text", len(entry_files(root))), err=True)
        raise click.exceptions.Exit(1)
    return kb


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dltheory-site")
def cli() -> None:
    """Validate, inspect and publish the deep-learning-theory knowledge base."""


@cli.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    help="text: one line per problem; json: a report; github: workflow annotations.",
)
def validate(path: Path, fmt: str) -> None:
    """Check the taxonomy and every entry under PATH; exit 1 on any error.

    Every problem of every file is reported in one run, one line each:
    path:line:col: error[CODE] field: message (hint).
    """
    _kb, problems = load_knowledge_base(path)
    report = format_report(problems, fmt, len(entry_files(path)))
    click.echo(report, err=fmt == "text" and has_errors(problems))
    if has_errors(problems):
        raise click.exceptions.Exit(1)


@cli.command()
@_root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def stats(root: Path, fmt: str) -> None:
    """Entries per group, per subcategory and per year."""
    kb = _load_or_fail(root)
    data = compute_stats(kb)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{data['entries']} entries, {data['authors']} authors, "
        f"{data['relations']} relations ({data['with_relations']} entries have one)"
    )
    click.echo("")
    for group in data["groups"]:
        click.echo(f"{group['number']}. {group['title']}: {group['entries']}")
        for sub in group["subcategories"]:
            click.echo(f"     {sub['id']:<52} {sub['primary']:>4} primary {sub['all']:>4} all")
    click.echo("")
    click.echo("per year: " + ", ".join(f"{y}: {n}" for y, n in data["years"].items()))


def compute_stats(kb: KnowledgeBase) -> dict[str, Any]:
    """The numbers ``stats`` prints and the statistics page shows."""
    primary: dict[str, int] = {}
    for e in kb.entries:
        primary[e.primary_category] = primary.get(e.primary_category, 0) + 1
    groups = []
    for g in kb.taxonomy.groups:
        subs = [
            {
                "id": g.full_id(s),
                "title": s.title,
                "primary": primary.get(g.full_id(s), 0),
                "all": len(kb.by_subcategory[g.full_id(s)]),
            }
            for s in g.subcategories
        ]
        groups.append(
            {
                "id": g.id,
                "number": g.number,
                "title": g.title,
                "entries": len(kb.by_group[g.id]),
                "subcategories": subs,
            }
        )
    years = {str(y): len(es) for y, es in sorted(kb.by_year.items())}
    return {
        "entries": len(kb.entries),
        "authors": len(kb.authors),
        "relations": sum(len(e.relations) for e in kb.entries),
        "with_relations": sum(bool(e.relations) for e in kb.entries),
        "groups": groups,
        "years": years,
    }


@cli.command()
@_root_option
@click.option(
    "--check", is_flag=True, help="Exit 1 if the committed schema is stale; write nothing."
)
def schema(root: Path, check: bool) -> None:
    """Write schema/entry.schema.json from the model and the taxonomy."""
    kb = _load_or_fail(root)
    target = root / SCHEMA_PATH
    text = render_schema(kb.taxonomy)
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if check:
        if current != text:
            click.echo(f"{SCHEMA_PATH} is stale: run 'dltheory-site schema'", err=True)
            raise click.exceptions.Exit(1)
        click.echo(f"{SCHEMA_PATH} is up to date")
        return
    if current == text:
        click.echo(f"{SCHEMA_PATH} is up to date")
        return
    atomic_write(target, text, overwrite=True)
    click.echo(f"wrote {SCHEMA_PATH}")


@cli.command()
@_root_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write (new, empty, or written by an earlier generate).",
)
@click.option("--force", is_flag=True, help="Replace a non-empty folder not written by generate.")
def generate(root: Path, out: Path, force: bool) -> None:
    """Write every page as plain Markdown with an mkdocs.yml that needs no plugin.

    Build the result with 'mkdocs build -f OUT/mkdocs.yml' or any builder that
    reads mkdocs.yml.
    """
    from dltheory_site.generate import GenerateError
    from dltheory_site.generate import generate as write_site

    kb = _load_or_fail(root)
    try:
        site = write_site(kb, root, out, force=force)
    except GenerateError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"wrote {len(site.pages)} pages and {len(site.files)} files to {out}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises for bad input)."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="dltheory-site",
            standalone_mode=False,
        )
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except OSError as e:
        click.echo(f"error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), err=True)
        return 1
    # With standalone_mode=False click returns a command's Exit code instead of raising it.
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
