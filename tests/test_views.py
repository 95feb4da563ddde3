"""Relation graphs, comparison tables, reading paths and charts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dltheory_site import views
from dltheory_site.cli import main
from dltheory_site.project import load_knowledge_base
from dltheory_site.render import SiteRenderer
from dltheory_site.sitemap import entry_src
from dltheory_site.urls import relative_url
from tests.helpers import FIXTURE_SITE, entry, make_project

#: Four papers of alpha/one: base <- middle <- top, and a later stand-alone paper.
#: By year and title alone the order would be top, middle, base, later.
FEATURE_ENTRIES = {
    "base.yaml": entry(
        title='"Zeta base result"',
        year="2019",
        comparison="{rate: '$O(1/n)$', depth: none, constant: 3}",
    ),
    "middle.yaml": entry(
        title='"Mu middle result"',
        year="2018",
        comparison="{rate: '$O(1/\\sqrt{n})$', depth: exponential, constant: 1}",
    )
    + "relations:\n  - {type: builds-on, target: base}\n",
    "top.yaml": entry(
        title='"Alpha top result"', year="2017", comparison="{depth: polynomial, constant: 2}"
    )
    + "relations:\n  - {type: builds-on, target: middle}\n  - {type: related, target: later}\n",
    "later.yaml": entry(title='"Later paper"', year="2021"),
}


def test_reading_path_puts_papers_after_what_they_build_on(tmp_path: Path) -> None:
    root = make_project(tmp_path, FEATURE_ENTRIES)
    kb, problems = load_knowledge_base(root)
    assert problems == []
    assert [e.id for e in kb.reading_path("alpha")] == ["base", "middle", "top", "later"]


def test_builds_on_cycle_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "one.yaml": entry(title='"One"') + "relations:\n  - {type: builds-on, target: two}\n",
        "two.yaml": entry(title='"Two"') + "relations:\n  - {type: builds-on, target: three}\n",
        "three.yaml": entry(title='"Three"') + "relations:\n  - {type: builds-on, target: one}\n",
    }
    root = make_project(tmp_path, files)
    monkeypatch.chdir(root)
    assert main(["validate"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "entries/three.yaml:10:31: error[E028] relations[0].target: builds-on relations form a "
        "cycle: one -> two -> three -> one (a paper builds on older work; remove or retype one "
        "of these relations)",
        "3 files checked: 1 errors, 0 warnings",
    ]


@pytest.mark.parametrize(
    ("comparison", "expected"),
    [
        # A field the subcategory does not define, with a did-you-mean.
        (
            "{rates: x}",
            "entries/c.yaml:9:14: error[E029] comparison.rates: 'rates' is not a "
            "comparison field of the entry's subcategories (did you mean 'rate'?)",
        ),
        # A value outside the enum.
        (
            "{depth: linear}",
            "entries/c.yaml:9:21: error[E013] comparison.depth: 'linear' is not "
            "one of the values of 'depth' (one of: none, polynomial, exponential)",
        ),
        # Text where a number is expected.
        (
            "{constant: many}",
            "entries/c.yaml:9:24: error[E012] comparison.constant: expected a number, got text",
        ),
    ],
)
def test_comparison_values_are_checked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    comparison: str,
    expected: str,
) -> None:
    root = make_project(tmp_path, {"c.yaml": entry(comparison=comparison)})
    monkeypatch.chdir(root)
    assert main(["validate"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == expected


def test_comparison_table_and_graph_data(tmp_path: Path) -> None:
    root = make_project(tmp_path, FEATURE_ENTRIES)
    kb, _ = load_knowledge_base(root)
    site = SiteRenderer(kb).render()
    page = next(p.markdown for p in site.pages if p.src == "groups/alpha/one.md")
    table = page[page.index('<table class="dlt-compare"') : page.index("</table>")]
    rows = re.findall(r"<tr><td><a[^>]*>([^<]+)</a></td>(.*?)</tr>", table)
    assert [name for name, _ in rows] == ["Lovelace (2019)", "Lovelace (2018)", "Lovelace (2017)"]
    assert '<span class="arithmatex">\\(O(1/n)\\)</span>' in rows[0][1]
    graph = views.graph_data(kb, "alpha", lambda e: relative_url("graphs/alpha.md", entry_src(e)))
    assert sorted(n["id"] for n in graph["nodes"]) == ["base", "later", "middle", "top"]
    assert sorted((e["source"], e["target"], e["type"]) for e in graph["edges"]) == [
        ("middle", "base", "builds-on"),
        ("top", "later", "related"),
        ("top", "middle", "builds-on"),
    ]
    assert {n["url"] for n in graph["nodes"]} == {
        "../../papers/base/",
        "../../papers/later/",
        "../../papers/middle/",
        "../../papers/top/",
    }


def test_statistics_page_matches_stats_command(
    repo_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    html = (repo_site / "statistics" / "index.html").read_text(encoding="utf-8")

    def cell(cell_id: str) -> int:
        match = re.search(rf'<td class="dlt-num" id="{re.escape(cell_id)}">(\d+)</td>', html)
        assert match, cell_id
        return int(match.group(1))

    assert cell("stat-entries") == stats["entries"]
    assert cell("stat-authors") == stats["authors"]
    assert cell("stat-relations") == stats["relations"]
    assert cell("stat-with-relations") == stats["with_relations"]
    for group in stats["groups"]:
        assert cell(f"stat-{group['id']}") == group["entries"]
        for sub in group["subcategories"]:
            assert cell("stat-" + sub["id"].replace("/", "-")) == sub["primary"]
    for year, n in stats["years"].items():
        assert cell(f"stat-year-{year}") == n


def test_charts_are_static_svg(repo_site: Path) -> None:
    for page in ("index.html", "statistics/index.html"):
        html = (repo_site / page).read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        charts = re.findall(r'<figure class="dlt-chart">(.*?)</figure>', article, re.S)
        assert len(charts) == 2, page
        for chart in charts:
            assert "<svg" in chart
            assert "<script" not in chart
        assert article.count("<rect ") >= 20  # the stacked bars


def test_paper_page_shows_its_neighbourhood(fixture_site: Path) -> None:
    html = (fixture_site / "papers/muller2019second/index.html").read_text(encoding="utf-8")
    assert (
        '<object class="dlt-neighbourhood" type="image/svg+xml" '
        'data="../../neighbourhoods/muller2019second.svg"'
    ) in html
    svg = (fixture_site / "neighbourhoods/muller2019second.svg").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" target="_top">', svg)
    assert sorted(links) == ["../papers/lee2020third/", "../papers/smith2018first/"]
    for link in links:  # relative to the picture's own address
        assert (fixture_site / "neighbourhoods" / link / "index.html").resolve().exists()


def test_fixture_project_for_browser(tmp_path: Path) -> None:
    # The project the browser tests of these views build (tests/test_browser.py).
    root = make_project(tmp_path, FEATURE_ENTRIES, keep_fixture_entries=True)
    _kb, problems = load_knowledge_base(root)
    assert problems == []
    assert FIXTURE_SITE.exists()
