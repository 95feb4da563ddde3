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

__all__ = ["CODES", "Diagnostic", "Severity", "format_report", "has_errors", "one_line"]


class Severity(StrEnum):
    """How bad a problem is: errors fail validation, warnings fail only strict builds."""

    ERROR = "error"
    WARNING = "warning"


# The catalogue of codes. Each code means one kind of problem, so that people
# can search for it and tests can assert it.
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
    "E030": "invalid taxonomy",
    "E031": "math not allowed",
    "W001": "unsafe markup removed",
    "W002": "duplicate relation",
    "W003": "placeholder text",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file.

    Attributes:
        path: The file, as given to the loader (relative where possible).
        line: 1-based line, 0 when the problem has no line (the whole file).
        col: 1-based column, 0 when unknown.
        code: A code from :data:`CODES`.
        field: Dotted path of the field (``categories[0]``), or ``""``.
        message: What is wrong, in one sentence without a trailing period.
        hint: How to fix it, or ``""``.
        severity: Error or warning.
    """

    path: str
    line: int
    col: int
    code: str
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
