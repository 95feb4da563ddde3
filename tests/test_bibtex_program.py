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
from tests.helpers import REPO

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
