"""Shared fixtures: a built fixture site, made once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import launched, serve
from tests.helpers import FIXTURE_SITE, REPO

MKDOCS = [sys.executable, "-m", "mkdocs"]
#: Fixtures that build a whole site: a test using one is slow, whatever its module says.
SITE_FIXTURES = {"fixture_site", "repo_site"}


def pytest_configure(config: pytest.Config) -> None:
    # The page cache (dltheory_site.pagecache) stays out of every build of the suite, so
    # that no test reads pages a developer's earlier build left; tests/test_pagecache.py
    # turns it on where it is tested.
    os.environ["DLTHEORY_CACHE"] = "0"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def mkdocs_build(
    config: Path,
    site_dir: Path,
    *extra: str,
    strict: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a real ``mkdocs build`` (``--strict`` unless told otherwise) in a subprocess.

    ``env`` adds to (or, with an empty value, removes from) the environment.
    """
    merged = {k: v for k, v in {**os.environ, **(env or {})}.items() if v != ""}
    merged.update(NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="")
    return subprocess.run(
        [
            *MKDOCS,
            "build",
            *(["--strict"] if strict else []),
            "-f",
            str(config),
            "-d",
            str(site_dir),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
        env=merged,
        cwd=config.parent,
    )


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture knowledge base built strictly with the plugin."""
    out = tmp_path_factory.mktemp("fixture-site")
    result = mkdocs_build(FIXTURE_SITE / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own knowledge base built strictly with the plugin."""
    out = tmp_path_factory.mktemp("repo-site")
    result = mkdocs_build(REPO / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr
    return out


# Browser tests share these: Chromium once per module, each built site served once.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched()


@pytest.fixture(scope="module")
def fixture_url(fixture_site: Path) -> Iterator[str]:
    yield from serve(fixture_site)


@pytest.fixture(scope="module")
def repo_url(repo_site: Path) -> Iterator[str]:
    yield from serve(repo_site)
