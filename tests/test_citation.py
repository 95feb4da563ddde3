"""CITATION.cff: valid CFF 1.2.0 (cffconvert), and the values the home page's "How to cite" uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dltheory_site.citation import CitationError, citation_from_data, read_citation
from tests.helpers import REPO

CFFCONVERT = "import sys; from cffconvert.cli.cli import cli; sys.exit(cli())"


def test_citation_cff_is_valid() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CFFCONVERT,
            "--validate",
            "-i",
            str(REPO / "CITATION.cff"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


def test_read_repository_citation() -> None:
    cite = read_citation(REPO / "CITATION.cff")
    assert cite.title == "Deep Learning Theory: a living review"
    assert cite.authors == ("The dltheory-site contributors",)
    assert (cite.version, cite.year) == ("0.1.0", 2026)
    assert cite.reference() == (
        "The dltheory-site contributors (2026). Deep Learning Theory: a living review "
        "(version 0.1.0). https://github.com/dltheory-site/dltheory-site"
    )
    assert cite.bibtex().startswith(
        "@misc{deep2026,\n  title = {{Deep Learning Theory: a living review}},\n"
    )
    assert "author = {{The dltheory-site contributors}}" in cite.bibtex()


def test_people_doi_and_dates() -> None:
    cite = citation_from_data(
        {
            "title": "T",
            "authors": [
                {"given-names": "Ada", "family-names": "Lovelace"},
                {"given-names": "Ludwig", "name-particle": "van", "family-names": "Beethoven"},
            ],
            "doi": "10.5281/zenodo.1",
            "date-released": "2025-01-02",
        }
    )
    assert (
        cite.reference()
        == "Ada Lovelace and Ludwig van Beethoven (2025). T. https://doi.org/10.5281/zenodo.1"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: T\n", "CITATION.cff needs a title and at least one author"),
        ("- a list\n", "CITATION.cff does not hold a mapping"),
        (
            "title: T\nauthors: [{name: X}]\ndate-released: 'soon'\n",
            "CITATION.cff: date-released 'soon' is not a date",
        ),
    ],
)
def test_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "CITATION.cff"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CitationError) as info:
        read_citation(path)
    assert str(info.value) == message
