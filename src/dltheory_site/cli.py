"""The ``dltheory-site`` command line.

Every command is a thin layer over the same core the MkDocs plugin uses. Errors
go to stderr as one line each with a non-zero exit; ``--format json`` gives
machine-readable output where a command reports something.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from dltheory_site.diagnostics import format_report, has_errors, one_line
from dltheory_site.fsutil import OverwriteRefusedError, atomic_write, read_inside
from dltheory_site.kb import KnowledgeBase, entry_files, load_knowledge_base, suggest_category
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
    """The numbers ``stats`` prints (the statistics page shows the same)."""
    return kb.stats()


FIELD_START = "<!-- dltheory:field-reference:start -->"
FIELD_END = "<!-- dltheory:field-reference:end -->"


def _with_field_reference(text: str, table: str) -> str:
    """CONTRIBUTING.md with the generated field table between its two markers."""
    if FIELD_START not in text or FIELD_END not in text:
        return text
    head, rest = text.split(FIELD_START, 1)
    _old, tail = rest.split(FIELD_END, 1)
    return f"{head}{FIELD_START}\n{table.strip()}\n{FIELD_END}{tail}"


@cli.command()
@_root_option
@click.option("--check", is_flag=True, help="Exit 1 if a generated file is stale; write nothing.")
def schema(root: Path, check: bool) -> None:
    """Write schema/entry.schema.json and the field table of CONTRIBUTING.md.

    Both are generated from the entry model and the taxonomy; a test fails when
    the committed files are stale.
    """
    from dltheory_site.render import SiteRenderer

    kb = _load_or_fail(root)
    table = SiteRenderer(kb).expand_markers("<!-- dltheory:field-reference -->", "index.md")
    targets = {SCHEMA_PATH: render_schema(kb.taxonomy)}
    contributing = root / "CONTRIBUTING.md"
    if contributing.is_symlink() or contributing.exists():
        # A pull request may make it a link (to /dev/zero, say): read only a file in here.
        guide = read_inside(contributing, root)
        if guide is None:
            click.echo(
                "CONTRIBUTING.md is a symbolic link out of the project or larger than 1 MiB; "
                "left as it is",
                err=True,
            )
        else:
            targets["CONTRIBUTING.md"] = _with_field_reference(guide, table)
    stale = []
    for name, text in targets.items():
        path = root / name
        current = read_inside(path, root) if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not check:
            atomic_write(path, text, overwrite=True)
            click.echo(f"wrote {name}")
    if check and stale:
        for name in stale:
            click.echo(f"{name} is stale: run 'dltheory-site schema'", err=True)
        raise click.exceptions.Exit(1)
    if not stale:
        click.echo("generated files are up to date")


@cli.command()
@_root_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write: new or empty (generate never deletes or replaces a file).",
)
def generate(root: Path, out: Path) -> None:
    """Write every page as plain Markdown with an mkdocs.yml that needs no plugin.

    Build the result with 'mkdocs build -f OUT/mkdocs.yml' or any builder that
    reads mkdocs.yml. To write it again, remove OUT first or choose a new folder.
    """
    from dltheory_site.generate import GenerateError
    from dltheory_site.generate import generate as write_site

    kb = _load_or_fail(root)
    try:
        site = write_site(kb, root, out)
    except GenerateError as e:
        raise click.ClickException(one_line(str(e))) from e
    click.echo(f"wrote {len(site.pages)} pages and {len(site.files)} files to {one_line(str(out))}")


def _write_new(path: Path, text: str) -> bool:
    """Create a file atomically; False (and nothing written) when it exists already."""
    try:
        atomic_write(path, text, overwrite=False)
    except OverwriteRefusedError:
        return False
    return True


@cli.command()
@click.argument("entry_id", metavar="ID", required=False)
@_root_option
@click.option("--arxiv", "arxiv_id", help="Fill the fields from the arXiv API.")
@click.option("--doi", help="Fill the fields from Crossref.")
@click.option("--category", help="The primary subcategory, e.g. complexity/pac-bayes.")
@click.option(
    "--timeout",
    type=float,
    default=15.0,
    show_default=True,
    help="Seconds to wait for arXiv or Crossref.",
)
def new(
    entry_id: str | None,
    root: Path,
    arxiv_id: str | None,
    doi: str | None,
    category: str | None,
    timeout: float,
) -> None:
    """Write entries/ID.yaml: every field with a comment; never replaces a file.

    With --arxiv or --doi the title, authors, year, venue and ids are filled in
    from the arXiv API or Crossref, and ID may be left out.
    """
    import datetime as dt

    from dltheory_site.bibtex import suggest_id
    from dltheory_site.entryfile import skeleton
    from dltheory_site.fetch import FetchError, fetch_arxiv, fetch_crossref
    from dltheory_site.kb import load_taxonomy
    from dltheory_site.model import ID_RE

    if arxiv_id and doi:
        raise click.UsageError("give --arxiv or --doi, not both")
    taxonomy, _docs, _problems = load_taxonomy(root)
    if category and category not in taxonomy.subcategories:
        hint = suggest_category(category, taxonomy)
        raise click.ClickException(
            f"unknown subcategory '{category}'" + (f" ({hint})" if hint else "")
        )
    values: dict[str, Any] = {}
    if arxiv_id or doi:
        try:
            found = (
                fetch_arxiv(arxiv_id, timeout) if arxiv_id else fetch_crossref(str(doi), timeout)
            )
        except FetchError as e:
            raise click.ClickException(str(e)) from e
        values = {"title": found.title, "authors": list(found.authors)}
        if found.year:
            values["year"] = found.year
        venue = taxonomy.find_venue(found.venue) if found.venue else None
        values["venue"] = venue.short if venue else (found.venue or "")
        values.update({k: v for k, v in (("arxiv", found.arxiv), ("doi", found.doi)) if v})
        if found.bibtex:
            values["bibtex"] = dict(found.bibtex)
        kb, _problems = load_knowledge_base(root)
        for known in kb.entries:
            if (found.arxiv and known.arxiv == found.arxiv) or (
                found.doi and known.doi and known.doi.lower() == found.doi.lower()
            ):
                raise click.ClickException(
                    f"this paper is already in the knowledge base as '{known.id}' "
                    f"({root / 'entries' / (known.id + '.yaml')})"
                )
    if category:
        values["categories"] = [category]
    if entry_id is None:
        if not values:
            raise click.UsageError("give an ID, or --arxiv/--doi to choose one")
        existing = {p.stem for p in (root / "entries").glob("*.yaml")}
        entry_id = suggest_id(values, existing)
    if not ID_RE.match(entry_id):
        raise click.ClickException(
            f"'{entry_id}' is not a valid id: use lower-case letters, digits and hyphens"
        )
    path = root / "entries" / f"{entry_id}.yaml"
    if not _write_new(path, skeleton(values, dt.date.today())):
        raise click.ClickException(f"{path} exists already; it was left unchanged")
    click.echo(f"wrote {path}: fill it in, then run 'dltheory-site validate'")


@cli.command("import-bib")
@click.argument("bibfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_root_option
@click.option("--category", help="Subcategory for every imported entry, e.g. sgd/implicit-bias.")
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
def import_bib(bibfile: Path, root: Path, category: str | None, dry_run: bool) -> None:
    """Create one entry file per new paper in a BibTeX file.

    Papers already in the knowledge base (same arXiv id, DOI or title) and
    repeats within the file are skipped; existing files are never touched.
    """
    from dltheory_site.importer import MAX_BIB_BYTES, ImportLimitError, check_size, plan_import

    # Entries with errors are not in kb: their papers may be imported again (and
    # then refused as files that exist), which validate reports anyway.
    kb, _problems = load_knowledge_base(root)
    if category and category not in kb.taxonomy.subcategories:
        hint = suggest_category(category, kb.taxonomy)
        raise click.ClickException(
            f"unknown subcategory '{category}'" + (f" ({hint})" if hint else "")
        )
    shown = one_line(str(bibfile))
    with bibfile.open("rb") as handle:
        raw = handle.read(MAX_BIB_BYTES + 1)
        size = max(os.fstat(handle.fileno()).st_size, len(raw))
    if len(raw) > MAX_BIB_BYTES:
        raise click.ClickException(
            f"{shown} is {size} bytes, more than the limit of {MAX_BIB_BYTES}; split it"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise click.ClickException(
            f"{shown} is not UTF-8 (byte {e.start}); save it as UTF-8"
        ) from e
    try:
        check_size(text, shown)
    except ImportLimitError as e:
        raise click.ClickException(str(e)) from e
    plan = plan_import(text, kb, bibfile.name, category)
    created = 0
    for item in plan.create:
        path = root / "entries" / f"{item.id}.yaml"
        if dry_run:
            click.echo(f"would create {path} from '{one_line(item.key)}' (line {item.line})")
            created += 1
        elif _write_new(path, item.text):
            click.echo(f"created {path} from '{one_line(item.key)}' (line {item.line})")
            created += 1
        else:
            plan.skipped.append((item.key, item.line, f"{path} exists already"))
    for key, line, reason in plan.skipped:
        click.echo(f"skipped '{one_line(key)}' (line {line}): {one_line(reason)}")
    for line, message in plan.failed:
        click.echo(f"{shown}:{line}: {one_line(message)}", err=True)
    verb = "would be created" if dry_run else "created"
    click.echo(
        f"{created} {verb}, {len(plan.skipped)} skipped as duplicates, {len(plan.failed)} failed"
    )
    if created and not dry_run:
        click.echo("next: write each summary in your own words, then run 'dltheory-site validate'")
    if plan.failed:
        raise click.exceptions.Exit(1)


@cli.command("export-bib")
@_root_option
@click.option("--category", help="A group (complexity) or subcategory (complexity/pac-bayes).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def export_bib(root: Path, category: str | None, out: Path | None, force: bool) -> None:
    """BibTeX of the whole knowledge base or of one group or subcategory."""
    from dltheory_site.bibtex import to_bibtex

    kb = _load_or_fail(root)
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
    text = to_bibtex((e, kb.venue(e)) for e in sorted(entries, key=lambda e: e.id))
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(out, text, overwrite=force)
    except OverwriteRefusedError as e:
        raise click.ClickException(f"{out} exists; pass --force to replace it") from e
    click.echo(f"wrote {len(entries)} entries to {out}")


@cli.command()
@_root_option
@click.option("--check", is_flag=True, help="Exit 1 and name the files that would change.")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def fmt(root: Path, check: bool, files: tuple[Path, ...]) -> None:
    """Rewrite entry files in canonical form, keeping every comment and value."""
    from dltheory_site.entryfile import format_text
    from dltheory_site.loader import read_limited

    paths = list(files) or entry_files(root)
    changed, unsafe = [], []
    for path in paths:
        shown = one_line(str(path))
        # The loader's limits: no link followed, nothing past the size limit read.
        raw, problem = read_limited(path, shown)
        text = _utf8(raw) if raw is not None else None
        formatted = format_text(text) if text is not None else None
        if formatted is None:
            if problem is not None:
                reason = problem.message
                if problem.message == "a symbolic link":
                    reason += ": entries are files of their own"
            else:
                reason = (
                    "it does not load, or formatting it would change a value or a comment; "
                    "run 'dltheory-site validate'"
                )
            unsafe.append((shown, reason))
        elif formatted != text:
            changed.append(shown)
            if not check:
                atomic_write(path, formatted, overwrite=True)
    for shown, reason in unsafe:
        click.echo(f"{shown}: left as it is ({reason})", err=True)
    for shown in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {shown}")
    click.echo(
        f"{len(changed)} {'would change' if check else 'changed'}, "
        f"{len(paths) - len(changed) - len(unsafe)} unchanged, {len(unsafe)} left alone"
    )
    if (check and changed) or unsafe:
        raise click.exceptions.Exit(1)


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


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
