"""CSL-JSON: items from entries, checked against the official schema; export-csl; APA."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dltheory_site.cli import main
from dltheory_site.csl import (
    csl_item,
    formatted_reference,
    group_csl,
    kb_csl,
    paper_csl,
    split_name,
    to_csl_json,
)
from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry, Venue
from dltheory_site.project import load_knowledge_base
from tests.helpers import FIXTURE_SITE, REPO

SCHEMA = json.loads((REPO / "tests" / "vendor" / "csl-data.json").read_text(encoding="utf-8"))
NEURIPS = Venue(
    id="neurips",
    short="NeurIPS",
    name="Advances in Neural Information Processing Systems",
    kind="conference",
)
ARXIV = Venue(id="arxiv", short="arXiv", name="arXiv preprint", kind="preprint")


def _entry(**changes: Any) -> Entry:
    values: dict[str, Any] = {
        "id": "jacot2018neural",
        "title": "Neural Tangent Kernel: Convergence and Generalization in Neural Networks",
        "authors": ("Arthur Jacot", "Franck Gabriel", "Clément Hongler"),
        "year": 2018,
        "venue": "NeurIPS",
        "arxiv": "1806.07572",
        "categories": ("alpha/one",),
        "summary": "A summary.",
        "added": "2026-11-28",
    }
    values.update(changes)
    return Entry.model_validate(values)


def _valid(items: list[dict[str, Any]]) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(items)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, problems = load_knowledge_base(FIXTURE_SITE)
    assert problems == []
    return kb


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jürgen Müller", {"family": "Müller", "given": "Jürgen"}),
        ("Plato", {"family": "Plato"}),  # one word is a family name
        ("S. S. Du", {"family": "Du", "given": "S. S."}),
        (
            "Ludwig van Beethoven",  # BibTeX's von part
            {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        ),
        (
            "Martin Luther King, Jr.",  # first name first, suffix after the comma
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        ),
        ("{Google Research}", {"literal": "Google Research"}),  # braces: one literal name
    ],
)
def test_split_name(name: str, expected: dict[str, str]) -> None:
    assert split_name(name) == expected


def test_conference_paper() -> None:
    item = csl_item(_entry(bibtex={"volume": "31", "pages": "8571--8580"}), NEURIPS)
    assert item == {
        "id": "jacot2018neural",
        "type": "paper-conference",
        "title": "Neural Tangent Kernel: Convergence and Generalization in Neural Networks",
        "author": [
            {"family": "Jacot", "given": "Arthur"},
            {"family": "Gabriel", "given": "Franck"},
            {"family": "Hongler", "given": "Clément"},
        ],
        "issued": {"date-parts": [[2018]]},
        "container-title": "Advances in Neural Information Processing Systems",
        "container-title-short": "NeurIPS",
        "URL": "https://arxiv.org/abs/1806.07572",
        "volume": "31",
        "page": "8571–8580",
    }
    _valid([item])


def test_preprint_has_publisher_and_number() -> None:
    item = csl_item(_entry(venue="arXiv"), ARXIV)
    assert item["type"] == "article"
    assert (item["publisher"], item["number"]) == ("arXiv", "arXiv:1806.07572")
    assert "container-title" not in item
    _valid([item])


def test_doi_and_url() -> None:
    item = csl_item(_entry(arxiv=None, doi="10.1000/x<y>", url=None), NEURIPS)
    assert (item["DOI"], item["URL"]) == ("10.1000/x<y>", "https://doi.org/10.1000/x<y>")
    own = csl_item(_entry(url="https://example.org/p"), NEURIPS)
    assert own["URL"] == "https://example.org/p"


def test_whole_base_groups_and_one_paper_validate(kb: KnowledgeBase) -> None:
    whole = kb_csl(kb)
    assert [i["id"] for i in whole] == ["lee2020third", "muller2019second", "smith2018first"]
    _valid(whole)
    # muller2019second is in alpha/two and beta/three: it belongs to both groups.
    assert [i["id"] for i in group_csl(kb, "beta")] == ["lee2020third", "muller2019second"]
    one = paper_csl(kb, kb.by_id["muller2019second"])
    assert one[0]["type"] == "article-journal"
    assert one[0]["container-title"] == "Journal of Machine Learning Research"
    assert one[0]["DOI"] == "10.1000/xyz123"
    _valid(one)
    assert json.loads(to_csl_json(whole)) == whole


def test_repository_knowledge_base_validates() -> None:
    kb, problems = load_knowledge_base(REPO)
    assert not [p for p in problems if p.severity == "error"]
    items = kb_csl(kb)
    assert len(items) == len(kb.entries)
    _valid(items)


def test_export_csl_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-csl", "--root", str(FIXTURE_SITE), "--category", "alpha/one"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in printed] == ["smith2018first"]
    out = tmp_path / "kb.json"
    assert main(["export-csl", "--root", str(FIXTURE_SITE), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote 3 entries to {out}\n"
    _valid(json.loads(out.read_text(encoding="utf-8")))
    # An existing file is replaced only with --force.
    assert main(["export-csl", "--root", str(FIXTURE_SITE), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"Error: {out} exists; pass --force to replace it\n"
    assert main(["export-csl", "--root", str(FIXTURE_SITE), "--category", "alpah"]) == 1
    assert "unknown group or subcategory 'alpah' (did you mean 'alpha'?)" in capsys.readouterr().err


def test_formatted_reference_apa() -> None:
    entry = _entry(bibtex={"volume": "31"})
    assert formatted_reference(entry, NEURIPS) == (
        "Jacot, A., Gabriel, F., & Hongler, C. (2018). Neural Tangent Kernel: Convergence and "
        "Generalization in Neural Networks. Advances in Neural Information Processing Systems, "
        "31. https://arxiv.org/abs/1806.07572"
    )
    # In HTML every value is escaped; the title is in italics (a preprint is book-like in APA).
    preprint = _entry(
        venue="arXiv",
        title="Bounds <b>& more</b>",
        authors=("Ann <i>Lee",),
        url="https://x.org/?a=1&b=2",
    )
    assert formatted_reference(preprint, ARXIV, "html") == (
        "&lt;i&gt;Lee, A. (2018). <i>Bounds &lt;b&gt;&amp; more&lt;/b&gt;</i>. arXiv. "
        "https://x.org/?a=1&amp;b=2"
    )


def test_site_downloads_are_the_csl_documents(kb: KnowledgeBase) -> None:
    from dltheory_site.exports import csl_files

    cache: dict[str, Any] = {}
    files = csl_files(kb, cache)
    assert files["downloads/dltheory.csl.json"].decode() == to_csl_json(kb_csl(kb))
    for group in kb.taxonomy.groups:
        expected = to_csl_json(group_csl(kb, group.id))
        assert files[f"downloads/{group.id}.csl.json"].decode() == expected
    entry = kb.by_id["muller2019second"]
    assert files["downloads/papers/muller2019second.csl.json"].decode() == to_csl_json(
        paper_csl(kb, entry)
    )
    # A second pass with the cache writes the same files.
    assert csl_files(kb, cache) == files
