"""Debian's Chromium driven by Playwright, and a local server for built sites.

Shared by the browser tests (tests/test_browser.py) and the hostile-corpus tests
(tests/test_security.py). Without Chromium the tests skip with a reason, except under
CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("DLTHEORY_CHROMIUM", "/usr/bin/chromium")
#: Headless flags for this machine: no sandbox as root, no background network calls.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_or_skip() -> None:
    """Skip (or, under CI, fail) when Chromium is not installed."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (install Debian's chromium; .ci/run does)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + ": browser tests must run under CI")
    pytest.skip(reason)


def launched() -> Iterator[Any]:
    """A launched headless Chromium, closed afterwards (use with ``yield from``)."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 for the duration (use with ``yield from``)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
