"""Diagnostics: one problem, its place in a file, and how to fix it.

Every stage reports problems as :class:`Diagnostic` values instead of raising,
so that one run can report every problem of every file. The text form is
``path:line:col: error[CODE] field: message (hint)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

from dltheory_site.text import one_line

__all__ = [
    "CODES",
    "Code",
    "Diagnostic",
    "Severity",
    "format_report",
    "has_errors",
    "one_line",
    "problem",
]


class Severity(StrEnum):
    """How bad a problem is: errors fail validation, warnings fail only strict builds."""

    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """The catalogue of codes. Each code means one kind of problem, so that people
    can search for it and tests can assert it; ``W`` codes are warnings."""

    YAML_SYNTAX = "E001"
    EMPTY_FILE = "E002"
    NOT_A_MAPPING = "E003"
    DUPLICATE_KEY = "E004"
    YAML_ALIAS = "E005"
    YAML_TAG = "E006"
    NOT_UTF8 = "E007"
    LIMIT = "E008"
    UNREADABLE = "E009"
    UNKNOWN_FIELD = "E010"
    MISSING_FIELD = "E011"
    WRONG_TYPE = "E012"
    INVALID_VALUE = "E013"
    INVALID_ID = "E014"
    YEAR_RANGE = "E015"
    INVALID_ARXIV = "E016"
    INVALID_DOI = "E017"
    URL_NOT_ALLOWED = "E018"
    INVALID_DATE = "E019"
    UNKNOWN_SUBCATEGORY = "E020"
    UNKNOWN_TAG = "E021"
    UNKNOWN_RELATION_TYPE = "E022"
    UNKNOWN_VENUE = "E023"
    DANGLING_RELATION = "E024"
    SELF_RELATION = "E025"
    DUPLICATE_PAPER = "E026"
    DANGLING_WIKILINK = "E027"
    RELATION_CYCLE = "E028"
    UNKNOWN_COMPARISON_FIELD = "E029"
    TAXONOMY_NOT_A_LIST = "E030"
    TAXONOMY_ID_TWICE = "E031"
    GROUP_FILE_NAME = "E032"
    GROUP_NUMBER_TWICE = "E033"
    TAXONOMY_MISSING = "E034"
    VENUE_SPELLING_CLASH = "E035"
    BROKEN_LINK = "E036"
    BROKEN_ANCHOR = "E037"
    ID_USED_BEFORE = "E038"
    MOVE_TO_NOTHING = "E039"
    MATH = "E040"
    RESERVED_ID = "E041"
    UNSAFE_MARKUP = "W001"
    DUPLICATE_RELATION = "W002"
    PLACEHOLDER = "W003"
    DRAFT = "W004"

    @property
    def severity(self) -> Severity:
        """Errors fail validation; warnings fail only strict builds."""
        return Severity.WARNING if self.value.startswith("W") else Severity.ERROR

    @property
    def meaning(self) -> str:
        """The kind of problem, in a few words (``unknown tag``)."""
        return CODES[self.value]


CODES: dict[str, str] = {
    "E001": "YAML syntax error",
    "E002": "empty file",
    "E003": "top level is not a mapping",
    "E004": "duplicate key",
    "E005": "YAML anchor or alias",
    "E006": "YAML tag not allowed",
    "E007": "file is not UTF-8",
    "E008": "resource limit exceeded",
    "E009": "file cannot be read",
    "E010": "unknown field",
    "E011": "missing required field",
    "E012": "wrong type",
    "E013": "invalid value",
    "E014": "invalid id",
    "E015": "year out of range",
    "E016": "invalid arXiv id",
    "E017": "invalid DOI",
    "E018": "URL not allowed",
    "E019": "invalid date",
    "E020": "unknown subcategory",
    "E021": "unknown tag",
    "E022": "unknown relation type",
    "E023": "unknown venue",
    "E024": "dangling relation",
    "E025": "self relation",
    "E026": "duplicate paper",
    "E027": "dangling link in prose",
    "E028": "relation cycle",
    "E029": "unknown comparison field",
    "E030": "taxonomy file is not a list",
    "E031": "taxonomy id defined twice",
    "E032": "group id differs from its file name",
    "E033": "group number used twice",
    "E034": "taxonomy folder missing",
    "E035": "venue spelling names two venues",
    "E036": "link to a missing page",
    "E037": "link to a missing anchor",
    "E038": "entry id used before",
    "E039": "renamed id leads to no entry",
    "E040": "math beyond the limits",
    "E041": "reserved id",
    "W001": "unsafe markup removed",
    "W002": "duplicate relation",
    "W003": "placeholder text",
    "W004": "draft entry",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file.

    Attributes:
        path: The file, as given to the loader (relative where possible).
        line: 1-based line, 0 when the problem has no line (the whole file).
        col: 1-based column, 0 when unknown.
        code: A :class:`Code`.
        field: Dotted path of the field (``categories[0]``), or ``""``.
        message: What is wrong, in one sentence without a trailing period.
        hint: How to fix it, or ``""``.
        severity: Error or warning.
    """

    path: str
    line: int
    col: int
    code: Code
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """The one-line text form: ``path:line:col: error[CODE] field: message (hint)``.

        Control characters from a contributor's value (a newline in a URL, say) are
        shown escaped, so that a problem is always one line and no file can forge a
        line of the report.
        """
        place = f"{one_line(self.path)}:{self.line}:{self.col}"
        field = f" {one_line(self.field)}:" if self.field else ""
        hint = f" ({one_line(self.hint)})" if self.hint else ""
        return f"{place}: {self.severity.value}[{self.code}]{field} {one_line(self.message)}{hint}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command that annotates the file and line."""
        title = f"{self.code} {CODES.get(self.code, '')}".strip()
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" ({self.hint})"
        kind = "error" if self.severity is Severity.ERROR else "warning"
        props = f"file={_gh_prop(self.path)},line={max(self.line, 1)},col={max(self.col, 1)}"
        return f"::{kind} {props},title={_gh_prop(title)}::{_gh_data(text)}"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by file, then position, then code."""
        return (self.path, self.line, self.col, self.code, self.field)


def problem(
    path: str, code: Code, field: str, message: str, hint: str = "", *, line: int = 0, col: int = 0
) -> Diagnostic:
    """A diagnostic whose severity follows from its code (``W`` codes are warnings)."""
    return Diagnostic(path, line, col, code, field, message, hint, code.severity)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any diagnostic is an error (warnings do not count)."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def format_report(diagnostics: Sequence[Diagnostic], fmt: str, files: int) -> str:
    """Render diagnostics as ``text``, ``json`` or ``github`` output."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    errors = sum(d.severity is Severity.ERROR for d in ordered)
    warnings = len(ordered) - errors
    if fmt == "json":
        payload = {
            "files": files,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [
                {**asdict(d), "severity": d.severity.value, "text": d.format()} for d in ordered
            ],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2)
    lines = [d.format_github() if fmt == "github" else d.format() for d in ordered]
    summary = f"{files} files checked: {errors} errors, {warnings} warnings"
    return "\n".join([*lines, summary])
