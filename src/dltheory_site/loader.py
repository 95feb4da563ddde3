"""Safe YAML loading with line marks.

Entry files come from strangers, so the loader trusts nothing: it reads bytes
under a size limit, decodes strict UTF-8, composes the YAML node tree with the C
parser where present, and builds plain Python values itself. That walk is where
it rejects what PyYAML would accept silently or dangerously:

- duplicate keys (PyYAML keeps the last one; we report both lines),
- aliases (an alias bomb loads in a millisecond and explodes when walked; entries
  never need aliases, so any node reached twice is refused before it is expanded),
- tags other than the plain scalar, list and mapping tags (``!!python/object``),
- nesting deeper, strings longer, or documents larger than any entry needs.

Every problem becomes a :class:`~dltheory_site.diagnostics.Diagnostic`; nothing
raises. The result records the line and column of every key and value, so that
later stages can point at the exact place of a problem.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from typing import Any

import yaml

from dltheory_site.diagnostics import Code, Diagnostic, problem

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

#: A field path inside a document: keys and list indexes, e.g. ("categories", 0).
FieldPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SEQ_TAG = f"{_TAG}seq"
_STR_TAG = f"{_TAG}str"
_MAP_TAG = f"{_TAG}map"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one YAML file. The defaults are far above any real entry."""

    max_bytes: int = 256 * 1024
    max_depth: int = 24
    max_nodes: int = 20_000
    max_string: int = 20_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded YAML file: its plain data, where each part of it stands, and its problems.

    Attributes:
        path: The display path used in diagnostics.
        data: The plain value (dict, list, str, int, ...) or ``None`` when loading failed.
        marks: For each field path, the 1-based (line, column) of its value.
        key_marks: For each field path inside a mapping, the (line, column) of its key.
        diagnostics: Problems found while loading.
    """

    path: str
    data: Any
    marks: Mapping[FieldPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: Mapping[FieldPath, tuple[int, int]] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()

    def mark(self, path: FieldPath) -> tuple[int, int]:
        """The position of a field, falling back to its nearest known ancestor."""
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def key_mark(self, path: FieldPath) -> tuple[int, int]:
        """The position of a field's key (or of its value when it has no key)."""
        return self.key_marks.get(path) or self.mark(path)

    def problem(
        self,
        code: Code,
        path: FieldPath,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
        field: str | None = None,
    ) -> Diagnostic:
        """A diagnostic placed on a field of this file (on its key with ``at_key``).

        Args:
            code: What kind of problem.
            path: The field, e.g. ``("relations", 0, "target")``; its dotted form
                (``relations[0].target``) is the diagnostic's field unless ``field`` is given.
            message: What is wrong, in one sentence without a trailing period.
            hint: How to fix it.
            at_key: Place it on the field's key rather than its value.
            field: The field as shown, when it differs from ``path``.
        """
        line, col = self.key_mark(path) if at_key else self.mark(path)
        shown = format_field(path) if field is None else field
        return problem(self.path, code, shown, message, hint, line=line, col=col)


def format_field(path: FieldPath) -> str:
    """``("results", 0, "statement")`` -> ``results[0].statement``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class _Reject(Exception):  # noqa: N818 - internal control flow, never escapes this module
    """Stops the walk of a document at the first problem that makes it unusable."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Walker:
    """Builds plain values from a composed node tree, recording marks and problems."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.marks: dict[FieldPath, tuple[int, int]] = {}
        self.key_marks: dict[FieldPath, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.count = 0

    def diag(self, node: yaml.Node, code: str, fpath: FieldPath, msg: str, hint: str) -> Diagnostic:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        return problem(self.path, Code(code), format_field(fpath), msg, hint, line=line, col=col)

    def walk(self, node: yaml.Node, fpath: FieldPath, depth: int) -> Any:
        # The hot path of validation: one call per value of every file, so the
        # checks share one condition and the common plain string returns at once.
        nid = id(node)
        self.count += 1
        if nid in self.seen or self.count > self.limits.max_nodes or depth > self.limits.max_depth:
            raise _Reject(self._refusal(node, fpath, depth, nid in self.seen))
        self.seen.add(nid)
        mark = node.start_mark
        self.marks[fpath] = (mark.line + 1, mark.column + 1)
        kind = type(node)
        if kind is yaml.ScalarNode:
            if node.tag == _STR_TAG and len(node.value) <= self.limits.max_string:
                return node.value
            return self.walk_scalar(node, fpath)
        if kind is yaml.MappingNode:
            return self.walk_mapping(node, fpath, depth)  # type: ignore[arg-type]  # checked by type()
        self.check_tag(node, fpath, {_SEQ_TAG})
        items = []
        for i, item in enumerate(node.value):
            # Inline the common case, a list of plain strings (authors, tags, categories).
            if (
                type(item) is yaml.ScalarNode
                and item.tag == _STR_TAG
                and id(item) not in self.seen
                and self.count < self.limits.max_nodes
                and len(item.value) <= self.limits.max_string
            ):
                self.count += 1
                self.seen.add(id(item))
                self.marks[(*fpath, i)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(item.value)
            else:
                items.append(self.walk(item, (*fpath, i), depth + 1))
        return items

    def _refusal(self, node: yaml.Node, fpath: FieldPath, depth: int, alias: bool) -> Diagnostic:
        if alias:
            return self.diag(
                node,
                "E005",
                fpath,
                "YAML aliases are not allowed",
                "write the value out in full instead of using '*name'",
            )
        if depth > self.limits.max_depth:
            return self.diag(
                node,
                "E008",
                fpath,
                f"nesting deeper than {self.limits.max_depth} levels",
                "entries need only a few levels of lists and mappings",
            )
        return self.diag(
            node,
            "E008",
            fpath,
            f"the document has more than {self.limits.max_nodes} values",
            "an entry needs far fewer; split or shorten it",
        )

    def check_tag(self, node: yaml.Node, fpath: FieldPath, allowed: set[str]) -> None:
        if node.tag not in allowed:
            raise _Reject(
                self.diag(
                    node,
                    "E006",
                    fpath,
                    f"YAML tag '{node.tag}' is not allowed",
                    "remove the '!' tag; entries hold only plain strings, numbers, "
                    "lists and mappings",
                )
            )

    def walk_mapping(self, node: yaml.MappingNode, fpath: FieldPath, depth: int) -> dict[str, Any]:
        self.check_tag(node, fpath, {_MAP_TAG})
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                raise _Reject(
                    self.diag(
                        key_node,
                        "E005",
                        fpath,
                        "YAML merge keys ('<<') are not allowed",
                        "write the fields out in full",
                    )
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(
                    self.diag(
                        key_node,
                        "E012",
                        fpath,
                        "a mapping key must be a plain word",
                        "keys are field names such as 'title'",
                    )
                )
            key = (
                key_node.value
                if key_node.tag == _STR_TAG
                else str(self.walk_scalar(key_node, fpath))
            )
            kpath = (*fpath, key)
            line = key_node.start_mark.line + 1
            if key in out:
                self.problems.append(
                    self.diag(
                        key_node,
                        "E004",
                        kpath,
                        f"duplicate key '{key}'",
                        f"first given on line {first_line[key]}; keep one of them",
                    )
                )
                continue
            first_line[key] = line
            self.key_marks[kpath] = (line, key_node.start_mark.column + 1)
            out[key] = self.walk(value_node, kpath, depth + 1)
        return out

    def walk_scalar(self, node: yaml.Node, fpath: FieldPath) -> Any:
        if node.tag == _STR_TAG and len(node.value) <= self.limits.max_string:
            return node.value  # most values: no constructor needed
        self.check_tag(node, fpath, _SCALAR_TAGS)
        if len(node.value) > self.limits.max_string:
            raise _Reject(
                self.diag(
                    node,
                    "E008",
                    fpath,
                    f"a value longer than {self.limits.max_string} characters",
                    "summaries and statements should be a few sentences",
                )
            )
        try:
            value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        # PyYAML's constructors fail in many ways on odd scalars ("!!bool maybe" is a
        # KeyError, "!!int ''" an IndexError): each is the contributor's error to report.
        except (ValueError, OverflowError, KeyError, IndexError, AttributeError, TypeError) as e:
            if node.tag.endswith("timestamp"):
                self.problems.append(
                    self.diag(
                        node,
                        "E019",
                        fpath,
                        f"'{node.value}' is not a valid date",
                        "write dates as YYYY-MM-DD",
                    )
                )
                return node.value
            self.problems.append(
                self.diag(
                    node,
                    "E013",
                    fpath,
                    f"cannot read '{node.value[:80]}' as {_kind(node.tag)}",
                    f"{type(e).__name__}; write a plain value without a '!!' tag",
                )
            )
            return node.value
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 63:
            self.problems.append(
                self.diag(
                    node,
                    "E013",
                    fpath,
                    "the number is too large",
                    "numbers here are years; write text in quotes",
                )
            )
            return node.value
        return value


def _failed(problem: Diagnostic) -> Document:
    """A document that could not be loaded, with the one problem that stopped it."""
    return Document(problem.path, None, diagnostics=(problem,))


def _kind(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        return None, problem(
            path,
            Code.NOT_UTF8,
            "",
            f"byte 0x{raw[e.start]:02x} is not valid UTF-8",
            "save the file as UTF-8",
            line=line,
            col=col,
        )
    return text.removeprefix("\ufeff"), None


def load_text(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load YAML text into a :class:`Document`; never raises on bad input."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = (e.problem or "invalid YAML").strip()
        context = (e.context or "").strip()
        hint = (
            f"{context}; check indentation, quotes and colons"
            if context
            else ("check indentation, quotes and colons")
        )
        if "nesting depth" in what:
            diag = problem(
                path,
                Code.LIMIT,
                "",
                f"YAML nesting too deep: {what}",
                "entries need only a few levels of lists and mappings",
                line=line,
                col=col,
            )
        else:
            diag = problem(
                path,
                Code.YAML_SYNTAX,
                "",
                f"YAML syntax error: {what}",
                hint,
                line=line,
                col=col,
            )
        return _failed(diag)
    except yaml.YAMLError as e:
        return _failed(problem(path, Code.YAML_SYNTAX, "", f"YAML syntax error: {e}", ""))
    except RecursionError:
        return _failed(
            problem(path, Code.LIMIT, "", "nesting too deep to read", "flatten the file")
        )
    if node is None:
        return _failed(
            problem(
                path,
                Code.EMPTY_FILE,
                "",
                "the file is empty",
                "start from 'dltheory-site new ID'",
                line=1,
                col=1,
            )
        )
    walker = _Walker(path, limits)
    try:
        data = walker.walk(node, (), 0)
    except _Reject as r:
        return Document(path, None, diagnostics=(*walker.problems, r.diagnostic))
    if data is None:
        return _failed(
            problem(
                path,
                Code.NOT_A_MAPPING,
                "",
                "the file holds nothing (null), not a mapping of fields",
                "an entry starts with 'title:' on the first line",
                line=1,
                col=1,
            )
        )
    return Document(path, data, walker.marks, walker.key_marks, tuple(walker.problems))


def read_limited(
    file: Path, display: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of one file under the size limit, or the problem that stops reading it.

    A symbolic link is never followed (a committed link to ``/dev/zero`` or to a file
    outside the project), nor is anything but a regular file read; no more than the
    limit is ever read, even from a file that grows meanwhile.
    """
    try:
        stat = os.lstat(file)
        if S_ISLNK(stat.st_mode):
            return None, problem(
                display,
                Code.UNREADABLE,
                "",
                "a symbolic link",
                "entries and taxonomy files are files of their own; commit the file itself",
            )
        if not S_ISREG(stat.st_mode):
            return None, problem(
                display, Code.UNREADABLE, "", "not a regular file", "entries are YAML files"
            )
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
            size = max(os.fstat(handle.fileno()).st_size, len(raw))
    except OSError as e:
        return None, problem(display, Code.UNREADABLE, "", f"cannot read: {e.strerror}", "")
    if len(raw) > limits.max_bytes:
        return None, problem(
            display,
            Code.LIMIT,
            "",
            f"the file is {size} bytes, more than the limit of {limits.max_bytes}",
            "an entry is a few kilobytes; shorten it",
        )
    return raw, None


def load_file(file: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and load one YAML file; every failure becomes a diagnostic."""
    path = display or str(file)
    raw, refused = read_limited(file, path, limits)
    if raw is None:
        return _failed(refused) if refused else Document(path, None)
    text, undecodable = _decode(raw, path)
    if text is None:
        return _failed(undecodable) if undecodable else Document(path, None)
    return load_text(text, path, limits)
