"""What the commands of the ``dltheory-site`` command line share: options and loading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from dltheory_site.diagnostics import format_report, has_errors
from dltheory_site.kb import KnowledgeBase
from dltheory_site.project import entry_files, load_knowledge_base

#: The contributor's last step, as the README gives it (the Makefile sets up .venv).
FMT_VALIDATE = "'make fmt validate'"
ROOT_HELP = "Project folder holding taxonomy/ and entries/ (default: the current folder)."


def root_option(func: Any) -> Any:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=False,
        help=ROOT_HELP,
    )(func)


def load_or_fail(root: Path) -> KnowledgeBase:
    """Load the knowledge base; on any error print the report and exit 1."""
    kb, problems = load_knowledge_base(root)
    if has_errors(problems):
        click.echo(format_report(problems, "text", len(entry_files(root))), err=True)
        raise click.exceptions.Exit(1)
    return kb
