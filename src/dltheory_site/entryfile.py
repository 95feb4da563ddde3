"""Writing entry files: the canonical YAML form, skeletons, and ``fmt``.

The canonical form: fields in the model's order; ``title`` and ``arxiv`` in
double quotes, other scalars plain where YAML reads them back unchanged;
``authors`` and ``tags`` as one-line lists, ``categories`` as a block list,
relations as one-line mappings, prose as literal blocks (``|``); no blank
lines between fields.

``fmt`` works on the text, not on re-dumped data, so that nothing a
contributor wrote is lost: a top-level field whose lines hold a comment keeps
its text and only moves; every other field is rewritten from its value. The
result is only accepted when it loads to exactly the same data and holds the
same comments; otherwise the file is left alone and reported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from dltheory_site.loader import load_text
from dltheory_site.model import ENTRY_FIELDS, field_reference

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9À-ɏ][^:#\n\"'{}\[\],&*!|>%@`]*$")
_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(.*)$")
QUOTED_FIELDS = {"title", "arxiv"}
FLOW_LISTS = {"authors", "tags"}
INDENT = "  "


def scalar(value: Any, *, quote: bool = False) -> str:
    """A YAML scalar that loads back to exactly ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not quote and _PLAIN_SAFE.match(text) and text == text.strip():
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: str) -> str | None:
    """A literal block scalar for ``text``, or None when one cannot hold it exactly."""
    if not text.strip() or text[0] in " \t" or "\t" in text or "\r" in text:
        return None
    if any(line != line.rstrip() for line in text.split("\n")):
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = {0: "-", 1: ""}.get(trailing, "+")
    if chomp == "+":
        return None
    lines = [f"{indent}{line}" if line else "" for line in body.split("\n")]
    return f"|{chomp}\n" + "\n".join(lines)


def _prose(value: str, indent: str) -> str:
    block = _block(value, indent)
    return block if block is not None else scalar(value, quote=True)


def _flow_list(items: Iterable[Any]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def _flow_map(item: dict[str, Any]) -> str:
    # Free text (a relation's note) is quoted; ids and types stay plain.
    return "{" + ", ".join(f"{k}: {scalar(v, quote=k == 'note')}" for k, v in item.items()) + "}"


def dump_field(key: str, value: Any) -> str:
    """One top-level field in canonical form (no trailing newline)."""
    if key in {"summary", "notes"} and isinstance(value, str):
        return f"{key}: {_prose(value, INDENT)}"
    if isinstance(value, list) and key in FLOW_LISTS and all(isinstance(i, str) for i in value):
        return f"{key}: {_flow_list(value)}"
    if isinstance(value, list) and value and all(isinstance(i, str) for i in value):
        return f"{key}:\n" + "\n".join(f"{INDENT}- {scalar(i)}" for i in value)
    if (
        key == "results"
        and isinstance(value, list)
        and all(
            isinstance(r, dict) and set(r) == {"statement"} and isinstance(r["statement"], str)
            for r in value
        )
        and value
    ):
        lines = [f"{INDENT}- statement: {_prose(r['statement'], INDENT * 3)}" for r in value]
        return f"{key}:\n" + "\n".join(lines)
    if (
        key == "relations"
        and isinstance(value, list)
        and value
        and all(
            isinstance(r, dict) and all(not isinstance(v, dict | list) for v in r.values())
            for r in value
        )
    ):
        return f"{key}:\n" + "\n".join(f"{INDENT}- {_flow_map(r)}" for r in value)
    if (
        isinstance(value, dict)
        and value
        and all(not isinstance(v, dict | list) for v in value.values())
    ):
        lines = [
            f"{INDENT}{scalar(k)}: {scalar(v, quote=isinstance(v, str))}" for k, v in value.items()
        ]
        return f"{key}:\n" + "\n".join(lines)
    if isinstance(value, list | dict):
        if not value:
            return f"{key}: {'[]' if isinstance(value, list) else '{}'}"
        dumped = yaml.safe_dump(
            {key: value},
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=10_000,
        )
        return dumped.rstrip("\n")
    return f"{key}: {scalar(value, quote=key in QUOTED_FIELDS)}"


def dump_entry(data: dict[str, Any]) -> str:
    """An entry's data in canonical form (known fields in order, then any others)."""
    keys = [k for k in ENTRY_FIELDS if k in data] + [k for k in data if k not in ENTRY_FIELDS]
    return "\n".join(dump_field(k, data[k]) for k in keys) + "\n"


def skeleton(values: dict[str, Any], today: dt.date) -> str:
    """A new entry file: every field, each under a comment that says what it holds.

    Args:
        values: Fields already known (from arXiv or Crossref); the rest are left empty
            for the contributor, and ``validate`` names each one still missing.
        today: The ``added`` date.
    """
    empty: dict[str, Any] = {
        "draft": True,
        "title": "",
        "authors": [],
        "year": today.year,
        "venue": "",
        "arxiv": None,
        "doi": None,
        "url": None,
        "code": None,
        "categories": [],
        "tags": [],
        "summary": "",
        "results": [],
        "relations": [],
        "notes": None,
        "bibtex": {},
        "comparison": {},
        "added": today,
    }
    lines = [
        "# A new entry of the knowledge base. Fill in every field, delete the optional ones",
        "# you do not need and the draft line, then run 'make fmt validate'. Facts must be",
        "# right or absent.",
    ]
    for name, required, description in field_reference():
        note = "" if required or name == "draft" else " Optional."
        lines.append(f"# {description}{note}")
        lines.append(dump_field(name, values.get(name, empty[name])))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- fmt


@dataclass(frozen=True, slots=True)
class _Block:
    key: str | None
    lead: tuple[str, ...]  # comment lines before the key line
    lines: tuple[str, ...]  # the key line and its continuation lines
    first: int = 0  # the 0-based number of the key line


def comment_lines(text: str) -> dict[int, str]:
    """0-based line number -> the comment on that line, as YAML reads the text.

    The pure-Python scanner of PyYAML gives the exact span of every scalar (quoted,
    plain, literal or folded, escapes included); a ``#`` outside all of them, at the
    start of a line or after a space or tab, starts a comment. Guessing the same from
    quotes and indentation lost comments after ``"a \\\\"`` and below block scalars.
    A text that does not scan has no comments here (``fmt`` leaves it alone anyway).
    """
    if "#" not in text:
        return {}
    spans: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return {}
    out: dict[int, str] = {}
    span = 0
    for match in re.finditer("#", text):
        at = match.start()
        while span < len(spans) and spans[span][1] <= at:
            span += 1
        if span < len(spans) and spans[span][0] <= at:
            continue  # inside a scalar
        if at and text[at - 1] not in " \t\n":
            continue
        line = text.count("\n", 0, at)
        if line in out:
            continue
        end = text.find("\n", at)
        out[line] = text[at : end if end >= 0 else len(text)].rstrip()
    return out


def comments(text: str) -> list[str]:
    """The comments of a YAML text, in order."""
    return list(comment_lines(text).values())


def _split(text: str) -> tuple[list[str], list[_Block], list[str]]:
    """(header comments, top-level field blocks, trailing comments) of an entry's text."""
    header: list[str] = []
    blocks: list[_Block] = []
    lead: list[str] = []
    current: list[str] | None = None
    lead_of_current: list[str] = []
    key: str | None = None
    first = 0
    for number, line in enumerate(text.rstrip("\n").split("\n")):
        match = _KEY_LINE.match(line)
        if match and not line.startswith((" ", "\t", "#", "-")):
            if current is not None:
                blocks.append(_Block(key, tuple(lead_of_current), tuple(current), first))
            key = match.group(1)
            if current is None:
                header = [c for c in lead if c.strip()]
                lead = []
            lead_of_current = [c for c in lead if c.strip()]
            lead = []
            current = [line]
            first = number
        elif current is None or (line.startswith("#") and not line.startswith(" ")):
            lead.append(line)
        elif not line.strip():
            lead.append(line)  # a blank line: decided when the next line comes
        else:
            if lead:
                current.extend(lead)  # blank lines inside a block scalar
                lead = []
            current.append(line)
    if current is not None:
        blocks.append(_Block(key, tuple(lead_of_current), tuple(current), first))
    return header, blocks, [c for c in lead if c.strip()]


def format_text(text: str) -> str | None:
    """The canonical form of an entry file's text, or None when it cannot be made safely.

    None means: the file does not load (``validate`` says why), or rewriting it
    would change a value or a comment; the file is then left as it is.
    """
    before = load_text(text, "<fmt>")
    if before.data is None or not isinstance(before.data, dict) or before.diagnostics:
        return None
    header, blocks, trailing = _split(text)
    noted = comment_lines(text)
    if any(b.key is None for b in blocks) or len({b.key for b in blocks}) != len(blocks):
        return None
    order = {k: i for i, k in enumerate(ENTRY_FIELDS)}
    blocks.sort(key=lambda b: order.get(b.key or "", len(order)))
    out: list[str] = list(header)
    for block in blocks:
        out.extend(block.lead)
        key = block.key or ""
        if any(block.first + i in noted for i in range(len(block.lines))):
            out.extend(line.rstrip() for line in block.lines)
        else:
            out.append(dump_field(key, before.data[key]))
    out.extend(trailing)
    result = "\n".join(out).rstrip("\n") + "\n"
    after = load_text(result, "<fmt>")
    if after.data != before.data or sorted(comments(result)) != sorted(comments(text)):
        return None
    return result
