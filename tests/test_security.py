"""Hostile pull requests: no script on a page, no request to another host, no resource blow-up.

The corpus in ``tests/hostile/`` holds one entry per attack, each VALID for the
fixture taxonomy (the comment on its first line says what it tries). The whole
corpus is built with the fixture site by a real ``mkdocs build`` (not strict: each entry
whose prose holds markup the sanitiser removes gets a W001 warning, and a strict build
refuses the corpus, which test_strict_build_refuses_hostile_markup checks), and then:

- the generated HTML is parsed: no injected ``<script>``, no ``on*`` attribute, no
  ``javascript:``/``vbscript:``/``data:`` URL anywhere on a page;
- every paper page (and the pages that list hostile titles and authors) is loaded
  in Chromium with a trap for ``alert``/``confirm``/``prompt`` and a dialog
  listener: no script may run, no dialog open, no request leave 127.0.0.1.

Entries that are invalid by design (a ``javascript:`` URL in ``url``, markup in a
tag) must be refused with one exact diagnostic each; resource limits must refuse
their file with one exact diagnostic within a memory budget measured in bytes.
"""

from __future__ import annotations

import html
import json
import re
import tracemalloc
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from dltheory_site.checks import check_entry
from dltheory_site.cli import main
from dltheory_site.exports import FEED_SIZE
from dltheory_site.loader import DEFAULT_LIMITS, load_file
from dltheory_site.project import load_taxonomy
from tests.chromium import launched, serve
from tests.conftest import mkdocs_build
from tests.helpers import FIXTURE_SITE, REPO, VALID_ENTRY, entry, make_project

HOSTILE = REPO / "tests" / "hostile"
HOSTILE_FILES = sorted(HOSTILE.glob("*.yaml"))
HOSTILE_IDS = [p.stem for p in HOSTILE_FILES]
FIXTURE_IDS = sorted(p.stem for p in (FIXTURE_SITE / "entries").glob("*.yaml"))
#: A paper page of the fixture with no hostile content: its scripts are the theme's.
REFERENCE_PAGE = "papers/smith2018first/index.html"
#: Attributes whose value the browser loads or navigates to.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
    "srcset",
    "srcdoc",
    "codebase",
    "cite",
    "longdesc",
    "ping",
    "manifest",
    "icon",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def test_corpus_is_large_and_documented() -> None:
    assert len(HOSTILE_FILES) >= 40
    for path in HOSTILE_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), f"{path.name}: say what it tries"
        assert len(first) > 10, f"{path.name}: say what it tries"


def _validate(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["validate", "."])
    out, err = capsys.readouterr()
    return code, out, err


#: Markup in every string of the taxonomy a page shows: a pull request may change
#: taxonomy/ as well as entries/. (file, exact text, replacement)
HOSTILE_TAXONOMY = [
    # The navigation of every page shows the groups' short titles, unescaped by the theme.
    (
        "groups/beta.yaml",
        "short_title: Beta",
        "short_title: '<img src=x onerror=alert(1)><script>alert(2)</script>'",
    ),
    ("groups/beta.yaml", "title: Beta dynamics", "title: '\"><script>alert(3)</script>'"),
    (
        "groups/beta.yaml",
        "description: The beta group.",
        "description: 'The <b onmouseover=alert(4)>beta</b> group <script>alert(5)</script>'",
    ),
    ("groups/beta.yaml", "title: Beta three", "title: '<svg onload=alert(6)>'"),
    ("groups/alpha.yaml", "label: Rate in n,", "label: '<script>alert(7)</script>',"),
    (
        "groups/alpha.yaml",
        "description: How the bound decays with n.",
        "description: '\" onmouseover=\"alert(8)'",
    ),
    ("relations.yaml", "label: builds on", "label: '<script>alert(9)</script>'"),
    ("relations.yaml", "inverse: built on by", "inverse: '<img src=x onerror=alert(10)>'"),
    ("tags.yaml", "title: Bound,", "title: '<script>alert(11)</script>',"),
    ("tags.yaml", "description: States a bound.", "description: '<img src=x onerror=alert(12)>'"),
    (
        "venues.yaml",
        "name: Journal of Machine Learning Research",
        "name: '<script>alert(13)</script>'",
    ),
]
#: Hand-written pages come in pull requests too: Markdown only, raw HTML shown as text.
HOSTILE_DOCS = {
    "docs/about.md": "# About\n\n<script>alert(14)</script>\n\n<img src=x onerror=alert(15)>\n\n"
    "[click](javascript:alert(16)) <a href='//evil.example'>x</a>\n\n"
    '## Attributes {: onclick="alert(18)" }\n\nText {: onmouseover=alert(19) }\n',
    "docs/contributing.md": "# Contributing\n\n<!-- dltheory:contributing -->\n",
    "CONTRIBUTING.md": "# Contributing\n\nRead this <script>alert(17)</script>.\n\n"
    "<iframe src=https://evil.example></iframe>\n",
}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with every hostile entry beside its own three, a hostile
    taxonomy and hostile hand-written pages."""
    files = {p.name: p.read_text(encoding="utf-8") for p in HOSTILE_FILES}
    root = make_project(tmp_path_factory.mktemp("hostile"), files, keep_fixture_entries=True)
    for name, old, new in HOSTILE_TAXONOMY:
        _taxonomy_edit(root, name, old, new)
    for name, text in HOSTILE_DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_hostile_corpus_is_valid(
    hostile_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every case must reach the pages: a case refused by validation tests nothing.
    # Markup the sanitiser removes is a warning (W001), never an error.
    code, out, err = _validate(hostile_root, monkeypatch, capsys)
    total = len(HOSTILE_FILES) + len(FIXTURE_IDS)
    assert (code, err) == (0, ""), err
    lines = out.splitlines()
    assert all("warning[W001]" in line for line in lines[:-1]), lines
    warned = {line.split(":", 1)[0] for line in lines[:-1]}
    assert len(warned) >= 30  # most cases carry raw HTML or an unsafe link
    # The hostile taxonomy's group description is prose too (it had no warning).
    assert "taxonomy/groups/beta.yaml" in warned
    assert lines[-1] == f"{total} files checked: 0 errors, {len(lines) - 1} warnings"


@pytest.fixture(scope="module")
def hostile_site(hostile_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile corpus built by a real MkDocs build (warnings allowed)."""
    out = tmp_path_factory.mktemp("hostile-site")
    result = mkdocs_build(hostile_root / "mkdocs.yml", out, strict=False)
    assert result.returncode == 0, result.stderr
    assert "warning[W001]" in result.stderr
    return out


@pytest.mark.slow
def test_strict_build_refuses_hostile_markup(hostile_root: Path, tmp_path: Path) -> None:
    # Raw HTML in prose is removed from the page and reported; a strict build (the
    # pull-request check) fails on the report, naming file and line.
    result = mkdocs_build(hostile_root / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert re.search(
        r"entries/script-tag\.yaml:\d+:\d+: warning\[W001\] summary: raw HTML or an unsafe "
        r"link is removed from the page: '<script>'",
        result.stderr,
    ), result.stderr[-2000:]


# --------------------------------------------------------------------------- the HTML


class _Elements(HTMLParser):
    """Every start tag of a page as (tag, attributes), and the scripts with their text.

    Like a browser, the content of <title> and <textarea> is text, not markup.
    """

    CDATA_CONTENT_ELEMENTS = ("script", "style", "title", "textarea")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[str, str]] = []
        #: Data blocks (<script type="application/ld+json">): not run, but parsed here.
        self.data: list[str] = []
        self._script: list[str] | None = None
        self._script_src = ""
        self._script_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script, self._script_src = [], dict(attrs).get("src") or ""
            self._script_data = dict(attrs).get("type") == "application/ld+json"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._script).strip()
            (self.data if self._script_data else self.scripts).append(
                text if self._script_data else (self._script_src, text)  # type: ignore[arg-type]
            )
            self._script = None


def _parse(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser


def _article(text: str) -> str:
    return text[text.index("<article") : text.index("</article>")]


def _dangerous_url(value: str) -> bool:
    """Whether a URL attribute value (entities decoded) is script or inline data for a browser."""
    url = html.unescape(value)
    url = re.sub(r"[\t\n\r]", "", url)  # browsers drop these anywhere in a URL
    url = url.lstrip("".join(chr(c) for c in range(0x21))).lower()  # and C0/space in front
    return url.startswith(BAD_SCHEMES)


def _problems(parsed: _Elements) -> list[str]:
    found = []
    for tag, attrs in parsed.elements:
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None:
                candidates = [value]
                if name == "srcset":
                    candidates = [part.strip().split(" ")[0] for part in value.split(",")]
                found += [f"<{tag} {name}={value!r}>" for v in candidates if _dangerous_url(v)]
        if tag in {
            "iframe",
            "object",
            "embed",
            "base",
            "form",
            "meta",
            "link",
            "math",
            "style",
            "img",
            "frame",
            "frameset",
            "applet",
            "template",
            "noscript",
        }:
            found.append(f"<{tag}>")
    return found


def _page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("entry_id", HOSTILE_IDS)
def test_article_of_hostile_paper_is_clean(hostile_site: Path, entry_id: str) -> None:
    article = _article(_page(hostile_site, f"papers/{entry_id}/index.html"))
    parsed = _parse(article)
    assert parsed.scripts == []  # the theme puts no script inside the article
    assert _problems(parsed) == []
    assert "<script" not in article.lower()
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", html.unescape(article), re.I)


@pytest.mark.slow
@pytest.mark.parametrize("entry_id", HOSTILE_IDS)
def test_whole_hostile_paper_page_is_clean(hostile_site: Path, entry_id: str) -> None:
    # Outside the article too (<title>, <meta name=description>, the header): the only
    # scripts are the theme's, the same as on a clean page, and no element is injected.
    reference = _parse(_page(hostile_site, REFERENCE_PAGE))
    parsed = _parse(_page(hostile_site, f"papers/{entry_id}/index.html"))
    assert [s for s in parsed.scripts if s not in reference.scripts] == []
    # The JSON-LD block is data: valid JSON that cannot end its element early.
    assert len(parsed.data) == 1
    assert isinstance(json.loads(parsed.data[0]), dict)
    assert "<" not in parsed.data[0]
    allowed = {(tag, tuple(attrs)) for tag, attrs in reference.elements}
    head_and_header = [
        (tag, attrs)
        for tag, attrs in parsed.elements
        if tag in {"script", "img", "svg", "iframe", "base", "form", "object", "embed"}
        and (tag, tuple(attrs)) not in allowed
        and tag != "svg"  # Material's icons are inline SVG; checked for handlers below
    ]
    assert head_and_header == []
    handlers = [
        f"<{tag} {name}>"
        for tag, attrs in parsed.elements
        for name, _v in attrs
        if name.startswith("on")
    ]
    assert handlers == []
    urls = [
        f"<{tag} {name}={value!r}>"
        for tag, attrs in parsed.elements
        for name, value in attrs
        if name in URL_ATTRIBUTES and value is not None and _dangerous_url(value)
    ]
    assert urls == []


@pytest.mark.slow
def test_feed_and_downloads_hold_no_markup(hostile_site: Path) -> None:
    # The feed carries summaries as escaped HTML: once unescaped it must be sanitised too.
    feed = _page(hostile_site, "feed.xml")
    summaries = re.findall(r"<summary type=\"html\">(.*?)</summary>", feed, re.S)
    assert len(summaries) == min(FEED_SIZE, len(HOSTILE_IDS) + len(FIXTURE_IDS))
    for summary in summaries:
        parsed = _parse(html.unescape(summary))
        assert parsed.scripts == []
        assert _problems(parsed) == []
    assert "<script" not in feed
    # The BibTeX download is plain text served as such; it is escaped on the paper pages.
    assert (hostile_site / "downloads" / "dltheory.bib").exists()


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_every_page_of_the_hostile_site_is_clean(hostile_site: Path) -> None:
    # The navigation (every page), the group, tag, graph and statistics pages show the
    # hostile taxonomy; the about and contributing pages are hostile hand-written pages.
    reference = _parse(_page(hostile_site, REFERENCE_PAGE))
    allowed = {(tag, tuple(attrs)) for tag, attrs in reference.elements}
    failures = {}
    for path in _html_pages(hostile_site):
        parsed = _parse(path.read_text(encoding="utf-8"))
        # The theme's scripts are the only ones: on the site's own assets, none calls alert.
        bad = [
            f"script {src!r}"
            for src, text in parsed.scripts
            if "alert" in text or "//" in src or not (src == "" or "assets/" in src)
        ]
        bad += [
            f"<{tag}>"
            for tag, attrs in parsed.elements
            if tag in {"img", "iframe", "base", "form", "embed", "frame", "meta"}
            and (tag, tuple(attrs)) not in allowed
            and not (tag == "meta" and dict(attrs).get("name") == "description")
            # citation_*, og: and twitter: tags: a name and a text, nothing a browser runs
            and not (tag == "meta" and {k for k, _v in attrs} <= {"name", "property", "content"})
        ]
        bad += [
            f"<{tag} {name}>"
            for tag, attrs in parsed.elements
            for name, value in attrs
            if name.startswith("on")
            or (name in URL_ATTRIBUTES and value is not None and _dangerous_url(value))
            or (name in URL_ATTRIBUTES and (value or "").startswith("//"))
        ]
        if bad:
            failures[path.relative_to(hostile_site).as_posix()] = bad
    assert failures == {}


@pytest.mark.slow
def test_characters_outside_the_bmp_keep_the_page_title(hostile_site: Path) -> None:
    # An emoji or a double-struck letter lost the page's title and description, and the
    # author page showed its raw front matter as text.
    page = _page(hostile_site, "papers/astral-and-reserved/index.html")
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None
    assert title.group(1).startswith("Hostile 𝔼 title with an emoji 😀 ‹script›")
    assert re.search(r'<meta name="description" content="Index and 𝔼mmy Noether, JMLR 2021"', page)
    author = _page(hostile_site, "authors/emmy-noether/index.html")
    assert "<title>𝔼mmy Noether" in author
    assert "search:" not in _article(author)
    # An author named Index has a page of their own beside the list of authors.
    assert "Index" in _article(_page(hostile_site, "authors/index-author/index.html"))
    assert "All authors" not in _article(_page(hostile_site, "authors/index.html"))


@pytest.mark.slow
def test_feed_pictures_and_downloads_are_well_formed(hostile_site: Path) -> None:
    # U+FFFF made the feed and a picture invalid XML, NaN made entries.json invalid JSON.
    import json
    import xml.etree.ElementTree as ET

    ET.parse(hostile_site / "feed.xml")
    for picture in sorted((hostile_site / "neighbourhoods").glob("*.svg")):
        ET.parse(picture)

    def refuse(name: str) -> None:
        raise ValueError(name)

    json.loads(_page(hostile_site, "downloads/entries.json"), parse_constant=refuse)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    yield from serve(hostile_site)


@pytest.fixture(scope="module")
def hostile_browser() -> Iterator[Any]:
    yield from launched()


#: Runs before any script of the page: every way our payloads announce themselves is trapped.
TRAP = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__xss", { value: hits, writable: false });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const trap = function (...args) { hits.push(name + "(" + args.join(",") + ")"); };
    Object.defineProperty(window, name, { value: trap, writable: false, configurable: false });
  }
})();
"""

#: After rendering (KaTeX included): handlers and dangerous links in the live DOM.
LIVE_CHECK = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith("on")) bad.push(el.tagName + " " + a.name);
    }
  }
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (["javascript:", "vbscript:", "data:"].includes(a.protocol)) bad.push("href " + a.href);
  }
  for (const tag of ["iframe", "object", "embed", "base", "form", "frame"]) {
    for (const el of document.querySelectorAll("article " + tag)) bad.push(tag);
  }
  return bad;
}
"""


HOVER_ALL = """
() => {
  for (const el of document.querySelectorAll("article *")) {
    for (const type of ["mouseover", "mouseenter", "pointerenter", "focus", "toggle"]) {
      el.dispatchEvent(new Event(type));
    }
  }
}
"""


class Trapped:
    """A browser page with the script trap, a dialog listener and a request log."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context()
        self.context.add_init_script(TRAP)
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        # Nothing leaves the machine: off-site requests are recorded (above) and refused.
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str) -> dict[str, Any]:
        self.page.goto(self.base + path, wait_until="networkidle")
        self.page.wait_for_timeout(100)  # KaTeX and Material's scripts have run
        # Hover, focus and toggle everything in the article, for handlers waiting for a reader.
        self.page.evaluate(HOVER_ALL)
        self.page.wait_for_timeout(50)
        return {
            "scripts": self.page.evaluate("window.__xss.slice()"),
            "dialogs": list(self.dialogs),
            "foreign": [u for u in self.requests if not u.startswith(self.base + "/")],
            "live": self.page.evaluate(LIVE_CHECK),
        }

    def close(self) -> None:
        self.context.close()


CLEAN = {"scripts": [], "dialogs": [], "foreign": [], "live": []}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("entry_id", HOSTILE_IDS + FIXTURE_IDS)
def test_no_script_runs_on_paper_page(
    hostile_browser: Any, hostile_url: str, entry_id: str
) -> None:
    trapped = Trapped(hostile_browser, hostile_url)
    try:
        assert trapped.visit(f"/papers/{entry_id}/") == CLEAN
    finally:
        trapped.close()


def _listing_pages(site: Path) -> list[str]:
    pages = [
        "/",
        "/recent/",
        "/timeline/",
        "/venues/",
        "/authors/",
        "/tags/",
        "/downloads/",
        "/groups/alpha/",
        "/groups/alpha/one/",
        "/tags/bound/",
        "/explorer/",  # titles and every author also in its JSON island
    ]
    pages += [f"/authors/{p.name}/" for p in sorted((site / "authors").iterdir()) if p.is_dir()]
    # The hostile taxonomy's pages, and the hostile hand-written ones.
    pages += ["/groups/beta/", "/groups/beta/three/", "/graphs/", "/graphs/beta/", "/statistics/"]
    pages += ["/tags/bound/", "/about/", "/contributing/"]
    return pages


@pytest.mark.browser
@pytest.mark.slow
def test_no_script_runs_on_pages_listing_hostile_entries(
    hostile_browser: Any, hostile_url: str, hostile_site: Path
) -> None:
    # Titles and author names are shown on list pages and on each author's own page.
    failures = {}
    for path in _listing_pages(hostile_site):
        trapped = Trapped(hostile_browser, hostile_url)
        try:
            seen = trapped.visit(path)
        finally:
            trapped.close()
        if seen != CLEAN:
            failures[path] = seen
    assert failures == {}


# --------------------------------------------------------------------------- invalid by design

INVALID = [
    # A javascript: URL in the publisher link.
    (
        entry(url='"javascript:alert(1)"'),
        "error[E018] url: 'javascript:alert(1)' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # The scheme in mixed case.
    (
        entry(url='"JaVaScRiPt:alert(1)"'),
        "error[E018] url: 'JaVaScRiPt:alert(1)' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # A leading space before the scheme.
    (
        entry(url='" javascript:alert(1)"'),
        "error[E018] url: ' javascript:alert(1)' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # A data: URL holding a page with a script.
    (
        entry(url='"data:text/html,<script>alert(1)</script>"'),
        "error[E018] url: 'data:text/html,<script>alert(1)</script>' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # vbscript: in the code link.
    (
        entry(code='"vbscript:msgbox(1)"'),
        "error[E018] code: 'vbscript:msgbox(1)' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # A protocol-relative URL would follow the page's scheme to another host.
    (
        entry(code='"//evil.example.com/x"'),
        "error[E018] code: '//evil.example.com/x' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # The scheme spelled with an HTML entity.
    (
        entry(url='"&#106;avascript:alert(1)"'),
        "error[E018] url: '&#106;avascript:alert(1)' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # A long javascript: URL is cut to 80 characters in the message.
    (
        entry(url='"javascript:' + "a" * 200 + '"'),
        "error[E018] url: 'javascript:"
        + "a" * 69
        + "' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # Markup where a tag id belongs.
    (
        entry(tags='["<script>alert(1)</script>"]'),
        "error[E021] tags[0]: unknown tag '<script>alert(1)</script>' (add it to taxonomy/tags.yaml first)",
    ),
    # Markup where a venue belongs.
    (
        entry(venue='"<img src=x onerror=alert(1)>"'),
        "error[E023] venue: unknown venue '<img src=x onerror=alert(1)>' (add the venue to taxonomy/venues.yaml)",
    ),
    # Markup in a category id.
    (
        entry(categories='["alpha/<script>"]'),
        "error[E020] categories[0]: unknown subcategory 'alpha/<script>' (did you mean 'alpha/two'?)",
    ),
    # Quotes and a handler in a relation target (it becomes a link on both pages).
    (
        entry() + 'relations:\n  - {type: builds-on, target: "x\\" onclick=\\"alert(1)"}\n',
        "error[E014] relations[0].target: 'x\" onclick=\"alert(1)' is not an entry id (ids are file names without '.yaml': lower-case letters, digits and hyphens)",
    ),
    # Markup in a relation type.
    (
        entry() + 'relations:\n  - {type: "<script>", target: smith2018first}\n',
        "error[E022] relations[0].type: unknown relation type '<script>' (one of: builds-on, extends, improves, contradicts, related)",
    ),
    # A wikilink whose id is markup.
    (
        entry(summary='"See [[<script>alert(1)</script>]]."'),
        "error[E027] summary: link [[<script>alert(1)</script>]] points to no entry (link an entry id, the file name without .yaml)",
    ),
    # Markup in the arXiv id (it becomes part of a link).
    (
        entry(arxiv='"<script>"'),
        "error[E016] arxiv: '<script>' is not an arXiv id (write the id without 'arXiv:' or a version, e.g. \"1806.07572\")",
    ),
    # A NUL character in the title.
    (
        entry(title='"Hostile \\0 title"'),
        "error[E013] title: contains the control character U+0000 (in double quotes YAML reads '\\e', '\\a' and the like as escapes: use single quotes or a block scalar (|) for LaTeX)",
    ),
    # A line separator, which ends a line in JavaScript strings and some editors.
    (
        entry(title='"Hostile \\u2028 title"'),
        "error[E013] title: contains the control character U+2028 (in double quotes YAML reads '\\e', '\\a' and the like as escapes: use single quotes or a block scalar (|) for LaTeX)",
    ),
    # A terminal escape sequence in the title (it would colour the validate output).
    (
        entry(title='"\\e[31mred"'),
        "error[E013] title: contains the control character U+001B (in double quotes YAML reads '\\e', '\\a' and the like as escapes: use single quotes or a block scalar (|) for LaTeX)",
    ),
    # A Python tag naming a function.
    (
        'title: !!python/name:os.system ""\n',
        "error[E006] title: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed (remove the '!' tag; entries hold only plain strings, numbers, lists and mappings)",
    ),
    # Binary data in the title.
    (
        entry(title="!!binary PHNjcmlwdD4="),
        "error[E006] title: YAML tag 'tag:yaml.org,2002:binary' is not allowed (remove the '!' tag; entries hold only plain strings, numbers, lists and mappings)",
    ),
    # A merge key pulling fields from an anchor.
    (
        "base: &b {title: x}\n<<: *b\n",
        "error[E005] YAML merge keys ('<<') are not allowed (write the fields out in full)",
    ),
    # An id field naming a path outside entries/.
    (
        VALID_ENTRY + 'id: "../../etc/passwd"\n',
        "error[E010] id: unknown field 'id' (the id is the file name; remove this line)",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), INVALID, ids=[f"case{i:02d}" for i in range(len(INVALID))]
)
def test_invalid_by_design_is_refused_with_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    root = make_project(tmp_path, {"bad.yaml": text}, keep_fixture_entries=True)
    code, out, err = _validate(root, monkeypatch, capsys)
    assert code == 1
    assert out == ""
    # One error line; markup in the same field may add a W001 warning line.
    lines = [line for line in err.splitlines() if "warning[W001]" not in line]
    warnings = len(err.splitlines()) - len(lines)
    assert len(lines) == 2, lines
    assert re.sub(r"^entries/bad\.yaml:\d+:\d+: ", "", lines[0]) == expected
    assert lines[1] == f"4 files checked: 1 errors, {warnings} warnings"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/\njavascript:alert(1)",  # a newline inside the URL
        "javascript:alert(1)\nentries/x.yaml:1:1: error[E001] forged",  # a forged report line
    ],
)
def test_a_value_with_a_newline_stays_on_its_diagnostic_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str,
) -> None:
    # "One line each": a newline in a refused value must not start a line of the report.
    quoted = url.replace("\n", "\\n")
    root = make_project(tmp_path, {"bad.yaml": entry(url=f'"{quoted}"')}, keep_fixture_entries=True)
    code, _out, err = _validate(root, monkeypatch, capsys)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("entries/bad.yaml:9:6: error[E018] url: ")


# --------------------------------------------------------------------------- resource limits

MiB = 1024 * 1024
_BOMB = "a: &a ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol']\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
_RELATIONS = "relations:\n" + "".join(
    f"  - {{type: related, target: paper-{i}}}\n" for i in range(101)
)
# A flow list of one-letter items filling the byte limit: the most values a file can hold.
_MANY_VALUES = "tags: [" + ",".join(["a"] * ((DEFAULT_LIMITS.max_bytes - 20) // 2)) + "]\n"

LIMITS = [
    # A file over the byte limit is refused before it is read.
    (
        VALID_ENTRY + "notes: |\n" + ("  " + "x" * 99 + "\n") * 2700,
        1 * MiB,
        "entries/limit.yaml:0:0: error[E008] the file is 275548 bytes, more than the limit of 262144 (an entry is a few kilobytes; shorten it)",
    ),
    # Lists nested 30 deep, under libyaml's own limit.
    (
        "title: " + "[" * 30 + "]" * 30 + "\n",
        4 * MiB,
        "entries/limit.yaml:1:32: error[E008] title"
        + "[0]" * 24
        + ": nesting deeper than 24 levels (entries need only a few levels of lists and mappings)",
    ),
    # Lists nested 100,000 deep: libyaml's limit, without a RecursionError.
    (
        "title: " + "[" * 100_000 + "]" * 100_000 + "\n",
        4 * MiB,
        "entries/limit.yaml:1:1007: error[E008] YAML nesting too deep: exceeded maximum nesting depth (entries need only a few levels of lists and mappings)",
    ),
    # Billion laughs: 10**9 leaves if expanded, refused at the first alias (placed at its anchor).
    (
        _BOMB,
        4 * MiB,
        "entries/limit.yaml:1:4: error[E005] b[0]: YAML aliases are not allowed (write the value out in full instead of using '*name')",
    ),
    # The most values a file under the byte limit can hold.
    (
        _MANY_VALUES,
        64 * MiB,
        "entries/limit.yaml:1:40004: error[E008] tags[19998]: the document has more than 20000 values (an entry needs far fewer; split or shorten it)",
    ),
    # 101 relations, one more than allowed.
    (
        VALID_ENTRY + _RELATIONS,
        4 * MiB,
        "entries/limit.yaml:10:3: error[E008] relations: has more than 100 items (shorten it)",
    ),
    # 201 authors, one more than allowed.
    (
        entry(authors="[" + ", ".join(f"Author {i}" for i in range(201)) + "]"),
        4 * MiB,
        "entries/limit.yaml:2:10: error[E008] authors: has more than 200 items (shorten it)",
    ),
    # 51 tags, one more than allowed.
    (
        entry(tags="[" + ", ".join(["bound"] * 51) + "]"),
        4 * MiB,
        "entries/limit.yaml:9:7: error[E008] tags: has more than 50 items (shorten it)",
    ),
    # A string over the loader's limit, refused before pydantic sees it.
    (
        entry(summary='"' + "x" * 20_001 + '"'),
        4 * MiB,
        "entries/limit.yaml:6:10: error[E008] summary: a value longer than 20000 characters (summaries and statements should be a few sentences)",
    ),
    # A title one character over its maximum.
    (
        entry(title='"' + "t" * 401 + '"'),
        4 * MiB,
        "entries/limit.yaml:1:8: error[E008] title: is longer than 400 characters (shorten it)",
    ),
    # A summary one character over its maximum.
    (
        entry(summary='"' + "s" * 10_001 + '"'),
        4 * MiB,
        "entries/limit.yaml:6:10: error[E008] summary: is longer than 10000 characters (shorten it)",
    ),
    # An author name one character over its maximum.
    (
        entry(authors='["' + "a" * 201 + '"]'),
        4 * MiB,
        "entries/limit.yaml:2:11: error[E008] authors[0]: is longer than 200 characters (shorten it)",
    ),
    # A relation note one character over its maximum.
    (
        VALID_ENTRY + 'relations:\n  - {type: related, target: x, note: "' + "n" * 1001 + '"}\n',
        4 * MiB,
        "entries/limit.yaml:10:38: error[E008] relations[0].note: is longer than 1000 characters (shorten it)",
    ),
]


@pytest.fixture(scope="module")
def taxonomy() -> Any:
    tax, _docs, problems = load_taxonomy(FIXTURE_SITE)
    assert problems == []
    return tax


@pytest.mark.parametrize(
    ("text", "budget", "expected"),
    LIMITS,
    ids=[
        "bytes",
        "depth",
        "libyaml-depth",
        "alias-bomb",
        "values",
        "relations",
        "authors",
        "tags",
        "loader-string",
        "title",
        "summary",
        "author-name",
        "relation-note",
    ],
)
def test_resource_limit_is_refused_with_one_line_within_memory_budget(
    tmp_path: Path, taxonomy: Any, text: str, budget: int, expected: str
) -> None:
    # The budget is the peak of Python allocations (tracemalloc) while the file is loaded
    # and checked; libyaml's own C buffers are not counted.
    path = tmp_path / "limit.yaml"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        doc = load_file(path, "entries/limit.yaml")
        found, problems = check_entry(doc, "limit", taxonomy)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found is None
    assert [d.format() for d in problems] == [expected]
    assert peak < budget, f"peak {peak} bytes, budget {budget}"


@pytest.mark.slow
def test_neighbourhood_pictures_are_clean(hostile_site: Path) -> None:
    # Each paper page draws its related papers inline (an SVG in the article, checked
    # with the article above): their names are text, their links relative pages.
    pictures = []
    for entry_id in HOSTILE_IDS:
        article = _article(_page(hostile_site, f"papers/{entry_id}/index.html"))
        if '<figure class="dlt-nb">' in article:
            start = article.index('<figure class="dlt-nb">')
            pictures.append(article[start : article.index("</figure>", start)])
    assert pictures
    for picture in pictures:
        parsed = _parse(picture)
        assert parsed.scripts == []
        assert _problems(parsed) == []
        tags = {tag for tag, _ in parsed.elements}
        assert tags <= {
            "figure",
            "div",
            "svg",
            "defs",
            "marker",
            "path",
            "g",
            "circle",
            "text",
            "a",
            "figcaption",
            "span",
            "br",
        }, tags
        for tag, attrs in parsed.elements:
            if tag == "a":
                assert re.fullmatch(r"\.\./[a-z0-9-]+/", dict(attrs)["href"] or "")


# --------------------------------------------------------------------------- second pass (issue 18)
#
# What a red team got through the first hardening. Each case failed before its fix.


def _taxonomy_edit(root: Path, name: str, old: str, new: str) -> None:
    """Replace one exact text in a taxonomy file of a project (it must be there)."""
    path = root / "taxonomy" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


#: One text policy for every string field: no control characters, no unterminated
#: direction control, no noncharacter, not only whitespace; and no non-finite number.
TEXT_POLICY = [
    # U+FFFF cannot be written to XML: the feed and the neighbourhood pictures broke.
    (
        entry(title='"Title \\uFFFF here"'),
        "1:8: error[E013] title: contains the noncharacter U+FFFF (remove it: pages, the feed and the pictures cannot carry it)",
    ),
    # A right-to-left override never closed reverses the author names that follow it.
    (
        entry(title='"Title \\u202E reversed"'),
        "1:8: error[E013] title: contains the direction control U+202E without its end (close it with U+202C, or U+2069 after an isolate, or remove it: it reorders the text around it)",
    ),
    # A lone pop-directional mark is as meaningless.
    (
        entry(authors='["Ada \\u2069Lovelace"]'),
        "2:11: error[E013] authors[0]: contains the direction control U+2069 without its end (close it with U+202C, or U+2069 after an isolate, or remove it: it reorders the text around it)",
    ),
    # An author that is only whitespace crashed the citation label (IndexError).
    (
        entry(authors='["   "]'),
        "2:11: error[E013] authors[0]: is only whitespace (write the text or leave the field out)",
    ),
    # A title of one space was accepted.
    (
        entry(title='" "'),
        "1:8: error[E013] title: is only whitespace (write the text or leave the field out)",
    ),
    # A summary of one space was accepted.
    (
        entry(summary='" "'),
        "6:10: error[E013] summary: is only whitespace (write the text or leave the field out)",
    ),
    # NaN made entries.json invalid JSON.
    (
        entry(categories="[alpha/one]") + "comparison: {constant: .nan}\n",
        "9:24: error[E013] comparison.constant: is nan, not a finite number (write a number such as 0.5, or text in quotes)",
    ),
    # So did Infinity.
    (
        entry(categories="[alpha/one]") + "comparison: {constant: -.inf}\n",
        "9:24: error[E013] comparison.constant: is -inf, not a finite number (write a number such as 0.5, or text in quotes)",
    ),
    # A number in a text comparison field crashed the subcategory page (TypeError).
    (
        entry(categories="[alpha/one]") + "comparison: {rate: 3}\n",
        '9:20: error[E012] comparison.rate: expected text, got the number 3 (put it in quotes: rate: "3")',
    ),
    # A control character in an extra BibTeX field.
    (
        entry() + 'bibtex: {note: "a\\x1bb"}\n',
        "9:16: error[E013] bibtex.note: contains the control character U+001B (in double quotes YAML reads '\\e', '\\a' and the like as escapes: use single quotes or a block scalar (|) for LaTeX)",
    ),
    # A zero-width space inside a DOI got a second copy of a paper past the duplicate check.
    (
        entry(doi='"10.1000/abc\\u200B"'),
        "9:6: error[E017] doi: '10.1000/abc\u200b' is not a DOI (write the bare DOI, e.g. 10.1145/307400.307435, without 'https://doi.org/')",
    ),
    # A direction override in a refused value is printed escaped: it reordered error lines.
    (
        entry(url='"ftp://\\u202Eexample.org"'),
        "9:6: error[E018] url: 'ftp://\\u202eexample.org' is not an http(s) URL (only http:// and https:// links are allowed)",
    ),
    # A \def chain expands to 90,000 glyphs and froze the reader's tab for a minute.
    (
        entry(summary='"$\\\\def\\\\a{xx}\\\\def\\\\b{\\\\a\\\\a}\\\\b$"'),
        "6:10: error[E040] summary: '\\def' is not allowed in math (write the expression out: a macro can expand without end in the reader's browser)",
    ),
    # A huge \rule can blank the page or draw a fake banner over it.
    (
        entry(summary='"$\\\\rule{100em}{100em}$"'),
        "6:10: error[E040] summary: '\\rule' is not allowed in math (it can cover the page: use plain math layout)",
    ),
    # \raisebox moves math over the page's own text.
    (
        entry() + "results:\n  - statement: '$\\raisebox{50em}{x}$'\n",
        "10:16: error[E040] results[0].statement: '\\raisebox' is not allowed in math (it can cover the page: use plain math layout)",
    ),
    # 101 formulas: a reader's browser typesets each (15,000 of them took Chromium 30 s).
    (
        entry(summary="'" + "$x$ " * 101 + "'"),
        "1:1: error[E040] the entry holds 101 formulas, more than the limit of 100 (a reader's browser typesets each one: keep the key results)",
    ),
    # More than 5,000 characters of math, in few formulas.
    (
        entry(summary="'$$" + "x+" * 1300 + "x$$ $$" + "y+" * 1300 + "y$$'"),
        "1:1: error[E040] the entry holds 5210 characters of math, more than the limit of 5000 (a reader's browser typesets each one: keep the key results)",
    ),
    # Braces nested past any formula's needs make KaTeX recurse in the reader's browser.
    (
        entry(summary="'$" + "{" * 40 + "x" + "}" * 40 + "$'"),
        "6:10: error[E040] summary: math nested deeper than 32 levels (split the formula)",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), TEXT_POLICY, ids=[f"case{i:02d}" for i in range(len(TEXT_POLICY))]
)
def test_text_policy_refuses_with_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    root = make_project(tmp_path, {"bad.yaml": text}, keep_fixture_entries=True)
    code, out, err = _validate(root, monkeypatch, capsys)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines == [f"entries/bad.yaml:{expected}", "4 files checked: 1 errors, 0 warnings"]


#: Taxonomy files come in pull requests too: the same text policy, and no id that
#: takes the place of a folder's list page.
TAXONOMY_POLICY = [
    # A control character in a group's short title (it is in every page's navigation).
    (
        "groups/alpha.yaml",
        "short_title: Alpha",
        'short_title: "Al\\x1bpha"',
        "taxonomy/groups/alpha.yaml:4:14: error[E013] short_title: contains the control character U+001B (in double quotes YAML reads '\\e', '\\a' and the like as escapes: use single quotes or a block scalar (|) for LaTeX)",
    ),
    # An unterminated override in a subcategory title.
    (
        "groups/alpha.yaml",
        "title: Alpha one",
        'title: "Alpha \\u202Eone"',
        "taxonomy/groups/alpha.yaml:11:12: error[E013] subcategories[0].title: contains the direction control U+202E without its end (close it with U+202C, or U+2069 after an isolate, or remove it: it reorders the text around it)",
    ),
    # A noncharacter in a relation label.
    (
        "relations.yaml",
        "label: builds on",
        'label: "builds \\uFFFE on"',
        "taxonomy/relations.yaml:4:10: error[E013] [0].label: contains the noncharacter U+FFFE (remove it: pages, the feed and the pictures cannot carry it)",
    ),
    # A blank tag title.
    (
        "tags.yaml",
        "title: Bound,",
        'title: " ",',
        "taxonomy/tags.yaml:1:22: error[E013] [0].title: is only whitespace (write the text or leave the field out)",
    ),
    # A tag named index took the place of tags/index.md.
    (
        "tags.yaml",
        "{id: unused,",
        "{id: index,",
        "taxonomy/tags.yaml:3:8: error[E041] [2].id: the id 'index' is reserved for the page that lists them all (choose another id)",
    ),
    # A subcategory named index took the place of its group's page.
    (
        "groups/alpha.yaml",
        "- id: two",
        "- id: index",
        "taxonomy/groups/alpha.yaml:22:9: error[E041] subcategories[1].id: the id 'index' is reserved for the page that lists them all (choose another id)",
    ),
    # A \def in a group overview.
    (
        "groups/alpha.yaml",
        "The alpha group, with math $\\alpha^2$.",
        "The alpha group, with math $\\gdef\\x{y}\\x$.",
        "taxonomy/groups/alpha.yaml:5:14: error[E040] description: '\\gdef' is not allowed in math (write the expression out: a macro can expand without end in the reader's browser)",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    TAXONOMY_POLICY,
    ids=[f"case{i:02d}" for i in range(len(TAXONOMY_POLICY))],
)
def test_taxonomy_text_policy_refuses_with_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    old: str,
    new: str,
    expected: str,
) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    _taxonomy_edit(root, name, old, new)
    code, out, err = _validate(root, monkeypatch, capsys)
    assert (code, out) == (1, "")
    assert expected in err.splitlines(), err


#: Math that validation refuses, given straight to the site's KaTeX set-up: the second
#: line of defence. A chain of \def that expands to 45,000 glyphs in 931 expansions (under
#: KaTeX's default limit of 1,000), and boxes far larger than a page.
KATEX_BOMB = "\\def\\a{" + "x" * 50 + "}\\def\\b{" + "\\a" * 30 + "}\\def\\c{" + "\\b" * 30 + "}\\c"
KATEX_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="assets/katex/katex.min.css">
<script src="assets/katex/katex.min.js"></script>
<script src="assets/katex/contrib/auto-render.min.js"></script>
<script src="assets/dltheory.js"></script></head><body>
<p id="bomb"><span class="arithmatex">\\(BOMB\\)</span></p>
<p id="rule"><span class="arithmatex">\\(\\rule{900em}{900em}\\)</span></p>
<p id="raise"><span class="arithmatex">\\(\\raisebox{400em}{x}\\)</span></p>
</body></html>"""


@pytest.mark.browser
def test_katex_limits_expansion_and_sizes(tmp_path: Path, hostile_browser: Any) -> None:
    from dltheory_site.exports import static_assets

    for rel, content in static_assets().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(content)
    (tmp_path / "index.html").write_text(
        KATEX_PAGE.replace("BOMB", html.escape(KATEX_BOMB)), encoding="utf-8"
    )
    for base in serve(tmp_path):
        page = hostile_browser.new_page()
        try:
            page.goto(base + "/index.html", wait_until="load", timeout=10_000)
            page.wait_for_timeout(200)
            # The chain stops at maxExpand with an error instead of 45,000 glyphs.
            assert page.evaluate("document.querySelectorAll('#bomb .katex-error').length") == 1
            for box in ("#rule", "#raise"):
                size = page.evaluate(
                    f"(() => {{ const r = document.querySelector('{box} .katex').getBoundingClientRect();"
                    " return Math.max(r.width, r.height, Math.abs(r.top)); })()"
                )
                assert size < 1000, (box, size)
        finally:
            page.close()


def _fmt(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["fmt", "--check"])
    out, err = capsys.readouterr()
    return code, out, err


def test_fmt_has_the_loader_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A 16 MB file cost fmt 23 s and 2.5 GB; validate refuses it at once. fmt now reads no
    # more than the limit and says why it leaves the file alone.
    big = VALID_ENTRY + "notes: |\n" + ("  " + "x" * 99 + "\n") * 2700
    root = make_project(tmp_path, {"big.yaml": big})
    tracemalloc.start()
    try:
        code, out, err = _fmt(root, monkeypatch, capsys)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 1
    assert err == (
        "entries/big.yaml: left as it is (the file is 275548 bytes, more than the limit "
        "of 262144)\n"
    )
    assert out == "0 would change, 0 unchanged, 1 left alone\n"
    assert peak < 4 * MiB


def test_fmt_and_validate_follow_no_symlink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A committed link to /dev/zero was read by fmt until MemoryError; a link to a file
    # outside the project was read by both.
    root = make_project(tmp_path, {"ok.yaml": VALID_ENTRY})
    secret = tmp_path / "secret.yaml"
    secret.write_text(VALID_ENTRY.replace("A valid paper", "A secret paper"), encoding="utf-8")
    (root / "entries" / "zero.yaml").symlink_to("/dev/zero")
    (root / "entries" / "outside.yaml").symlink_to(secret)
    code, _out, err = _fmt(root, monkeypatch, capsys)
    assert code == 1
    assert err.splitlines() == [
        "entries/outside.yaml: left as it is (a symbolic link: entries are files of their own)",
        "entries/zero.yaml: left as it is (a symbolic link: entries are files of their own)",
    ]
    code, _out, err = _validate(root, monkeypatch, capsys)
    assert code == 1
    assert err.splitlines() == [
        "entries/outside.yaml:0:0: error[E009] a symbolic link (entries and taxonomy files are files of their own; commit the file itself)",
        "entries/zero.yaml:0:0: error[E009] a symbolic link (entries and taxonomy files are files of their own; commit the file itself)",
        "3 files checked: 2 errors, 0 warnings",
    ]


def test_fmt_prints_no_raw_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A name holding a newline and '::warning' injected workflow commands into the
    # pull-request log through fmt --check (validate ignored the folder).
    root = make_project(tmp_path, {"a.yaml": VALID_ENTRY.replace("title: ", "title:  ")})
    forged = "x\n::warning title=forged::boom\n::add-mask::secret\n"
    (root / "entries" / f"{forged}.yaml").mkdir()
    (root / "entries" / f"{forged}2.yaml").write_text(
        VALID_ENTRY.replace("title: ", "title:  "), encoding="utf-8"
    )
    code, out, err = _fmt(root, monkeypatch, capsys)
    assert code == 1
    assert not [line for line in (out + err).splitlines() if line.startswith("::")]
    assert out.splitlines() == [
        "would reformat entries/a.yaml",
        "would reformat entries/x\\n::warning title=forged::boom\\n::add-mask::secret\\n2.yaml",
        "2 would change, 0 unchanged, 0 left alone",
        "to rewrite them, run 'dltheory-site fmt' (in a clone: 'make fmt')",
    ]


# Counts, not clocks: the benchmark times the worst inputs (benchmarks/bench_build.py).
WORST_PROSE = [
    "[" * 9000,  # unclosed brackets: each one scanned to the end of the text
    "![" * 4500,  # the same through the image pattern
    "[x](" * 2250,  # unclosed link targets
    "[" * 4500 + "]" * 4500,  # nesting
    "[a](b) [" * 1100,  # links between unclosed brackets
]


@pytest.mark.parametrize("text", WORST_PROSE, ids=["open", "image", "target", "nested", "mixed"])
def test_link_scanning_is_linear(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs of '[' made Python-Markdown quadratic: a 90 KB entry took a strict build 96 s.
    from markdown.inlinepatterns import LinkInlineProcessor

    from dltheory_site.prose import ProseRenderer

    scanned = [0]
    get_text, get_link = LinkInlineProcessor.getText, LinkInlineProcessor.getLink

    def counting_text(self: Any, data: str, index: int) -> Any:
        found = get_text(self, data, index)
        scanned[0] += found[1] - index
        return found

    def counting_link(self: Any, data: str, index: int) -> Any:
        found = get_link(self, data, index)
        scanned[0] += max(found[2] - index, 0)
        return found

    monkeypatch.setattr(LinkInlineProcessor, "getText", counting_text)
    monkeypatch.setattr(LinkInlineProcessor, "getLink", counting_link)
    ProseRenderer().to_html(text, lambda _t: None)
    assert scanned[0] <= 10 * len(text)


def test_deeply_nested_lists_render_as_text() -> None:
    # "- - - - ..." nests a list per dash: Python-Markdown recursed until RecursionError.
    from dltheory_site.prose import ProseRenderer

    html_out = str(ProseRenderer().to_html("- " * 5000 + "x <b>", lambda _t: None))
    assert html_out.startswith("<p>- - - ")
    assert html_out.endswith("x &lt;b&gt;</p>")


def test_dangling_links_are_suggested_for_a_few_times(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every dangling [[link]] ran a did-you-mean over all ids: three 238 KB files took
    # validate 36 s. Each is still reported; only the first few get a suggestion.
    from dltheory_site import crosschecks
    from dltheory_site.loader import load_text

    calls = [0]
    real = crosschecks.did_you_mean

    def counting(word: str, choices: Any) -> str:
        calls[0] += 1
        return real(word, choices)

    monkeypatch.setattr(crosschecks, "did_you_mean", counting)
    text = " ".join(f"[[missing-{n}]]" for n in range(1000))
    doc = load_text(f"summary: '{text}'\n", "entries/x.yaml")
    known = {f"paper-{n}": None for n in range(3000)}
    found = crosschecks.check_links(doc, [(("summary",), text)], known)
    assert len(found) == 1000
    assert calls[0] <= 10
    assert found[-1].format() == (
        "entries/x.yaml:1:10: error[E027] summary: link [[missing-999]] points to no entry "
        "(link an entry id, the file name without .yaml)"
    )


DUPLICATES = [
    # A zero-width space inside a word of the title.
    (
        "copy.yaml",
        entry(title='"A first bound for alpha net\\u200Bworks"'),
        "entries/copy.yaml:1:8: error[E026] title: the same paper as 'smith2018first' (same title) (entries/smith2018first.yaml already holds it; keep one entry)",
    ),
    # Cyrillic letters that look Latin ("а" U+0430, "о" U+043E).
    (
        "copy.yaml",
        entry(title='"A first b\\u043Eund f\\u043Er \\u0430lpha networks"'),
        "entries/copy.yaml:1:8: error[E026] title: the same paper as 'smith2018first' (same title) (entries/smith2018first.yaml already holds it; keep one entry)",
    ),
    # A copy whose file name sorts first: the error belongs on the copy, added later.
    (
        "aaa.yaml",
        entry(title='"A first bound for alpha networks"', added="2026-12-01"),
        "entries/aaa.yaml:1:8: error[E026] title: the same paper as 'smith2018first' (same title) (entries/smith2018first.yaml already holds it; keep one entry)",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "expected"), DUPLICATES, ids=["zero-width", "homoglyph", "order"]
)
def test_a_disguised_copy_is_a_duplicate(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    expected: str,
) -> None:
    root = make_project(tmp_path, {name: text}, keep_fixture_entries=True)
    code, _out, err = _validate(root, monkeypatch, capsys)
    assert code == 1
    assert err.splitlines() == [expected, "4 files checked: 1 errors, 0 warnings"]


def test_comparison_text_gets_the_markup_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = entry() + "comparison: {rate: '<img src=x onerror=alert(1)> fast'}\n"
    root = make_project(tmp_path, {"c.yaml": text}, keep_fixture_entries=True)
    code, out, _err = _validate(root, monkeypatch, capsys)
    assert code == 0
    assert out.splitlines() == [
        "entries/c.yaml:9:20: warning[W001] comparison.rate: raw HTML or an unsafe link is removed from the page: '<img src=x onerror=alert(1)>' (prose is Markdown and math only; links must be http(s))",
        "4 files checked: 0 errors, 1 warnings",
    ]


@pytest.mark.slow
def test_no_symlink_out_of_the_project_is_published(tmp_path: Path) -> None:
    # A CONTRIBUTING.md linked to /etc/passwd was published on /contributing/, and MkDocs
    # copied linked docs/ files.
    root = make_project(tmp_path, keep_fixture_entries=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:secret\n", encoding="utf-8")
    (root / "CONTRIBUTING.md").symlink_to(secret)
    (root / "docs" / "contributing.md").write_text(
        "# Contributing\n\n<!-- dltheory:contributing -->\n", encoding="utf-8"
    )
    (root / "docs" / "leak.txt").symlink_to(secret)
    site = tmp_path / "site"
    result = mkdocs_build(root / "mkdocs.yml", site, strict=False)
    assert result.returncode == 0, result.stderr
    assert "docs/leak.txt: a symbolic link out of the project is not published" in result.stderr
    assert not (site / "leak.txt").exists()
    assert "root:x" not in (site / "contributing" / "index.html").read_text(encoding="utf-8")
    strict = mkdocs_build(root / "mkdocs.yml", tmp_path / "strict")
    assert strict.returncode != 0


def test_hand_written_page_warnings_name_the_line() -> None:
    from dltheory_site.prose import hand_written_page

    text = (
        "# About\n\nHi <script>alert(1)</script>\n\n[x](javascript:alert(2)) [y](//evil.example)\n"
    )
    safe, found = hand_written_page(text, "docs/about.md")
    assert safe == "# About\n\nHi &lt;script>alert(1)&lt;/script>\n\n[x](#) [y](#)\n"
    assert [d.format() for d in found] == [
        "docs/about.md:3:4: warning[W001] raw HTML or an unsafe link is shown as text: '<script>' (hand-written pages are Markdown only; links must be http(s) or relative)",
        "docs/about.md:3:20: warning[W001] raw HTML or an unsafe link is shown as text: '</script>' (hand-written pages are Markdown only; links must be http(s) or relative)",
        "docs/about.md:5:5: warning[W001] raw HTML or an unsafe link is shown as text: 'javascript:alert(2)' (hand-written pages are Markdown only; links must be http(s) or relative)",
        "docs/about.md:5:30: warning[W001] raw HTML or an unsafe link is shown as text: '//evil.example' (hand-written pages are Markdown only; links must be http(s) or relative)",
    ]


def test_schema_reads_no_link_out_of_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # CONTRIBUTING.md linked to /dev/zero: schema read it until memory ran out.
    root = make_project(tmp_path, keep_fixture_entries=True)
    (root / "CONTRIBUTING.md").symlink_to("/dev/zero")
    (root / "schema").mkdir()
    code = main(["schema", "--root", str(root), "--check"])
    _out, err = capsys.readouterr()
    assert code == 1
    assert err == (
        "CONTRIBUTING.md is a symbolic link out of the project or larger than 1 MiB; "
        "left as it is\nschema/entry.schema.json is stale: run 'dltheory-site schema'\n"
    )
