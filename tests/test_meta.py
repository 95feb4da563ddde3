"""Scholar/Zotero citation tags, JSON-LD and social tags of paper pages, escaping included."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dltheory_site.kb import KnowledgeBase
from dltheory_site.meta import (
    citation_meta,
    head_values,
    json_ld,
    json_ld_text,
    plain_text,
    scholar_author,
    social_meta,
)
from dltheory_site.project import load_knowledge_base
from dltheory_site.render import RenderOptions, environment
from tests.helpers import FIXTURE_SITE, make_project

URL = "https://kb.example.org/papers/smith2018first/"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, problems = load_knowledge_base(FIXTURE_SITE)
    assert problems == []
    return kb


def test_conference_paper_with_arxiv(kb: KnowledgeBase) -> None:
    entry = kb.by_id["smith2018first"]
    assert citation_meta(entry, kb.taxonomy, URL) == [
        ("citation_title", "A first bound for alpha networks"),
        ("citation_author", "Smith, Jane"),
        ("citation_author", "Müller, Jürgen"),
        ("citation_publication_date", "2018"),
        ("citation_conference_title", "Advances in Neural Information Processing Systems"),
        ("citation_volume", "31"),
        ("citation_arxiv_id", "1801.00001"),
        ("citation_pdf_url", "https://arxiv.org/pdf/1801.00001"),
        ("citation_abstract_html_url", URL),
        ("citation_keywords", "Bound"),
    ]


def test_journal_paper_with_doi(kb: KnowledgeBase) -> None:
    tags = citation_meta(kb.by_id["muller2019second"], kb.taxonomy)
    assert ("citation_journal_title", "Journal of Machine Learning Research") in tags
    assert ("citation_doi", "10.1000/xyz123") in tags
    names = [n for n, _ in tags]
    assert names.count("citation_author") == 2
    assert "citation_conference_title" not in names
    assert "citation_pdf_url" not in names  # no arXiv id: no PDF we know of
    assert "citation_abstract_html_url" not in names  # no site_url, no absolute URL


def test_preprint_names_its_server(kb: KnowledgeBase) -> None:
    tags = dict(citation_meta(kb.by_id["lee2020third"], kb.taxonomy))
    assert tags["citation_publisher"] == "arXiv"
    assert tags["citation_arxiv_id"] == "2001.00003"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jürgen Müller", "Müller, Jürgen"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Martin Luther King, Jr.", "Martin Luther King, Jr."),  # kept as written
        ("Plato", "Plato"),
        ("{Google Research}", "Google Research"),
    ],
)
def test_scholar_author(name: str, expected: str) -> None:
    assert scholar_author(name) == expected


def test_plain_text_description() -> None:
    text = (
        "Sharpens [[smith2018first]] and [[lee2020third|Lee's view]] with a *kernel* "
        "argument, removing $d_1 * d_2$ <b>&amp;</b> [a link](https://x.org)."
    )
    titles = {"smith2018first": "A first bound"}
    assert plain_text(text, titles) == (
        "Sharpens A first bound and Lee's view with a kernel argument, removing d_1 * d_2 & a link."
    )
    long = plain_text("word " * 100, limit=30)
    assert long == "word word word word word word…"
    assert len(long) <= 30


def test_json_ld(kb: KnowledgeBase) -> None:
    data = json_ld(kb.by_id["muller2019second"], kb.taxonomy, URL, titles={"smith2018first": "S"})
    assert data["@type"] == "ScholarlyArticle"
    assert data["author"][0] == {
        "@type": "Person",
        "name": "Jurgen Muller",
        "familyName": "Muller",
        "givenName": "Jurgen",
    }
    assert data["isPartOf"] == {
        "@type": "Periodical",
        "name": "Journal of Machine Learning Research",
    }
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1000/xyz123"}
    ]
    assert data["sameAs"] == ["https://example.org/paper", "https://doi.org/10.1000/xyz123"]
    assert data["description"] == "Sharpens S with a kernel argument, removing the dependence on d."
    assert data["url"] == URL


def test_json_ld_text_cannot_end_the_script() -> None:
    data = {"name": "</script><!-- & \u2028"}
    text = json_ld_text(data)
    assert not set("<>&") & set(text)
    assert json.loads(str(text)) == data


def test_social_meta(kb: KnowledgeBase) -> None:
    tags = social_meta(kb.by_id["smith2018first"], "Fixture KB", URL)
    assert tags == [
        ("og:type", "article"),
        ("og:title", "A first bound for alpha networks"),
        # Math as readable text, not LaTeX source.
        ("og:description", "Proves that the alpha gap is at most O(√(d/n)) for n samples."),
        ("og:site_name", "Fixture KB"),
        ("og:url", URL),
        ("twitter:card", "summary"),
    ]


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.meta.append(dict(attrs))
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


HOSTILE = """\
title: "Bounds \\"quoted\\" <script>alert(1)</script> & more"
authors: ["Eve <img src=x onerror=alert(1)>", 'Ann "Quote" Lee']
year: 2019
venue: JMLR
categories: [alpha/one]
summary: |
  A </script><script>alert(2)</script> summary & "quotes" with <b onclick=x>bold</b>.
added: 2026-11-28
"""


def test_head_html_escapes_every_value(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"hostile.yaml": HOSTILE})
    kb, problems = load_knowledge_base(root)
    assert [p for p in problems if p.severity.value == "error"] == []
    entry = kb.by_id["hostile"]
    values = head_values(entry, kb.taxonomy, 'Site "<b>"', 'https://x.org/p/?a=1&b="2"')
    page = environment(RenderOptions()).get_template("_head_meta.html").render(**values)
    assert not [bad for bad in ("<script>alert", "<img", "<b") if bad in page]
    parser = _Head()
    parser.feed(str(page))
    # Read back through an HTML parser, every value is exactly the entry's text.
    values = {(m.get("name") or m.get("property")): m["content"] for m in parser.meta}
    assert values["citation_title"] == 'Bounds "quoted" <script>alert(1)</script> & more'
    authors = [m["content"] for m in parser.meta if m.get("name") == "citation_author"]
    assert authors == [scholar_author(a) for a in entry.authors]
    assert authors[1] == 'Lee, Ann "Quote"'
    assert values["og:site_name"] == 'Site "<b>"'
    assert values["og:description"] == 'A summary & "quotes" with bold.'
    assert values["og:url"] == 'https://x.org/p/?a=1&b="2"'
    assert re.search(r'content="https://x.org/p/\?a=1&amp;b=&#34;2&#34;"', page)
    assert len(parser.scripts) == 1
    assert json.loads(parser.scripts[0])["name"] == entry.title
