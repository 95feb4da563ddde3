"""The paper explorer: its values, its page, and the page in Chromium.

The browser tests drive Debian's Chromium with Playwright against the built fixture
site and the built repository site. The number of papers a filter should show is
counted here from the entry files on disk (plain YAML, not the package's loader).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from dltheory_site.explorer import Option, OptionGroup, Row, explorer_values
from dltheory_site.kb import KnowledgeBase
from dltheory_site.project import load_knowledge_base
from dltheory_site.render import SiteRenderer
from dltheory_site.sitemap import nav
from tests.chromium import PHONE, SCREENSHOTS, Watched, serious_violations, serve
from tests.helpers import FIXTURE_SITE, REPO, entry, make_project


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, problems = load_knowledge_base(FIXTURE_SITE)
    assert problems == []
    return kb


# --------------------------------------------------------------------------- values


def test_values_of_the_fixture(kb: KnowledgeBase) -> None:
    x = explorer_values(kb)
    assert x["total"] == 3
    assert (x["first_year"], x["last_year"]) == (2018, 2020)
    # Newest first, then by title.
    assert x["rows"] == [
        Row(
            "papers/lee2020third.md",
            "Beta dynamics of wide networks",
            "Ann Lee",
            2020,
            "arXiv",
            "Beta",
        ),
        Row(
            "papers/muller2019second.md",
            "Second thoughts on alpha: a kernel view",
            "Jurgen Muller and Ann Lee",
            2019,
            "JMLR",
            "Alpha",
        ),
        Row(
            "papers/smith2018first.md",
            "A first bound for alpha networks",
            "Jane Smith and Jürgen Müller",
            2018,
            "NeurIPS",
            "Alpha",
        ),
    ]
    # muller2019second is listed in alpha and beta: it counts in both groups.
    assert x["groups"] == (Option("alpha", "1. Alpha", 2), Option("beta", "2. Beta", 2))
    assert x["subcategories"] == (
        OptionGroup(
            "1. Alpha", (Option("alpha/one", "Alpha one", 1), Option("alpha/two", "Alpha two", 1))
        ),
        OptionGroup("2. Beta", (Option("beta/three", "Beta three", 2),)),
    )
    # Only tags in use, by title.
    assert x["tags"] == (Option("bound", "Bound", 2), Option("kernel", "Kernel", 2))
    assert x["venues"] == (
        Option("arxiv", "arXiv", 1),
        Option("jmlr", "JMLR", 1),
        Option("neurips", "NeurIPS", 1),
    )
    assert x["data"] == {
        "ids": ["lee2020third", "muller2019second", "smith2018first"],
        "groups": ["alpha", "beta"],
        "subs": ["alpha/one", "alpha/two", "beta/three"],
        "subGroup": [0, 0, 1],
        "tags": ["bound", "kernel"],
        "venues": ["arxiv", "jmlr", "neurips"],
        # [year, venue, subcategories, tags, builds-on targets (rows), more authors]
        "rows": [
            [2020, 0, [2], [1], [1], ""],  # builds on muller2019second (row 1)
            [2019, 1, [1, 2], [0, 1], [2], ""],  # improves smith2018first (row 2)
            [2018, 2, [0], [0], [], ""],
        ],
    }


def test_long_author_lists_and_relation_types(tmp_path: Path) -> None:
    files = {
        "base.yaml": entry(title='"Base"', authors="[A One, B Two, C Three, D Four, E Five]"),
        # Builds on, extends and improves count; "related" and "contradicts" do not.
        "a.yaml": entry(title='"A"') + "relations:\n  - {type: extends, target: base}\n",
        "b.yaml": entry(title='"B"') + "relations:\n  - {type: related, target: base}\n",
        "c.yaml": entry(title='"C"') + "relations:\n  - {type: contradicts, target: base}\n",
    }
    kb, problems = load_knowledge_base(make_project(tmp_path, files))
    assert problems == []
    x = explorer_values(kb)
    rows = dict(zip(x["data"]["ids"], x["data"]["rows"], strict=True))
    base = x["data"]["ids"].index("base")
    assert rows["a"][4] == [base]
    assert rows["b"][4] == rows["c"][4] == []
    # The table shows "A One, B Two, C Three et al."; the text filter sees every author.
    assert next(r for r in x["rows"] if r.title == "Base").authors == "A One, B Two, C Three et al."
    assert rows["base"][5] == "A One, B Two, C Three, D Four, E Five"


def test_explorer_follows_groups_in_the_navigation(kb: KnowledgeBase) -> None:
    titles = [next(iter(item)) for item in nav(kb)]
    assert titles[:3] == ["Home", "Groups", "Explorer"]
    assert nav(kb)[2] == {"Explorer": "explorer.md"}


def test_hostile_title_cannot_leave_the_json_island(tmp_path: Path) -> None:
    title = '"</script><script>alert(1)</script> & <b>bold</b>"'
    root = make_project(tmp_path, {"x.yaml": entry(title=title)})
    kb, problems = load_knowledge_base(root)
    assert problems == []
    page = next(p for p in SiteRenderer(kb).render().pages if p.src == "explorer.md")
    assert page.markdown.count("<script") == 1  # the island itself
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page.markdown


def test_tag_year_and_venue_pages_link_to_the_explorer(fixture_site: Path) -> None:
    def html(rel: str) -> str:
        return (fixture_site / rel).read_text(encoding="utf-8")

    assert '<a href="../../explorer/?tag=bound">See these in the explorer</a>' in html(
        "tags/bound/index.html"
    )
    assert (
        '<a href="../explorer/?from=2019&amp;to=2019">See the papers of 2019 in the explorer</a>'
        in html("timeline/index.html")
    )
    assert '<a href="../explorer/?venue=jmlr">See the papers of JMLR in the explorer</a>' in html(
        "venues/index.html"
    )
    page = html("explorer/index.html")
    assert page.count("<tr><td><a href=") == 3
    assert 'role="search" aria-label="Filter the papers" hidden>' in page


# --------------------------------------------------------------------------- the browser


def fold(text: str) -> str:
    """Lower case without accents, as the explorer's text filter compares."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Filters:
    """What the test sets in the page, and the query string it expects."""

    q: str
    tag: str
    first: int
    last: int
    group: str

    def query(self) -> dict[str, str]:
        return {
            "text": self.q,
            "group": self.group,
            "tag": self.tag,
            "from": str(self.first),
            "to": str(self.last),
        }

    def titles(self, root: Path) -> list[str]:
        """Titles of the entries on disk that match: counted without the package."""
        out = []
        for path in sorted((root / "entries").glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            text = fold(data["title"] + " " + ", ".join(data["authors"]))
            if (
                all(word in text for word in fold(self.q).split())
                and self.tag in data.get("tags", [])
                and self.first <= data["year"] <= self.last
                and any(c.split("/")[0] == self.group for c in data["categories"])
            ):
                out.append(data["title"])
        return out


SITES = {
    # "muller" finds "Jürgen Müller" and "Jurgen Muller"; the year range drops lee2020third.
    "fixture": (FIXTURE_SITE, Filters("muller", "bound", 2018, 2019, "alpha")),
    "repository": (REPO, Filters("kernel", "kernel-regime", 2019, 2022, "over-parameterization")),
}


def _open(watched: Watched, path: str = "/explorer/") -> Any:
    page = watched.goto(path)
    page.wait_for_function("window.dltExplorer !== undefined")
    return page


def _count(page: Any) -> str:
    return str(page.inner_text("#dlt-x-count"))


def _expect_count(page: Any, want: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#dlt-x-count")).to_have_text(want, timeout=10_000)


def _shown_titles(page: Any) -> list[str]:
    return [
        str(t)
        for t in page.locator("#dlt-x-table tbody tr:visible td:first-child").all_inner_texts()
    ]


def _cells_overflowing(page: Any) -> list[str]:
    """Headings and cells whose text is wider than their column (a word runs out of it)."""
    return list(
        page.evaluate("""() => Array.from(document.querySelectorAll(
            '#dlt-x-table th, #dlt-x-table tbody tr:not([hidden]) td')).filter(cell => {
                const inner = cell.firstElementChild || cell;
                const range = document.createRange();
                range.selectNodeContents(inner);
                return range.getBoundingClientRect().right >
                    cell.getBoundingClientRect().right + 0.5;
            }).map(cell => cell.textContent)""")
    )


def _no_horizontal_scroll(page: Any) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


@pytest.mark.browser
@pytest.mark.parametrize("site", list(SITES))
def test_filters_match_the_entries_on_disk(
    browser: Any, request: pytest.FixtureRequest, site: str
) -> None:
    root, filters = SITES[site]
    base = request.getfixturevalue("fixture_url" if site == "fixture" else "repo_url")
    total = len(list((root / "entries").glob("*.yaml")))
    expected = filters.titles(root)
    assert expected, "choose filters that some entries match"
    watched = Watched(browser, base)
    try:
        page = _open(watched)
        assert _count(page) == f"{total} of {total} papers"
        page.locator("#dlt-x-q").press_sequentially(filters.q, delay=30)
        page.select_option("#dlt-x-tag", filters.tag)
        page.fill("#dlt-x-from", str(filters.first))
        page.fill("#dlt-x-to", str(filters.last))
        page.select_option("#dlt-x-group", filters.group)
        want = f"{len(expected)} of {total} papers"
        _expect_count(page, want)
        assert sorted(_shown_titles(page)) == sorted(expected)
        assert _cells_overflowing(page) == []
        # The state is in the address: a reload (or a shared link) shows the same view.
        query = dict(re.findall(r"([a-z]+)=([^&]*)", page.url.split("?", 1)[1]))
        assert query == filters.query()
        page.reload(wait_until="networkidle")
        page.wait_for_function("window.dltExplorer !== undefined")
        assert _count(page) == want
        assert page.input_value("#dlt-x-q") == filters.q
        assert page.input_value("#dlt-x-tag") == filters.tag
        assert page.input_value("#dlt-x-from") == str(filters.first)
        assert page.input_value("#dlt-x-to") == str(filters.last)
        assert page.input_value("#dlt-x-group") == filters.group
        assert sorted(_shown_titles(page)) == sorted(expected)
        # Clearing brings every paper back, and the address loses its query.
        page.click("#dlt-x-clear")
        assert _count(page) == f"{total} of {total} papers"
        assert "?" not in page.url
        assert watched.errors == []
    finally:
        watched.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("target", "titles"),
    [
        ("smith2018first", ["Second thoughts on alpha: a kernel view"]),  # improves it
        ("muller2019second", ["Beta dynamics of wide networks"]),  # builds on it
        (
            "A first bound for alpha networks",
            ["Second thoughts on alpha: a kernel view"],
        ),  # a title
    ],
)
def test_papers_that_build_on_a_paper(
    browser: Any, fixture_url: str, target: str, titles: list[str]
) -> None:
    watched = Watched(browser, fixture_url)
    try:
        page = _open(watched)
        page.fill("#dlt-x-rel", target)
        _expect_count(page, "1 of 3 papers")
        assert _shown_titles(page) == titles
        # The field suggests the papers that others build on.
        options = page.eval_on_selector_all("#dlt-x-papers option", "os => os.map(o => o.value)")
        assert sorted(options) == ["muller2019second", "smith2018first"]
        # An unknown paper is said so and not applied.
        page.fill("#dlt-x-rel", "nobody2000")
        _expect_count(page, "3 of 3 papers")
        assert page.get_attribute("#dlt-x-rel", "aria-invalid") == "true"
        assert "No paper with this id or title" in page.inner_text("#dlt-x-rel-note")
    finally:
        watched.close()


@pytest.mark.browser
def test_links_from_tag_year_and_venue_pages_open_a_filtered_view(
    browser: Any, fixture_url: str
) -> None:
    watched = Watched(browser, fixture_url)
    try:
        for path, link, count in [
            ("/tags/kernel/", "See these in the explorer", "2 of 3 papers"),
            ("/timeline/", "See the papers of 2019 in the explorer", "1 of 3 papers"),
            ("/venues/", "See the papers of JMLR in the explorer", "1 of 3 papers"),
        ]:
            page = watched.goto(path)
            page.click(f"article a:has-text('{link}')")
            page.wait_for_url(re.compile(r"/explorer/\?"))
            page.wait_for_function("window.dltExplorer !== undefined")
            assert _count(page) == count, path
        assert watched.errors == []
    finally:
        watched.close()


@pytest.mark.browser
def test_columns_sort_and_the_order_is_in_the_address(browser: Any, fixture_url: str) -> None:
    watched = Watched(browser, fixture_url)
    try:
        page = _open(watched)
        assert _shown_titles(page)[0] == "Beta dynamics of wide networks"  # newest first
        page.click("#dlt-x-table th[data-key='title'] button")
        assert _shown_titles(page) == [
            "A first bound for alpha networks",
            "Beta dynamics of wide networks",
            "Second thoughts on alpha: a kernel view",
        ]
        assert page.get_attribute("th[data-key='title']", "aria-sort") == "ascending"
        assert page.url.endswith("?sort=title")
        # Authors by the first author's surname: Lee, Muller, Smith.
        page.click("#dlt-x-table th[data-key='authors'] button")
        assert _shown_titles(page) == [
            "Beta dynamics of wide networks",
            "Second thoughts on alpha: a kernel view",
            "A first bound for alpha networks",
        ]
        # By keyboard: the heading is a button.
        page.focus("#dlt-x-table th[data-key='year'] button")
        page.keyboard.press("Enter")
        assert page.url.endswith("?sort=-year")
        page.keyboard.press("Enter")
        assert page.url.endswith("?sort=year")
        page.reload(wait_until="networkidle")
        page.wait_for_function("window.dltExplorer !== undefined")
        assert _shown_titles(page)[0] == "A first bound for alpha networks"  # 2018 first
        assert page.get_attribute("th[data-key='year']", "aria-sort") == "ascending"
    finally:
        watched.close()


@pytest.fixture(scope="module")
def many_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import mkdocs_build

    files = {f"p{i:03d}.yaml": entry(title=f'"Paper {i:03d}"') for i in range(320)}
    root = make_project(tmp_path_factory.mktemp("many"), files)
    result = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert result.returncode == 0, result.stderr
    yield from serve(root / "site")


@pytest.mark.browser
@pytest.mark.slow
def test_long_results_show_their_first_rows_and_a_button_for_all(
    browser: Any, many_url: str
) -> None:
    watched = Watched(browser, many_url)
    try:
        page = _open(watched)
        assert _count(page) == "320 of 320 papers"
        assert len(_shown_titles(page)) == 300
        page.click("#dlt-x-more button:has-text('Show all 320')")
        assert len(_shown_titles(page)) == 320
        assert not page.is_visible("#dlt-x-more")
        page.locator("#dlt-x-q").press_sequentially("paper 315", delay=20)
        _expect_count(page, "1 of 320 papers")
        assert not page.is_visible("#dlt-x-more")
        assert watched.errors == []
    finally:
        watched.close()


@pytest.mark.browser
def test_without_script_the_page_is_the_full_list(browser: Any, fixture_url: str) -> None:
    watched = Watched(browser, fixture_url, java_script_enabled=False)
    try:
        page = watched.goto("/explorer/?tag=kernel")
        assert len(_shown_titles(page)) == 3
        assert not page.is_visible("#dlt-explorer-filters")
        assert _count(page) == "3 papers"
    finally:
        watched.close()


@pytest.mark.browser
def test_phone_width_scrolls_the_table_not_the_page(browser: Any, repo_url: str) -> None:
    watched = Watched(
        browser,
        repo_url,
        **PHONE,
    )
    try:
        page = _open(watched, "/explorer/?tag=kernel-regime")
        page.wait_for_timeout(200)
        assert _no_horizontal_scroll(page), page.evaluate("document.documentElement.scrollWidth")
        box = page.locator(".dlt-explorer-scroll")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # it scrolls itself
        assert _cells_overflowing(page) == []
        assert page.is_visible("#dlt-x-q")
    finally:
        watched.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility(browser: Any, repo_url: str, scheme: str) -> None:
    watched = Watched(browser, repo_url, color_scheme=scheme)
    try:
        page = _open(watched, "/explorer/?group=complexity&rel=bartlett2017spectrally")
        expected = "slate" if scheme == "dark" else "default"
        assert page.get_attribute("body", "data-md-color-scheme") == expected
        result = serious_violations(page)
        assert result == []
        # Keyboard focus is visible on the controls.
        page.focus("#dlt-x-tag")
        outline = page.eval_on_selector("#dlt-x-tag", "e => getComputedStyle(e).outlineStyle")
        assert outline != "none"
    finally:
        watched.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("width", "height", "label"), [(1366, 900, "desktop"), (390, 844, "mobile")]
)
def test_screenshots(
    browser: Any, repo_url: str, scheme: str, width: int, height: int, label: str
) -> None:
    watched = Watched(
        browser, repo_url, viewport={"width": width, "height": height}, color_scheme=scheme
    )
    try:
        page = _open(watched, "/explorer/?tag=kernel-regime&from=2019&sort=-year")
        SCREENSHOTS.mkdir(exist_ok=True)
        target = SCREENSHOTS / f"explorer-{label}-{scheme}.png"
        page.screenshot(path=str(target), full_page=False)
        assert target.stat().st_size > 10_000
    finally:
        watched.close()
