"""A life after Material and MkDocs: the site built by Zensical and by ProperDocs.

Nothing is installed at test time. ``.ci/run`` makes a venv for each builder and
exports its command: ``ZENSICAL`` (``pip install zensical``, which builds what
``dltheory-site generate`` writes, since it ignores our plugin) and ``PROPERDOCS``
(``pip install properdocs mkdocs-material`` and this project, which runs our plugin).
Without them the tests skip, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dltheory_site.cli import main
from tests.chromium import serve
from tests.helpers import FIXTURE_SITE
from tests.smoke import MATERIAL, ZENSICAL, SearchUI, Site, smoke

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _builder(variable: str, install: str) -> str:
    command = os.environ.get(variable, "")
    if command and (Path(command).is_file() or shutil.which(command)):
        return command
    reason = f"{variable} does not name a {install} command (.ci/run makes one)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + ": this check must run under CI")
    pytest.skip(reason)


def _fixture_pages(url: str, search: SearchUI) -> Site:
    def page(path: str) -> str:
        return f"{url}/{path}"

    return Site(
        url=page,
        group="groups/alpha/",
        group_title="Alpha bounds",
        paper="smith2018first",
        paper_title="A first bound for alpha networks",
        query="first bound",
        search=search,
    )


def test_zensical_builds_the_generated_site(tmp_path: Path) -> None:
    zensical = _builder("ZENSICAL", "zensical")
    out = tmp_path / "generated"
    assert main(["generate", "--root", str(FIXTURE_SITE), "--out", str(out)]) == 0
    result = subprocess.run(
        [zensical, "build", "--strict", "-f", str(out / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = out / "site"
    assert (site / "papers" / "smith2018first" / "index.html").is_file()
    for url in serve(site):
        smoke(_fixture_pages(url, ZENSICAL))


def test_properdocs_runs_the_plugin_with_material(tmp_path: Path) -> None:
    properdocs = _builder("PROPERDOCS", "properdocs")
    site = tmp_path / "site"
    result = subprocess.run(
        [properdocs, "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        capture_output=True,
        text=True,
        check=False,
        cwd=FIXTURE_SITE,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": ""},
    )
    assert result.returncode == 0, result.stderr
    for url in serve(site):
        smoke(_fixture_pages(url, MATERIAL))
