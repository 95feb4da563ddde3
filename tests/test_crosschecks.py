"""Checks across files: relative links in prose against the site map, taxonomy codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dltheory_site.cli import main
from dltheory_site.project import load_knowledge_base
from dltheory_site.render import SiteRenderer
from tests.conftest import mkdocs_build
from tests.helpers import entry, make_project


def validate(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    monkeypatch.chdir(root)
    code = main(["validate", "."])
    out, err = capsys.readouterr()
    return code, err.splitlines() + out.splitlines()


def summary(text: str) -> str:
    return "|\n  " + text


# Each broken link or anchor gets one line with the entry's file, the summary's line and a hint.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a page that does not exist (the example)
        (
            "See [the missing page](../../nope/missing.md).",
            "entries/a.yaml:6:10: error[E036] summary: link '../../nope/missing.md' points to "
            "no page of the site (link the source file of a page, relative to papers/a.md: "
            "e.g. '../groups/GROUP/index.md')",
        ),
        # a near miss gets a did-you-mean
        (
            "See [alpha](../groups/alpha/idnex.md).",
            "entries/a.yaml:6:10: error[E036] summary: link '../groups/alpha/idnex.md' points "
            "to no page of the site (did you mean 'groups/alpha/index.md'?)",
        ),
        # an anchor that a paper page does not have
        (
            "See [its results](b.md#results).",
            "entries/a.yaml:6:10: error[E037] summary: link 'b.md#results' points to no anchor "
            "of papers/b.md (anchors there: b, categories-and-tags, cite, summary)",
        ),
        # an anchor of the same page
        (
            "As [below](#key-result).",
            "entries/a.yaml:6:10: error[E037] summary: link '#key-result' points to no anchor "
            "of papers/a.md (anchors there: a, categories-and-tags, cite, summary)",
        ),
    ],
)
def test_broken_relative_link_in_a_summary(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    root = make_project(
        tmp_path, {"a.yaml": entry(summary=summary(text)), "b.yaml": entry(title="B")}
    )
    code, lines = validate(root, monkeypatch, capsys)
    assert code == 1
    assert lines == [expected, "2 files checked: 1 errors, 0 warnings"]


def test_broken_link_in_a_taxonomy_overview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, {"a.yaml": entry()})
    group = root / "taxonomy" / "groups" / "beta.yaml"
    group.write_text(
        group.read_text(encoding="utf-8") + "overview: See [one](../alpha/one.md#nope).\n",
        encoding="utf-8",
    )
    code, lines = validate(root, monkeypatch, capsys)
    assert code == 0  # an anchor of a page we do not know the anchors of passes
    group.write_text(
        group.read_text(encoding="utf-8").replace("one.md#nope", "onee.md"), encoding="utf-8"
    )
    code, lines = validate(root, monkeypatch, capsys)
    assert lines[0] == (
        "taxonomy/groups/beta.yaml:10:11: error[E036] overview: link '../alpha/onee.md' points "
        "to no page of the site (did you mean 'groups/alpha/one.md'?)"
    )


def test_good_relative_links_pass_and_become_page_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "See [alpha](../groups/alpha/index.md), [B's cite box](b.md#cite), "
        "[below](#cite), [the guide](../contributing.md) and [a site](https://example.org/x.md)."
    )
    root = make_project(
        tmp_path, {"a.yaml": entry(summary=summary(text)), "b.yaml": entry(title="B")}
    )
    code, lines = validate(root, monkeypatch, capsys)
    assert (code, lines) == (0, ["2 files checked: 0 errors, 0 warnings"])
    kb, _ = load_knowledge_base(root)
    page = SiteRenderer(kb).paper_page(kb.by_id["a"], html=True)
    assert page.html is not None
    for href in (
        "../../groups/alpha/",
        "../b/#cite",
        "#cite",
        "../../contributing/",
        "https://example.org/x.md",
    ):
        assert f'href="{href}"' in page.html


@pytest.mark.slow
def test_strict_build_fails_on_a_broken_link(tmp_path: Path) -> None:
    text = "See [the missing page](../../nope/missing.md)."
    root = make_project(tmp_path, {"a.yaml": entry(summary=summary(text))})
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 1
    assert (
        "entries/a.yaml:6:10: error[E036] summary: link '../../nope/missing.md' points to no page"
        in result.stderr
    )


# Each taxonomy problem has its own code and one exact line.
@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        (
            "tags.yaml",
            "id: not-a-list\n",
            "taxonomy/tags.yaml:1:1: error[E030] tag must be a list",
        ),
        (
            "tags.yaml",
            "- {id: bound, title: Bound}\n- {id: bound, title: Again}\n",
            "taxonomy/tags.yaml:2:3: error[E031] [1].id: tag id 'bound' is defined twice "
            "(first defined as item 0)",
        ),
        (
            "groups/beta.yaml",
            "id: gamma\nnumber: 2\ntitle: G\nshort_title: G\ndescription: G.\n"
            "subcategories: [{id: s, title: S, description: S.}]\n",
            "taxonomy/groups/beta.yaml:1:5: error[E032] id: group id 'gamma' differs from the "
            "file name (rename the file to 'gamma.yaml')",
        ),
        (
            "groups/beta.yaml",
            "id: beta\nnumber: 1\ntitle: B\nshort_title: B\ndescription: B.\n"
            "subcategories: [{id: three, title: S, description: S.}]\n",
            "taxonomy/groups/alpha.yaml:2:9: error[E033] number: group number 1 is used twice "
            "(give each group its own number)",
        ),
        (
            "venues.yaml",
            "- {id: neurips, short: NeurIPS, name: N, kind: conference}\n"
            "- {id: nips, short: NIPS, name: Other, kind: conference, aliases: [neurips]}\n",
            "taxonomy/venues.yaml:0:0: error[E035] venue spelling 'neurips' names both "
            "'neurips' and 'nips' (make the aliases unique)",
        ),
    ],
)
def test_taxonomy_problems_have_their_own_codes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    path: str,
    text: str,
    expected: str,
) -> None:
    root = make_project(tmp_path)
    (root / "taxonomy" / path).write_text(text, encoding="utf-8")
    _code, lines = validate(root, monkeypatch, capsys)
    assert expected in lines


def test_missing_taxonomy_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "."]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "taxonomy:0:0: error[E034] the taxonomy folder is missing "
        "(run from the project root or pass its path)"
    )


def test_invalid_date_and_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, {"a.yaml": entry(added="2026-02-30")})
    (root / "entries" / "b.yaml").mkdir()  # a folder named like an entry is not an entry
    (root / "entries" / "c.yaml").write_text(entry(title="C"), encoding="utf-8")
    (root / "entries" / "c.yaml").chmod(0)
    _code, lines = validate(root, monkeypatch, capsys)
    assert lines[0] == (
        "entries/a.yaml:8:8: error[E019] added: '2026-02-30' is not a valid date "
        "(write dates as YYYY-MM-DD)"
    )
    if lines[1].startswith("entries/c.yaml"):  # root reads any file: no E009 to see then
        assert lines[1] == "entries/c.yaml:0:0: error[E009] cannot read: Permission denied"
