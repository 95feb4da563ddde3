"""The data model: taxonomy and entries, as frozen pydantic models.

One model per concept. Rules that depend on the taxonomy (which subcategories,
tags, relation types and venues exist) read it from the validation context, so
the same model validates files and, with the taxonomy's ids patched in, produces
the JSON Schema that editors use (see :mod:`dltheory_site.schema`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from dltheory_site.fields import (
    ID_RE,
    ComparisonValue,
    PageId,
    Prose,
    TaxonomyId,
    Text,
    custom_error,
)
from dltheory_site.text import did_you_mean, fold, math_volume_problem

SUBCATEGORY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")
# New-style arXiv ids (YYMM.NNNN or YYMM.NNNNN) and old-style (archive/YYMMNNN).
ARXIV_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$")
# Printable ASCII only: a zero-width or look-alike character would make a second DOI.
DOI_RE = re.compile(r"^10\.\d{4,9}/[\x21-\x7e]+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MIN_YEAR = 1900
#: The largest year accepted: papers of next year can be announced already.
MAX_YEAR = dt.date.today().year + 1
MAX_AUTHORS = 200
MAX_RELATIONS = 100
MAX_LIST = 50

_FROZEN = ConfigDict(frozen=True, extra="forbid")


def _taxonomy(info: ValidationInfo) -> Taxonomy | None:
    context = info.context
    if isinstance(context, dict):
        tax = context.get("taxonomy")
        if isinstance(tax, Taxonomy):
            return tax
    return None


# --------------------------------------------------------------------------- taxonomy


class ComparisonField(BaseModel):
    """A structured result field that a subcategory's papers can be compared by."""

    model_config = _FROZEN
    id: TaxonomyId
    label: Text
    type: Literal["text", "enum", "number"] = "text"
    values: tuple[Text, ...] = ()
    description: Text = ""


class Subcategory(BaseModel):
    """A subcategory of a group, e.g. ``complexity/pac-bayes``."""

    model_config = _FROZEN
    id: PageId
    title: Text
    description: Prose
    overview: Prose = ""
    comparison: tuple[ComparisonField, ...] = ()


class Group(BaseModel):
    """One of the six groups of the survey."""

    model_config = _FROZEN
    id: PageId
    number: Annotated[StrictInt, Field(ge=1, le=99)]
    title: Text
    short_title: Text
    description: Prose
    overview: Prose = ""
    subcategories: Annotated[tuple[Subcategory, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _math_volume(self) -> Group:
        # The group's page shows its texts and every subcategory's.
        texts = [self.description, self.overview]
        texts += [t for s in self.subcategories for t in (s.description, s.overview)]
        problem = math_volume_problem(texts, "the group")
        if problem is not None:
            raise custom_error("E040", *problem)
        return self

    def full_id(self, sub: Subcategory) -> str:
        """The id entries use for a subcategory of this group: ``group/sub``."""
        return f"{self.id}/{sub.id}"


class Tag(BaseModel):
    """A tag of the vocabulary."""

    model_config = _FROZEN
    id: PageId
    title: Text
    description: Text = ""


class RelationType(BaseModel):
    """A relation type with the label shown on each side (``extends`` / ``extended by``)."""

    model_config = _FROZEN
    id: TaxonomyId
    label: Text
    inverse: Text


class Venue(BaseModel):
    """A canonical venue; entries may name it by id, short name, full name or alias."""

    model_config = _FROZEN
    id: TaxonomyId
    short: Text
    name: Text
    kind: Literal["conference", "journal", "preprint", "book"]
    aliases: tuple[Text, ...] = ()


class Move(BaseModel):
    """A renamed entry id (``mv``): ``{from: old, to: new, date: ...}``; never used again."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    old: Annotated[TaxonomyId, Field(alias="from")]
    new: Annotated[TaxonomyId, Field(alias="to")]
    date: dt.date

    @property
    def id(self) -> str:
        """The old id: a list of moves must not hold it twice."""
        return self.old


@dataclass(frozen=True)
class Taxonomy:
    """The whole taxonomy (and ``moved.yaml``), with the lookups validation needs built once."""

    groups: tuple[Group, ...]
    tags: tuple[Tag, ...]
    relation_types: tuple[RelationType, ...]
    venues: tuple[Venue, ...]
    moves: tuple[Move, ...] = ()

    @cached_property
    def moved(self) -> dict[str, Move]:
        """Old id -> its move."""
        return {m.old: m for m in self.moves}

    def renamed(self, old: str) -> str | None:
        """The id a renamed entry has now (through renames of renames); None if none or a loop."""
        seen = {old}
        current = old
        while current in self.moved:
            current = self.moved[current].new
            if current in seen:
                return None
            seen.add(current)
        return None if current == old else current

    @cached_property
    def subcategories(self) -> dict[str, tuple[Group, Subcategory]]:
        """Full subcategory id -> (group, subcategory), in taxonomy order."""
        return {g.full_id(s): (g, s) for g in self.groups for s in g.subcategories}

    @cached_property
    def tag_map(self) -> dict[str, Tag]:
        """Tag id -> tag."""
        return {t.id: t for t in self.tags}

    @cached_property
    def relation_map(self) -> dict[str, RelationType]:
        """Relation type id -> relation type."""
        return {r.id: r for r in self.relation_types}

    @cached_property
    def venue_lookup(self) -> dict[str, Venue]:
        """Every spelling of a venue (folded) -> the venue."""
        out: dict[str, Venue] = {}
        for v in self.venues:
            for name in (v.id, v.short, v.name, *v.aliases):
                out.setdefault(fold(name).strip(), v)
        return out

    def venue(self, name: str) -> Venue | None:
        """The venue an entry's ``venue`` field names, or ``None``."""
        return self.venue_lookup.get(fold(name).strip())

    def find_venue(self, text: str) -> Venue | None:
        """The venue a free-form journal or proceedings name refers to, or ``None``.

        ``Proceedings of the 36th International Conference on Machine Learning``
        finds ICML: after an exact look-up, the longest venue name (or alias of
        more than one word) contained in the text wins.
        """
        exact = self.venue(text)
        if exact is not None:
            return exact
        folded = " " + " ".join(re.sub(r"[^a-z0-9&]+", " ", fold(text)).split()) + " "
        best: tuple[int, Venue] | None = None
        for v in self.venues:
            for name in (v.name, *v.aliases):
                key = " ".join(re.sub(r"[^a-z0-9&]+", " ", fold(name)).split())
                if " " in key and f" {key} " in folded and (best is None or len(key) > best[0]):
                    best = (len(key), v)
        return best[1] if best else None


# --------------------------------------------------------------------------- entries


def _check_category(value: str, info: ValidationInfo) -> str:
    tax = _taxonomy(info)
    if tax is not None and value not in tax.subcategories:
        hint = did_you_mean(value, tax.subcategories) or (
            "subcategory ids are 'group/subcategory'; see taxonomy/groups/"
        )
        raise custom_error("E020", f"unknown subcategory '{value}'", hint)
    return value


def _check_tag(value: str, info: ValidationInfo) -> str:
    tax = _taxonomy(info)
    if tax is not None and value not in tax.tag_map:
        hint = did_you_mean(value, tax.tag_map) or "add it to taxonomy/tags.yaml first"
        raise custom_error("E021", f"unknown tag '{value}'", hint)
    return value


CategoryId = Annotated[StrictStr, AfterValidator(_check_category)]
TagId = Annotated[StrictStr, AfterValidator(_check_tag)]


class Result(BaseModel):
    """A key result: a statement in Markdown with math."""

    model_config = _FROZEN
    statement: Annotated[Prose, Field(min_length=1, max_length=10_000)]


class Relation(BaseModel):
    """A typed link from this entry to another (``builds-on``, ``extends``, ...)."""

    model_config = _FROZEN
    type: StrictStr
    target: StrictStr
    note: Annotated[Prose, Field(max_length=1_000)] | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        tax = _taxonomy(info)
        if tax is not None and value not in tax.relation_map:
            hint = did_you_mean(value, tax.relation_map) or (
                "one of: " + ", ".join(tax.relation_map)
            )
            raise custom_error("E022", f"unknown relation type '{value}'", hint)
        return value

    @field_validator("target")
    @classmethod
    def _target_is_id(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise custom_error(
                "E014",
                f"'{value}' is not an entry id",
                "ids are file names without '.yaml': lower-case letters, digits and hyphens",
            )
        return value


DRAFT_HELP = (
    "`true` while the entry is being written (`new` starts it so): `validate` warns, the "
    "built site leaves it out and a strict build fails. Delete the line when the entry is ready."
)


class Entry(BaseModel):
    """One paper. The id is the file stem and is not written in the file.

    A draft (``draft: true``) is checked like any entry; ``validate`` warns (W004),
    ``serve`` previews it under a banner, a build leaves it out (``KnowledgeBase.published``).
    """

    model_config = _FROZEN
    id: Annotated[StrictStr, Field(pattern=ID_RE.pattern, max_length=80)]
    draft: Annotated[StrictBool, Field(description=DRAFT_HELP)] = False
    title: Annotated[
        Text,
        Field(
            min_length=1, max_length=400, description="The title as published, in double quotes."
        ),
    ]
    authors: Annotated[
        tuple[Annotated[Text, Field(min_length=1, max_length=200)], ...],
        Field(
            min_length=1,
            max_length=MAX_AUTHORS,
            description="Every author in order, first name first: `[Ada Lovelace, Alan Turing]`.",
        ),
    ]
    year: Annotated[StrictInt, Field(description="Year of the publication named in venue.")]
    venue: Annotated[
        Text,
        Field(
            min_length=1,
            max_length=200,
            description="A venue of `taxonomy/venues.yaml`, by short name or alias "
            "(NeurIPS, JMLR, arXiv, ...).",
        ),
    ]
    arxiv: Annotated[
        StrictStr | None,
        Field(
            description='arXiv id without version, quoted: `"1806.07572"`. '
            "Leave out unless checked."
        ),
    ] = None
    doi: Annotated[
        StrictStr | None,
        Field(description="Bare DOI: `10.1145/307400.307435`. Leave out unless checked."),
    ] = None
    url: Annotated[StrictStr | None, Field(description="The publisher's page (http or https).")] = (
        None
    )
    code: Annotated[StrictStr | None, Field(description="The authors' code (http or https).")] = (
        None
    )
    categories: Annotated[
        tuple[CategoryId, ...],
        Field(
            min_length=1,
            max_length=10,
            description="Subcategory ids `group/subcategory`; the first is the primary one.",
        ),
    ]
    tags: Annotated[
        tuple[TagId, ...],
        Field(max_length=MAX_LIST, description="Tag ids of `taxonomy/tags.yaml`."),
    ] = ()
    summary: Annotated[
        Prose,
        Field(
            min_length=1,
            max_length=10_000,
            description="What the paper shows and why it matters: 2-6 sentences in "
            "your own words, Markdown with `$math$` and `[[id]]` links.",
        ),
    ]
    results: Annotated[
        tuple[Result, ...],
        Field(max_length=MAX_LIST, description="Key results, each a statement with its math."),
    ] = ()
    relations: Annotated[
        tuple[Relation, ...],
        Field(
            max_length=MAX_RELATIONS,
            description="Typed links to other entries: `{type: builds-on, target: id, "
            "note: optional}`; types in `taxonomy/relations.yaml`.",
        ),
    ] = ()
    notes: Annotated[
        Prose | None, Field(max_length=10_000, description="Optional remarks (Markdown).")
    ] = None
    bibtex: Annotated[
        dict[Text, Text],
        Field(
            max_length=MAX_LIST,
            description='Extra BibTeX fields as quoted strings: `volume: "20"`, `pages: "1--17"`.',
        ),
    ] = Field(default_factory=dict)
    comparison: Annotated[
        dict[Text, ComparisonValue],
        Field(
            max_length=MAX_LIST,
            description="Structured results for the comparison table of its subcategory: "
            "the fields each subcategory defines in `taxonomy/groups/`.",
        ),
    ] = Field(default_factory=dict)
    added: Annotated[
        dt.date, Field(description="The day the entry joined the knowledge base: `YYYY-MM-DD`.")
    ]

    @field_validator("year")
    @classmethod
    def _year_range(cls, value: int) -> int:
        if not MIN_YEAR <= value <= MAX_YEAR:
            raise custom_error(
                "E015",
                f"year {value} is out of range",
                f"papers in this knowledge base are from {MIN_YEAR} to {MAX_YEAR}",
            )
        return value

    @field_validator("arxiv")
    @classmethod
    def _arxiv(cls, value: str | None) -> str | None:
        if value is not None and not ARXIV_RE.match(value):
            hint = "write the id without 'arXiv:' or a version, e.g. \"1806.07572\""
            if re.match(r"^\d{4}\.\d{4,5}v\d+$", value):
                hint = f'drop the version suffix: "{value.rsplit("v", 1)[0]}"'
            raise custom_error("E016", f"'{value}' is not an arXiv id", hint)
        return value

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        if value is not None and not DOI_RE.match(value):
            raise custom_error(
                "E017",
                f"'{value}' is not a DOI",
                "write the bare DOI, e.g. 10.1145/307400.307435, without 'https://doi.org/'",
            )
        return value

    @field_validator("url", "code")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not URL_RE.match(value.strip()):
            raise custom_error(
                "E018",
                f"'{value[:80]}' is not an http(s) URL",
                "only http:// and https:// links are allowed",
            )
        return value

    @field_validator("venue")
    @classmethod
    def _known_venue(cls, value: str, info: ValidationInfo) -> str:
        tax = _taxonomy(info)
        if tax is not None and tax.venue(value) is None:
            spellings = [v.short for v in tax.venues]
            hint = did_you_mean(value, spellings) or "add the venue to taxonomy/venues.yaml"
            raise custom_error("E023", f"unknown venue '{value}'", hint)
        return value

    @model_validator(mode="after")
    def _math_volume(self) -> Entry:
        texts = [self.summary, self.notes or "", *(r.statement for r in self.results)]
        texts += [r.note or "" for r in self.relations]
        texts += [v for v in self.comparison.values() if isinstance(v, str)]
        problem = math_volume_problem(texts, "the entry")
        if problem is not None:
            raise custom_error("E040", *problem)
        return self

    @property
    def primary_category(self) -> str:
        """The first category, which decides the group an entry is listed under first."""
        return self.categories[0]

    @property
    def group_id(self) -> str:
        """The id of the primary category's group."""
        return self.primary_category.split("/", 1)[0]


#: The fields a contributor writes, in their canonical order (``id`` is the file name).
ENTRY_FIELDS: tuple[str, ...] = tuple(f for f in Entry.model_fields if f != "id")


def field_reference() -> list[tuple[str, bool, str]]:
    """(name, required, description) of every field a contributor writes, in order."""
    return [
        (name, info.is_required(), info.description or "")
        for name, info in Entry.model_fields.items()
        if name != "id"
    ]


def entry_context(taxonomy: Taxonomy) -> dict[str, Any]:
    """The validation context that lets the entry model check taxonomy ids."""
    return {"taxonomy": taxonomy}
