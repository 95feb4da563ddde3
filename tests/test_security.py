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


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with every hostile entry beside its own three."""
    files = {p.name: p.read_text(encoding="utf-8") for p in HOSTILE_FILES}
    return make_project(tmp_path_factory.mktemp("hostile"), files, keep_fixture_entries=True)


def test_hostile_corpus_is_valid(
    hostile_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every case must reach the pages: a case refused by validation tests nothing.
    # Markup the sanitiser removes is a warning (W001), never an error.
    code, out, err = _validate(hostile_root, monkeypatch, capsys)
    total = len(HOSTILE_FILES) + len(FIXTURE_IDS)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert all("warning[W001]" in line for line in lines[:-1]), lines
    warned = {line.split(":", 1)[0] for line in lines[:-1]}
    assert len(warned) >= 30  # most cases carry raw HTML or an unsafe link
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
        self._script: list[str] | None = None
        self._script_src = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script, self._script_src = [], dict(attrs).get("src") or ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script_src, "".join(self._script).strip()))
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
    ]
    pages += [f"/authors/{p.name}/" for p in sorted((site / "authors").iterdir()) if p.is_dir()]
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
