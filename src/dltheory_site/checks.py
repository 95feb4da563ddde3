"""Validation: one file against the model, and the whole knowledge base across files.

Pydantic does the per-field work; this module turns its errors into
diagnostics with lines, codes and hints, and adds the checks that need more
than one file: dangling and self relations, the same paper twice, links in
prose that point nowhere.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from dltheory_site.diagnostics import Diagnostic, Severity
from dltheory_site.loader import Document, FieldPath, format_field
from dltheory_site.model import ID_RE, Entry, Taxonomy, entry_context
from dltheory_site.text import describe_value, did_you_mean, normalise_title, slugify

M = TypeVar("M", bound=BaseModel)

#: ``[[entry-id]]`` or ``[[entry-id|label]]`` in prose links to an entry's page.
WIKILINK_RE = re.compile(r"\[\[([^\[\]|\n]{1,100})(?:\|([^\]\n]{1,200}))?\]\]")

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "literal_error": "one of the allowed words",
}


def _model_fields(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """The field names allowed at ``loc`` (the mapping an unknown key sits in)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return [f for f in getattr(current, "model_fields", {}) if f != "id"]


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside ``tuple[Model, ...]`` / ``Annotated[...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


def _type_hint(field: str, value: Any) -> str:
    if field in {"arxiv", "doi"} and isinstance(value, int | float):
        return f'put the {field} in quotes, e.g. "1806.07572": unquoted, YAML reads a number'
    if isinstance(value, str) and field in {"authors", "categories", "tags"}:
        return f"write a list, e.g. {field}: [first, second]"
    if field.startswith("bibtex.") and not isinstance(value, str):
        return 'quote BibTeX values: volume: "20"'
    if field == "year" and isinstance(value, str):
        return "write the year as a number without quotes"
    return ""


def pydantic_diagnostics(
    error: ValidationError, doc: Document, model: type[BaseModel], base: FieldPath = ()
) -> list[Diagnostic]:
    """Turn a pydantic error into one diagnostic per problem, placed on its line."""
    out: list[Diagnostic] = []
    errors = error.errors(include_url=False)
    # A list whose items all failed also fails its length rule: report the items only.
    failed_parents = {tuple(e["loc"][:-1]) for e in errors if e["type"] != "too_short"}
    for err in errors:
        if err["type"] == "too_short" and tuple(err["loc"]) in failed_parents:
            continue
        loc: FieldPath = (*base, *err["loc"])
        inner = tuple(err["loc"])
        field = format_field(loc)
        kind = err["type"]
        value = err.get("input")
        ctx = err.get("ctx") or {}
        line, col = doc.mark(loc)
        if kind == "missing":
            name = str(inner[-1])
            where = format_field(loc[:-1])
            line, col = doc.mark(loc[:-1])
            message = f"required field '{name}' is missing" + (f" in {where}" if where else "")
            out.append(Diagnostic(doc.path, line, col, "E011", field, message, f"add '{name}:'"))
            continue
        if kind == "extra_forbidden":
            name = str(inner[-1])
            line, col = doc.key_mark(loc)
            allowed = _model_fields(model, inner[:-1])
            if name == "id" and len(inner) == 1:
                hint = "the id is the file name; remove this line"
            else:
                hint = did_you_mean(name, allowed) or f"allowed fields: {', '.join(allowed)}"
            out.append(
                Diagnostic(doc.path, line, col, "E010", field, f"unknown field '{name}'", hint)
            )
            continue
        if kind.startswith(("E0", "W0")):
            out.append(
                Diagnostic(doc.path, line, col, kind, field, err["msg"], str(ctx.get("hint", "")))
            )
            continue
        if kind in _EXPECTED:
            expected = _EXPECTED[kind]
            if kind == "literal_error":
                expected = f"one of {ctx.get('expected', '')}"
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E012",
                    field,
                    f"expected {expected}, got {describe_value(value)}",
                    _type_hint(field, value),
                )
            )
            continue
        if kind in {"too_short", "too_long", "string_too_short", "string_too_long"}:
            code = "E008" if kind.endswith("too_long") else "E013"
            # Constrained text types report string lengths as too_long too.
            if isinstance(value, str):
                kind = "string_" + kind.removeprefix("string_")
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    code,
                    field,
                    _length_message(kind, ctx),
                    "" if code == "E013" else "shorten it",
                )
            )
            continue
        if kind == "string_pattern_mismatch":
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E013",
                    field,
                    f"'{value}' has the wrong form",
                    "use lower-case letters, digits and hyphens",
                )
            )
            continue
        out.append(Diagnostic(doc.path, line, col, "E013", field, str(err["msg"]), ""))
    return out


def _length_message(kind: str, ctx: Mapping[str, Any]) -> str:
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_long":
        return f"has more than {ctx.get('max_length')} items"
    return f"is longer than {ctx.get('max_length')} characters"


def validate_model(
    model: type[M],
    data: Any,
    doc: Document,
    context: dict[str, Any] | None = None,
    base: FieldPath = (),
) -> tuple[M | None, list[Diagnostic]]:
    """Validate plain data against a model; problems become diagnostics."""
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as e:
        return None, pydantic_diagnostics(e, doc, model, base)


def check_entry(
    doc: Document, entry_id: str, taxonomy: Taxonomy
) -> tuple[Entry | None, list[Diagnostic]]:
    """Validate one loaded entry file against the model and the taxonomy."""
    problems = list(doc.diagnostics)
    if doc.data is None:
        return None, problems
    if not isinstance(doc.data, dict):
        line, col = doc.mark(())
        problems.append(
            Diagnostic(
                doc.path,
                line,
                col,
                "E003",
                "",
                f"the file holds {describe_value(doc.data)}, not a mapping of fields",
                "an entry starts with 'title:' on the first line",
            )
        )
        return None, problems
    bad_id = not ID_RE.match(entry_id) or len(entry_id) > 80
    if bad_id:
        problems.append(
            Diagnostic(
                doc.path,
                0,
                0,
                "E014",
                "",
                f"file name '{entry_id}' is not a valid entry id",
                f"rename the file to '{slugify(entry_id)}.yaml': "
                "lower-case letters, digits, hyphens",
            )
        )
    data = {**doc.data, "id": "x" if bad_id else entry_id}
    if "id" in doc.data:
        data["id "] = doc.data["id"]  # reported as an unknown field below
    entry, found = validate_model(Entry, data, doc, entry_context(taxonomy))
    for d in found:
        if d.field == "id ":
            line, col = doc.key_mark(("id",))
            d = Diagnostic(
                d.path,
                line,
                col,
                "E010",
                "id",
                "unknown field 'id'",
                "the id is the file name; remove this line",
            )
        problems.append(d)
    if entry is not None:
        problems.extend(check_comparison(entry, doc, taxonomy))
    if problems and any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    return entry, problems


def check_comparison(entry: Entry, doc: Document, taxonomy: Taxonomy) -> list[Diagnostic]:
    """Comparison values must be fields that one of the entry's subcategories defines."""
    fields = {
        f.id: f
        for category in entry.categories
        if category in taxonomy.subcategories
        for f in taxonomy.subcategories[category][1].comparison
    }
    out = []
    for key, value in entry.comparison.items():
        line, col = doc.key_mark(("comparison", key))
        field = fields.get(key)
        if field is None:
            hint = did_you_mean(key, fields) or (
                "fields: " + ", ".join(fields)
                if fields
                else "the entry's subcategories define no comparison fields"
            )
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E029",
                    f"comparison.{key}",
                    f"'{key}' is not a comparison field of the entry's subcategories",
                    hint,
                )
            )
        elif field.type == "enum" and value not in field.values:
            line, col = doc.mark(("comparison", key))
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E013",
                    f"comparison.{key}",
                    f"'{value}' is not one of the values of '{key}'",
                    "one of: " + ", ".join(field.values),
                )
            )
        elif field.type == "text" and not isinstance(value, str):
            line, col = doc.mark(("comparison", key))
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E012",
                    f"comparison.{key}",
                    f"expected text, got {describe_value(value)}",
                    f'put it in quotes: {key}: "{value}"',
                )
            )
        elif field.type == "number" and not isinstance(value, int | float):
            line, col = doc.mark(("comparison", key))
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E012",
                    f"comparison.{key}",
                    f"expected a number, got {describe_value(value)}",
                    "",
                )
            )
    return out


# --------------------------------------------------------------------------- cross-entry


def wikilinks(text: str) -> list[str]:
    """The entry ids that ``[[id]]`` links in a Markdown text point to."""
    return [m.group(1).strip() for m in WIKILINK_RE.finditer(text)]


def entry_prose(entry: Entry) -> Iterable[tuple[FieldPath, str]]:
    """Every Markdown field of an entry, with its field path."""
    yield ("summary",), entry.summary
    for i, result in enumerate(entry.results):
        yield ("results", i, "statement"), result.statement
    if entry.notes:
        yield ("notes",), entry.notes
    for i, rel in enumerate(entry.relations):
        if rel.note:
            yield ("relations", i, "note"), rel.note
    for key, value in entry.comparison.items():
        if isinstance(value, str):
            yield ("comparison", key), value


def check_links(
    doc: Document, prose: Iterable[tuple[FieldPath, str]], known: Mapping[str, object]
) -> list[Diagnostic]:
    """Report ``[[id]]`` links whose target is not an entry (a suggestion for the first few)."""
    out: list[Diagnostic] = []
    for fpath, text in prose:
        for target in wikilinks(text):
            if target not in known:
                line, col = doc.mark(fpath)
                suggest = len(out) < MAX_SUGGESTIONS  # each is a search over every id
                out.append(
                    Diagnostic(
                        doc.path,
                        line,
                        col,
                        "E027",
                        format_field(fpath),
                        f"link [[{target}]] points to no entry",
                        (suggest and did_you_mean(target, known))
                        or "link an entry id, the file name without .yaml",
                    )
                )
    return out


#: Dangling links of one file that get a did-you-mean (the rest are reported without).
MAX_SUGGESTIONS = 5

# Math and code are text, not markup: `$a<b$` is not a tag.
_MATH_OR_CODE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$|`[^`\n]*`", re.S)
# A tag starts right after "<" ("a < b" is text); <https://...> is a Markdown autolink.
_RAW_HTML = re.compile(r"<(?!(?:https?|mailto):)/?[A-Za-z!?][^>]{0,200}>?", re.I)
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_BAD_SCHEME = re.compile(r"^(?:(?:javascript|vbscript|data|file):|//|\\\\|/\\)", re.I)


def unsafe_markup(text: str) -> list[str]:
    """What the sanitiser will remove from a prose field: raw HTML and dangerous links.

    Prose is Markdown and math only. Raw HTML never reaches a page (nh3 removes it
    when the page is built); this finds it beforehand so validation can say so.
    """
    plain = _MATH_OR_CODE.sub(" ", text)
    found = [m.group(0)[:40] for m in _RAW_HTML.finditer(plain)]
    for m in _LINK_TARGET.finditer(plain):
        target = html.unescape(m.group(1) or m.group(2) or "")
        compact = "".join(ch for ch in target if not ch.isspace() and ch.isprintable())
        if _BAD_SCHEME.match(compact):
            found.append(target[:40])
    return found


def check_markup(doc: Document, prose: Iterable[tuple[FieldPath, str]]) -> list[Diagnostic]:
    """A warning for each prose field that holds markup the sanitiser will remove."""
    out = []
    for fpath, text in prose:
        found = unsafe_markup(text)
        if found:
            line, col = doc.mark(fpath)
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "W001",
                    format_field(fpath),
                    f"raw HTML or an unsafe link is removed from the page: {found[0]!r}"
                    + (f" and {len(found) - 1} more" if len(found) > 1 else ""),
                    "prose is Markdown and math only; links must be http(s)",
                    Severity.WARNING,
                )
            )
    return out


def check_entries(entries: Sequence[Entry], docs: Mapping[str, Document]) -> list[Diagnostic]:
    """Checks across entries: relations, duplicate papers, prose links.

    Args:
        entries: The valid entries, in id order.
        docs: Each entry's loaded document, by id, for positions.
    """
    out: list[Diagnostic] = []
    by_id = {e.id: e for e in entries}
    for entry in entries:
        doc = docs[entry.id]
        seen: set[tuple[str, str]] = set()
        for i, rel in enumerate(entry.relations):
            line, col = doc.mark(("relations", i, "target"))
            field = f"relations[{i}].target"
            if rel.target == entry.id:
                out.append(
                    Diagnostic(
                        doc.path,
                        line,
                        col,
                        "E025",
                        field,
                        "an entry cannot be related to itself",
                        "point the relation at another entry",
                    )
                )
            elif rel.target not in by_id:
                hint = (
                    did_you_mean(rel.target, by_id) or "the target must be an entry id in entries/"
                )
                out.append(
                    Diagnostic(
                        doc.path,
                        line,
                        col,
                        "E024",
                        field,
                        f"relation target '{rel.target}' is not an entry",
                        hint,
                    )
                )
            if (rel.type, rel.target) in seen:
                out.append(
                    Diagnostic(
                        doc.path,
                        line,
                        col,
                        "W002",
                        field,
                        f"relation '{rel.type}' to '{rel.target}' is given twice",
                        "remove one",
                        Severity.WARNING,
                    )
                )
            seen.add((rel.type, rel.target))
        out.extend(check_links(doc, entry_prose(entry), by_id))
        out.extend(check_markup(doc, entry_prose(entry)))
        if entry.summary.lstrip().startswith("TODO"):
            line, col = doc.mark(("summary",))
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "W003",
                    "summary",
                    "the summary is still a placeholder",
                    "write 2-6 sentences in your own words",
                    Severity.WARNING,
                )
            )
    out.extend(_duplicates(entries, docs))
    out.extend(_builds_on_cycles(entries, docs))
    return out


def _builds_on_cycles(entries: Sequence[Entry], docs: Mapping[str, Document]) -> list[Diagnostic]:
    """A paper cannot build on itself through others: report each builds-on cycle found."""
    edges: dict[str, list[tuple[int, str]]] = {
        e.id: [
            (i, r.target)
            for i, r in enumerate(e.relations)
            if r.type == "builds-on" and r.target != e.id
        ]
        for e in entries
    }
    done: set[str] = set()
    out: list[Diagnostic] = []
    for start in sorted(edges):
        if start in done:
            continue
        # Iterative depth-first search; `stack` is the current path.
        stack: list[tuple[str, Iterator[tuple[int, str]]]] = [(start, iter(edges[start]))]
        on_path = {start}
        while stack:
            node, steps = stack[-1]
            step = next(steps, None)
            if step is None:
                stack.pop()
                on_path.discard(node)
                done.add(node)
                continue
            index, target = step
            if target not in edges or target in done:
                continue
            if target in on_path:
                names = [n for n, _ in stack]
                cycle = [*names[names.index(target) :], target]
                doc = docs[node]
                line, col = doc.mark(("relations", index, "target"))
                out.append(
                    Diagnostic(
                        doc.path,
                        line,
                        col,
                        "E028",
                        f"relations[{index}].target",
                        "builds-on relations form a cycle: " + " -> ".join(cycle),
                        "a paper builds on older work; remove or retype one of these relations",
                    )
                )
                continue
            stack.append((target, iter(edges[target])))
            on_path.add(target)
    return out


def _duplicates(entries: Sequence[Entry], docs: Mapping[str, Document]) -> list[Diagnostic]:
    keys: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        if e.arxiv:
            keys[("arXiv id", e.arxiv.lower())].append(e)
        if e.doi:
            keys[("DOI", e.doi.lower())].append(e)
        keys[("title", normalise_title(e.title))].append(e)
    out = []
    field_of = {"arXiv id": "arxiv", "DOI": "doi", "title": "title"}
    for (what, _value), found in keys.items():
        group = sorted(found, key=lambda e: (e.added, e.id))  # the copy is the later one
        first = group[0]
        for other in group[1:]:
            doc = docs[other.id]
            field = field_of[what]
            line, col = doc.mark((field,))
            out.append(
                Diagnostic(
                    doc.path,
                    line,
                    col,
                    "E026",
                    field,
                    f"the same paper as '{first.id}' (same {what})",
                    f"{docs[first.id].path} already holds it; keep one entry",
                )
            )
    return out
