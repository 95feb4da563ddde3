"""``mkdocs serve`` with a broken entry keeps answering and shows the problem on the page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.helpers import VALID_ENTRY, make_project

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 5.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(url: str, test: object, seconds: float) -> tuple[str, float]:
    """Poll ``url`` until ``test(page)`` holds; the page and the seconds it took."""
    start = time.monotonic()
    page = ""
    while time.monotonic() - start < seconds:
        try:
            page = _get(url, timeout=2)
            if test(page):  # type: ignore[operator]
                return page, time.monotonic() - start
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show what was expected within {seconds} s:\n{page[:500]}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = make_project(tmp_path, keep_fixture_entries=True)
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/", lambda page: "</html>" in page, 60)
        yield root, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def test_a_broken_entry_never_stalls_the_preview(served: tuple[Path, str]) -> None:
    root, base = served
    broken = root / "entries" / "lee2020third.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("year: 2020", "year: abc"), encoding="utf-8")
    expected = "entries/lee2020third.yaml:3:7</code> error[E012] <code>year</code>:"
    page, _seconds = _wait_for(f"{base}/papers/smith2018first/", lambda p: expected in p, 15)
    assert "expected a whole number, got text" in page
    # Every page answers at once while the problem stands, the home page included.
    start = time.monotonic()
    assert expected in _get(f"{base}/")
    assert time.monotonic() - start < 5
    # Fixing the file brings the normal pages back, without a restart.
    broken.write_text(good, encoding="utf-8")
    page, _ = _wait_for(f"{base}/papers/lee2020third/", lambda p: "dlt-serve-problems" not in p, 15)
    assert "Ann Lee" in page


def test_a_fresh_skeleton_never_freezes_the_preview(served: tuple[Path, str]) -> None:
    root, base = served
    assert main(["new", "doe2026fresh", "--root", str(root)]) == 0
    # The empty skeleton is listed in the banner; every other page is served as before.
    expected = "entries/doe2026fresh.yaml:"
    page, _ = _wait_for(f"{base}/papers/smith2018first/", lambda p: expected in p, 15)
    assert "required" in page or "must not be empty" in page
    # Filled in, it is previewed as a draft, under its banner.
    path = root / "entries" / "doe2026fresh.yaml"
    path.write_text(
        "draft: true\n" + VALID_ENTRY.replace("A valid paper", "A fresh paper"), encoding="utf-8"
    )
    page, _ = _wait_for(f"{base}/papers/doe2026fresh/", lambda p: "A fresh paper" in p, 15)
    assert '<p class="admonition-title">Draft</p>' in page
    assert "dlt-serve-problems" not in page
