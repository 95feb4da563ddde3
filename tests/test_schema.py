"""The committed JSON Schema matches the models and the taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dltheory_site.cli import main
from dltheory_site.project import load_taxonomy
from dltheory_site.schema import SCHEMA_PATH, render_schema
from tests.helpers import REPO, make_project


def test_committed_schema_is_current() -> None:
    taxonomy, _docs, problems = load_taxonomy(REPO)
    assert problems == []
    committed = (REPO / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == render_schema(taxonomy), (
        "schema/entry.schema.json is stale: run 'dltheory-site schema' and commit it"
    )


def test_schema_lists_taxonomy_ids() -> None:
    schema = json.loads((REPO / SCHEMA_PATH).read_text(encoding="utf-8"))
    assert "complexity/pac-bayes" in schema["properties"]["categories"]["items"]["enum"]
    assert "id" not in schema["properties"]
    assert set(schema["required"]) == {
        "title",
        "authors",
        "year",
        "venue",
        "categories",
        "summary",
        "added",
    }


def test_schema_check_detects_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    assert main(["schema", "--root", str(root), "--check"]) == 1
    assert capsys.readouterr().err == (
        "schema/entry.schema.json is stale: run 'dltheory-site schema'\n"
    )
    assert main(["schema", "--root", str(root)]) == 0
    assert main(["schema", "--root", str(root), "--check"]) == 0


def test_contributing_field_table_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--root", str(REPO), "--check"]) == 0, capsys.readouterr().err
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "| `summary` | yes | What the paper shows and why it matters" in text
