"""The field types every model shares: text under one policy, prose, page ids, values.

Every string a contributor writes, in entries and in the taxonomy alike, is
:data:`Text`: no control characters (newlines and tabs aside), no noncharacters, no
direction control left open, not only whitespace, kept in Unicode form NFC. Prose
(Markdown with math) also refuses TeX macros and free-size boxes. Problems become
pydantic errors whose type is a diagnostic code, which ``checks`` turns into lines.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PlainValidator, StrictStr, WithJsonSchema
from pydantic_core import PydanticCustomError

from dltheory_site.text import math_problem, nfc, text_problem

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The id of a taxonomy item: lower-case letters, digits and hyphens.
TaxonomyId = Annotated[StrictStr, Field(pattern=ID_RE.pattern)]


def custom_error(code: str, message: str, hint: str = "") -> PydanticCustomError:
    return PydanticCustomError(code, message, {"hint": hint})


def _text_policy(value: str) -> str:
    """The one text policy of every string a contributor writes, entries and taxonomy alike.

    No control characters (newlines and tabs aside), no noncharacters, no direction
    control left open, not only whitespace; the value is kept in Unicode form NFC.
    """
    problem = text_problem(value)
    if problem is not None:
        _kind, message, hint = problem
        raise custom_error("E013", message, hint)
    return nfc(value)


def _prose_policy(value: str) -> str:
    problem = math_problem(value)
    if problem is not None:
        raise custom_error("E040", *problem)
    return value


def _not_reserved(value: str) -> str:
    if value == "index":
        raise custom_error(
            "E041",
            "the id 'index' is reserved for the page that lists them all",
            "choose another id",
        )
    return value


#: Text from a contributor: newlines and tabs allowed, other control characters not
#: (they break pages, BibTeX and the feed); see :func:`_text_policy`.
Text = Annotated[StrictStr, AfterValidator(_text_policy)]
#: Markdown with math: the text policy, and no TeX macro or free-size box.
Prose = Annotated[Text, AfterValidator(_prose_policy)]
#: An id of the taxonomy that names a page in a folder beside the folder's list page.
PageId = Annotated[StrictStr, Field(pattern=ID_RE.pattern), AfterValidator(_not_reserved)]


def _comparison_value(value: Any) -> str | int | float:
    """A comparison value: text (Markdown with math) or a finite number (JSON has no NaN)."""
    if isinstance(value, str):
        return _prose_policy(_text_policy(value))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    if isinstance(value, float) and not math.isfinite(value):
        raise custom_error(
            "E013",
            f"is {value}, not a finite number",
            "write a number such as 0.5, or text in quotes",
        )
    return value


#: A value of a comparison table: text or a finite number.
ComparisonValue = Annotated[
    Any,
    PlainValidator(_comparison_value),
    WithJsonSchema({"type": ["string", "number"]}),
]
