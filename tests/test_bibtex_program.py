"""The exported BibTeX is read by BibTeX itself (the program), not only by bibtexparser.

BibTeX comes from Debian's texlive-binaries, which .ci/run installs; without it the test
skips with a reason, except under CI (CI=true), where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.helpers import REPO, VALID_ENTRY, make_project

# A minimal style: BibTeX reads every entry of the database (READ) and calls the
# function of its type; nothing is formatted. Any syntax error in the .bib is an error.
STYLE = """\
ENTRY { title author year journal booktitle eprint doi url howpublished } {} {}
FUNCTION {article} { }
FUNCTION {inproceedings} { }
FUNCTION {incollection} { }
FUNCTION {misc} { }
FUNCTION {default.type} { }
READ
ITERATE { call.type$ }
"""


def _bibtex(folder: Path, name: str) -> subprocess.CompletedProcess[str]:
    (folder / f"{name}.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{check}}\n\\bibdata{{{name}}}\n", encoding="utf-8"
    )
    (folder / "check.bst").write_text(STYLE, encoding="utf-8")
    env = {**os.environ, "BIBINPUTS": str(folder), "BSTINPUTS": str(folder)}
    return subprocess.run(
        ["bibtex", "-terse", name], cwd=folder, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def bibtex_available() -> None:
    if shutil.which("bibtex"):
        return
    reason = "bibtex not found (Debian's texlive-binaries; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.usefixtures("bibtex_available")
def test_bibtex_reads_the_whole_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-bib", "--root", str(REPO), "--out", str(tmp_path / "kb.bib")]) == 0
    capsys.readouterr()
    result = _bibtex(tmp_path, "kb")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()
    assert "Warning" not in result.stdout


@pytest.mark.usefixtures("bibtex_available")
def test_the_check_catches_a_broken_file(tmp_path: Path) -> None:
    # The same check fails on a file BibTeX cannot read, so the test above can fail.
    (tmp_path / "bad.bib").write_text(
        "@article{bad, title = {unclosed,\n year = 2020\n}\n", encoding="utf-8"
    )
    result = _bibtex(tmp_path, "bad")
    assert result.returncode != 0
    assert "Illegal end of database file" in result.stdout


# A style that copies every field into the .bbl, as real styles copy url, doi and title.
COPY_STYLE = """\
ENTRY { title author year journal booktitle eprint doi url howpublished note } {} {}
FUNCTION {out} { duplicate$ missing$ { pop$ } { write$ newline$ } if$ }
FUNCTION {copy} {
  "\\bibitem{" cite$ * "}" * write$ newline$
  title out author out url out doi out note out
}
FUNCTION {article} { copy }
FUNCTION {inproceedings} { copy }
FUNCTION {incollection} { copy }
FUNCTION {misc} { copy }
FUNCTION {default.type} { copy }
READ
ITERATE { call.type$ }
"""
#: The red team's value: it closes the field and the entry, then adds a @preamble.
BREAKOUT = '}}@preamble{"\\input{/etc/hostname}"}@misc{zz,title={x'


@pytest.mark.usefixtures("bibtex_available")
@pytest.mark.parametrize(
    "field",
    [
        f'url: "https://example.org/{BREAKOUT.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"',
        f'doi: "10.1234/{BREAKOUT.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"',
        f'bibtex: {{note: "{BREAKOUT.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"}}',
        # A balanced value that LaTeX would run when the bibliography is typeset.
        'bibtex: {note: "see \\\\input{/etc/hostname} here"}',
        'bibtex: {publisher: "\\\\input{/etc/hostname}"}',
    ],
    ids=["url", "doi", "extra-field", "balanced-note", "publisher"],
)
def test_no_value_breaks_out_of_its_bibtex_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    import bibtexparser

    root = make_project(tmp_path, {"inject.yaml": VALID_ENTRY + field + "\n"})
    assert main(["validate", str(root)]) == 0, capsys.readouterr()
    assert main(["export-bib", "--root", str(root), "--out", str(tmp_path / "kb.bib")]) == 0
    capsys.readouterr()
    text = (tmp_path / "kb.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert [e.key for e in library.entries] == ["inject"]
    assert library.failed_blocks == []
    assert library.preambles == []
    (tmp_path / "kb.aux").write_text(
        "\\relax\n\\citation{*}\n\\bibstyle{copy}\n\\bibdata{kb}\n", encoding="utf-8"
    )
    (tmp_path / "copy.bst").write_text(COPY_STYLE, encoding="utf-8")
    env = {**os.environ, "BIBINPUTS": str(tmp_path), "BSTINPUTS": str(tmp_path)}
    result = subprocess.run(
        ["bibtex", "-terse", "kb"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    bbl = (tmp_path / "kb.bbl").read_text(encoding="utf-8")
    assert "\\input" not in bbl
    assert "{zz" not in bbl
