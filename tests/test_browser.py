"""The built site as a reader meets it: real Chromium (Debian's), driven by Playwright.

The site is served on 127.0.0.1 by the test itself. Without Chromium the tests
skip with a reason, except under CI (``CI=true``), where they fail. Screenshots
of the home, a group and a paper page at desktop and mobile width are written to
``screenshots/`` for reviewers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.chromium import PHONE, SCREENSHOTS, Watched, serious_violations, serve

pytestmark = pytest.mark.browser


@pytest.fixture
def fixture_page(browser: Any, fixture_url: str) -> Iterator[Watched]:
    watched = Watched(browser, fixture_url)
    yield watched
    watched.close()


@pytest.fixture
def repo_page(browser: Any, repo_url: str) -> Iterator[Watched]:
    watched = Watched(browser, repo_url)
    yield watched
    watched.close()


def _article_text(page: Any) -> str:
    return str(page.inner_text("article"))


def test_click_from_home_to_author(fixture_page: Watched) -> None:
    page = fixture_page.goto("/")

    def follow(link: Any, path: str) -> None:
        # Wait for the new page to load before reading it: a click only starts navigation.
        link.click()
        page.wait_for_url(re.compile(re.escape(path) + "$"), wait_until="load")

    follow(page.locator("article a", has_text="Alpha bounds").first, "/groups/alpha/")
    follow(page.locator("article table a", has_text="Alpha one"), "/groups/alpha/one/")
    follow(
        page.locator("article table a", has_text="A first bound for alpha networks"),
        "/papers/smith2018first/",
    )
    assert page.inner_text("h1").rstrip("¶") == "A first bound for alpha networks"
    # The relation is shown from the older paper's side, under the inverse heading.
    headings = page.locator("dl.dlt-relations dt").all_inner_texts()
    assert headings == ["Improved by"]
    improved_by = page.locator("dl.dlt-relations dt:has-text('Improved by') + dd")
    follow(
        improved_by.locator("a", has_text="Second thoughts on alpha"), "/papers/muller2019second/"
    )
    follow(page.locator(".dlt-byline a", has_text="Ann Lee"), "/authors/ann-lee/")
    titles = page.locator("article table a").all_inner_texts()
    assert titles == ["Beta dynamics of wide networks", "Second thoughts on alpha: a kernel view"]
    assert fixture_page.errors == []


@pytest.mark.parametrize(
    ("query", "paper"),
    [
        ("tangent", "/papers/jacot2018neural/"),  # a word of the title
        ("Jacot", "/papers/jacot2018neural/"),  # the first author's surname
    ],
)
def test_search_finds_and_opens_a_paper(repo_page: Watched, query: str, paper: str) -> None:
    page = repo_page.goto("/")
    page.click("input.md-search__input")
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    # Material appends ?h=<query> to result links.
    result = page.locator(f".md-search-result__item a[href*='{paper}']").first
    result.wait_for(timeout=15_000)
    result.click()
    page.wait_for_url(re.compile(re.escape(paper)))
    assert "Neural Tangent Kernel" in page.inner_text("h1")
    assert repo_page.errors == []


def test_math_is_rendered(fixture_page: Watched) -> None:
    page = fixture_page.goto("/papers/smith2018first/")
    page.wait_for_selector("article .katex")
    text = _article_text(page)
    assert "$" not in text
    assert "\\(" not in text
    assert "\\[" not in text
    assert page.locator("article .katex-display").count() == 1  # the display equation
    assert page.locator("article .katex").count() >= 4
    assert fixture_page.errors == []


def test_bibtex_copy_button(browser: Any, fixture_url: str) -> None:
    watched = Watched(browser, fixture_url)
    watched.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=fixture_url)
    try:
        page = watched.goto("/papers/lee2020third/")
        page.click(".dlt-bibtex button[title='Copy to clipboard']")
        copied = page.evaluate("navigator.clipboard.readText()")
        shown = page.inner_text("#bibtex-lee2020third")
        assert copied.strip() == shown.strip()
        assert copied.startswith("@misc{lee2020third,")
        assert "title = {{Beta dynamics of wide networks}}" in copied
    finally:
        watched.close()


def _no_horizontal_scroll(page: Any) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def test_dark_mode_toggle_keeps_page_usable(repo_page: Watched) -> None:
    page = repo_page.goto("/papers/jacot2018neural/")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    assert _no_horizontal_scroll(page)
    # Text stays readable: the article's colour differs from the background.
    colours = page.evaluate("""() => {
        const s = getComputedStyle(document.querySelector('article'));
        const b = getComputedStyle(document.body);
        return [s.color, b.backgroundColor];
    }""")
    assert colours[0] != colours[1]


@pytest.mark.parametrize(
    "path",
    ["/", "/groups/over-parameterization/", "/papers/jacot2018neural/", "/papers/abadi2016deep/"],
)
def test_mobile_width_has_no_horizontal_scroll(browser: Any, repo_url: str, path: str) -> None:
    watched = Watched(
        browser,
        repo_url,
        **PHONE,
    )
    try:
        page = watched.goto(path)
        page.wait_for_timeout(300)
        assert _no_horizontal_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    finally:
        watched.close()


PAGES = [
    "/",
    "/groups/complexity/",
    "/groups/complexity/pac-bayes/",
    "/papers/jacot2018neural/",
    "/authors/",
    "/tags/",
    "/timeline/",
    "/venues/",
    "/recent/",
    "/downloads/",
    "/contributing/",
    "/404.html",
]


def test_no_foreign_request_and_no_console_error(repo_page: Watched) -> None:
    for path in PAGES:
        repo_page.goto(path)
    assert repo_page.foreign_requests() == []
    assert repo_page.errors == []


@pytest.mark.parametrize("path", ["/", "/groups/sgd/", "/papers/jacot2018neural/"])
def test_accessibility(repo_page: Watched, path: str) -> None:
    page = repo_page.goto(path)
    result = serious_violations(page)
    assert result == []


@pytest.mark.parametrize(
    ("name", "path"),
    [("home", "/"), ("group", "/groups/complexity/"), ("paper", "/papers/jacot2018neural/")],
)
@pytest.mark.parametrize(
    ("width", "height", "label"), [(1280, 900, "desktop"), (390, 844, "mobile")]
)
def test_screenshots(
    browser: Any, repo_url: str, name: str, path: str, width: int, height: int, label: str
) -> None:
    watched = Watched(browser, repo_url, viewport={"width": width, "height": height})
    try:
        page = watched.goto(path)
        SCREENSHOTS.mkdir(exist_ok=True)
        target = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(target), full_page=False)
        assert target.stat().st_size > 10_000
    finally:
        watched.close()


# --------------------------------------------------------------------------- views (issue 9)


@pytest.fixture(scope="module")
def features_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import mkdocs_build
    from tests.helpers import make_project
    from tests.test_views import FEATURE_ENTRIES

    root = make_project(
        tmp_path_factory.mktemp("features"), FEATURE_ENTRIES, keep_fixture_entries=True
    )
    site = root / "site"
    result = mkdocs_build(root / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    yield from serve(site)


@pytest.fixture
def features_page(browser: Any, features_url: str) -> Iterator[Watched]:
    watched = Watched(browser, features_url)
    yield watched
    watched.close()


def test_graph_node_double_click_opens_the_paper(features_page: Watched) -> None:
    # A click highlights the paper and its neighbours (tests/test_graphs_browser.py).
    page = features_page.goto("/graphs/alpha/")
    page.wait_for_function("window.dltGraph && window.dltGraph.nodes().length > 0")
    x, y = page.evaluate("""() => {
        const box = document.getElementById('dlt-graph').getBoundingClientRect();
        const p = window.dltGraph.$id('middle').renderedPosition();
        return [box.left + p.x, box.top + p.y];
    }""")
    page.mouse.dblclick(x, y)
    page.wait_for_url(re.compile(r"/papers/middle/$"))
    assert page.inner_text("h1").rstrip("¶") == "Mu middle result"
    assert features_page.errors == []


def test_graph_page_lists_relations_without_script(browser: Any, features_url: str) -> None:
    watched = Watched(browser, features_url, java_script_enabled=False)
    try:
        page = watched.goto("/graphs/alpha/")
        items = page.locator("article ul.dlt-list li").all_inner_texts()
        assert "Lovelace (2018) builds on Lovelace (2019) — Mu middle result" in items
    finally:
        watched.close()


def test_comparison_table_sorts_by_a_column(features_page: Watched) -> None:
    page = features_page.goto("/groups/alpha/one/")

    def first_column() -> list[str]:
        return [
            str(t) for t in page.locator("#comparison tbody tr td:first-child").all_inner_texts()
        ]

    assert first_column() == ["Lovelace (2019)", "Lovelace (2018)", "Lovelace (2017)"]
    page.click("#comparison th:has-text('Constant')")
    assert first_column()[:3] == ["Lovelace (2018)", "Lovelace (2017)", "Lovelace (2019)"]
    page.click("#comparison th:has-text('Constant')")
    assert first_column()[:3] == ["Lovelace (2019)", "Lovelace (2017)", "Lovelace (2018)"]


def test_reading_path_lists_a_paper_after_what_it_builds_on(features_page: Watched) -> None:
    page = features_page.goto("/groups/alpha/")
    items = [str(t) for t in page.locator("#reading-path li a").all_inner_texts()]
    # The path holds the papers others build on, each after what it builds on; the
    # papers nothing builds on (top, later) are on their subcategory's page instead.
    assert items.index("Zeta base result") < items.index("Mu middle result")
    assert "Alpha top result" not in items
