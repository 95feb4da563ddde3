"""fmt: the canonical form, without losing a comment or a value; atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dltheory_site.cli import main
from dltheory_site.entryfile import comments, dump_entry, format_text, scalar
from dltheory_site.fsutil import OverwriteRefusedError, atomic_write
from tests.helpers import REPO, make_project

MESSY = """\
# Written by hand; keep this header.

summary: |
  Proves a bound. # a hash in prose is text, not a comment

  Second paragraph with $\\alpha$.
added: 2026-11-28
title: 'A paper: with a colon'   # why this title
authors: ["Ada Lovelace",   "Alan Turing"]
year: 2019
venue: "NeurIPS"
arxiv: '1901.00001'
categories: [alpha/one]
tags:
  - bound   # the main theme
  - kernel
relations:
  - type: builds-on
    target: smith2018first
    note: a note, with a comma
# trailing remark
"""

CANONICAL = """\
# Written by hand; keep this header.
title: 'A paper: with a colon'   # why this title
authors: [Ada Lovelace, Alan Turing]
year: 2019
venue: NeurIPS
arxiv: "1901.00001"
categories:
  - alpha/one
tags:
  - bound   # the main theme
  - kernel
summary: |
  Proves a bound. # a hash in prose is text, not a comment

  Second paragraph with $\\alpha$.
relations:
  - {type: builds-on, target: smith2018first, note: "a note, with a comma"}
added: 2026-11-28
# trailing remark
"""


def test_canonical_form_keeps_comments_and_values() -> None:
    assert format_text(MESSY) == CANONICAL
    assert yaml.safe_load(CANONICAL) == yaml.safe_load(MESSY)
    assert sorted(comments(CANONICAL)) == sorted(comments(MESSY))


def test_fmt_is_idempotent() -> None:
    assert format_text(CANONICAL) == CANONICAL


@pytest.mark.parametrize(
    "text",
    [
        "title: [unclosed\n",  # does not load
        "- a list\n",  # not a mapping
        "title: x\ntitle: y\n",  # duplicate key
    ],
)
def test_unloadable_files_are_left_alone(text: str) -> None:
    assert format_text(text) is None


@pytest.mark.parametrize(
    "value",
    [
        "NeurIPS",
        "a: b",
        "yes",
        "null",
        "1806.07572",
        "2018",
        "#x",
        "x #y",
        "- x",
        "[x]",
        "{x}",
        "'q'",
        '"q"',
        "",
        " lead",
        "trail ",
        "Clément",
        "10.1145/307400.307435",
        "https://x.org/a#b",
        "@x",
        "%x",
        "*x",
        "&x",
        "!x",
        "|x",
        ">x",
        "?x",
        "x:",
    ],
)
def test_scalar_round_trips(value: str) -> None:
    assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}


@pytest.mark.parametrize(
    "text",
    [
        "one line\n",
        "no newline",
        "two\n\nparagraphs\n",
        "trailing\n\n\n",
        " leading space\n",
        "tab\there\n",
        "trailing space \nx\n",
    ],
)
def test_prose_round_trips(text: str) -> None:
    dumped = dump_entry({"summary": text})
    assert yaml.safe_load(dumped) == {"summary": text}


def test_fmt_check_names_files_and_fmt_fixes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        tmp_path, {"messy.yaml": MESSY, "broken.yaml": "title: [\n"}, keep_fixture_entries=True
    )
    messy = root / "entries" / "messy.yaml"
    assert main(["fmt", "--check", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert f"would reformat {messy}" in out.splitlines()
    # The last line is the exact command that fixes it.
    assert out.splitlines()[-1] == (
        f"to rewrite them, run 'dltheory-site fmt --root {root}' (in a clone: 'make fmt')"
    )
    assert err.startswith(f"{root / 'entries' / 'broken.yaml'}: left as it is")
    assert messy.read_text(encoding="utf-8") == MESSY  # --check writes nothing
    main(["fmt", "--root", str(root)])
    capsys.readouterr()
    assert messy.read_text(encoding="utf-8") == CANONICAL
    assert (root / "entries" / "broken.yaml").read_text(encoding="utf-8") == "title: [\n"
    main(["fmt", "--check", "--root", str(root), str(messy)])
    assert capsys.readouterr().out == "0 would change, 1 unchanged, 0 left alone\n"


def test_repository_is_formatted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--check", "--root", str(REPO)]) == 0, capsys.readouterr().out


def test_atomic_write_never_replaces_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    atomic_write(path, "one\n", overwrite=False)
    with pytest.raises(OverwriteRefusedError):
        atomic_write(path, "two\n", overwrite=False)
    assert path.read_text(encoding="utf-8") == "one\n"
    atomic_write(path, "three\n", overwrite=True)
    assert path.read_text(encoding="utf-8") == "three\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]  # no temporary file left


# The three patterns in which fmt lost a comment without a word (issue 18). Each text
# is valid; fmt must keep the comment or leave the file alone.
COMMENT_LOSS = [
    # A comment after a double-quoted value ending in an escaped backslash.
    'title: "A title \\\\"  # the comment\nauthors: [Ada Lovelace]\n',
    # A comment line indented less than a block scalar's text, inside the block's lines.
    "summary: |\n    A summary.\n  # the comment\nauthors: [Ada Lovelace]\n",
    # A comment after a flow list whose first item ends in an escaped backslash.
    'authors: ["a \\\\", b]  # the comment\ntitle: "x"\n',
]


@pytest.mark.parametrize("text", COMMENT_LOSS, ids=["quoted", "block", "flow"])
def test_fmt_never_loses_a_comment(text: str) -> None:
    assert "# the comment" in comments(text)
    result = format_text(text)
    assert result is None or "# the comment" in result, result
