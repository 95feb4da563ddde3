"""``generate`` writes a new folder and never deletes or follows what it did not write.

A pull request can commit anything, the ``.dltheory-generated`` marker and symbolic
links included: the marker once made ``generate --out .`` delete the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.helpers import copy_repository, make_project, tree_bytes


def _generate(root: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["generate", "--root", str(root), "--out", str(out)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("target", [".", "entries", "taxonomy", "docs"])
def test_a_planted_marker_deletes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    root = copy_repository(tmp_path)
    out = (root / target).resolve()
    (out / ".dltheory-generated").write_text("planted\n", encoding="utf-8")
    before = tree_bytes(root)
    code, err = _generate(root, out, capsys)
    assert code == 1
    assert err == (
        f"Error: {out} is not empty: generate writes only into a new or empty folder and "
        "never deletes or replaces a file; remove the folder or choose another\n"
    )
    assert tree_bytes(root) == before


def test_a_second_run_into_its_own_output_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    out = tmp_path / "generated"
    assert _generate(root, out, capsys)[0] == 0
    before = tree_bytes(out)
    code, err = _generate(root, out, capsys)
    assert code == 1
    assert "is not empty: generate writes only into a new or empty folder" in err
    assert tree_bytes(out) == before
    # An empty folder is fine, and nothing is left beside it.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _generate(root, empty, capsys)[0] == 0
    assert (empty / "mkdocs.yml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "generated", "project"]


def test_force_is_gone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --force replaced a folder's whole contents; there is no way to ask for that now.
    root = make_project(tmp_path, keep_fixture_entries=True)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    code = main(["generate", "--root", str(root), "--out", str(foreign), "--force"])
    assert code == 2
    assert "Error: No such option '--force'." in capsys.readouterr().err
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_symlinked_output_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "elsewhere")
    code, err = _generate(root, link, capsys)
    assert code == 1
    assert err == f"Error: {link} is a symbolic link: give a folder\n"


def test_a_docs_file_linked_out_of_the_project_is_not_copied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (root / "docs" / "leak.txt").symlink_to(secret)
    out = tmp_path / "generated"
    code, err = _generate(root, out, capsys)
    assert code == 1
    assert err == (
        "Error: docs/leak.txt is a symbolic link out of the project; remove it "
        "(nothing was written)\n"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "secret.txt"]


def test_hand_written_pages_are_markdown_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    (root / "docs" / "about.md").write_text(
        "# About\n\n<script>alert(1)</script> [x](javascript:alert(2))\n", encoding="utf-8"
    )
    out = tmp_path / "generated"
    assert _generate(root, out, capsys)[0] == 0
    about = (out / "docs" / "about.md").read_text(encoding="utf-8")
    assert about == "# About\n\n&lt;script>alert(1)&lt;/script> [x](#)\n"
