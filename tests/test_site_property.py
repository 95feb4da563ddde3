"""Every string of a random valid knowledge base, through the whole site (hypothesis).

Each example writes a project whose taxonomy texts and entries hold random text (any
letters, emoji, markup, BibTeX and TeX punctuation), checks that it is valid, builds it
with a real ``mkdocs build`` and then requires of the output:

- every HTML page is well formed (tags balanced, as far as HTML requires them) and
  shows each paper's title and authors, and the groups' short titles, as text;
- every XML file (feed, sitemap, neighbourhood pictures) is well-formed XML;
- ``entries.json`` and the search index are valid JSON, without NaN or infinity;
- the ``.bib`` download parses with bibtexparser (one entry per paper, no failed
  block) and with BibTeX itself.

Few examples (a build takes seconds): the hostile corpus covers the known attacks,
this test the unknown mixtures. Marked slow.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dltheory_site.project import load_knowledge_base
from dltheory_site.text import math_problem, text_problem
from tests.conftest import mkdocs_build
from tests.helpers import make_project

pytestmark = pytest.mark.slow

#: Strings that were trouble somewhere: markup, quotes, BibTeX and TeX, XML, bidi, astral.
NASTY = [
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "a & b < c > d",
    "}}@preamble{x}@misc{zz,title={",
    "\\input{/etc/hostname}",
    "$x^2$ and $$y$$",
    "]]> <![CDATA[ x",
    "{: onclick=alert(1) }",
    "Zoë 𝔼 😀 中文",
    "\u202ertl\u202c text",
    "--- front: matter ---",
    "%comment #hash ~tilde",
    "back\\slash",
    "*emph* _u_ `code` [link](https://example.org)",
]
#: Any text the policy accepts: no controls, surrogates, unassigned code points or
#: noncharacters, no direction controls (closed ones come from NASTY), not blank.
ANY_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"),
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    min_size=1,
    max_size=30,
)
TEXT = st.one_of(st.sampled_from(NASTY), ANY_TEXT).filter(
    lambda s: (
        bool(s.strip())
        and text_problem(s) is None
        and math_problem(s) is None
        and "[[" not in s
        and s == s.strip()
    )
)
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


@st.composite
def knowledge_bases(draw: Any) -> dict[str, Any]:
    papers = []
    for n in range(draw(st.integers(1, 3))):
        papers.append(
            {
                "id": f"paper{n}",
                "title": draw(TEXT),
                "authors": draw(st.lists(TEXT, min_size=1, max_size=3)),
                "summary": draw(TEXT),
                "results": draw(st.lists(TEXT, max_size=2)),
                "notes": draw(st.none() | TEXT),
                "note": draw(TEXT),
                "rate": draw(TEXT),
                "constant": draw(st.floats(allow_nan=False, allow_infinity=False, width=32)),
                "publisher": draw(TEXT),
            }
        )
    taxonomy = {
        "short_title": draw(TEXT),
        "title": draw(TEXT),
        "description": draw(TEXT),
        "sub_title": draw(TEXT),
        "label": draw(TEXT),
        "inverse": draw(TEXT),
        "tag_title": draw(TEXT),
        "tag_description": draw(TEXT),
        "venue_name": draw(TEXT),
        "comparison_label": draw(TEXT),
    }
    return {"papers": papers, "taxonomy": taxonomy}


def _entry(paper: dict[str, Any], others: list[str]) -> str:
    lines = [
        f"title: {_q(paper['title'])}",
        f"authors: [{', '.join(_q(a) for a in paper['authors'])}]",
        "year: 2020",
        "venue: JMLR",
        "categories: [alpha/one]",
        "tags: [bound]",
        f"summary: {_q(paper['summary'])}",
    ]
    if paper["results"]:
        lines.append("results:")
        lines += [f"  - statement: {_q(r)}" for r in paper["results"]]
    if others:
        lines.append("relations:")
        lines.append(f"  - {{type: builds-on, target: {others[0]}, note: {_q(paper['note'])}}}")
    if paper["notes"] is not None:
        lines.append(f"notes: {_q(paper['notes'])}")
    lines.append(f"bibtex: {{publisher: {_q(paper['publisher'])}}}")
    lines.append(f"comparison: {{rate: {_q(paper['rate'])}, constant: {paper['constant']!r}}}")
    lines.append("added: 2026-11-30")
    return "\n".join(lines) + "\n"


def _write(root: Path, kb: dict[str, Any]) -> None:
    tax = kb["taxonomy"]
    edits = [
        ("groups/beta.yaml", "short_title: Beta", f"short_title: {_q(tax['short_title'])}"),
        ("groups/beta.yaml", "title: Beta dynamics", f"title: {_q(tax['title'])}"),
        (
            "groups/beta.yaml",
            "description: The beta group.",
            f"description: {_q(tax['description'])}",
        ),
        ("groups/beta.yaml", "title: Beta three", f"title: {_q(tax['sub_title'])}"),
        ("groups/alpha.yaml", "label: Rate in n,", f"label: {_q(tax['comparison_label'])},"),
        ("relations.yaml", "label: builds on", f"label: {_q(tax['label'])}"),
        ("relations.yaml", "inverse: built on by", f"inverse: {_q(tax['inverse'])}"),
        ("tags.yaml", "title: Bound,", f"title: {_q(tax['tag_title'])},"),
        ("tags.yaml", "description: States a bound.", f"description: {_q(tax['tag_description'])}"),
        (
            "venues.yaml",
            "name: Journal of Machine Learning Research",
            f"name: {_q(tax['venue_name'])}",
        ),
    ]
    for name, old, new in edits:
        path = root / "taxonomy" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    ids = [p["id"] for p in kb["papers"]]
    for i, paper in enumerate(kb["papers"]):
        (root / "entries" / f"{paper['id']}.yaml").write_text(
            _entry(paper, ids[:i]), encoding="utf-8"
        )


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr", "param", "path", "rect", "circle", "line", "polyline", "polygon"}
VOID |= {"stop", "use", "ellipse"}
#: Elements whose end tag HTML lets a page leave out.
OPTIONAL_END = {"p", "li", "td", "th", "tr", "thead", "tbody", "tfoot", "option", "dt", "dd"}
OPTIONAL_END |= {"html", "head", "body", "colgroup", "caption", "optgroup"}


class _WellFormed(HTMLParser):
    """Tag balance as HTML requires it, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag not in self.stack:
            self.problems.append(f"stray </{tag}>")
            return
        while self.stack:
            top = self.stack.pop()
            if top == tag:
                break
            if top not in OPTIONAL_END:
                self.problems.append(f"<{top}> closed by </{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def result(self) -> tuple[list[str], str]:
        unclosed = [f"unclosed <{t}>" for t in self.stack if t not in OPTIONAL_END]
        return self.problems + unclosed, " ".join(" ".join(self.text).split())


def _page(path: Path) -> tuple[list[str], str]:
    parser = _WellFormed()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.result()


def _shown(value: str) -> str:
    return " ".join(value.split())


def _check_site(site: Path, kb: dict[str, Any]) -> None:
    pages = sorted(site.rglob("*.html"))
    assert pages
    texts = {}
    for path in pages:
        problems, text = _page(path)
        assert problems == [], (path.relative_to(site).as_posix(), problems)
        texts[path.relative_to(site).as_posix()] = text
    short = _shown(kb["taxonomy"]["short_title"])
    for paper in kb["papers"]:
        text = texts[f"papers/{paper['id']}/index.html"]
        assert _shown(paper["title"]) in text, paper["title"]
        for author in paper["authors"]:
            assert _shown(author) in text, author
        assert short.replace("<", "‹").replace(">", "›").replace('"', "″") in text, short
    for path in [site / "feed.xml", site / "sitemap.xml", *sorted(site.rglob("*.svg"))]:
        if path.name.endswith(".svg") and "assets" in path.parts:
            continue
        ET.parse(path)

    def refuse(name: str) -> None:
        raise ValueError(name)

    for name in ("downloads/entries.json", "search/search_index.json"):
        json.loads((site / name).read_text(encoding="utf-8"), parse_constant=refuse)
    bib = (site / "downloads" / "dltheory.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == []
    assert sorted(e.key for e in library.entries) == sorted(p["id"] for p in kb["papers"])
    assert library.preambles == []
    _bibtex_reads(site / "downloads", bib)


STYLE = """\
ENTRY { title author year journal booktitle eprint doi url howpublished publisher } {} {}
FUNCTION {out} { duplicate$ missing$ { pop$ } { write$ newline$ } if$ }
FUNCTION {copy} { title out author out publisher out }
FUNCTION {article} { copy }
FUNCTION {inproceedings} { copy }
FUNCTION {incollection} { copy }
FUNCTION {misc} { copy }
FUNCTION {default.type} { copy }
READ
ITERATE { call.type$ }
"""


def _bibtex_reads(folder: Path, bib: str) -> None:
    if not shutil.which("bibtex"):
        if os.environ.get("CI") == "true":
            pytest.fail("bibtex not found (Debian's texlive-binaries)")
        return
    (folder / "check.bst").write_text(STYLE, encoding="utf-8")
    (folder / "kb.aux").write_text(
        "\\relax\n\\citation{*}\n\\bibstyle{check}\n\\bibdata{dltheory}\n", encoding="utf-8"
    )
    env = {**os.environ, "BIBINPUTS": str(folder), "BSTINPUTS": str(folder)}
    result = subprocess.run(
        ["bibtex", "-terse", "kb"], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + bib
    assert "error" not in result.stdout.lower(), result.stdout
    assert "\\input" not in (folder / "kb.bbl").read_text(encoding="utf-8")


@SETTINGS
@given(kb=knowledge_bases())
def test_every_string_survives_the_whole_site(
    tmp_path_factory: pytest.TempPathFactory, kb: dict[str, Any]
) -> None:
    tmp = tmp_path_factory.mktemp("property")
    root = make_project(tmp)
    _write(root, kb)
    _kb, problems = load_knowledge_base(root)
    errors = [p.format() for p in problems if p.severity.value == "error"]
    assume(not errors)  # duplicate or clashing random texts: not a valid knowledge base
    result = mkdocs_build(root / "mkdocs.yml", tmp / "site", strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    _check_site(tmp / "site", kb)
