"""Every kind of bad entry gets one clear line: file, line, column, code, field, hint."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.helpers import VALID_ENTRY, entry, make_project

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def validate(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["validate", ".", *args])
    out, err = capsys.readouterr()
    return code, out, err


CASES = [
    # YAML syntax error: the line where the parser gave up.
    (
        "syntax.yaml",
        'title: "unclosed\nauthors: [A]\n',
        "entries/syntax.yaml:3:1: error[E001] YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar; check indentation, quotes and colons)",
    ),
    # Empty file.
    (
        "empty.yaml",
        "",
        "entries/empty.yaml:1:1: error[E002] the file is empty (start from 'dltheory-site new ID')",
    ),
    # A comment only is empty too.
    (
        "comment.yaml",
        "# nothing here\n",
        "entries/comment.yaml:1:1: error[E002] the file is empty (start from 'dltheory-site new ID')",
    ),
    # Not a mapping.
    (
        "alist.yaml",
        "- a\n- b\n",
        "entries/alist.yaml:1:1: error[E003] the file holds a list, not a mapping of fields "
        "(an entry starts with 'title:' on the first line)",
    ),
    # Unknown field with a did-you-mean.
    (
        "unknown.yaml",
        VALID_ENTRY + "tittle: x\n",
        "entries/unknown.yaml:9:1: error[E010] tittle: unknown field 'tittle' (did you mean 'title'?)",
    ),
    # Wrong type.
    (
        "wrongtype.yaml",
        entry(year='"2019"'),
        "entries/wrongtype.yaml:3:7: error[E012] year: expected a whole number, got text "
        "(write the year as a number without quotes)",
    ),
    # Unquoted arXiv id is read as a number by YAML.
    (
        "float.yaml",
        entry(arxiv="1806.07570"),
        "entries/float.yaml:9:8: error[E012] arxiv: expected text, got the number 1806.0757 "
        '(put the arxiv in quotes, e.g. "1806.07572": unquoted, YAML reads a number)',
    ),
    # Missing required field.
    (
        "missing.yaml",
        entry(venue=None),
        "entries/missing.yaml:1:1: error[E011] venue: required field 'venue' is missing (add 'venue:')",
    ),
    # Unknown subcategory with a did-you-mean.
    (
        "unknowncat.yaml",
        entry(categories="[alpha/onee]"),
        "entries/unknowncat.yaml:5:14: error[E020] categories[0]: unknown subcategory 'alpha/onee' "
        "(did you mean 'alpha/one'?)",
    ),
    # Bad arXiv id: a version suffix.
    (
        "arxiv.yaml",
        entry(arxiv='"1806.07572v3"'),
        "entries/arxiv.yaml:9:8: error[E016] arxiv: '1806.07572v3' is not an arXiv id "
        '(drop the version suffix: "1806.07572")',
    ),
    # Bad DOI: a URL instead of the bare DOI.
    (
        "doi.yaml",
        entry(doi="https://doi.org/10.1000/x"),
        "entries/doi.yaml:9:6: error[E017] doi: 'https://doi.org/10.1000/x' is not a DOI "
        "(write the bare DOI, e.g. 10.1145/307400.307435, without 'https://doi.org/')",
    ),
    # javascript: URL.
    (
        "js.yaml",
        entry(code='"javascript:alert(1)"'),
        "entries/js.yaml:9:7: error[E018] code: 'javascript:alert(1)' is not an http(s) URL "
        "(only http:// and https:// links are allowed)",
    ),
    # Year out of range.
    (
        "year.yaml",
        entry(year="1850"),
        "entries/year.yaml:3:7: error[E015] year: year 1850 is out of range ",
    ),
    # Non-UTF-8 bytes: the line and column of the first bad byte.
    (
        "latin1.yaml",
        b'title: "caf\xe9"\n',
        "entries/latin1.yaml:1:12: error[E007] byte 0xe9 is not valid UTF-8 (save the file as UTF-8)",
    ),
    # A file name that is not a valid id.
    (
        "Bad_Name.yaml",
        VALID_ENTRY,
        "entries/Bad_Name.yaml:0:0: error[E014] file name 'Bad_Name' is not a valid entry id "
        "(rename the file to 'bad-name.yaml': lower-case letters, digits, hyphens)",
    ),
    # A .yml file would be silently ignored by the build: it is reported.
    (
        "other.yml",
        VALID_ENTRY,
        "entries/other.yml:0:0: error[E014] entry files must end in '.yaml' "
        "(rename it to 'other.yaml')",
    ),
    # A Python object tag.
    (
        "tag.yaml",
        'title: !!python/object/apply:os.system ["echo"]\n',
        "entries/tag.yaml:1:8: error[E006] title: YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
        "(remove the '!' tag; entries hold only plain strings, numbers, lists and mappings)",
    ),
    # Duplicate keys: PyYAML would keep the last silently.
    (
        "dupkey.yaml",
        VALID_ENTRY + "year: 2020\n",
        "entries/dupkey.yaml:9:1: error[E004] year: duplicate key 'year' "
        "(first given on line 3; keep one of them)",
    ),
    # The id is the file name; an id field is refused.
    (
        "withid.yaml",
        VALID_ENTRY + "id: other\n",
        "entries/withid.yaml:9:1: error[E010] id: unknown field 'id' "
        "(the id is the file name; remove this line)",
    ),
    # LaTeX in double quotes: \e is an escape character in YAML.
    (
        "escape.yaml",
        entry(title='"The \\ell_2 norm"'),
        "entries/escape.yaml:1:8: error[E013] title: contains the control character U+001B ",
    ),
    # Alias bomb: refused at the first alias, before anything is expanded.
    (
        "bomb.yaml",
        BOMB,
        "entries/bomb.yaml:1:4: error[E005] b[0]: YAML aliases are not allowed "
        "(write the value out in full instead of using '*name')",
    ),
    # Deep nesting: libyaml's limit becomes a diagnostic, not a RecursionError.
    (
        "deep.yaml",
        "title: " + "[" * 20000 + "]" * 20000 + "\n",
        "entries/deep.yaml:1:1007: error[E008] YAML nesting too deep",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_entry_gets_one_clear_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str | bytes,
    expected: str,
) -> None:
    root = make_project(tmp_path, {name: text})
    code, out, err = validate(root, monkeypatch, capsys)
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(expected), lines
    assert lines[-1] == "1 files checked: 1 errors, 0 warnings"
    assert "Traceback" not in err


def test_every_problem_of_every_file_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {name: text for name, text, _ in CASES}
    root = make_project(tmp_path, files)
    code, _out, err = validate(root, monkeypatch, capsys)
    assert code == 1
    lines = err.splitlines()
    assert lines[-1] == f"{len(CASES)} files checked: {len(CASES)} errors, 0 warnings"
    for _name, _text, expected in CASES:
        assert any(line.startswith(expected) for line in lines), expected


def test_several_problems_in_one_file_are_all_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = entry(
        year="1700",
        categories="[alpha/one, nope/none]",
        tags="[bound, bnd]",
        url='"ftp://x.org"',
        arxiv='"12345"',
    )
    root = make_project(tmp_path, {"many.yaml": text})
    code, _out, err = validate(root, monkeypatch, capsys)
    assert code == 1
    assert err.splitlines() == [
        "entries/many.yaml:3:7: error[E015] year: year 1700 is out of range "
        f"(papers in this knowledge base are from 1900 to {__import__('dltheory_site.model').model.MAX_YEAR})",
        "entries/many.yaml:5:25: error[E020] categories[1]: unknown subcategory 'nope/none' "
        "(did you mean 'alpha/one'?)",
        "entries/many.yaml:9:15: error[E021] tags[1]: unknown tag 'bnd' (did you mean 'bound'?)",
        "entries/many.yaml:10:6: error[E018] url: 'ftp://x.org' is not an http(s) URL "
        "(only http:// and https:// links are allowed)",
        "entries/many.yaml:11:8: error[E016] arxiv: '12345' is not an arXiv id "
        "(write the id without 'arXiv:' or a version, e.g. \"1806.07572\")",
        "1 files checked: 5 errors, 0 warnings",
    ]


def test_cross_entry_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = entry(arxiv='"1801.00001"', doi="10.1000/abc")
    files = {
        "first.yaml": first,
        # Same arXiv id, different title.
        "second.yaml": entry(title='"Other"', arxiv='"1801.00001"'),
        # Same DOI (case does not matter).
        "third.yaml": entry(title='"Third"', doi="10.1000/ABC"),
        # Same title up to case and punctuation.
        "fourth.yaml": entry(title='"A VALID paper!"'),
        # Dangling, self and duplicate relations; a link in prose to nowhere.
        "fifth.yaml": entry(title='"Fifth"', summary='"See [[firts]]."')
        + "relations:\n  - {type: builds-on, target: first}\n  - {type: builds-on, target: first}\n"
        "  - {type: extends, target: fifth}\n  - {type: extends, target: nowhere}\n",
        # An unknown relation type makes the entry invalid on its own.
        "sixth.yaml": entry(title='"Sixth"') + "relations:\n  - {type: refutes, target: first}\n",
    }
    root = make_project(tmp_path, files)
    code, _out, err = validate(root, monkeypatch, capsys)
    assert code == 1
    assert err.splitlines() == [
        "entries/fifth.yaml:6:10: error[E027] summary: link [[firts]] points to no entry "
        "(did you mean 'first'?)",
        "entries/fifth.yaml:10:31: warning[W002] relations[1].target: relation 'builds-on' to "
        "'first' is given twice (remove one)",
        "entries/fifth.yaml:11:29: error[E025] relations[2].target: an entry cannot be related "
        "to itself (point the relation at another entry)",
        "entries/fifth.yaml:12:29: error[E024] relations[3].target: relation target 'nowhere' "
        "is not an entry (the target must be an entry id in entries/)",
        "entries/fourth.yaml:1:8: error[E026] title: the same paper as 'first' (same title) "
        "(entries/first.yaml already holds it; keep one entry)",
        "entries/second.yaml:9:8: error[E026] arxiv: the same paper as 'first' (same arXiv id) "
        "(entries/first.yaml already holds it; keep one entry)",
        "entries/sixth.yaml:10:12: error[E022] relations[0].type: unknown relation type "
        "'refutes' (one of: builds-on, extends, improves, contradicts, related)",
        "entries/third.yaml:9:6: error[E026] doi: the same paper as 'first' (same DOI) "
        "(entries/first.yaml already holds it; keep one entry)",
        "6 files checked: 7 errors, 1 warnings",
    ]


def test_alias_bomb_is_refused_without_expanding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 9**9 = 387 million leaves if expanded: refusing it must cost almost nothing.
    root = make_project(tmp_path, {"bomb.yaml": BOMB})
    tracemalloc.start()
    code, _out, _err = validate(root, monkeypatch, capsys)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert code == 1
    assert peak < 20 * 1024 * 1024


def test_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, {"x.yaml": entry(year="1850")})
    code, out, _err = validate(root, monkeypatch, capsys, "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        "::error file=entries/x.yaml,line=3,col=7,title=E015 year out of range::year: year 1850 "
        f"is out of range (papers in this knowledge base are from 1900 to "
        f"{__import__('dltheory_site.model').model.MAX_YEAR})"
    )
    code, out, _err = validate(root, monkeypatch, capsys, "--format", "json")
    assert code == 1
    import json

    report = json.loads(out)
    assert report["errors"] == 1
    assert report["diagnostics"][0]["code"] == "E015"
    assert report["diagnostics"][0]["line"] == 3


def test_clean_folder_exits_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    code, out, err = validate(root, monkeypatch, capsys)
    assert (code, err) == (0, "")
    assert out == "3 files checked: 0 errors, 0 warnings\n"


def test_unsafe_markup_is_a_warning_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = entry(
        summary="|\n  Fine $a<b$ math, then <img src=x onerror=alert(1)> and [x](javascript:alert(1))."
    )
    root = make_project(tmp_path, {"w.yaml": text})
    code, out, _err = validate(root, monkeypatch, capsys)
    assert code == 0  # a warning: validate passes, a strict build does not
    assert out.splitlines() == [
        "entries/w.yaml:6:10: warning[W001] summary: raw HTML or an unsafe link is removed from "
        "the page: '<img src=x onerror=alert(1)>' and 1 more (prose is Markdown and math only; "
        "links must be http(s))",
        "1 files checked: 0 errors, 1 warnings",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "CON",
        "Ünïcödé Näme",
        "a/b\\c",
        "..",
        "",
        "ǅemal Ǆ",
        "x" * 500,
        "İstanbul",
    ],
)
def test_slugs_stay_inside_their_folder(name: str) -> None:
    # Author slugs become file names: only [a-z0-9-], never empty, never a path.
    from dltheory_site.text import slugify

    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
    assert len(slug) <= 80


@pytest.mark.parametrize("bad_id", ["Upper", "a.b", "../x", "a_b", "-a", "a--b", "a/b"])
def test_ids_cannot_name_a_path_or_differ_by_case(bad_id: str) -> None:
    from dltheory_site.fields import ID_RE

    assert ID_RE.match(bad_id) is None


def _referrers(count: int) -> dict[str, str]:
    """Entries that point to 'target' every way there is: a relation, [[target]], a link."""
    return {
        f"ref{i}.yaml": entry(
            title=f'"Referring paper {i}"',
            summary="|\n  Builds on [[target]]; see [its summary](target.md#summary).",
        )
        + "relations:\n  - {type: builds-on, target: target}\n"
        for i in range(count)
    }


# A problem in one file is one line, however many entries point to that file.
CASCADE_CASES = [
    # The example: a year that is no number.
    (
        {"target.yaml": entry(year="abc")},
        [
            "entries/target.yaml:3:7: error[E012] year: expected a whole number, got text "
            "(write the year as a number without quotes)"
        ],
    ),
    # A misspelt category.
    (
        {"target.yaml": entry(categories="[alpha/onee]")},
        [
            "entries/target.yaml:5:14: error[E020] categories[0]: unknown subcategory "
            "'alpha/onee' (did you mean 'alpha/one'?)"
        ],
    ),
    # An unknown field.
    (
        {"target.yaml": VALID_ENTRY + "tittle: x\n"},
        [
            "entries/target.yaml:9:1: error[E010] tittle: unknown field 'tittle' "
            "(did you mean 'title'?)"
        ],
    ),
    # A key given twice.
    (
        {"target.yaml": VALID_ENTRY + "year: 2020\n"},
        [
            "entries/target.yaml:9:1: error[E004] year: duplicate key 'year' "
            "(first given on line 3; keep one of them)"
        ],
    ),
    # The same id twice: target.yaml and target.yml.
    (
        {"target.yaml": VALID_ENTRY, "target.yml": entry(title='"Other"')},
        [
            "entries/target.yml:0:0: error[E014] entry files must end in '.yaml' "
            "(rename it to 'target.yaml')"
        ],
    ),
    # Only the .yml file: it still names the entry that the others point to.
    (
        {"target.yml": VALID_ENTRY},
        [
            "entries/target.yml:0:0: error[E014] entry files must end in '.yaml' "
            "(rename it to 'target.yaml')"
        ],
    ),
    # The same paper twice: reported once, on the copy.
    (
        {"target.yaml": VALID_ENTRY, "twin.yaml": VALID_ENTRY},
        [
            "entries/twin.yaml:1:8: error[E026] title: the same paper as 'target' (same title) "
            "(entries/target.yaml already holds it; keep one entry)"
        ],
    ),
    # A file that is not YAML at all.
    (
        {"target.yaml": 'title: "unclosed\nauthors: [A]\n'},
        [
            "entries/target.yaml:3:1: error[E001] YAML syntax error: found unexpected end of "
            "stream (while scanning a quoted scalar; check indentation, quotes and colons)"
        ],
    ),
    # An empty file.
    (
        {"target.yaml": ""},
        [
            "entries/target.yaml:1:1: error[E002] the file is empty (start from 'dltheory-site new ID')"
        ],
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"),
    CASCADE_CASES,
    ids=[
        "year",
        "category",
        "unknown-field",
        "duplicate-key",
        "id-twice",
        "yml",
        "same-paper",
        "syntax",
        "empty",
    ],
)
def test_a_problem_does_not_cascade_to_the_entries_pointing_at_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    expected: list[str],
) -> None:
    root = make_project(tmp_path, {**_referrers(15), **files})
    code, out, err = validate(root, monkeypatch, capsys)
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        *expected,
        f"{15 + len(files)} files checked: 1 errors, 0 warnings",
    ]


def test_a_draft_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, {"d.yaml": "draft: true\n" + VALID_ENTRY})
    code, out, _err = validate(root, monkeypatch, capsys)
    assert code == 0  # a warning: validate passes, a strict build does not
    assert out.splitlines() == [
        "entries/d.yaml:1:8: warning[W004] draft: the entry is a draft: the built site leaves "
        "it out (delete the line 'draft: true' when the entry is ready)",
        "1 files checked: 0 errors, 1 warnings",
    ]
