"""Charts, neighbourhood pictures and relation graphs as a reader sees them (issue 13).

Real Chromium (tests/chromium.py: skips without it, fails under ``CI=true``) against
the built fixture and repository sites. Sizes are measured on the rendered page
(``getBoundingClientRect`` of text, cytoscape's zoom times a label's font size),
colours from computed styles. Screenshots of the statistics, graph and a paper page at
1366 and 390 px, light and dark, go to ``screenshots/``.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.chromium import PHONE, SCREENSHOTS, Watched, serious_violations

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
#: Smallest label height, in CSS pixels, on a desktop and on a phone.
MIN_LABEL_PX = 11

#: WCAG contrast ratio of two "rgb(...)" colours (in the page, from computed styles).
CONTRAST = """
(pair) => {
  const lum = (c) => {
    const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((x) => {
      x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const [a, b] = pair.map(lum).sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""

#: Every label the graph draws (visible papers whose text is not transparent): its size
#: on screen, cytoscape's zoom times its font size.
GRAPH_LABELS = """
() => {
  const cy = window.dltGraph;
  return cy.nodes(':visible').filter((n) => parseFloat(n.style('text-opacity')) > 0)
    .map((n) => ({id: n.id(), px: parseFloat(n.style('font-size')) * cy.zoom()}));
}
"""


def _open(browser: Any, base: str, path: str, **context: Any) -> Watched:
    watched = Watched(browser, base, **context)
    watched.goto(path)
    return watched


def _toggle_scheme(page: Any) -> str:
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    return str(page.get_attribute("body", "data-md-color-scheme"))


def _label_heights(page: Any, selector: str) -> list[float]:
    return [
        float(h)
        for h in page.eval_on_selector_all(
            selector,
            "els => els.filter(e => e.getClientRects().length)"
            ".map(e => e.getBoundingClientRect().height)",
        )
    ]


def _graph_ready(page: Any) -> None:
    page.wait_for_selector("#dlt-graph[data-dlt-ready]", timeout=30_000)


# --------------------------------------------------------------------------- charts


@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_chart_labels_are_legible_with_real_axes(
    browser: Any, repo_url: str, context: dict[str, Any]
) -> None:
    watched = _open(browser, repo_url, "/statistics/", **context)
    try:
        page = watched.page
        for chart in ("#chart-years", "#chart-growth"):
            y_labels = page.locator(f"{chart} .dlt-y span").all_inner_texts()
            x_labels = page.locator(f"{chart} .dlt-x span").all_inner_texts()
            assert len(y_labels) >= 4, (chart, y_labels)  # several ticks, from 0
            assert y_labels[0] == "0"
            assert page.locator(f"{chart} line.dlt-grid").count() == len(y_labels)
            if chart == "#chart-years":
                assert {"2000", "2010", "2020"} <= set(x_labels), (chart, x_labels)
            else:  # the review grows: entries were added on several days
                assert x_labels[0] == "2026-11-28", (chart, x_labels)
            heights = _label_heights(page, f"{chart} .dlt-y span, {chart} .dlt-x span")
            assert min(heights) >= MIN_LABEL_PX, (chart, heights)
            # Year labels do not run into each other, even on a phone.
            boxes = page.eval_on_selector_all(
                f"{chart} .dlt-x span", "els => els.map(e => e.getBoundingClientRect().toJSON())"
            )
            for a, b in itertools.pairwise(boxes):
                assert a["right"] <= b["left"], (chart, a, b)
        # Stacked by group, with a legend of the groups.
        assert page.locator("#chart-years rect").count() >= 40
        assert page.locator("#chart-years figcaption .dlt-key").count() == 6
        assert _label_heights(page, "#chart-years figcaption .dlt-key")[0] >= MIN_LABEL_PX
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert watched.errors == []
    finally:
        watched.close()


def test_growth_chart_only_when_added_dates_span_days(
    browser: Any, repo_url: str, fixture_url: str
) -> None:
    # The repository's entries were added on several days: the review's growth, by day.
    # (A base added on one day gets cumulative papers by year: test_views checks that.)
    watched = _open(browser, repo_url, "/statistics/", **DESKTOP)
    try:
        caption = watched.page.inner_text("#chart-growth figcaption")
        assert caption.startswith("Growth of the knowledge base")
        assert watched.page.locator("#chart-growth polyline.dlt-line").count() == 1
    finally:
        watched.close()
    # The fixture's were added on three days: growth by the day added.
    watched = _open(browser, fixture_url, "/statistics/", **DESKTOP)
    try:
        page = watched.page
        assert page.inner_text("#chart-growth figcaption").startswith("Growth of the knowledge")
        assert page.locator("#chart-growth .dlt-x span").all_inner_texts() == [
            "2026-11-20",
            "2026-11-21",
            "2026-11-22",
        ]
    finally:
        watched.close()


def test_charts_follow_dark_mode(browser: Any, repo_url: str) -> None:
    watched = _open(browser, repo_url, "/statistics/", **DESKTOP)
    try:
        page = watched.page
        colours = """() => [getComputedStyle(document.querySelector('#chart-years .dlt-y span')).color,
                             getComputedStyle(document.body).backgroundColor]"""
        assert page.evaluate(CONTRAST, page.evaluate(colours)) >= 4.5
        assert _toggle_scheme(page) == "slate"
        assert page.evaluate(CONTRAST, page.evaluate(colours)) >= 4.5
    finally:
        watched.close()


# --------------------------------------------------------------------------- neighbourhood


NODES = """
() => [...document.querySelectorAll('figure.dlt-nb svg a')].map((a) => ({
  href: a.getAttribute('href'),
  fill: getComputedStyle(a.querySelector('circle')).fill,
  x: a.querySelector('circle').cx.baseVal.value,
  label: a.querySelector('text').getBoundingClientRect().height,
}))
"""


def test_neighbourhood_has_arrows_and_group_colours(browser: Any, fixture_url: str) -> None:
    watched = _open(browser, fixture_url, "/papers/muller2019second/", **DESKTOP)
    try:
        page = watched.page
        nodes = {n["href"]: n for n in page.evaluate(NODES)}
        # Group colours: smith2018first is in alpha (first colour), lee2020third in beta.
        assert nodes["../smith2018first/"]["fill"] == "rgb(0, 114, 178)"
        assert nodes["../lee2020third/"]["fill"] == "rgb(230, 159, 0)"
        assert min(n["label"] for n in nodes.values()) >= MIN_LABEL_PX
        arrows = page.evaluate("""() => [...document.querySelectorAll('.dlt-nb-scroll > svg > path')]
            .map((p) => ({d: p.getAttribute('d'), marker: getComputedStyle(p).markerMid}))""")
        assert len(arrows) == 2
        assert all("dlt-nb-arrow" in a["marker"] for a in arrows)
        centre = page.evaluate(
            "document.querySelector('figure.dlt-nb .dlt-nb-self circle').cx.baseVal.value"
        )

        def ends(d: str) -> tuple[float, float]:
            numbers = [float(v) for v in d.lstrip("M").split()]
            return numbers[0], numbers[-2]

        # This paper improves smith2018first: its arrow starts here and ends there;
        # lee2020third builds on this paper: its arrow ends here.
        starts_and_ends = sorted(ends(a["d"]) for a in arrows)
        assert starts_and_ends == sorted(
            [
                (centre, nodes["../smith2018first/"]["x"]),
                (nodes["../lee2020third/"]["x"], centre),
            ]
        )
        assert "improves" in page.inner_text("figure.dlt-nb figcaption")
        assert watched.errors == []
    finally:
        watched.close()


def test_neighbourhood_follows_dark_mode(browser: Any, repo_url: str) -> None:
    watched = _open(browser, repo_url, "/papers/jacot2018neural/", **DESKTOP)
    try:
        page = watched.page
        colours = """() => [getComputedStyle(document.querySelector('figure.dlt-nb svg a text')).fill,
                             getComputedStyle(document.body).backgroundColor]"""
        light = page.evaluate(colours)
        assert page.evaluate(CONTRAST, light) >= 4.5
        assert _toggle_scheme(page) == "slate"
        dark = page.evaluate(colours)
        assert dark != light
        assert page.evaluate(CONTRAST, dark) >= 4.5
        # Inline, not a separate document with its own (white) canvas.
        assert page.locator("article object").count() == 0
    finally:
        watched.close()


# --------------------------------------------------------------------------- graph page


def test_graph_search_centres_and_highlights_a_paper(browser: Any, repo_url: str) -> None:
    watched = _open(browser, repo_url, "/graphs/", **DESKTOP)
    try:
        page = watched.page
        _graph_ready(page)
        page.fill("#dlt-graph-q", "Jacot 2018")
        page.press("#dlt-graph-q", "Enter")
        picked = page.evaluate("window.dltGraph.nodes('.dlt-picked').map(n => n.id())")
        assert picked == ["jacot2018neural"]
        # Centred in the graph's box, its neighbours highlighted, the rest dimmed.
        offset = page.evaluate("""() => {
            const cy = window.dltGraph, p = cy.$id('jacot2018neural').renderedPosition();
            return [p.x - cy.width() / 2, p.y - cy.height() / 2];
        }""")
        assert abs(offset[0]) < 5, offset
        assert abs(offset[1]) < 5, offset
        lit = page.evaluate("window.dltGraph.nodes('.dlt-lit').map(n => n.id())")
        neighbours = page.evaluate(
            "window.dltGraph.$id('jacot2018neural').neighborhood('node').map(n => n.id())"
        )
        assert set(lit) == {"jacot2018neural", *neighbours}
        assert len(neighbours) >= 3
        # The panel under the graph names the paper, links to it and lists its relations.
        info = page.locator("#dlt-graph-info")
        assert "Neural Tangent Kernel" in info.inner_text()
        assert info.locator("a", has_text="Open its page").get_attribute("href") == (
            "../papers/jacot2018neural/"
        )
        assert info.locator("li").count() == len(
            page.evaluate("window.dltGraph.$id('jacot2018neural').connectedEdges().map(e => 1)")
        )
        # Every label drawn is legible; the highlighted ones are drawn.
        drawn = page.evaluate(GRAPH_LABELS)
        assert {x["id"] for x in drawn} >= set(lit)
        assert min(x["px"] for x in drawn) >= MIN_LABEL_PX
        assert watched.errors == []
    finally:
        watched.close()


@pytest.mark.parametrize("path", ["/graphs/", "/graphs/sgd/"])
def test_graph_labels_are_legible_at_every_zoom(browser: Any, repo_url: str, path: str) -> None:
    watched = _open(browser, repo_url, path, **DESKTOP)
    try:
        page = watched.page
        _graph_ready(page)
        for zoom in (0.3, 0.6, 0.9, 1.0, 1.5, 2.5):
            page.evaluate("(z) => { window.dltGraph.zoom(z); }", zoom)
            drawn = page.evaluate(GRAPH_LABELS)
            assert all(x["px"] >= MIN_LABEL_PX for x in drawn), (zoom, drawn[:3])
            if zoom >= 1:  # zoomed in, every paper has its name
                assert len(drawn) == page.evaluate("window.dltGraph.nodes(':visible').length")
        # Hovering a paper names it at any zoom.
        page.evaluate("() => { window.dltGraph.zoom(0.3); }")
        page.evaluate("() => { window.dltGraph.nodes()[0].emit('mouseover'); }")
        drawn = page.evaluate(GRAPH_LABELS)
        assert [x["px"] for x in drawn] == [pytest.approx(13)]
    finally:
        watched.close()


def _visible(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate("""() => {
        const cy = window.dltGraph;
        return {nodes: cy.nodes(':visible').map(n => n.id()),
                groups: [...new Set(cy.nodes(':visible').map(n => n.data('group')))].sort(),
                types: [...new Set(cy.edges(':visible').map(e => e.data('type')))].sort()};
    }""")
    )


def test_graph_filters_by_group_and_relation_type(browser: Any, repo_url: str) -> None:
    watched = _open(browser, repo_url, "/graphs/", **DESKTOP)
    try:
        page = watched.page
        _graph_ready(page)
        everything = _visible(page)
        assert len(everything["groups"]) == 6
        page.locator("input[name='dlt-group'][value='complexity']").uncheck()
        no_complexity = _visible(page)
        assert "complexity" not in no_complexity["groups"]
        assert 0 < len(no_complexity["nodes"]) < len(everything["nodes"])
        status = page.inner_text("#dlt-graph-status")
        assert status.startswith(f"Showing {len(no_complexity['nodes'])} of ")
        page.locator("input[name='dlt-group'][value='complexity']").check()
        # Only "builds on": papers without such a relation leave the graph.
        for box in page.locator("input[name='dlt-type']").all():
            if box.get_attribute("value") != "builds-on":
                box.uncheck()
        builds_on = _visible(page)
        assert builds_on["types"] == ["builds-on"]
        assert 0 < len(builds_on["nodes"]) < len(everything["nodes"])
        page.click("#dlt-graph-reset")
        assert _visible(page) == everything
    finally:
        watched.close()


def test_graph_click_highlights_and_double_click_opens(browser: Any, repo_url: str) -> None:
    watched = _open(browser, repo_url, "/graphs/over-parameterization/", **DESKTOP)
    try:
        page = watched.page
        _graph_ready(page)

        def point(node: str) -> tuple[float, float]:
            page.evaluate(
                """(id) => {
                const cy = window.dltGraph, n = cy.$id(id);
                document.getElementById('dlt-graph').scrollIntoView({block: 'center', behavior: 'instant'});
                cy.zoom(2.5);  // a dense group: apart from its neighbours
                cy.center(n);
            }""",
                node,
            )
            page.wait_for_timeout(300)  # the viewport and the canvas have settled
            x, y = page.evaluate(
                """(id) => {
                const n = window.dltGraph.$id(id);
                const box = document.getElementById('dlt-graph').getBoundingClientRect();
                const p = n.renderedPosition();
                return [box.left + p.x, box.top + p.y];
            }""",
                node,
            )
            return float(x), float(y)

        x, y = point("jacot2018neural")
        page.mouse.click(x, y)
        assert page.evaluate("window.dltGraph.nodes('.dlt-picked').map(n => n.id())") == [
            "jacot2018neural"
        ]
        assert page.url.endswith("/graphs/over-parameterization/")  # a click does not leave
        page.mouse.dblclick(x, y)
        page.wait_for_url("**/papers/jacot2018neural/")
    finally:
        watched.close()


def test_graph_labels_contrast_in_light_and_dark(browser: Any, repo_url: str) -> None:
    watched = _open(browser, repo_url, "/graphs/", **DESKTOP)
    try:
        page = watched.page
        _graph_ready(page)
        colours = """() => [window.dltGraph.nodes()[0].style('color'),
                             getComputedStyle(document.body).backgroundColor]"""
        light = page.evaluate(colours)
        assert page.evaluate(CONTRAST, light) >= 4.5
        assert _toggle_scheme(page) == "slate"
        page.wait_for_function(
            "(c) => window.dltGraph.nodes()[0].style('color') !== c", arg=light[0]
        )
        dark = page.evaluate(colours)
        assert page.evaluate(CONTRAST, dark) >= 4.5, dark
    finally:
        watched.close()


def test_graph_relation_list_is_folded_when_the_script_runs(browser: Any, repo_url: str) -> None:
    watched = _open(browser, repo_url, "/graphs/", **DESKTOP)
    try:
        page = watched.page
        _graph_ready(page)
        assert page.evaluate("document.getElementById('relations').open") is False
        assert page.evaluate("document.documentElement.scrollHeight") < 3000
        page.click("#relations summary")
        assert page.locator("#relations li").first.is_visible()
    finally:
        watched.close()
    # Without script it is the page: open, with every relation.
    watched = _open(browser, repo_url, "/graphs/", java_script_enabled=False, **DESKTOP)
    try:
        page = watched.page
        assert page.evaluate("document.getElementById('relations').open") is True
        assert page.locator("#relations li").count() > 400
        assert not page.locator(".dlt-graph-tools").is_visible()
    finally:
        watched.close()


@pytest.mark.parametrize(
    "path",
    ["/statistics/", "/graphs/", "/graphs/complexity/", "/papers/keskar2017large/"],
)
def test_phone_width_has_no_horizontal_scroll(browser: Any, repo_url: str, path: str) -> None:
    watched = _open(browser, repo_url, path, **PHONE)
    try:
        page = watched.page
        page.wait_for_timeout(300)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), page.evaluate("document.documentElement.scrollWidth")
    finally:
        watched.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_graph_page_accessibility(browser: Any, repo_url: str, scheme: str) -> None:
    watched = _open(browser, repo_url, "/graphs/", **DESKTOP)
    try:
        page = watched.page
        _graph_ready(page)
        if page.get_attribute("body", "data-md-color-scheme") != scheme:
            _toggle_scheme(page)
        page.fill("#dlt-graph-q", "Jacot 2018")
        page.press("#dlt-graph-q", "Enter")  # the panel of a paper is checked too
        result = serious_violations(page)
        assert result == []
    finally:
        watched.close()


SHOTS = [
    ("statistics", "/statistics/"),
    ("graph", "/graphs/"),
    ("paper", "/papers/keskar2017large/"),
]


@pytest.mark.parametrize(("name", "path"), SHOTS)
def test_screenshots_of_charts_graph_and_paper(
    browser: Any, repo_url: str, name: str, path: str
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, context in (("desktop", DESKTOP), ("mobile", PHONE)):
        for scheme in ("light", "dark"):
            watched = Watched(browser, repo_url, color_scheme=scheme, **context)
            try:
                page = watched.goto(path)
                if name == "graph":
                    _graph_ready(page)
                    page.fill("#dlt-graph-q", "Jacot 2018")
                    page.press("#dlt-graph-q", "Enter")
                    page.locator("#dlt-graph-status").scroll_into_view_if_needed()
                    page.evaluate(
                        "window.scrollBy(0, document.getElementById("
                        "'dlt-graph-status').getBoundingClientRect().top - 60)"
                    )
                elif name == "paper":
                    page.locator("figure.dlt-nb").scroll_into_view_if_needed()
                else:
                    page.locator("#chart-years").scroll_into_view_if_needed()
                target = SCREENSHOTS / f"{name}-{label}-{scheme}.png"
                page.screenshot(path=str(target))
                assert target.stat().st_size > 10_000
            finally:
                watched.close()
