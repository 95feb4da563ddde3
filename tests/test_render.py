"""Rendered pages: snapshots of normalised output, escaping, relations both ways, authors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dltheory_site.kb import KnowledgeBase
from dltheory_site.project import load_knowledge_base
from dltheory_site.prose import ProseRenderer, escape_markdown
from dltheory_site.render import RenderOptions, Site, SiteRenderer
from dltheory_site.urls import page_url, relative_url
from tests.helpers import FIXTURE_SITE, entry, make_project, snapshot


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, problems = load_knowledge_base(FIXTURE_SITE)
    assert problems == []
    return kb


@pytest.fixture(scope="module")
def site(kb: KnowledgeBase) -> Site:
    options = RenderOptions(edit_base="https://example.org/repo/edit/main/", site_name="Fixture KB")
    return SiteRenderer(kb, options).render()


def _page(site: Site, src: str) -> str:
    return next(p.markdown for p in site.pages if p.src == src)


# Snapshots of the Markdown each template produces. Regenerate after an intended change
# with `UPDATE_SNAPSHOTS=1 make test` and review the diff.
@pytest.mark.parametrize(
    ("src", "name"),
    [
        ("papers/muller2019second.md", "paper.md"),  # relations, DOI, two categories
        ("papers/smith2018first.md", "paper-math.md"),  # display math in a result
        ("groups/alpha/index.md", "group.md"),
        ("groups/alpha/one.md", "subcategory.md"),
        ("authors/jurgen-muller.md", "author.md"),  # two spellings, one person
    ],
)
def test_snapshot(site: Site, src: str, name: str) -> None:
    snapshot(name, _page(site, src))


def test_relation_shown_on_both_pages(site: Site) -> None:
    newer = _page(site, "papers/muller2019second.md")
    older = _page(site, "papers/smith2018first.md")
    assert (
        '<dt>Improves</dt>\n<dd><ul>\n<li><a href="../smith2018first/">A first bound for alpha '
        "networks</a> (Smith and Müller (2018)) — removes the dimension</li>" in newer
    )
    assert (
        '<dt>Improved by</dt>\n<dd><ul>\n<li><a href="../muller2019second/">Second thoughts on '
        "alpha: a kernel view</a> (Muller and Lee (2019)) — removes the dimension</li>" in older
    )


def test_author_with_two_spellings_has_one_page(kb: KnowledgeBase, site: Site) -> None:
    author = kb.authors["jurgen-muller"]
    assert author.name == "Jürgen Müller"
    assert [e.id for e in author.entries] == ["muller2019second", "smith2018first"]
    page = _page(site, "authors/jurgen-muller.md")
    assert '<a href="../../papers/smith2018first/">A first bound for alpha networks</a>' in page
    assert (
        '<a href="../../papers/muller2019second/">Second thoughts on alpha: a kernel view</a>'
        in page
    )
    assert not [p for p in site.pages if p.src == "authors/juergen-mueller.md"]


def test_prose_links_and_math() -> None:
    renderer = ProseRenderer()
    html = renderer.to_html(
        "Improves [[a]] and [[b|that one]], not [[zzz]].\n$$\nx^2\n$$",
        lambda t: {"a": ("A (2018)", "../a/"), "b": ("B (2019)", "../b/")}.get(t),
    )
    assert str(html) == (
        '<p>Improves <a href="../a/" rel="noopener nofollow">A (2018)</a> and '
        '<a href="../b/" rel="noopener nofollow">that one</a>, not [[zzz]].</p>\n'
        '<div class="arithmatex">\\[x^2\\]</div>'
    )


# Hostile prose: each must come out with no executable markup.
@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",  # plain script
        "<ScRiPt>alert(1)</sCrIpT>",  # mixed case
        '<img src=x onerror="alert(1)">',  # event handler
        "[x](javascript:alert(1))",  # javascript: link
        "[x](JaVaScRiPt:alert(1))",  # mixed-case scheme
        "[x](java&#x09;script:alert(1))",  # entity-split scheme
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',  # data: URL
        "<iframe src=//evil.example></iframe>",  # iframe
        "<svg><script>alert(1)</script></svg>",  # SVG script
        '<div style="background:url(javascript:alert(1))">x</div>',  # style attribute
        "<<script>script>alert(1)<</script>/script>",  # broken nesting
        '<a href="x" onclick="alert(1)">x</a>',  # handler on a safe tag
    ],
)
def test_prose_is_sanitised(text: str) -> None:
    html = str(ProseRenderer().to_html(text, lambda _t: None)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    for needle in ("onerror", "onclick", "<iframe", "style=", "data:text"):
        assert needle not in html


def test_plain_fields_are_escaped() -> None:
    assert escape_markdown("<b>x</b> *y* [z](w) | $a$") == (
        "&lt;b&gt;x&lt;/b&gt; &#42;y&#42; &#91;z&#93;(w) &#124; &#36;a&#36;"
    )


@pytest.mark.parametrize(
    ("src", "udu", "url"),
    [
        ("index.md", True, ""),
        ("papers/x.md", True, "papers/x/"),
        ("groups/a/index.md", True, "groups/a/"),
        ("papers/x.md", False, "papers/x.html"),
        ("index.md", False, "index.html"),
    ],
)
def test_page_url(src: str, udu: bool, url: str) -> None:
    assert page_url(src, udu) == url


@pytest.mark.parametrize(
    ("here", "there", "udu", "rel"),
    [
        ("papers/x.md", "papers/y.md", True, "../y/"),
        ("papers/x.md", "authors/a.md", True, "../../authors/a/"),
        ("groups/a/index.md", "papers/y.md", True, "../../papers/y/"),
        ("index.md", "papers/y.md", True, "papers/y/"),
        ("papers/x.md", "index.md", True, "../../"),
        ("papers/x.md", "papers/y.md", False, "y.html"),
        ("groups/a/one.md", "feed.xml", True, "../../../feed.xml"),
    ],
)
def test_relative_url(here: str, there: str, udu: bool, rel: str) -> None:
    assert relative_url(here, there, udu) == rel


def test_site_overrides_a_template(tmp_path: Path, kb: KnowledgeBase) -> None:
    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "author.md").write_text("# {{ author.name|md }} (custom)\n", encoding="utf-8")
    site = SiteRenderer(kb, RenderOptions(templates_dir=custom)).render()
    assert _page(site, "authors/ann-lee.md") == "# Ann Lee (custom)\n"


def test_bibtex_download_reads_back(site: Site) -> None:
    import bibtexparser

    library = bibtexparser.parse_string(site.files["downloads/dltheory.bib"].decode())
    assert library.failed_blocks == []
    assert sorted(e.key for e in library.entries) == [
        "lee2020third",
        "muller2019second",
        "smith2018first",
    ]
    first = next(e for e in library.entries if e.key == "smith2018first")
    assert first.entry_type == "inproceedings"
    assert first["booktitle"] == "Advances in Neural Information Processing Systems"
    assert first["volume"] == "31"


def test_feed_and_json(site: Site) -> None:
    import json
    import xml.etree.ElementTree as ET

    feed = ET.fromstring(site.files["feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in feed.findall("a:entry/a:title", ns)]
    assert titles == [
        "Beta dynamics of wide networks",
        "Second thoughts on alpha: a kernel view",
        "A first bound for alpha networks",
    ]
    data = json.loads(site.files["downloads/entries.json"])
    assert data["count"] == 3
    assert {e["id"] for e in data["entries"]} == {
        "lee2020third",
        "muller2019second",
        "smith2018first",
    }


def test_hostile_title_cannot_inject(tmp_path: Path) -> None:
    title = '"<script>alert(1)</script> [x](javascript:alert(1)) | *b*"'
    root = make_project(tmp_path, {"evil.yaml": entry(title=title)})
    kb, problems = load_knowledge_base(root)
    assert problems == []
    site = SiteRenderer(kb).render()
    page = _page(site, "papers/evil.md")
    body = page.split("\n---\n", 1)[1]
    assert "<script>" not in page
    # The title's Markdown link syntax is neutralised: no link to javascript: is formed.
    assert (
        "# &lt;script&gt;alert(1)&lt;/script&gt; &#91;x&#93;(javascript&#58;alert(1)) "
        "&#124; &#42;b&#42;" in body
    )
    # Only the BibTeX code block shows the raw title, escaped, as text.
    before_cite = body.split("## Cite", 1)[0]
    assert re.search(r"\]\(javascript:", before_cite) is None


# A redirect page at a renamed entry's old address, for both URL styles.
@pytest.mark.parametrize(
    ("udu", "site_url", "path", "url", "canonical"),
    [
        (
            True,
            None,
            "papers/smith2018first/index.html",
            "../smith2018alpha/",
            "../smith2018alpha/",
        ),
        (
            False,
            "https://example.org/dlt/",
            "papers/smith2018first.html",
            "smith2018alpha.html",
            "https://example.org/dlt/papers/smith2018alpha.html",
        ),
    ],
)
def test_redirect_page_of_a_renamed_entry(
    tmp_path: Path, udu: bool, site_url: str | None, path: str, url: str, canonical: str
) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    entries = root / "entries"
    (entries / "smith2018first.yaml").rename(entries / "smith2018alpha.yaml")
    for other in (*entries.glob("*.yaml"), *root.glob("taxonomy/groups/*.yaml")):
        text = other.read_text(encoding="utf-8").replace("smith2018first", "smith2018alpha")
        other.write_text(text, encoding="utf-8")
    (root / "taxonomy" / "moved.yaml").write_text(
        "- {from: smith2018first, to: smith2018alpha, date: 2026-12-01}\n", encoding="utf-8"
    )
    kb, problems = load_knowledge_base(root)
    assert problems == []
    files = SiteRenderer(kb, RenderOptions(use_directory_urls=udu, site_url=site_url)).files()
    page = files[path].decode()
    assert f'<meta http-equiv="refresh" content="0; url={url}">' in page
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<script>location.replace("{url}" + location.hash)</script>' in page
    assert "was renamed to <code>smith2018alpha</code> on 2026-12-01" in page
    assert f'<p><a href="{url}">A first bound for alpha networks</a></p>' in page
    # An old id that an entry uses again gets no redirect (validate refuses it).
    (entries / "smith2018first.yaml").write_text(entry(title='"Reused"'), encoding="utf-8")
    kb, _problems = load_knowledge_base(root)
    assert path not in SiteRenderer(kb, RenderOptions(use_directory_urls=udu)).files()


def test_a_relation_note_shows_its_math_as_math() -> None:
    from dltheory_site.render import text_with_math

    assert text_with_math("limit $\\gamma_0\\to0$ of <b>it</b> & $a<b$") == (
        'limit <span class="arithmatex">\\(\\gamma_0\\to0\\)</span> of &lt;b&gt;it&lt;/b&gt; '
        '&amp; <span class="arithmatex">\\(a&lt;b\\)</span>'
    )
    assert text_with_math("costs 5$ only") == "costs 5$ only"
