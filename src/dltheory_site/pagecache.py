"""Finished generated pages kept on disk from one build to the next.

Paper pages are most of a build's pages and most of its time: our template, its head
metadata, then the theme's page template around it. What comes out depends on a few
things only, and the cache keys each page by all of them:

- the code: every file of this package and the versions of the libraries that render
  (MkDocs, Material, Jinja, Markdown...): :func:`code_digest`;
- the site: ``mkdocs.yml`` as loaded (theme, palette, extensions, URLs), the files of
  a theme ``custom_dir`` and of the plugin's ``templates_dir``, the navigation with
  its titles, and every file of ``taxonomy/``: :func:`site_digest`;
- the page: the entry, and every entry it shows something of (those it is related
  to, in either direction, and those its texts link with ``[[id]]``), each by its
  whole content: :func:`paper_key`. The other generated pages (authors, tags, lists)
  are keyed by their generated Markdown: :func:`source_key`.

Besides the finished page, a generated page that Material's search reads keeps the HTML
of its body and its table of contents, which the search plugin and MkDocs' anchor
checks are given as if it had been converted.

When any of these differs the page is built as usual and its new text replaces the
old. The store is one SQLite file, ``.cache/dltheory/pages.sqlite3`` beside
``mkdocs.yml``, ignored by git; deleting it is always safe. A site with another
plugin or hook that could change pages from elsewhere (the git history, the clock)
gets no cache, since its pages are not a function of these inputs. ``DLTHEORY_CACHE=0``
turns the cache off for one run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from dltheory_site.kb import KnowledgeBase
from dltheory_site.model import Entry
from dltheory_site.text import WIKILINK_RE

#: Bump when what is stored changes shape.
CACHE_FORMAT = "2"
CACHE_DIR = Path(".cache") / "dltheory"
CACHE_FILE = "pages.sqlite3"
#: The table of this format (an older one's table is left alone, and unused).
TABLE = f"pages_v{CACHE_FORMAT}"
#: ``DLTHEORY_CACHE=0`` (or ``off``, ``false``, ``no``) turns the cache off.
CACHE_ENV = "DLTHEORY_CACHE"
#: The libraries whose versions change what a page looks like.
RENDERING_LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "jinja2",
    "markupsafe",
    "markdown",
    "pymdown-extensions",
    "nh3",
    "pydantic",
)
#: Plugins known to leave a page's HTML as the theme wrote it.
KNOWN_PLUGINS = frozenset({"search", "material/search", "dltheory"})
#: Keys of ``mkdocs.yml`` that say where, not what: they change no page.
PLACE_KEYS = frozenset({"site_dir", "dev_addr", "watch", "strict", "config_file_path"})


def disabled_by_environment() -> bool:
    """Whether ``DLTHEORY_CACHE`` turns the cache off for this run."""
    return os.environ.get(CACHE_ENV, "").strip().lower() in {"0", "off", "false", "no"}


def committed(root: Path) -> bool:
    """Whether the cache could come from the repository rather than from a build here.

    ``.cache/`` is ignored, but a pull request can still commit a file there
    (``git add -f``), or commit ``.cache`` as a link to a folder of its own; pages from
    it would reach the site unchecked. So the cache is not used when git tracks
    anything under ``.cache/``, or when a part of its path is a symbolic link.
    """
    path = root
    for part in (*CACHE_DIR.parts, CACHE_FILE):
        path = path / part
        if path.is_symlink():
            return True
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return False
    try:
        found = subprocess.run(
            [git, "ls-files", "--", CACHE_DIR.parts[0]],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def _files_digest(root: Path | None, h: Any) -> None:
    """Every file under ``root`` (path and bytes) into the hash ``h``."""
    if root is None or not root.is_dir():
        h.update(b"-")
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


@lru_cache(maxsize=1)
def code_digest() -> str:
    """This package's files and the versions of the rendering libraries."""
    h = hashlib.sha256(f"format {CACHE_FORMAT}; python {sys.version}\n".encode())
    for name in RENDERING_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name} {version}\n".encode())
    _files_digest(Path(__file__).parent, h)
    return h.hexdigest()


def _plain(value: Any) -> Any:
    """A loaded setting as JSON values (what ``json.dumps`` cannot write itself)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    text = str(value)
    if " at 0x" in text:  # an object without a stable text: not a setting we can key by
        raise ValueError(f"unkeyable setting {text}")
    return text


def known_plugins_only(config: Mapping[str, Any]) -> bool:
    """Whether every plugin is one of :data:`KNOWN_PLUGINS` and there is no hook."""
    return not (set(config.get("plugins") or {}) - KNOWN_PLUGINS or config.get("hooks"))


def site_digest(
    config: Mapping[str, Any],
    nav_items: Iterable[Any],
    taxonomy_dir: Path,
    templates_dir: Path | None,
) -> str | None:
    """What every paper page is made from besides its entries; ``None``: do not cache.

    ``config`` is MkDocs' loaded configuration. A plugin outside
    :data:`KNOWN_PLUGINS` or a hook may change pages from inputs that are not keyed
    here, so such a site gets no cache.
    """
    if not known_plugins_only(config):
        return None
    plugins = config.get("plugins") or {}
    theme = config.get("theme")
    try:
        settings = {
            k: _plain(v) for k, v in config.items() if k not in PLACE_KEYS | {"plugins", "theme"}
        }
        settings["plugins"] = {name: _plain(dict(p.config)) for name, p in plugins.items()}
        if theme is not None:
            settings["theme"] = {
                "name": theme.name,
                "dirs": list(theme.dirs),
                "vars": _plain(dict(theme.items())),
            }
        text = json.dumps(settings, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return None
    h = hashlib.sha256(code_digest().encode())
    h.update(text.encode("utf-8"))
    h.update(json.dumps(_nav_outline(nav_items)).encode("utf-8"))
    _files_digest(taxonomy_dir, h)
    _files_digest(templates_dir, h)
    custom = getattr(theme, "custom_dir", None) if theme is not None else None
    _files_digest(Path(custom) if custom else None, h)
    return h.hexdigest()


def _nav_outline(items: Iterable[Any]) -> list[Any]:
    """The navigation as titles, URLs and children: what the theme draws of it."""
    return [
        [
            str(getattr(item, "title", "")),
            str(getattr(item, "url", "") or ""),
            _nav_outline(getattr(item, "children", None) or ()),
        ]
        for item in items
    ]


def entry_digests(kb: KnowledgeBase) -> dict[str, str]:
    """Each entry's whole content, hashed."""
    return {
        e.id: hashlib.sha256(e.model_dump_json().encode("utf-8")).hexdigest() for e in kb.entries
    }


def paper_key(site: str, kb: KnowledgeBase, entry: Entry, digests: Mapping[str, str]) -> str:
    """The key of a paper's page: the site, the entry and every entry the page shows."""
    h = hashlib.sha256(site.encode())
    h.update(f"\n{entry.id} {digests[entry.id]}\n".encode())
    texts = [entry.model_dump_json()]
    for link in kb.links(entry):
        h.update(
            json.dumps(
                [link.entry.id, digests.get(link.entry.id), link.label, link.note, link.outgoing]
            ).encode("utf-8")
        )
        texts.append(link.note or "")
    # [[id]] links show the linked paper's authors, year and title.
    targets = {m.group(1).strip() for text in texts for m in WIKILINK_RE.finditer(text)}
    for target in sorted(targets):
        h.update(f"\n[[{target}]] {digests.get(target, '-')}".encode())
    return h.hexdigest()


def source_key(site: str, src: str, markdown: str) -> str:
    """The key of a generated page that is converted from Markdown: the site and its text."""
    h = hashlib.sha256(site.encode())
    h.update(f"\n{src}\n".encode())
    h.update(markdown.encode("utf-8"))
    return h.hexdigest()


@dataclass(frozen=True)
class Stored:
    """A page from the store: the finished page, and for a converted page the HTML of
    its body and its table-of-contents tokens (JSON)."""

    html: str
    content: str | None = None
    toc: str | None = None


class PageStore:
    """Pages by source path, each with the key it was made under (SQLite, compressed).

    Any trouble with the file (unreadable, locked, from another version) turns the
    cache off for the build instead of failing it: it only ever saves time.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.keys: dict[str, str] = {}
        self.db: sqlite3.Connection | None = None
        self.error: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._open()
            except sqlite3.DatabaseError:
                # Not a database (a cut-off write, another program's file): it is
                # only a cache, so it starts again.
                self._close_quietly()
                path.unlink()
                self._open()
        except (OSError, sqlite3.Error) as err:
            self._fail(err)

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path)
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (src TEXT PRIMARY KEY, key TEXT NOT NULL, "
            "html BLOB NOT NULL, content BLOB, toc TEXT)"
        )
        self.keys = dict(self.db.execute(f"SELECT src, key FROM {TABLE}").fetchall())

    def _close_quietly(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None

    def _fail(self, err: Exception) -> None:
        self.error = f"{self.path}: {err}"
        self._close_quietly()
        self.keys = {}

    def has(self, src: str, key: str) -> bool:
        """Whether the page ``src`` is stored under ``key``."""
        return self.db is not None and self.keys.get(src) == key

    def get(self, src: str) -> Stored | None:
        """The stored page, or ``None``."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                f"SELECT html, content, toc FROM {TABLE} WHERE src = ?", (src,)
            ).fetchone()
            if row is None:
                return None
            html, content, toc = row
            return Stored(
                zlib.decompress(html).decode("utf-8"),
                None if content is None else zlib.decompress(content).decode("utf-8"),
                toc,
            )
        except (sqlite3.Error, zlib.error, UnicodeDecodeError) as err:
            self._fail(err)
            return None

    def put(
        self, src: str, key: str, html: str, content: str | None = None, toc: str | None = None
    ) -> None:
        """Store a page (written for good by :meth:`close`)."""
        if self.db is None:
            return
        try:
            self.db.execute(
                f"INSERT OR REPLACE INTO {TABLE} (src, key, html, content, toc) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    src,
                    key,
                    zlib.compress(html.encode("utf-8"), 1),
                    None if content is None else zlib.compress(content.encode("utf-8"), 1),
                    toc,
                ),
            )
            self.keys[src] = key
        except sqlite3.Error as err:
            self._fail(err)

    def discard(self) -> None:
        """Close without writing what this build stored."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.rollback()
        self._close_quietly()

    def close(self, keep: Iterable[str] | None = None) -> None:
        """Write what was stored; with ``keep``, forget the pages not in it."""
        if self.db is None:
            return
        try:
            if keep is not None:
                gone = set(self.keys) - set(keep)
                self.db.executemany(f"DELETE FROM {TABLE} WHERE src = ?", [(s,) for s in gone])
            self.db.commit()
            self.db.close()
        except sqlite3.Error as err:
            self._fail(err)
        self.db = None
