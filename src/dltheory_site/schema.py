"""The JSON Schema of an entry file, made from the model and the taxonomy's ids.

Editors with a YAML language server validate entry files against
``schema/entry.schema.json`` as the contributor types; a test keeps the
committed file in sync with what :func:`entry_schema` produces.
"""

from __future__ import annotations

import json
from typing import Any

from dltheory_site.model import Entry, Taxonomy

SCHEMA_PATH = "schema/entry.schema.json"


def entry_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON Schema for one entry file, with the taxonomy's ids as allowed values."""
    schema = Entry.model_json_schema()
    props = schema["properties"]
    props.pop("id", None)
    schema["required"] = [r for r in schema.get("required", []) if r != "id"]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dltheory-site entry"
    schema["description"] = (
        "One paper of the knowledge base: entries/<id>.yaml, where the file name is the id."
    )
    props["categories"]["items"] = {"enum": list(taxonomy.subcategories)}
    props["tags"]["items"] = {"enum": [t.id for t in taxonomy.tags]}
    spellings = dict.fromkeys(
        name for v in taxonomy.venues for name in (v.short, v.id, v.name, *v.aliases)
    )
    props["venue"] = {**props["venue"], "enum": list(spellings)}
    relation = schema["$defs"]["Relation"]["properties"]
    relation["type"] = {**relation["type"], "enum": [r.id for r in taxonomy.relation_types]}
    return schema


def render_schema(taxonomy: Taxonomy) -> str:
    """The schema as the committed file holds it (stable key order, trailing newline)."""
    return json.dumps(entry_schema(taxonomy), indent=2, ensure_ascii=False) + "\n"


FIELD_START = "<!-- dltheory:field-reference:start -->"
FIELD_END = "<!-- dltheory:field-reference:end -->"


def with_field_reference(text: str, table: str) -> str:
    """CONTRIBUTING.md with the generated field table between its two markers."""
    if FIELD_START not in text or FIELD_END not in text:
        return text
    head, rest = text.split(FIELD_START, 1)
    _old, tail = rest.split(FIELD_END, 1)
    return f"{head}{FIELD_START}\n{table.strip()}\n{FIELD_END}{tail}"
