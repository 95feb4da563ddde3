"""Browser smoke checks shared by the other builders' tests and the offline copy.

Each check starts from a URL made by ``url(path)``, where ``path`` is a page's
directory-style path (``groups/alpha/``); the caller maps it to what its build
wrote (``groups/alpha/index.html`` for a copy opened from disk).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.chromium import launched


@dataclass(frozen=True)
class SearchUI:
    """How a theme's search is opened and read."""

    open: str  # clicked first
    input: str  # typed into
    result: str  # a result link to the paper; ``{paper}`` is its id


MATERIAL = SearchUI(
    "input.md-search__input", "input.md-search__input", ".md-search-result__item a[href*='{paper}']"
)
# Zensical's own search dialog (its "modern" theme).
ZENSICAL = SearchUI(
    "button.md-search__button", "input[aria-label=Search]", "a[role=option][href*='{paper}']"
)


@dataclass(frozen=True)
class Site:
    """What to look for in a built site."""

    url: Callable[[str], str]
    group: str  # directory path of a group page
    group_title: str  # its link text on the home page and its heading
    paper: str  # id of a paper with math
    paper_title: str
    query: str  # a search that finds that paper
    search: SearchUI


def smoke(site: Site) -> None:
    """Home -> a group by a click, a paper with math rendered, search finds the paper.

    Also: no console error, and no request leaves the site.
    """
    for browser in launched():
        _smoke(browser, site)


def _smoke(browser: Any, site: Site) -> None:
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    home = site.url("")
    page.goto(home, wait_until="load")
    assert page.locator("article").count() == 1, f"no article on {page.url}"

    # A click on the home page opens the group page itself (not a folder listing).
    group_url = site.url(site.group)
    page.locator(f"article a[href$='{_tail(group_url, home)}']").first.click()
    page.wait_for_url(group_url, wait_until="load")
    assert site.group_title in page.inner_text("h1")

    page.goto(site.url(f"papers/{site.paper}/"), wait_until="load")
    page.wait_for_selector("article .katex", timeout=15_000)
    assert site.paper_title in page.inner_text("h1")
    assert page.locator("article .arithmatex:not(:has(.katex))").count() == 0

    page.goto(home, wait_until="load")
    page.click(site.search.open)
    page.locator(site.search.input).press_sequentially(site.query, delay=20)
    result = page.locator(site.search.result.format(paper=site.paper)).first
    result.wait_for(timeout=15_000)
    result.click()
    page.wait_for_url(re.compile(re.escape(site.paper)), wait_until="load")
    assert site.paper_title in page.inner_text("h1")

    assert errors == []
    base = home.rsplit("/", 1)[0] + "/" if home.startswith("file:") else home
    foreign = [u for u in requests if not u.startswith(base) and not u.startswith("data:")]
    assert foreign == []


def _tail(url: str, home: str) -> str:
    """The part of ``url`` after the home page's folder (how the home page links to it)."""
    folder = home.rsplit("/", 1)[0] + "/" if home.endswith(".html") else home
    return url.removeprefix(folder)
