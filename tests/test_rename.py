"""`mv OLD NEW`: the file renamed, every reference rewritten, a redirect at the old address."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.conftest import mkdocs_build
from tests.helpers import VALID_ENTRY, make_project, tree_bytes

TODAY = dt.date.today().isoformat()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture site, with smith2018first referred to in every way there is."""
    root = make_project(tmp_path, keep_fixture_entries=True)
    lee = root / "entries" / "lee2020third.yaml"
    lee.write_text(
        lee.read_text(encoding="utf-8")
        .replace(
            "the kernel view]].",
            "the kernel view]],\n  after [[smith2018first]] (see [its bound](smith2018first.md#summary)).",
        )
        .replace(
            "added:",
            "  # the first paper of the line\n  - {type: related, target: smith2018first}\nadded:",
        ),
        encoding="utf-8",
    )
    group = root / "taxonomy" / "groups" / "alpha.yaml"
    group.write_text(
        group.read_text(encoding="utf-8").replace(
            "then read", "[the bound](../../papers/smith2018first.md), then read"
        ),
        encoding="utf-8",
    )
    _append(
        root / "docs" / "index.md", "\nStart with [the first paper](papers/smith2018first.md).\n"
    )
    monkeypatch.chdir(root)
    assert main(["fmt"]) == 0  # canonical before the rename, so that fmt --check can tell after
    return root


@pytest.mark.slow
def test_mv_rewrites_every_reference_and_leaves_a_redirect(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "mv", "smith2018first", "smith2018alpha")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "rename entries/smith2018first.yaml to entries/smith2018alpha.yaml",
        "rewrite 3 references in entries/lee2020third.yaml",
        "rewrite 2 references in entries/muller2019second.yaml",
        "rewrite 2 references in taxonomy/groups/alpha.yaml",
        "rewrite 1 reference in docs/index.md",
        "record the move in taxonomy/moved.yaml: /papers/smith2018first/ redirects to "
        "/papers/smith2018alpha/",
        "next: run 'make fmt validate'",
    ]
    assert not (project / "entries" / "smith2018first.yaml").exists()
    assert (
        (project / "entries" / "smith2018alpha.yaml")
        .read_text(encoding="utf-8")
        .startswith('title: "A first bound for alpha networks"\n')
    )
    lee = (project / "entries" / "lee2020third.yaml").read_text(encoding="utf-8")
    assert "after [[smith2018alpha]] (see [its bound](smith2018alpha.md#summary))." in lee
    # The comment stays where it was; the relation is rewritten in place.
    assert (
        "  # the first paper of the line\n  - {type: related, target: smith2018alpha}\nadded:"
        in lee
    )
    muller = (project / "entries" / "muller2019second.yaml").read_text(encoding="utf-8")
    assert "Sharpens [[smith2018alpha]] with" in muller
    assert '- {type: improves, target: smith2018alpha, note: "removes the dimension"}' in muller
    group = (project / "taxonomy" / "groups" / "alpha.yaml").read_text(encoding="utf-8")
    assert (
        "Start with [[smith2018alpha]], [the bound](../../papers/smith2018alpha.md), then read"
        in group
    )
    docs = (project / "docs" / "index.md").read_text(encoding="utf-8")
    assert "[the first paper](papers/smith2018alpha.md)" in docs
    assert (project / "taxonomy" / "moved.yaml").read_text(encoding="utf-8") == (
        "# Entry ids that were renamed with 'dltheory-site mv'. The site keeps a redirect\n"
        "# page at each old address, and an old id is never used again.\n"
        f"- {{from: smith2018first, to: smith2018alpha, date: {TODAY}}}\n"
    )
    assert run(capsys, "validate", ".") == (0, "3 files checked: 0 errors, 0 warnings\n", "")
    assert run(capsys, "fmt", "--check")[0] == 0

    # A real strict build serves a redirect page at the old address.
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "papers" / "smith2018first" / "index.html").read_text(
        encoding="utf-8"
    )
    assert '<meta http-equiv="refresh" content="0; url=../smith2018alpha/">' in page
    assert '<link rel="canonical" href="../smith2018alpha/">' in page
    assert '<p><a href="../smith2018alpha/">A first bound for alpha networks</a></p>' in page
    assert (tmp_path / "out" / "papers" / "smith2018alpha" / "index.html").exists()

    # The old id, written again anywhere, is reported with the new one.
    (project / "entries" / "lee2020third.yaml").write_text(
        lee.replace("added:", "  - {type: extends, target: smith2018first}\nadded:"),
        encoding="utf-8",
    )
    muller_path = project / "entries" / "muller2019second.yaml"
    muller_path.write_text(
        muller.replace("Sharpens [[smith2018alpha]]", "Sharpens [[smith2018first]]").replace(
            "the dependence on $d$.", "the dependence on $d$ ([its bound](smith2018first.md))."
        ),
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "validate", ".")
    assert code == 1
    assert err.splitlines() == [
        "entries/lee2020third.yaml:17:29: error[E024] relations[2].target: relation target "
        "'smith2018first' is not an entry ('smith2018first' was renamed to 'smith2018alpha' "
        "(taxonomy/moved.yaml): write 'smith2018alpha')",
        "entries/muller2019second.yaml:11:10: error[E027] summary: link [[smith2018first]] "
        "points to no entry ('smith2018first' was renamed to 'smith2018alpha' "
        "(taxonomy/moved.yaml): write '[[smith2018alpha]]')",
        "entries/muller2019second.yaml:11:10: error[E036] summary: link 'smith2018first.md' "
        "points to no page of the site ('smith2018first' was renamed to 'smith2018alpha' "
        "(taxonomy/moved.yaml): write 'smith2018alpha.md')",
        "3 files checked: 3 errors, 0 warnings",
    ]


def test_an_old_id_is_never_used_again(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "mv", "smith2018first", "smith2018alpha")[0] == 0
    before = tree_bytes(project)
    # Not by `new`, nor by `mv`, nor by a file written by hand.
    assert run(capsys, "new", "smith2018first") == (
        1,
        "",
        "Error: the id 'smith2018first' was used before (renamed to 'smith2018alpha' on "
        f"{TODAY}, taxonomy/moved.yaml): choose another id\n",
    )
    assert run(capsys, "mv", "lee2020third", "smith2018first") == (
        1,
        "",
        "Error: the id 'smith2018first' was used before (renamed to 'smith2018alpha' on "
        f"{TODAY}, taxonomy/moved.yaml): choose another id\n",
    )
    assert tree_bytes(project) == before
    (project / "entries" / "smith2018first.yaml").write_text(
        VALID_ENTRY.replace("A valid paper", "Another paper"), encoding="utf-8"
    )
    code, _out, err = run(capsys, "validate", ".")
    assert code == 1
    assert err.splitlines() == [
        "entries/smith2018first.yaml:0:0: error[E038] the id 'smith2018first' was used "
        f"before: it was renamed to 'smith2018alpha' on {TODAY} and its address redirects "
        "there (choose another id (taxonomy/moved.yaml lists the ids used before))",
        "4 files checked: 1 errors, 0 warnings",
    ]


# Each refusal: one line, exit 1, nothing changed.
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["smith2018frist", "x"],
            "entries/smith2018frist.yaml does not exist (did you mean 'smith2018first'?)",
        ),
        (
            ["smith2018first", "lee2020third"],
            "entries/lee2020third.yaml exists already; nothing was changed",
        ),
        (
            ["smith2018first", "Smith_2018"],
            "'Smith_2018' is not a valid id: use lower-case letters, digits and hyphens",
        ),
        (["smith2018first", "smith2018first"], "'smith2018first' already has that id"),
    ],
)
def test_mv_refusals(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = tree_bytes(project)
    assert run(capsys, "mv", *args) == (1, "", f"Error: {message}\n")
    assert tree_bytes(project) == before


def test_mv_refuses_a_file_it_cannot_rewrite_safely(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The reference sits in a file that does not load: rewriting it blind could break it.
    (project / "entries" / "broken.yaml").write_text(
        "relations: [{type: extends, target: smith2018first}\n", encoding="utf-8"
    )
    before = tree_bytes(project)
    assert run(capsys, "mv", "smith2018first", "smith2018alpha") == (
        1,
        "",
        "Error: entries/broken.yaml refers to 'smith2018first' but cannot be rewritten "
        "safely: fix it (run 'dltheory-site validate') or rename the reference by hand; "
        "nothing was changed\n",
    )
    assert tree_bytes(project) == before


def test_a_rename_that_leads_nowhere(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "taxonomy" / "moved.yaml").write_text(
        "- {from: old-one, to: smith2018frist, date: 2026-01-01}\n"
        "- {from: loop-a, to: loop-b, date: 2026-01-01}\n"
        "- {from: loop-b, to: loop-a, date: 2026-01-01}\n",
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "validate", ".")
    assert code == 1
    assert err.splitlines() == [
        "taxonomy/moved.yaml:1:23: error[E039] [0].to: 'old-one' was renamed to "
        "'smith2018frist', which is not an entry (did you mean 'smith2018first'?)",
        "taxonomy/moved.yaml:2:22: error[E039] [1].to: the renames of 'loop-a' go round in a "
        "loop (remove one of them)",
        "taxonomy/moved.yaml:3:22: error[E039] [2].to: the renames of 'loop-b' go round in a "
        "loop (remove one of them)",
        "3 files checked: 3 errors, 0 warnings",
    ]
