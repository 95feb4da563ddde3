"""Atomic file writes: an interrupted command leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any


class OverwriteRefusedError(Exception):
    """Raised when a write would replace a file that the caller did not ask to replace."""


def atomic_write(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    Args:
        path: Where to write.
        text: The whole new content (UTF-8).
        overwrite: Whether an existing file may be replaced. When false the final
            step is a hard link, which fails if the file appeared meanwhile, so even
            a race cannot replace a contributor's file.

    Raises:
        OverwriteRefusedError: ``overwrite`` is false and the file exists.
        OSError: the folder is not writable or the disk is full.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise OverwriteRefusedError(str(path))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o777)
            else:
                os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        else:
            os.chmod(tmp, 0o644)
            try:
                os.link(tmp, path)
            except FileExistsError as e:
                raise OverwriteRefusedError(str(path)) from e
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def read_plain_yaml(path: Path) -> Any:
    """A small YAML file of the project (``mkdocs.yml``, ``CITATION.cff``), safely loaded.

    Raises:
        ValueError: The file cannot be read or is not plain YAML; the message says which.
    """
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ValueError(f"cannot read {path}: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise ValueError(f"{path} is not plain YAML: {e}") from e


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every symbolic link on the way resolved, lies inside ``root``.

    A pull request can commit a symbolic link (``CONTRIBUTING.md -> /etc/passwd``); no
    command may follow one out of the project.
    """
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links, or a folder we may not read
        return False


#: The largest hand-written page read (a guide or a docs page is a few kilobytes).
MAX_PAGE_BYTES = 1024 * 1024


def read_inside(path: Path, root: Path, limit: int = MAX_PAGE_BYTES) -> str | None:
    """The UTF-8 text of a regular file inside ``root``, or None (missing, outside, too big)."""
    if not inside(path, root) or not path.is_file():
        return None
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        return None
    return raw.decode("utf-8", errors="replace")
