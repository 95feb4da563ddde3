"""The offline copy (make offline): the repository's site opened from a folder, over file://."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import mkdocs_build
from tests.helpers import REPO, copy_repository
from tests.smoke import MATERIAL, Site, smoke


def _plugins(path: Path) -> list[object]:
    # mkdocs.yml has no Python tags; INHERIT is a plain key.
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["plugins"])


def test_offline_config_keeps_the_site_plugins() -> None:
    # INHERIT replaces lists, so mkdocs.offline.yml repeats mkdocs.yml's plugins: keep them equal.
    assert _plugins(REPO / "mkdocs.offline.yml") == [*_plugins(REPO / "mkdocs.yml"), "offline"]


def test_makefile_writes_folder_and_zip() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "mkdocs build --strict -f mkdocs.offline.yml" in makefile
    assert "-m zipfile -c site-offline.zip site-offline/" in makefile


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("offline"))
    shutil.copyfile(REPO / "mkdocs.offline.yml", root / "mkdocs.offline.yml")
    out = root / "site-offline"
    result = mkdocs_build(root / "mkdocs.offline.yml", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_links_end_in_index_html(offline_site: Path) -> None:
    home = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'href="groups/complexity/index.html"' in home
    assert 'href="groups/complexity/"' not in home
    assert (offline_site / "search" / "search_index.js").is_file()
    # The shim search needs on file:// ships with the site: nothing from a CDN.
    assert "unpkg.com" not in home
    assert (offline_site / "assets" / "vendor" / "iframe-worker-shim.js").is_file()


@pytest.mark.slow
@pytest.mark.browser
def test_offline_copy_works_from_disk(offline_site: Path) -> None:
    base = offline_site.as_uri() + "/"

    def url(path: str) -> str:
        return base + path + "index.html" if path.endswith("/") or not path else base + path

    def page_url(path: str) -> str:
        # Without directory URLs a page is a file: papers/x/ -> papers/x.html.
        if path.startswith("papers/"):
            return base + path.rstrip("/") + ".html"
        return url(path)

    smoke(
        Site(
            url=page_url,
            group="groups/complexity/",
            group_title="Complexity",
            paper="jacot2018neural",
            paper_title="Neural Tangent Kernel",
            query="tangent",
            search=MATERIAL,
        )
    )
