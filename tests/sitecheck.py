"""Walks a built site: every internal link and anchor resolves, every page is reachable."""

from __future__ import annotations

import posixpath
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        for attr in ("href", "src", "data"):
            value = values.get(attr)
            if value and not (tag == "link" and values.get("rel") in {"canonical", "alternate"}):
                self.links.append(value)


@dataclass
class SiteReport:
    pages: dict[str, _Parser] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def _target_file(site: Path, url_path: str) -> Path:
    path = site / url_path.lstrip("/")
    if url_path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def check_site(site: Path) -> SiteReport:
    """Parse every HTML page of ``site`` and check its internal links and anchors."""
    report = SiteReport()
    for page in sorted(site.rglob("*.html")):
        parser = _Parser()
        parser.feed(page.read_text(encoding="utf-8"))
        report.pages[page.relative_to(site).as_posix()] = parser
    graph: dict[str, set[str]] = {}
    for rel, parser in report.pages.items():
        graph[rel] = set()
        base = posixpath.dirname(rel)
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            if not parts.path:
                target_rel = rel
            else:
                joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
                if joined.startswith(".."):
                    report.broken.append(f"{rel}: {link} leaves the site")
                    continue
                target = _target_file(site, joined + ("/" if parts.path.endswith("/") else ""))
                if not target.exists():
                    report.broken.append(f"{rel}: {link} -> missing {target.relative_to(site)}")
                    continue
                target_rel = target.relative_to(site).as_posix()
            if parts.fragment and target_rel.endswith(".html"):
                ids = report.pages[target_rel].ids if target_rel in report.pages else set()
                if unquote(parts.fragment) not in ids:
                    report.broken.append(f"{rel}: {link} -> no anchor #{parts.fragment}")
            if target_rel.endswith(".html"):
                graph[rel].add(target_rel)
    seen = {"index.html"}
    queue = deque(["index.html"])
    while queue:
        for nxt in graph.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    report.unreachable = sorted(p for p in report.pages if p not in seen and p != "404.html")
    return report
