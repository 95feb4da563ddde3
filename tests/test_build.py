"""Real strict builds: the fixture site, the project's own content, and generate's output."""

from __future__ import annotations

import json
import re
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.conftest import mkdocs_build
from tests.helpers import FIXTURE_SITE, REPO, entry, make_project, snapshot
from tests.sitecheck import check_site

pytestmark = pytest.mark.slow


def _article(html: str) -> str:
    """The page's article, with whitespace and volatile attributes normalised."""
    body = html[html.index("<article") : html.index("</article>")]
    body = re.sub(r"\s+", " ", body)
    return body.replace("> <", ">\n<").strip() + "\n"


def test_fixture_site_builds_strictly_and_links_resolve(fixture_site: Path) -> None:
    report = check_site(fixture_site)
    assert report.broken == []
    assert report.unreachable == []
    # Every generated page exists.
    for rel in [
        "papers/smith2018first/index.html",
        "groups/alpha/index.html",
        "groups/alpha/one/index.html",
        "authors/jurgen-muller/index.html",
        "tags/bound/index.html",
        "timeline/index.html",
        "venues/index.html",
        "recent/index.html",
        "downloads/index.html",
        "downloads/dltheory.bib",
        "downloads/entries.json",
        "feed.xml",
        "assets/katex/katex.min.js",
    ]:
        assert (fixture_site / rel).exists(), rel


def test_built_paper_page_snapshot(fixture_site: Path) -> None:
    html = (fixture_site / "papers/muller2019second/index.html").read_text(encoding="utf-8")
    snapshot("built-paper.html", _article(html))


def test_built_pages_link_both_ways(fixture_site: Path) -> None:
    older = (fixture_site / "papers/smith2018first/index.html").read_text(encoding="utf-8")
    newer = (fixture_site / "papers/muller2019second/index.html").read_text(encoding="utf-8")
    assert '<dt>Improved by</dt>\n<dd><ul>\n<li><a href="../muller2019second/">' in older
    assert '<dt>Improves</dt>\n<dd><ul>\n<li><a href="../smith2018first/">' in newer
    author = (fixture_site / "authors/jurgen-muller/index.html").read_text(encoding="utf-8")
    assert author.count('href="../../papers/') == 2


def test_edit_link_points_at_the_yaml(fixture_site: Path) -> None:
    html = (fixture_site / "papers/lee2020third/index.html").read_text(encoding="utf-8")
    assert (
        'href="https://example.org/repo/edit/main/entries/lee2020third.yaml" title="Edit this page"'
        in html
    )


def test_no_request_to_another_host(fixture_site: Path) -> None:
    for page in fixture_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//', html):
            pytest.fail(f"{page}: {match.group(0)}")


def test_build_fails_with_validate_messages(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"bad.yaml": entry(year="1850")}, keep_fixture_entries=True)
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "entries/bad.yaml:3:7: error[E015] year: year 1850 is out of range" in result.stderr
    assert "Traceback" not in result.stderr


def test_generate_builds_without_the_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "generated"
    assert main(["generate", "--root", str(FIXTURE_SITE), "--out", str(out)]) == 0
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "plugins:\n- search\nmarkdown_extensions:" in config
    result = mkdocs_build(out / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    report = check_site(tmp_path / "site")
    assert report.broken == []
    assert "papers/lee2020third/index.html" in report.pages
    # A foreign folder is refused (tests/test_generate.py: any non-empty folder is).
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", "--root", str(FIXTURE_SITE), "--out", str(foreign)]) == 1
    assert "is not empty: generate writes only into a new or empty folder" in (
        capsys.readouterr().err
    )
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_generate_leaves_drafts_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    lee = root / "entries" / "lee2020third.yaml"
    lee.write_text("draft: true\n" + lee.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "generated"
    assert main(["generate", "--root", str(root), "--out", str(out)]) == 0
    assert not (out / "docs" / "papers" / "lee2020third.md").exists()
    assert (out / "docs" / "papers" / "smith2018first.md").exists()
    assert "lee2020third" not in (out / "docs" / "downloads" / "entries.json").read_text("utf-8")


def test_repository_builds_strictly(repo_site: Path) -> None:
    report = check_site(repo_site)
    assert report.broken == []
    assert report.unreachable == []


def _text(html: str) -> str:
    """The visible text of a page's article, whitespace folded."""
    body = html[html.index("<article") : html.index("</article>")]
    body = html_unescape(re.sub(r"<[^>]+>", " ", body))
    return " ".join(body.replace("¶", " ").split())


def test_html_fast_path_matches_the_markdown_page(tmp_path: Path, fixture_site: Path) -> None:
    # The plugin renders paper pages straight to HTML; generate writes them as Markdown
    # for other builders. Both must show the same page.
    out = tmp_path / "generated"
    assert main(["generate", "--root", str(FIXTURE_SITE), "--out", str(out)]) == 0
    result = mkdocs_build(out / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for paper in ("smith2018first", "muller2019second", "lee2020third"):
        fast = (fixture_site / "papers" / paper / "index.html").read_text(encoding="utf-8")
        plain = (tmp_path / "site" / "papers" / paper / "index.html").read_text(encoding="utf-8")
        assert _text(fast) == _text(plain)


class _Head(HTMLParser):
    """The <meta> tags and JSON-LD blocks of a built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("name") or found.get("property")):
            key = found.get("name") or found.get("property") or ""
            self.meta.append((key, found.get("content") or ""))
        self._in_ld = tag == "script" and found.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False


def test_paper_page_carries_citation_metadata(fixture_site: Path) -> None:
    # Zotero's embedded-metadata translator and Google Scholar read these from the page.
    head = _Head()
    head.feed((fixture_site / "papers/smith2018first/index.html").read_text(encoding="utf-8"))
    meta = head.meta
    assert ("citation_title", "A first bound for alpha networks") in meta
    assert [v for k, v in meta if k == "citation_author"] == ["Smith, Jane", "Müller, Jürgen"]
    assert ("citation_publication_date", "2018") in meta
    assert (
        "citation_conference_title",
        "Advances in Neural Information Processing Systems",
    ) in meta
    assert ("citation_arxiv_id", "1801.00001") in meta
    assert ("og:title", "A first bound for alpha networks") in meta
    data = json.loads("".join(head.json_ld))
    assert (data["@type"], data["name"]) == ("ScholarlyArticle", "A first bound for alpha networks")


def test_csl_json_downloads_and_cite_box(fixture_site: Path) -> None:
    whole = json.loads((fixture_site / "downloads/dltheory.csl.json").read_text(encoding="utf-8"))
    assert sorted(item["id"] for item in whole) == [
        "lee2020third",
        "muller2019second",
        "smith2018first",
    ]
    one = json.loads(
        (fixture_site / "downloads/papers/smith2018first.csl.json").read_text(encoding="utf-8")
    )
    assert [item["title"] for item in one] == ["A first bound for alpha networks"]
    page = (fixture_site / "papers/smith2018first/index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/papers/smith2018first.csl.json" download' in page
    downloads = (fixture_site / "downloads/index.html").read_text(encoding="utf-8")
    assert 'href="dltheory.csl.json"' in downloads


def test_home_page_cites_the_project_from_citation_cff(repo_site: Path) -> None:
    from dltheory_site.citation import read_citation

    project = read_citation(REPO / "CITATION.cff")
    home = html_unescape((repo_site / "index.html").read_text(encoding="utf-8"))
    assert project.reference() in home
    assert project.title in home
