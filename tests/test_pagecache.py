"""The page cache: a warm build writes what a cold one writes, and a change reaches every
page that shows it (dltheory_site.pagecache)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import zlib
from pathlib import Path

import pytest

from dltheory_site import pagecache
from dltheory_site.project import load_knowledge_base
from tests.conftest import mkdocs_build
from tests.helpers import REPO, make_project

#: The cache on for a build (the suite turns it off everywhere else, see conftest).
CACHE_ON = {"DLTHEORY_CACHE": ""}
CACHE_OFF = {"DLTHEORY_CACHE": "0"}
MARK = "<!-- taken from the cache -->"
COMMITTED = (
    "WARNING -  dltheory_site: .cache/dltheory/ is committed to the repository or links "
    "elsewhere; its pages are not used (such a cache could put any HTML on the site). "
    "Hint: git rm -r --cached .cache, and delete it"
)
PAPERS = ("lee2020third", "muller2019second", "smith2018first")


def _project(tmp_path: Path) -> Path:
    """The fixture site with the cache on, as the project's own mkdocs.yml has it."""
    root = make_project(tmp_path, keep_fixture_entries=True)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    plugin = "      repo_url: https://example.org/repo\n"
    assert plugin in text
    config.write_text(text.replace(plugin, plugin + "      cache: true\n"), encoding="utf-8")
    return root


def test_the_project_keeps_its_pages_between_builds() -> None:
    assert "      cache: true\n" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert ".cache/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def _build(root: Path, out: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    if out.exists():
        shutil.rmtree(out)
    result = mkdocs_build(root / "mkdocs.yml", out, env=CACHE_ON if env is None else env)
    assert result.returncode == 0, result.stderr
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")
    }


def _store(root: Path) -> Path:
    return root / ".cache" / "dltheory" / "pages.sqlite3"


def _mark_stored_pages(root: Path) -> list[str]:
    """Append MARK to every stored page, keeping its key: a page that shows it was read.
    Returns the stored pages' sources."""
    db = sqlite3.connect(_store(root))
    rows = db.execute(f"SELECT src, html FROM {pagecache.TABLE}").fetchall()
    for src, html in rows:
        page = zlib.decompress(html).decode("utf-8") + MARK
        db.execute(
            f"UPDATE {pagecache.TABLE} SET html = ? WHERE src = ?",
            (zlib.compress(page.encode()), src),
        )
    db.commit()
    db.close()
    return sorted(src for src, _ in rows)


def _marked(pages: dict[str, str]) -> list[str]:
    return sorted(k for k, v in pages.items() if v.endswith(MARK))


def _paper(pages: dict[str, str], paper: str) -> str:
    return pages[f"papers/{paper}/index.html"]


@pytest.mark.slow
def test_a_warm_build_takes_paper_pages_from_the_cache_and_writes_the_same_site(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    cold = _build(root, tmp_path / "cold")
    assert _store(root).is_file()
    warm = _build(root, tmp_path / "warm")
    assert warm == cold
    # The pages did come from the cache: what is stored is what is written.
    stored = _mark_stored_pages(root)
    # Every generated page: papers, authors, tags, groups, lists; not the hand-written.
    assert {f"papers/{p}.md" for p in PAPERS} | {"authors/ann-lee.md", "tags/kernel.md"} <= set(
        stored
    )
    assert "index.md" not in stored
    assert "contributing.md" not in stored
    marked = _build(root, tmp_path / "marked")
    assert len(_marked(marked)) == len(stored)
    assert {k: v.removesuffix(MARK) for k, v in marked.items()} == cold


@pytest.mark.slow
def test_an_edited_entry_rebuilds_its_page_and_every_page_that_shows_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _build(root, tmp_path / "cold")
    _mark_stored_pages(root)
    path = root / "entries" / "smith2018first.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("A first bound", "An edited bound"), encoding="utf-8")
    warm = _build(root, tmp_path / "warm")
    # muller2019second improves smith2018first and links it in its summary; lee2020third
    # shows only muller2019second, which did not change.
    assert [p for p in PAPERS if _paper(warm, p).endswith(MARK)] == ["lee2020third"]
    assert "An edited bound for alpha networks" in _paper(warm, "muller2019second")
    # Its authors' pages and its tag's list it; Ann Lee's page and the kernel tag do not.
    for page in ("authors/jane-smith/index.html", "tags/bound/index.html"):
        assert not warm[page].endswith(MARK)
        assert "An edited bound" in warm[page]
    for page in ("authors/ann-lee/index.html", "tags/kernel/index.html"):
        assert warm[page].endswith(MARK)
    uncached = _build(root, tmp_path / "uncached", CACHE_OFF)
    assert {k: v.removesuffix(MARK) for k, v in warm.items()} == uncached


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("taxonomy/tags.yaml", "\n", "\n# an edited comment\n"),
        ("mkdocs.yml", "font: false", "font: false\n  language: de"),
        ("docs/index.md", "\n", "\n\nA new paragraph on the home page.\n"),
    ],
    ids=["taxonomy", "mkdocs.yml", "a hand-written page"],
)
def test_a_change_to_the_site_rebuilds_every_paper_page(
    tmp_path: Path, path: str, old: str, new: str
) -> None:
    root = _project(tmp_path)
    _build(root, tmp_path / "cold")
    stored = _mark_stored_pages(root)
    file = root / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    warm = _build(root, tmp_path / "warm")
    if path == "docs/index.md":
        # The home page's text is on no generated page: they all stay cached.
        assert len(_marked(warm)) == len(stored)
    else:
        assert _marked(warm) == []
    assert {k: v.removesuffix(MARK) for k, v in warm.items()} == _build(
        root, tmp_path / "uncached", CACHE_OFF
    )


@pytest.mark.slow
def test_a_page_title_in_the_navigation_rebuilds_every_paper_page(tmp_path: Path) -> None:
    # A navigation entry without a title shows the page's heading, known only once
    # MkDocs has read the page.
    root = _project(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "nav:\n  - index.md\n  - contributing.md\n",
        encoding="utf-8",
    )
    _build(root, tmp_path / "cold")
    _mark_stored_pages(root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(
        text.replace("# Fixture knowledge base", "# A renamed home", 1), encoding="utf-8"
    )
    warm = _build(root, tmp_path / "warm")
    assert _marked(warm) == []
    assert "A renamed home" in _paper(warm, "smith2018first")


@pytest.mark.slow
def test_the_cache_is_off_when_the_environment_says_so(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _build(root, tmp_path / "out", CACHE_OFF)
    assert not (root / ".cache").exists()


@pytest.mark.slow
def test_an_unreadable_cache_file_starts_again(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _store(root).parent.mkdir(parents=True)
    _store(root).write_bytes(b"not a database, whatever it is" * 100)
    pages = _build(root, tmp_path / "out")
    assert pages == _build(root, tmp_path / "uncached", CACHE_OFF)
    db = sqlite3.connect(_store(root))
    (count,) = db.execute(f"SELECT count(*) FROM {pagecache.TABLE}").fetchone()
    db.close()
    # Every page but the hand-written two and the 404 page.
    hand_written = {"index.html", "contributing/index.html", "404.html"}
    assert count == len([p for p in pages if p.endswith(".html") and p not in hand_written])


def _assert_refused(root: Path, out: Path) -> None:
    """A strict build fails on the cache; a build that goes on does not read it."""
    result = mkdocs_build(root / "mkdocs.yml", out, env=CACHE_ON)
    assert result.returncode == 1
    assert COMMITTED in result.stderr
    result = mkdocs_build(root / "mkdocs.yml", out, env=CACHE_ON, strict=False)
    assert result.returncode == 0, result.stderr
    page = out / "papers" / "smith2018first" / "index.html"
    assert MARK not in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_committed_cache_is_not_used_and_fails_a_strict_build(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    root = _project(tmp_path)
    _build(root, tmp_path / "cold")
    _mark_stored_pages(root)

    def run(*args: str) -> None:
        subprocess.run([git, *args], cwd=root, check=True, capture_output=True)

    run("init", "-q")
    run("add", "-f", ".cache/dltheory/pages.sqlite3")
    _assert_refused(root, tmp_path / "out")


@pytest.mark.slow
def test_a_cache_that_links_elsewhere_is_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _build(root, tmp_path / "cold")
    _mark_stored_pages(root)
    # A pull request's own folder, and .cache as a link to it.
    (root / ".cache").rename(root / "docs-extra")
    (root / ".cache").symlink_to(root / "docs-extra")
    _assert_refused(root, tmp_path / "out")


def test_a_paper_key_follows_the_entries_its_page_shows(tmp_path: Path) -> None:
    root = _project(tmp_path)

    def keys() -> dict[str, str]:
        kb, problems = load_knowledge_base(root)
        assert problems == []
        digests = pagecache.entry_digests(kb)
        return {e.id: pagecache.paper_key("site", kb, e, digests) for e in kb.entries}

    before = keys()
    assert len(set(before.values())) == 3
    path = root / "entries" / "lee2020third.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Beta dynamics", "Gamma dynamics"),
        encoding="utf-8",
    )
    after = keys()
    # lee2020third builds on muller2019second: both pages show its title; smith2018first's
    # page does not.
    assert [k for k in before if before[k] != after[k]] == ["lee2020third", "muller2019second"]


def test_a_site_with_an_unknown_plugin_or_a_hook_gets_no_cache(tmp_path: Path) -> None:
    class Plugin:
        def __init__(self) -> None:
            self.config: dict[str, str] = {}

    base = {"site_name": "x", "plugins": {"search": Plugin(), "dltheory": Plugin()}}
    assert pagecache.site_digest(base, [], tmp_path, None) is not None
    other = {**base, "plugins": {**base["plugins"], "git-revision-date": Plugin()}}
    assert pagecache.site_digest(other, [], tmp_path, None) is None
    assert pagecache.site_digest({**base, "hooks": {"h": object()}}, [], tmp_path, None) is None
    # A setting without a stable text cannot be keyed: no cache rather than a wrong page.
    assert pagecache.site_digest({**base, "extra": {"x": object()}}, [], tmp_path, None) is None


def test_the_store_forgets_pages_that_are_gone(tmp_path: Path) -> None:
    store = pagecache.PageStore(tmp_path / "c" / "pages.sqlite3")
    store.put("papers/a.md", "k1", "<p>a</p>")
    store.put("tags/b.md", "k2", "<p>b</p>", "<p>body</p>", '[{"id": "b"}]')
    store.close(keep=["papers/a.md"])
    kept = pagecache.PageStore(tmp_path / "c" / "pages.sqlite3")
    assert kept.keys == {"papers/a.md": "k1"}
    kept.put("tags/b.md", "k2", "<p>b</p>", "<p>body</p>", '[{"id": "b"}]')
    kept.close()
    again = pagecache.PageStore(tmp_path / "c" / "pages.sqlite3")
    assert again.keys == {"papers/a.md": "k1", "tags/b.md": "k2"}
    assert again.has("papers/a.md", "k1")
    assert not again.has("papers/a.md", "k2")
    assert again.get("papers/a.md") == pagecache.Stored("<p>a</p>")
    assert again.get("tags/b.md") == pagecache.Stored("<p>b</p>", "<p>body</p>", '[{"id": "b"}]')
    assert again.get("tags/c.md") is None
    again.put("papers/c.md", "k3", "<p>c</p>")
    again.discard()
    assert pagecache.PageStore(tmp_path / "c" / "pages.sqlite3").keys == {
        "papers/a.md": "k1",
        "tags/b.md": "k2",
    }
