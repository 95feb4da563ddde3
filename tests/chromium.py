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

#: Where browser tests put their screenshots, and the vendored axe-core.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

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


class Watched:
    """A page whose requests and console errors are recorded."""

    def __init__(self, browser: Any, base: str, **context_args: Any) -> None:
        self.base = base
        self.context = browser.new_context(**context_args)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base + "/")]

    def close(self) -> None:
        self.context.close()


#: A 390 px phone, as the browser tests emulate it.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core (vendored) finds serious or critical on the page as it is now."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary)}));
    }""")
    return [v for v in found if v["impact"] in {"serious", "critical"}]
