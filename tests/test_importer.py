"""import-bib on a real-world-style BibTeX file, and export-bib reading back."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from dltheory_site.cli import main
from dltheory_site.project import load_knowledge_base
from tests.helpers import REPO, copy_repository, tree_bytes

BIB = REPO / "tests" / "fixtures" / "bib" / "real-world.bib"
CATEGORY = "landscape/flat-sharp-minima"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_real_world_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_repository(tmp_path)
    before = tree_bytes(root / "entries")
    code, out, err = run(
        capsys, "import-bib", str(BIB), "--root", str(root), "--category", CATEGORY
    )
    entries = root / "entries"
    assert code == 1  # one block failed to parse: reported, the rest imported
    assert out.splitlines() == [
        f"created {entries}/smith2025fictional.yaml from 'smithnew2025' (line 33)",
        f"created {entries}/doe2024online.yaml from 'doe2024online' (line 43)",
        f"created {entries}/roe2023another.yaml from 'roe2023preprint' (line 52)",
        f"created {entries}/lee2022fixture.yaml from 'lee2022venue' (line 59)",
        f"created {entries}/poe2021entry.yaml from 'after2021broken' (line 88)",
        "skipped 'Jacot:2018sgf' (line 4): already in the knowledge base as 'jacot2018neural'",
        "skipped 'keskar2016large' (line 15): already in the knowledge base as 'keskar2017large'",
        "skipped 'mei2018meanfield' (line 22): already in the knowledge base as 'mei2018mean'",
        "skipped 'smith2025again' (line 76): a duplicate of 'smithnew2025' earlier in "
        "real-world.bib",
        "5 created, 4 skipped as duplicates, 2 failed",
        "next: write each summary in your own words, then run 'dltheory-site validate'",
    ]
    assert err.splitlines() == [
        f"{BIB}:69: duplicate key 'smithnew2025': only the first entry with it is imported",
        f"{BIB}:83: cannot parse this block",
    ]
    # Existing entries are byte for byte unchanged.
    after = tree_bytes(entries)
    assert {k: v for k, v in after.items() if k in before} == before
    # The imported entries validate: only the placeholder summaries are flagged (warnings).
    kb, problems = load_knowledge_base(root)
    assert [p.code for p in problems] == ["W003"] * 5
    smith = kb.by_id["smith2025fictional"]
    assert smith.authors == ("Jane Smith", "Jürgen Müller", "Wei Zhang")
    assert smith.arxiv == "2502.01234"  # version suffix dropped
    assert smith.venue == "arXiv"
    roe = kb.by_id["roe2023another"]
    assert roe.arxiv == "2301.00042"  # from "arXiv preprint arXiv:..." in journal
    assert roe.title == "Another fixture: kernels and & margins"
    lee = kb.by_id["lee2022fixture"]
    assert (lee.venue, lee.doi, lee.bibtex) == (
        "ICML",
        "10.9999/fixture.2022.1",
        {"pages": "100--110"},
    )
    assert kb.by_id["doe2024online"].arxiv == "2410.00007"  # from the URL
    assert kb.by_id["poe2021entry"].venue == "JMLR"

    # A second import creates nothing and changes nothing.
    snapshot = tree_bytes(entries)
    code, out, _err = run(
        capsys, "import-bib", str(BIB), "--root", str(root), "--category", CATEGORY
    )
    assert "0 created, 9 skipped as duplicates, 2 failed" in out
    assert tree_bytes(entries) == snapshot


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_repository(tmp_path)
    before = tree_bytes(root / "entries")
    code, out, _err = run(capsys, "import-bib", str(BIB), "--root", str(root), "--dry-run")
    assert code == 1
    assert "5 would be created, 4 skipped as duplicates, 2 failed" in out
    assert tree_bytes(root / "entries") == before


def test_import_never_replaces_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_repository(tmp_path)
    # A contributor's unfinished file that happens to have the id the import would choose.
    mine = root / "entries" / "poe2021entry.yaml"
    mine.write_text("# my draft, not valid yet\ntitle: draft\n", encoding="utf-8")
    code, out, _err = run(capsys, "import-bib", str(BIB), "--root", str(root))
    assert "skipped 'after2021broken' (line 88): " in out
    assert mine.read_text(encoding="utf-8") == "# my draft, not valid yet\ntitle: draft\n"
    assert code == 1


def test_unknown_category_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_repository(tmp_path)
    code, _out, err = run(
        capsys, "import-bib", str(BIB), "--root", str(root), "--category", "landscape/flat"
    )
    assert code == 1
    assert (
        err == "Error: unknown subcategory 'landscape/flat' (did you mean "
        "'landscape/flat-sharp-minima'?)\n"
    )


@pytest.mark.parametrize("category", [None, "sgd", "complexity/pac-bayes"])
def test_export_reads_back(capsys: pytest.CaptureFixture[str], category: str | None) -> None:
    args = ["export-bib", "--root", str(REPO)] + (["--category", category] if category else [])
    code, out, _err = run(capsys, *args)
    assert code == 0
    library = bibtexparser.parse_string(out)
    assert library.failed_blocks == []
    kb, _ = load_knowledge_base(REPO)
    if category is None:
        expected = {e.id for e in kb.entries}
    elif "/" in category:
        expected = {e.id for e in kb.by_subcategory[category]}
    else:
        expected = {
            e.id for e in kb.entries if any(c.startswith(category + "/") for c in e.categories)
        }
    assert {e.key for e in library.entries} == expected
    for entry in library.entries:
        assert entry["title"].startswith("{")
        assert entry["title"].endswith("}")


def test_export_refuses_to_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.bib"
    out.write_text("mine", encoding="utf-8")
    code, _out, err = run(capsys, "export-bib", "--root", str(REPO), "--out", str(out))
    assert (code, err) == (1, f"Error: {out} exists; pass --force to replace it\n")
    assert out.read_text(encoding="utf-8") == "mine"
    assert run(capsys, "export-bib", "--root", str(REPO), "--out", str(out), "--force")[0] == 0
    assert out.read_text(encoding="utf-8").startswith("@")


def _plan(text: str) -> object:
    from dltheory_site.importer import plan_import

    kb, _problems = load_knowledge_base(REPO)
    return plan_import(text, kb, "refs.bib", None)


def test_a_key_cannot_add_a_field(tmp_path: Path) -> None:
    # A newline in a key ended the header comment: the rest became a live "Code" button.
    import datetime as dt

    from dltheory_site.importer import plan_import
    from dltheory_site.loader import load_text

    kb, _problems = load_knowledge_base(REPO)
    bib = "@article{good\ncode: https://evil.example/malware,\n title={X}, author={Ada Byron}, year=2020}\n"
    plan = plan_import(bib, kb, "refs\n.bib", None, dt.date(2026, 12, 1))
    assert [item.id for item in plan.create] == ["byron2020x"]
    text = plan.create[0].text
    assert text.splitlines()[0] == (
        "# Imported from refs\\n.bib (BibTeX key good\\ncode: https://evil.example/malware) "
        "on 2026-12-01."
    )
    doc = load_text(text, "x.yaml")
    assert "code" not in doc.data


def test_many_papers_with_one_base_id_get_valid_ids() -> None:
    # Past 25 papers the suffix ran through {|}~, DEL and C1 controls, and near 55,000
    # crashed after 215 s.
    from dltheory_site.fields import ID_RE

    bib = "".join(
        f"@misc{{k{n}, title={{Same word {n}}}, author={{Ada Byron}}, year=2020}}\n"
        for n in range(60)
    )
    plan = _plan(bib)
    ids = [item.id for item in plan.create]  # type: ignore[attr-defined]
    assert len(ids) == 60 == len(set(ids))
    assert all(ID_RE.match(i) for i in ids), ids
    assert ids[:3] == ["byron2020same", "byron2020sameb", "byron2020samec"]
    assert ids[25:27] == ["byron2020samez", "byron2020same-27"]


def test_import_bib_has_limits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_repository(tmp_path)
    big = tmp_path / "big.bib"
    big.write_bytes(b"%" * (8 * 1024 * 1024 + 1) + b"\n")
    code, out, err = run(capsys, "import-bib", str(big), "--root", str(root))
    assert (code, out) == (1, "")
    assert err == (f"Error: {big} is 8388610 bytes, more than the limit of 8388608; split it\n")
    many = tmp_path / "many.bib"
    many.write_text(
        "".join(f"@misc{{k{n}, title={{T{n}}}, author={{A B}}, year=2020}}\n" for n in range(2001)),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import-bib", str(many), "--root", str(root))
    assert (code, out) == (1, "")
    assert err == f"Error: {many} holds 2001 entries, more than the limit of 2000; split it\n"
