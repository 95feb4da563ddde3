"""Validation of one file: a loaded document against the model and the taxonomy.

Pydantic does the per-field work; this module turns its errors into
diagnostics with lines, codes and hints. Checks that need more than one file
live in :mod:`dltheory_site.crosschecks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from dltheory_site.diagnostics import Code, Diagnostic, Severity, problem
from dltheory_site.fields import ID_RE
from dltheory_site.loader import Document, FieldPath, format_field
from dltheory_site.model import Entry, Taxonomy, entry_context
from dltheory_site.text import describe_value, did_you_mean, slugify

M = TypeVar("M", bound=BaseModel)


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
    fields = getattr(current, "model_fields", {})
    return [info.alias or name for name, info in fields.items() if name != "id"]


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
            out.append(
                problem(
                    doc.path,
                    Code.MISSING_FIELD,
                    field,
                    message,
                    f"add '{name}:'",
                    line=line,
                    col=col,
                )
            )
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
                problem(
                    doc.path,
                    Code.UNKNOWN_FIELD,
                    field,
                    f"unknown field '{name}'",
                    hint,
                    line=line,
                    col=col,
                )
            )
            continue
        if kind.startswith(("E0", "W0")):
            out.append(
                problem(
                    doc.path,
                    Code(kind),
                    field,
                    err["msg"],
                    str(ctx.get("hint", "")),
                    line=line,
                    col=col,
                )
            )
            continue
        if kind in _EXPECTED:
            expected = _EXPECTED[kind]
            if kind == "literal_error":
                expected = f"one of {ctx.get('expected', '')}"
            out.append(
                problem(
                    doc.path,
                    Code.WRONG_TYPE,
                    field,
                    f"expected {expected}, got {describe_value(value)}",
                    _type_hint(field, value),
                    line=line,
                    col=col,
                )
            )
            continue
        if kind in {"too_short", "too_long", "string_too_short", "string_too_long"}:
            code = "E008" if kind.endswith("too_long") else "E013"
            # Constrained text types report string lengths as too_long too.
            if isinstance(value, str):
                kind = "string_" + kind.removeprefix("string_")
            out.append(
                problem(
                    doc.path,
                    Code(code),
                    field,
                    _length_message(kind, ctx),
                    "" if code == "E013" else "shorten it",
                    line=line,
                    col=col,
                )
            )
            continue
        if kind == "string_pattern_mismatch":
            out.append(
                problem(
                    doc.path,
                    Code.INVALID_VALUE,
                    field,
                    f"'{value}' has the wrong form",
                    "use lower-case letters, digits and hyphens",
                    line=line,
                    col=col,
                )
            )
            continue
        out.append(
            problem(doc.path, Code.INVALID_VALUE, field, str(err["msg"]), "", line=line, col=col)
        )
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
            problem(
                doc.path,
                Code.NOT_A_MAPPING,
                "",
                f"the file holds {describe_value(doc.data)}, not a mapping of fields",
                "an entry starts with 'title:' on the first line",
                line=line,
                col=col,
            )
        )
        return None, problems
    bad_id = not ID_RE.match(entry_id) or len(entry_id) > 80
    if bad_id:
        problems.append(
            problem(
                doc.path,
                Code.INVALID_ID,
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
    # A value the loader already refused (a date that is no date) is one problem, not two.
    reported = {d.field for d in doc.diagnostics}
    for d in found:
        if d.field in reported:
            continue
        if d.field == "id ":
            line, col = doc.key_mark(("id",))
            d = problem(
                d.path,
                Code.UNKNOWN_FIELD,
                "id",
                "unknown field 'id'",
                "the id is the file name; remove this line",
                line=line,
                col=col,
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
                problem(
                    doc.path,
                    Code.UNKNOWN_COMPARISON_FIELD,
                    f"comparison.{key}",
                    f"'{key}' is not a comparison field of the entry's subcategories",
                    hint,
                    line=line,
                    col=col,
                )
            )
        elif field.type == "enum" and value not in field.values:
            line, col = doc.mark(("comparison", key))
            out.append(
                problem(
                    doc.path,
                    Code.INVALID_VALUE,
                    f"comparison.{key}",
                    f"'{value}' is not one of the values of '{key}'",
                    "one of: " + ", ".join(field.values),
                    line=line,
                    col=col,
                )
            )
        elif field.type == "text" and not isinstance(value, str):
            out.append(
                doc.problem(
                    Code.WRONG_TYPE,
                    ("comparison", key),
                    f"expected text, got {describe_value(value)}",
                    f'put it in quotes: {key}: "{value}"',
                )
            )
        elif field.type == "number" and not isinstance(value, int | float):
            line, col = doc.mark(("comparison", key))
            out.append(
                problem(
                    doc.path,
                    Code.WRONG_TYPE,
                    f"comparison.{key}",
                    f"expected a number, got {describe_value(value)}",
                    "",
                    line=line,
                    col=col,
                )
            )
    return out
