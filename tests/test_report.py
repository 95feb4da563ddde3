"""`report --base REF`: what a branch changes, as Markdown, on a temporary git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.helpers import VALID_ENTRY, entry, make_project


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture site committed on main, then changed in the working tree."""
    root = make_project(tmp_path, keep_fixture_entries=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    entries = root / "entries"
    # Added: one entry that builds on smith2018first, one that does not validate.
    (entries / "doe2026fresh.yaml").write_text(
        entry(title='"A fresh paper"', year="2025")
        + "relations:\n  - {type: builds-on, target: smith2018first}\n",
        encoding="utf-8",
    )
    (entries / "broken.yaml").write_text(entry(title='"Broken"', year="abc"), encoding="utf-8")
    # Changed: a year and a tag.
    lee = entries / "lee2020third.yaml"
    lee.write_text(
        lee.read_text(encoding="utf-8")
        .replace("year: 2020", "year: 2021")
        .replace("tags: [kernel]", "tags: [kernel, bound]"),
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    return root


def test_report_lists_what_the_branch_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Removed: smith2018first's twin, committed first so that removing it is a change.
    (repo / "entries" / "twin.yaml").write_text(
        VALID_ENTRY.replace("A valid paper", "A twin"), encoding="utf-8"
    )
    git(repo, "add", "entries/twin.yaml")
    git(repo, "commit", "-q", "-m", "twin")
    (repo / "entries" / "twin.yaml").unlink()
    assert main(["report", "--base", "main"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    head, pages = out.split("### Pages that will change", 1)
    assert head == (
        "## Knowledge base: this branch against `main`\n"
        "\n"
        "**2 added, 1 changed, 1 removed**, 1 relation added; `validate`: 1 error, 0 warnings\n"
        "\n"
        "### Entries added\n"
        "\n"
        "- `broken`: Broken\n"
        "- `doe2026fresh`: A fresh paper (2025)\n"
        "\n"
        "### Entries changed\n"
        "\n"
        "- `lee2020third`: `tags`, `year`\n"
        "\n"
        "### Entries removed\n"
        "\n"
        "- `twin`: A twin (2019)\n"
        "\n"
        "### Relations added\n"
        "\n"
        "- `doe2026fresh` builds-on `smith2018first`\n"
        "\n"
        "### Problems\n"
        "\n"
        "```text\n"
        "entries/broken.yaml:3:7: error[E012] year: expected a whole number, got text "
        "(write the year as a number without quotes)\n"
        "```\n"
        "\n"
        "*Entries with errors are left out of the pages below until they validate.*\n"
        "\n"
    )
    lines = pages.splitlines()
    for line in (
        "- added `/papers/doe2026fresh/`",
        "- changed `/`",  # the home page lists the recent entries
        "- changed `/authors/ada-lovelace/`",
        "- changed `/papers/lee2020third/`",
        "- changed `/papers/smith2018first/`",  # lists its new neighbour
        "- changed `/timeline/`",
        "- changed `/tags/bound/`",
        "- removed `/papers/twin/`",
    ):
        assert line in lines, lines
    assert "- changed `/authors/jane-smith/`" not in lines  # her paper did not change
    assert lines[0] == f" ({len([x for x in lines if x.startswith('- ')])})"


def test_report_with_no_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "all")
    (repo / "entries" / "broken.yaml").unlink()
    git(repo, "commit", "-q", "-am", "fixed")
    assert main(["report", "--base", "HEAD"]) == 0
    assert capsys.readouterr().out == (
        "## Knowledge base: this branch against `HEAD`\n"
        "\n"
        "**0 added, 0 changed, 0 removed**, 0 relations added; `validate`: 0 errors, 0 warnings\n"
        "\n"
        "### Problems\n"
        "\n"
        "None: `validate` passes without a warning.\n"
        "\n"
        "### Pages that will change (0)\n"
        "\n"
        "- none\n"
    )


def test_report_names_a_base_it_cannot_find(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--base", "origin/nope"]) == 1
    assert capsys.readouterr().err == (
        "Error: 'origin/nope' is not a commit of this repository (fetch it first, e.g. "
        "'git fetch origin main', or give another --base)\n"
    )


def test_report_shows_a_rename(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "entries" / "broken.yaml").unlink()
    (repo / "entries" / "doe2026fresh.yaml").unlink()
    git(repo, "commit", "-q", "-am", "lee")
    assert main(["mv", "lee2020third", "lee2020beta"]) == 0
    capsys.readouterr()
    assert main(["report", "--base", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert (
        "\n### Ids renamed\n\n- `lee2020third` → `lee2020beta` (`/papers/lee2020third/` redirects)\n"
        in out
    )
    assert "- changed `/papers/lee2020third/`" in out  # now the redirect
    assert "- added `/papers/lee2020beta/`" in out
