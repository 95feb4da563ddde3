"""Every kind of page as a reader meets it, at 1366 and 390 px, in light and dark.

Real Chromium against the repository's built site: no page scrolls sideways, every
generated table has padded cells and a styled header (computed styles), the visible
text holds no LaTeX source or Markdown syntax, the comparison table passes axe-core
in both colour schemes, and search finds what a reader types. A screenshot of each
page kind at both widths (light, and dark at desktop width) goes to ``screenshots/``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.chromium import SCREENSHOTS, serious_violations

pytestmark = pytest.mark.browser


#: One page of each kind the site generates, and the hand-written home page.
PAGES = {
    "home": "/",
    "group": "/groups/complexity/",
    "subcategory": "/groups/complexity/pac-bayes/",
    "paper": "/papers/jacot2018neural/",
    "tag": "/tags/pac-bayes/",
    "author": "/authors/behnam-neyshabur/",
    "authors": "/authors/",
    "tags": "/tags/",
    "timeline": "/timeline/",
    "venues": "/venues/",
    "recent": "/recent/",
    "statistics": "/statistics/",
    "downloads": "/downloads/",
    "graph": "/graphs/landscape/",
    "explorer": "/explorer/",
}
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
#: What must never show as text: LaTeX delimiters and commands, Markdown syntax.
RAW = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\frac|\\mathbb|\[\[|\]\(|\*\*|^#+ ", re.M)


def _open(browser: Any, url: str, width: int, height: int, scheme: str = "light") -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(150)  # KaTeX and the page scripts have run
    return page


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("kind", PAGES, ids=list(PAGES))
def test_page_reads_well(browser: Any, repo_url: str, kind: str, width: str) -> None:
    w, h = WIDTHS[width]
    page = _open(browser, repo_url + PAGES[kind], w, h)
    try:
        # The page never scrolls sideways; wide content scrolls in its own box.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{kind} is {overflow} px wider than a {w} px screen"
        # Generated tables: padded cells and a styled header, like Material's own.
        cells = page.evaluate(
            """() => [...document.querySelectorAll('.dlt-table table')].slice(0, 3).map(t => {
                const td = t.querySelector('tbody td'), th = t.querySelector('thead th');
                const cs = td ? getComputedStyle(td) : null, hs = th ? getComputedStyle(th) : null;
                return {pad: cs ? parseFloat(cs.paddingLeft) : 99,
                        weight: hs ? parseInt(hs.fontWeight) : 700,
                        bg: hs ? hs.backgroundColor : 'header-less'};
            })"""
        )
        for cell in cells:
            assert cell["pad"] >= 6, (kind, cell)
            assert cell["weight"] >= 600, (kind, cell)
            assert cell["bg"] not in {"rgba(0, 0, 0, 0)", "transparent"}, (kind, cell)
        text = page.inner_text("article")
        raw = RAW.search(text)
        assert raw is None, (
            f"{kind} shows raw markup: {text[max(raw.start() - 40, 0) : raw.end() + 40]!r}"
        )
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"page-{kind}-{width}-light.png"))
    finally:
        page.context.close()


@pytest.mark.parametrize("kind", PAGES, ids=list(PAGES))
def test_dark_mode_screenshots(browser: Any, repo_url: str, kind: str) -> None:
    page = _open(browser, repo_url + PAGES[kind], *WIDTHS["desktop"], scheme="dark")
    try:
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == "slate"
        page.screenshot(path=str(SCREENSHOTS / f"page-{kind}-desktop-dark.png"))
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_comparison_table_is_accessible(browser: Any, repo_url: str, scheme: str) -> None:
    page = _open(browser, repo_url + "/groups/complexity/pac-bayes/", 1366, 900, scheme)
    try:
        found = serious_violations(page)
        assert found == []
    finally:
        page.context.close()


# What a reader types, and the paper that must come first among the papers found.
SEARCHES = [
    ("neural tangent kernel", "/papers/jacot2018neural/"),
    ("double descent", "/papers/nakkiran2020deep/"),
    ("grokking", "/papers/power2022grokking/"),
    # Material reads "-Bayes" as "not bayes": a paper whose title says PAC-Bayes still leads.
    ("PAC-Bayes", "/papers/catoni2007pac/"),
]


@pytest.mark.parametrize(("query", "first"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_search_ranks_the_paper_and_shows_clean_text(
    browser: Any, repo_url: str, query: str, first: str
) -> None:
    page = _open(browser, repo_url + "/", 1366, 900)
    try:
        page.click("input.md-search__input")
        page.locator("input.md-search__input").press_sequentially(query, delay=15)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        page.wait_for_timeout(400)
        links = page.locator(".md-search-result__item > a").evaluate_all(
            "els => els.map(a => a.getAttribute('href'))"
        )
        papers = [h for h in links if "/papers/" in h]
        assert papers, links[:5]
        assert first in papers[0], links[:5]
        text = page.inner_text(".md-search-result")
        assert "\\(" not in text
        assert "$" not in text
        # The entry's parts are paragraphs of their own (authors, venue and year, summary):
        # the venue never runs into the last author's name.
        first_result = page.locator(".md-search-result__item").first
        lines = first_result.locator("p").all_inner_texts()
        assert lines, links[:3]
        assert not re.search(r"[a-z](Advances|International|Journal|Conference)", text)
    finally:
        page.context.close()


def test_author_and_tag_pages_are_searchable(browser: Any, repo_url: str) -> None:
    page = _open(browser, repo_url + "/", 1366, 900)
    try:
        page.click("input.md-search__input")
        page.locator("input.md-search__input").press_sequentially("Neyshabur", delay=15)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        page.wait_for_timeout(400)
        links = page.locator(".md-search-result__item > a").evaluate_all(
            "els => els.map(a => a.getAttribute('href'))"
        )
        assert "/authors/behnam-neyshabur/" in links[0], links[:5]
    finally:
        page.context.close()
