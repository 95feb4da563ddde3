"""Where pages end up: source paths to URLs, as MkDocs makes them."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit


def page_url(src: str, use_directory_urls: bool = True) -> str:
    """The URL path (relative to the site root) of a page source path, as MkDocs makes it."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        return folder if use_directory_urls else f"{folder}index.html"
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def relative_url(from_src: str, to_src: str, use_directory_urls: bool = True) -> str:
    """The URL of ``to_src`` relative to the page made from ``from_src``.

    Both are normalised paths inside the site, so this works on their segments
    alone (``posixpath.relpath`` asks the file system for the working directory on
    every call, which showed up in profiles of large builds).
    """
    here = page_url(from_src, use_directory_urls)
    there = page_url(to_src, use_directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    base_parts = [p for p in base.split("/") if p]
    target_parts = [p for p in there.split("/") if p]
    common = 0
    for a, b in zip(base_parts, target_parts, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(base_parts) - common) + target_parts[common:]
    rel = "/".join(parts) or "."
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return rel


def is_relative_link(url: str) -> bool:
    """Whether a link points to a file of the site by a relative path (``../x.md#a``)."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("#", "/")) or not parts.path)


def resolve_link(from_src: str, url: str) -> str:
    """The source path a relative link of the page made from ``from_src`` points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_src), urlsplit(url).path))


def relink(from_src: str, url: str, use_directory_urls: bool = True) -> str:
    """A link written against source files (``../papers/x.md#a``) as the built page's URL.

    What MkDocs does to links in the pages it converts; other links come back unchanged.
    """
    if not is_relative_link(url):
        return url
    fragment = urlsplit(url).fragment
    new = relative_url(from_src, resolve_link(from_src, url), use_directory_urls)
    return new + (f"#{fragment}" if fragment else "")
