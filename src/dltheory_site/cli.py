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

from dltheory_site.cliopts import FMT_VALIDATE, load_or_fail, root_option
from dltheory_site.diagnostics import format_report, has_errors, one_line
from dltheory_site.exportcli import export_bib, export_csl
from dltheory_site.fsutil import OverwriteRefusedError, atomic_write, read_inside
from dltheory_site.project import entry_files, load_knowledge_base, suggest_category
from dltheory_site.schema import SCHEMA_PATH, render_schema, with_field_reference


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dltheory-site")
def cli() -> None:
    """Validate, inspect and publish a living-review knowledge base."""


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
@root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def stats(root: Path, fmt: str) -> None:
    """Entries per group, per subcategory and per year."""
    kb = load_or_fail(root)
    data = kb.stats()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{data['entries']} entries, {data['authors']} authors, "
        f"{data['relations']} relations ({data['with_relations']} entries have one)"
    )
    total = max(data["entries"], 1)
    relations = max(data["relations"], 1)
    click.echo(
        f"published 2021 or later: {data['since_2021']} ({data['since_2021'] / total:.0%}), "
        f"2024 or later: {data['since_2024']}; without a link to the paper: "
        f"{len(data['without_link'])}"
    )
    click.echo(
        "relations by type: "
        + ", ".join(f"{t} {n} ({n / relations:.0%})" for t, n in data["relation_types"].items())
    )
    click.echo("")
    for group in data["groups"]:
        click.echo(f"{group['number']}. {group['title']}: {group['entries']}")
        for sub in group["subcategories"]:
            click.echo(f"     {sub['id']:<52} {sub['primary']:>4} primary {sub['all']:>4} all")
    click.echo("")
    click.echo("per year: " + ", ".join(f"{y}: {n}" for y, n in data["years"].items()))


@cli.command()
@root_option
@click.option("--check", is_flag=True, help="Exit 1 if a generated file is stale; write nothing.")
def schema(root: Path, check: bool) -> None:
    """Write schema/entry.schema.json and the field table of CONTRIBUTING.md.

    Both are generated from the entry model and the taxonomy; a test fails when
    the committed files are stale.
    """
    from dltheory_site.render import SiteRenderer

    kb = load_or_fail(root)
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
            targets["CONTRIBUTING.md"] = with_field_reference(guide, table)
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
@root_option
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

    kb = load_or_fail(root).published()
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
@root_option
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
    from dltheory_site.fields import ID_RE
    from dltheory_site.project import load_taxonomy

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
        same = kb.find_paper(found.arxiv, found.doi, found.title)
        if same is not None:
            what, known = same
            raise click.ClickException(
                f"this paper is already in the knowledge base as '{known.id}' "
                f"(same {what}; {root / 'entries' / (known.id + '.yaml')})"
            )
    if category:
        values["categories"] = [category]
    if entry_id is None:
        if not values:
            raise click.UsageError("give an ID, or --arxiv/--doi to choose one")
        existing = {p.stem for p in (root / "entries").glob("*.yaml")} | set(taxonomy.moved)
        entry_id = suggest_id(values, existing)
    if not ID_RE.match(entry_id):
        raise click.ClickException(
            f"'{entry_id}' is not a valid id: use lower-case letters, digits and hyphens"
        )
    used = taxonomy.moved.get(entry_id)
    if used is not None:
        raise click.ClickException(
            f"the id '{entry_id}' was used before (renamed to '{used.new}' on {used.date}, "
            "taxonomy/moved.yaml): choose another id"
        )
    path = root / "entries" / f"{entry_id}.yaml"
    if not _write_new(path, skeleton(values, dt.date.today())):
        raise click.ClickException(f"{path} exists already; it was left unchanged")
    click.echo(f"wrote {path}: fill it in, delete the line 'draft: true', then run {FMT_VALIDATE}")


@cli.command("mv")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@root_option
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def move(old: str, new: str, root: Path, dry_run: bool) -> None:
    """Rename entry OLD to NEW and keep every link to it working.

    Renames the file, rewrites every reference (relations, [[OLD]], links to
    papers/OLD.md) in entries, taxonomy overviews and docs/, and records the move in
    taxonomy/moved.yaml: the site keeps a redirect page at /papers/OLD/.
    """
    import datetime as dt

    from dltheory_site.project import load_taxonomy
    from dltheory_site.rename import RenameError, apply_rename, plan_rename

    taxonomy, _docs, _problems = load_taxonomy(root)
    try:
        plan = plan_rename(root, old, new, taxonomy, dt.date.today())
    except RenameError as e:
        raise click.ClickException(str(e)) from e
    verb = "would " if dry_run else ""
    click.echo(f"{verb}rename {plan.source} to {plan.target[0]}")
    for path, count in plan.references.items():
        click.echo(f"{verb}rewrite {count} reference{'s' if count != 1 else ''} in {path}")
    click.echo(
        f"{verb}record the move in {plan.moved[0]}: /papers/{old}/ redirects to /papers/{new}/"
    )
    if not dry_run:
        apply_rename(plan)
        click.echo(f"next: run {FMT_VALIDATE}")


@cli.command()
@root_option
@click.option(
    "--base",
    default="origin/main",
    show_default=True,
    help="The git ref to compare with (the pull request's target branch).",
)
def report(root: Path, base: str) -> None:
    """Markdown of what this branch changes against BASE, for a pull request.

    Entries added, changed (which fields) and removed, ids renamed, relations added,
    every problem 'validate' reports, and the pages of the site that will change.
    Exit 0 whatever it finds: 'validate' is the check.
    """
    from dltheory_site.report import ReportError
    from dltheory_site.report import report as make_report

    try:
        click.echo(make_report(root, base), nl=False)
    except ReportError as e:
        raise click.ClickException(str(e)) from e


@cli.command("import-bib")
@click.argument("bibfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option
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


@cli.command()
@root_option
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
    if check and changed:
        command = "dltheory-site fmt" + (f" --root {root}" if root != Path(".") else "")
        command += "".join(f" {path}" for path in files)
        click.echo(f"to rewrite them, run '{command}' (in a clone: 'make fmt')")
    if (check and changed) or unsafe:
        raise click.exceptions.Exit(1)


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="A living review", show_default=True, help="The site's name.")
@click.option("--description", help="One sentence for the home page and the site's metadata.")
def init(folder: Path, name: str, description: str | None) -> None:
    """Start a new living review in DIR (new or empty), for any field.

    Writes mkdocs.yml, a taxonomy with one group and one subcategory, tags, venues
    and relation types, one example entry, docs/, the GitHub workflows, a README and
    a CITATION.cff.
    It validates and builds (mkdocs build --strict) as it is.
    """
    from dltheory_site.scaffold import Review, ScaffoldError, init_review

    review = Review(name, description) if description else Review(name)
    try:
        written = init_review(folder, review)
    except ScaffoldError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"wrote {len(written)} files to {folder}")
    click.echo(
        f"next: cd {folder}, install the engine (pip install -r requirements.txt), "
        "then 'dltheory-site validate' and 'mkdocs serve'"
    )


cli.add_command(export_bib)
cli.add_command(export_csl)


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
