"""dltheory-site init: a new review for any field that validates and builds strictly as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dltheory_site.citation import read_citation
from dltheory_site.cli import main
from dltheory_site.project import load_knowledge_base
from dltheory_site.scaffold import Review, scaffold_files
from tests.conftest import mkdocs_build
from tests.test_citation import CFFCONVERT

NAME = 'Bird "song" <studies> & more'


def test_files() -> None:
    files = scaffold_files(Review(NAME, "Song: a review."))
    assert list(files) == [
        ".github/workflows/deploy.yml",
        ".github/workflows/pull-request.yml",
        ".gitignore",
        "CITATION.cff",
        "README.md",
        "docs/contributing.md",
        "docs/index.md",
        "entries/example2024first.yaml",
        "mkdocs.yml",
        "requirements.txt",
        "taxonomy/groups/foundations.yaml",
        "taxonomy/relations.yaml",
        "taxonomy/tags.yaml",
        "taxonomy/venues.yaml",
    ]
    config = yaml.safe_load(files["mkdocs.yml"])
    assert (config["site_name"], config["site_description"]) == (NAME, "Song: a review.")
    assert files["docs/index.md"].startswith("# Bird &quot;song&quot; &lt;studies&gt; &amp; more\n")
    for name in (".github/workflows/deploy.yml", ".github/workflows/pull-request.yml"):
        assert "pip install -r requirements.txt" in files[name]
    # Nothing of the deep-learning-theory review leaks into a new one.
    text = "\n".join(files.values()).lower()
    assert "deep" not in text
    assert "neural" not in text


@pytest.mark.slow
def test_init_validates_and_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "review"
    assert main(["init", str(root), "--name", NAME]) == 0
    assert capsys.readouterr().out.startswith(f"wrote 14 files to {root}\n")
    kb, problems = load_knowledge_base(root)
    assert problems == []
    assert [e.id for e in kb.entries] == ["example2024first"]
    assert main(["validate", str(root)]) == 0
    site = tmp_path / "site"
    result = mkdocs_build(root / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Bird &quot;song&quot; &lt;studies&gt; &amp; more" in home
    paper = (site / "papers" / "example2024first" / "index.html").read_text(encoding="utf-8")
    assert "An example result with a bound" in paper
    assert (site / "groups" / "foundations" / "first-results" / "index.html").is_file()
    validated = subprocess.run(
        [sys.executable, "-c", CFFCONVERT, "--validate", "-i", str(root / "CITATION.cff")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert read_citation(root / "CITATION.cff").title == NAME


def test_init_refuses_a_folder_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"Error: {tmp_path} is not empty; choose a new or empty folder\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
