"""Relation graphs, comparison tables, reading paths and charts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dltheory_site import charts, views
from dltheory_site.cli import main
from dltheory_site.project import load_knowledge_base
from dltheory_site.render import SiteRenderer
from dltheory_site.sitemap import entry_src
from dltheory_site.urls import relative_url
from tests.helpers import FIXTURE_SITE, REPO, entry, make_project

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


def test_charts_are_static_with_html_labels(repo_site: Path) -> None:
    for page in ("index.html", "statistics/index.html"):
        html = (repo_site / page).read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        charts = re.findall(r'<figure class="dlt-chart" id="([^"]+)">(.*?)</figure>', article, re.S)
        assert [name for name, _ in charts] == ["chart-years", "chart-growth"], page
        for _name, chart in charts:
            assert '<svg class="dlt-area"' in chart
            assert "<script" not in chart
            assert "<text" not in chart  # labels are HTML, so they keep the page's size
        assert article.count("<rect ") >= 40  # the stacked bars


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (1, (4, [0, 1, 2, 3, 4])),  # tiny counts still get a few ticks
        (7, (8, [0, 2, 4, 6, 8])),
        (48, (50, [0, 10, 20, 30, 40, 50])),
        (247, (250, [0, 50, 100, 150, 200, 250])),
        (1234, (1500, [0, 500, 1000, 1500])),
    ],
)
def test_nice_ticks(top: int, expected: tuple[int, list[int]]) -> None:
    assert charts.nice_ticks(top) == expected


def test_growth_chart_needs_added_dates_on_more_than_one_day(tmp_path: Path) -> None:
    one_day = {f"p{i}.yaml": entry(title=f'"Paper {i}"', year=str(2015 + i % 3)) for i in range(5)}
    kb, _ = load_knowledge_base(make_project(tmp_path / "a", one_day))
    chart = charts.growth(kb)
    assert chart.caption.startswith("Cumulative papers by year of publication")
    assert [t.label for t in chart.x_ticks] == ["2015", "2016", "2017"]
    assert chart.title == "Cumulative papers by year of publication: 5 papers up to 2017."
    two_days = {**one_day, "p0.yaml": entry(title='"Paper 0"', added="2026-12-01")}
    kb, _ = load_knowledge_base(make_project(tmp_path / "b", two_days))
    chart = charts.growth(kb)
    assert chart.caption.startswith("Growth of the knowledge base")
    assert [t.label for t in chart.x_ticks] == ["2026-11-28", "2026-11-29", "2026-12-01"]
    # A step line: the count holds until the next day with additions.
    assert chart.line == "0.0,20.0 400.0,20.0 400.0,0.0"


def test_year_axis_labels_fit_a_phone(repo_site: Path) -> None:
    kb, _ = load_knowledge_base(REPO)
    chart = charts.papers_per_year(kb)
    labels = [t.label for t in chart.x_ticks]
    assert labels[0].startswith("<")  # the older years share the first bar
    assert len(labels) <= charts.MAX_X_LABELS + 1
    assert {"2000", "2010", "2020"} <= set(labels)
    high = int(chart.y_ticks[-1].label)  # the y axis' maximum
    assert sum(b.h for b in chart.bars if b.title.startswith("2018,")) == pytest.approx(
        100 * len(kb.by_year[2018]) / high
    )


def test_paper_page_draws_its_neighbourhood_inline(fixture_site: Path) -> None:
    html = (fixture_site / "papers/muller2019second/index.html").read_text(encoding="utf-8")
    figure = html[html.index('<figure class="dlt-nb">') : html.index("</figure>")]
    links = re.findall(r'<a href="([^"]+)"><circle cx="(\d+)" cy="\d+" fill="([^"]+)"/>', figure)
    # Group colours: smith2018first is in alpha, lee2020third in beta.
    assert sorted(links) == [
        ("../lee2020third/", "460", "#E69F00"),
        ("../smith2018first/", "200", "#0072B2"),
    ]
    # From the paper (x 330) to the one it improves; from the one building on it to it.
    assert re.findall(r'<path(?: class="dlt-d(\d)")? d="(M[\d ]+)"/>', figure) == [
        ("2", "M330 32 265 32 200 32"),
        ("", "M460 32 395 32 330 32"),  # builds on: solid, no class
    ]
    assert "<object" not in html
    assert not (fixture_site / "neighbourhoods").exists()


def test_neighbourhood_draws_at_most_a_few_papers(tmp_path: Path) -> None:
    files = {"hub.yaml": entry(title='"Hub"')} | {
        f"p{i}.yaml": entry(title=f'"Paper {i}"')
        + "relations:\n  - {type: builds-on, target: hub}\n"
        for i in range(views.NEIGHBOURS + 2)
    }
    kb, problems = load_knowledge_base(make_project(tmp_path, files))
    assert problems == []
    picture = views.neighbourhood(kb, kb.by_id["hub"], lambda e: e.id)
    assert picture is not None
    assert (len(picture.left), len(picture.right), picture.more) == (0, views.NEIGHBOURS, 2)
    # Every arrow ends at the hub, in the middle column.
    assert {d.rsplit(" ", 2)[1:] == ["330", str(picture.centre.y)] for d, _ in picture.edges} == {
        True
    }


def test_picture_label_shortens_long_names(tmp_path: Path) -> None:
    files = {
        "two.yaml": entry(authors="[Sepp Hochreiter, Jürgen Schmidhuber]", year="1997"),
        "one.yaml": entry(title='"One"', authors="[Ann Lee]", year="2020"),
    }
    kb, _ = load_knowledge_base(make_project(tmp_path, files))
    assert views.cite_label(kb.by_id["two"]) == "Hochreiter and Schmidhuber (1997)"
    assert views.picture_label(kb.by_id["two"]) == "Hochreiter et al. (1997)"
    assert views.picture_label(kb.by_id["one"]) == "Lee (2020)"


def test_fixture_project_for_browser(tmp_path: Path) -> None:
    # The project the browser tests of these views build (tests/test_browser.py).
    root = make_project(tmp_path, FEATURE_ENTRIES, keep_fixture_entries=True)
    _kb, problems = load_knowledge_base(root)
    assert problems == []
    assert FIXTURE_SITE.exists()
