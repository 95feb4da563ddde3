"""Property tests: arbitrary input gives an Entry or diagnostics, never an exception.

Whatever a file holds (any text, any YAML document, any value in any field),
``load_text`` + ``check_entry`` must answer with an entry or with diagnostics,
as ``validate`` and the build rely on. Whatever Markdown and HTML a prose field
holds, ``ProseRenderer.to_html`` must keep scripts, handlers and script URLs out.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dltheory_site.checks import check_entry
from dltheory_site.diagnostics import Diagnostic, Severity
from dltheory_site.loader import load_text
from dltheory_site.model import ENTRY_FIELDS, Entry
from dltheory_site.project import load_taxonomy
from dltheory_site.prose import ProseRenderer
from tests.helpers import FIXTURE_SITE

TAXONOMY, _DOCS, _PROBLEMS = load_taxonomy(FIXTURE_SITE)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # write nothing into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
VALID = {
    "title": "A valid paper",
    "authors": ["Ada Lovelace"],
    "year": 2019,
    "venue": "NeurIPS",
    "categories": ["alpha/one"],
    "summary": "A summary.\n",
    "added": dt.date(2026, 11, 28),
}


def _check(text: str) -> tuple[Entry | None, list[Diagnostic]]:
    """What validate does with one file's text; asserts the shape of the answer."""
    doc = load_text(text, "entries/fuzz.yaml")
    entry, problems = check_entry(doc, "fuzz", TAXONOMY)
    assert all(isinstance(p, Diagnostic) for p in problems)
    for p in problems:
        assert p.format().startswith("entries/fuzz.yaml:")  # every problem can be reported
    if entry is None:
        assert any(p.severity is Severity.ERROR for p in problems)
    else:
        assert isinstance(entry, Entry)
        assert not any(p.severity is Severity.ERROR for p in problems)
    return entry, problems


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**4290, max_value=10**4299)  # near Python's int-to-str limit
    | st.floats()
    | st.text(max_size=50)
    | st.dates()
    | st.datetimes()
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.text(max_size=10) | st.sampled_from(ENTRY_FIELDS), children, max_size=5
        )
    ),
    max_leaves=30,
)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FUZZ
@given(st.text(max_size=2000))
def test_any_text_gives_entry_or_diagnostics(text: str) -> None:
    _check(text)


@FUZZ
@given(values)
def test_any_yaml_document_gives_entry_or_diagnostics(data: Any) -> None:
    _check(_dump(data))


@FUZZ
@given(st.sampled_from((*ENTRY_FIELDS, "id", "extra")), values)
def test_any_value_in_any_field_gives_entry_or_diagnostics(field: str, value: Any) -> None:
    _check(_dump({**VALID, field: value}))


YAML_TAGS = [
    "str",
    "int",
    "float",
    "bool",
    "null",
    "timestamp",
    "binary",
    "seq",
    "map",
    "set",
    "omap",
    "python/none",
    "merge",
    "value",
]


@FUZZ
@given(
    st.sampled_from(ENTRY_FIELDS),
    st.sampled_from(YAML_TAGS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
)
def test_any_explicit_tag_gives_entry_or_diagnostics(field: str, tag: str, raw: str) -> None:
    # Explicit tags make PyYAML's constructors read the text: '!!bool maybe', '!!int ""'.
    text = _dump({k: v for k, v in VALID.items() if k != field})
    _check(text + f"{field}: !!{tag} {yaml.safe_dump(raw).splitlines()[0]}\n")


@pytest.mark.parametrize(
    "line",
    [
        "title: !!bool maybe",  # no such boolean
        "title: !!timestamp hello",  # not a date at all
        'year: !!int ""',  # an empty number
        'year: !!float ""',  # an empty float
        "title: 0x" + "f" * 4000,  # a hex number with more than 4300 decimal digits
        "authors: [0x" + "f" * 4000 + "]",  # the same inside a list
        "summary: 0" + "7" * 5000,  # the same in YAML 1.1 octal
    ],
    ids=[
        "bool",
        "timestamp",
        "empty-int",
        "empty-float",
        "huge-hex",
        "huge-hex-list",
        "huge-octal",
    ],
)
def test_scalars_that_trip_constructors_become_diagnostics(line: str) -> None:
    field = line.split(":", 1)[0]
    text = _dump({k: v for k, v in VALID.items() if k != field}) + line + "\n"
    entry, problems = _check(text)
    assert entry is None
    assert [p.field for p in problems if p.severity is Severity.ERROR][:1] in (
        [field],
        [f"{field}[0]"],
    )


# --------------------------------------------------------------------------- prose

HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    "<ScRiPt>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">',
    "</a>",
    "[x](javascript:alert(1))",
    "![y](javascript:1)",
    "<javascript:alert(1)>",
    '"',
    "'",
    "`",
    "<",
    ">",
    "&",
    "&#106;",
    "&#x09;",
    "java\tscript:",
    " onclick=alert(1)",
    "onmouseover=",
    "{: onclick=alert(1) }",
    "$",
    "$$",
    "\\(",
    "\\)",
    "[[known]]",
    "[[known|",
    "]]",
    "|",
    "\n",
    "\n\n",
    "    ",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    '<span class="arithmatex" onclick=x>',
    "<div ",
    "<a ",
    "href=",
    "src=",
    "data:text/html,",
    "vbscript:",
    "javascript:",
    "<math>",
    "<noscript>",
    "<template>",
    '<p title="',
    "| a | b |\n| - | - |\n",
    "* ",
    "1. ",
    "> ",
    "`code`",
    "\\",
    "\u202e",
    "\u200b",
]
prose_text = st.text(max_size=300) | st.lists(
    st.sampled_from(HOSTILE_PIECES) | st.text(max_size=8), max_size=40
).map("".join)

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _resolve(target: str) -> tuple[str, str] | None:
    return ("Known (2020)", "../known/") if target == "known" else None


def _unsafe(out: str) -> list[str]:
    parser = _Tags()
    parser.feed(out)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag in {"script", "style", "iframe", "object", "embed", "img", "svg", "form", "base"}:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            url = re.sub(r"[\t\n\r]", "", html.unescape(value or "")).lstrip(
                "".join(chr(c) for c in range(0x21))
            )
            if name in {"href", "src", "action", "formaction"} and url.lower().startswith(
                DANGEROUS_SCHEMES
            ):
                found.append(f"<{tag} {name}={value!r}>")
    return found


RENDERER = ProseRenderer()


#: A handler name outside the quoted attribute values of a tag (a quoted value is text:
#: ``<p title=" ona=">`` has none).
_HANDLER = re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.I)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


@FUZZ
@given(prose_text)
@example('<P TITLE=" ONA=">')  # found by CI: a handler-like title value, not a handler
def test_prose_output_has_no_script_handler_or_script_url(text: str) -> None:
    out = str(RENDERER.to_html(text, _resolve))
    assert "<script" not in out.lower()
    assert not _HANDLER.search(_QUOTED.sub('""', out))  # no handler in any tag
    assert _unsafe(out) == []  # the same, as a parser reads the tags


def test_the_handler_check_tells_a_handler_from_a_quoted_value() -> None:
    assert not _HANDLER.search(_QUOTED.sub('""', '<p title=" ONA="></p>'))
    assert _unsafe('<p title=" ONA="></p>') == []
    for handler in ('<p onclick="x()">', "<p title='a' ONLOAD=x>"):
        assert _HANDLER.search(_QUOTED.sub('""', handler)), handler
        assert _unsafe(handler), handler
    # No space before the handler: browsers still read it; the parser check sees it.
    assert _unsafe('<p title="a"onfocus=x>')


@FUZZ
@given(prose_text)
def test_prose_output_is_stable_under_a_second_pass(text: str) -> None:
    # Sanitised output fed back in (as a template or a second converter would) stays safe.
    once = str(RENDERER.to_html(text, _resolve))
    twice = str(RENDERER.to_html(html.unescape(once), _resolve))
    assert _unsafe(twice) == []
    assert "<script" not in twice.lower()


@pytest.mark.parametrize(
    "text",
    [
        "null\n",  # the word null
        "~\n",  # YAML's short null
        "--- null\n...\n",  # what yaml.safe_dump(None) writes
    ],
    ids=["null", "tilde", "explicit"],
)
def test_a_null_document_is_reported_not_dropped(text: str) -> None:
    # A file that loads to nothing must be reported, or validate passes while the entry vanishes.
    entry, problems = _check(text)
    assert entry is None
    assert [p.format() for p in problems] == [
        "entries/fuzz.yaml:1:1: error[E003] the file holds nothing (null), not a mapping of "
        "fields (an entry starts with 'title:' on the first line)"
    ]
