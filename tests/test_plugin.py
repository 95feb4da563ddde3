"""What ``mkdocs serve`` keeps between rebuilds: checked files, rendered pages, unchanged output."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.structure.files import Files, get_files

from dltheory_site.plugin import WATCH_INTERVAL, DLTheoryPlugin, split_front_matter
from dltheory_site.project import EntryCache, load_knowledge_base
from dltheory_site.prose import HTML_BLOCK_END, HTML_BLOCK_START, PageConverter
from dltheory_site.render import RenderCache, SiteRenderer
from dltheory_site.theme import (
    MemoryBytecodeCache,
    NavCache,
    PartCache,
    ProbePage,
    Skeleton,
    Unindent,
    probe_tokens,
    skeleton_shape,
    skeleton_values,
)
from tests.conftest import mkdocs_build
from tests.helpers import FIXTURE_SITE, copy_repository, make_project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_entry_cache_hands_back_unchanged_entries(tmp_path: Path) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    cache: EntryCache = {}
    first, _ = load_knowledge_base(root, cache)
    _edit(root / "entries" / "lee2020third.yaml", "year: 2020", "year: 2021")
    second, _ = load_knowledge_base(root, cache)
    assert second.by_id["smith2018first"] is first.by_id["smith2018first"]
    assert second.by_id["lee2020third"] is not first.by_id["lee2020third"]
    assert second.by_id["lee2020third"].year == 2021
    # A taxonomy change invalidates every checked file.
    _edit(root / "taxonomy" / "tags.yaml", "title: Bound", "title: Bounds")
    third, _ = load_knowledge_base(root, cache)
    assert third.by_id["smith2018first"] is not first.by_id["smith2018first"]


def test_render_cache_renders_only_what_changed(tmp_path: Path) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    entries: EntryCache = {}
    cache = RenderCache()
    kb, _ = load_knowledge_base(root, entries)
    before = {p.src: p for p in SiteRenderer(kb, cache=cache).render(html_papers=True).pages}
    # lee2020third builds on muller2019second: editing it changes both pages, not smith's.
    _edit(root / "entries" / "lee2020third.yaml", "year: 2020", "year: 2021")
    kb, _ = load_knowledge_base(root, entries)
    after = {p.src: p for p in SiteRenderer(kb, cache=cache).render(html_papers=True).pages}
    same = {src for src in before if src.startswith("papers/") and after[src] is before[src]}
    assert same == {"papers/smith2018first.md"}
    assert "Lee (2021)" in (after["papers/muller2019second.md"].html or "")


def _build_files(plugin: DLTheoryPlugin, root: Path) -> Files:
    config = load_config(str(root / "mkdocs.yml"))
    # The same plugin object across builds, as under `mkdocs serve`; MkDocs names the
    # plugin that generates a file while it runs the plugin's event.
    config.plugins._current_plugin = "dltheory"
    config = plugin.on_config(config)
    files = plugin.on_files(get_files(config), config=config)
    for file in files:  # what a build would have written
        Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
        Path(file.abs_dest_path).touch()
    return files


def test_serve_dirty_rebuilds_only_changed_pages(tmp_path: Path) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    plugin = load_config(str(root / "mkdocs.yml")).plugins["dltheory"]
    assert isinstance(plugin, DLTheoryPlugin)
    plugin.on_startup(command="serve", dirty=True)
    _build_files(plugin, root)
    files = _build_files(plugin, root)  # nothing changed
    assert [f.src_uri for f in files if f.generated_by and f.is_modified()] == []
    _edit(root / "entries" / "lee2020third.yaml", "year: 2020", "year: 2021")
    files = _build_files(plugin, root)
    modified = {f.src_uri for f in files if f.is_modified()}
    assert "papers/lee2020third.md" in modified
    assert "papers/smith2018first.md" not in modified  # not related to lee2020third
    assert "timeline.md" in modified  # lists the year
    assert "index.md" in modified  # hand-written pages pull in generated parts


def test_a_draft_is_previewed_under_serve_and_left_out_of_a_build(tmp_path: Path) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    _edit(root / "entries" / "lee2020third.yaml", 'title: "', 'draft: true\ntitle: "')
    for command, shown in (("serve", True), ("build", False)):
        plugin = load_config(str(root / "mkdocs.yml")).plugins["dltheory"]
        assert isinstance(plugin, DLTheoryPlugin)
        plugin.on_startup(command=command, dirty=False)
        files = _build_files(plugin, root)
        page = files.get_file_from_path("papers/lee2020third.md")
        assert (page is not None) is shown, command
        if shown:
            site = plugin._require_site()
            html = "".join(p.html or "" for p in site.pages if p.src == "papers/lee2020third.md")
            assert '<p class="admonition-title">Draft</p>' in html
        # Out of the build means out of every list and download too.
        downloads = files.get_file_from_path("downloads/entries.json")
        assert downloads is not None
        assert ("lee2020third" in downloads.content_string) is shown


@pytest.mark.slow
def test_a_strict_build_fails_on_a_draft(tmp_path: Path) -> None:
    root = make_project(tmp_path, keep_fixture_entries=True)
    _edit(root / "entries" / "lee2020third.yaml", 'title: "', 'draft: true\ntitle: "')
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 1
    assert "warning[W004] draft: the entry is a draft" in result.stderr
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "out", strict=False)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "papers" / "lee2020third").exists()
    assert (tmp_path / "out" / "papers" / "smith2018first" / "index.html").exists()


def _build_in_process(config_file: Path, out: Path) -> dict[str, str]:
    """Build a site in this process; its HTML pages by path."""
    config = load_config(str(config_file), site_dir=str(out))
    config.plugins.on_startup(command="build", dirty=False)
    build.build(config)
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")
    }


def test_the_navigation_cache_changes_no_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = _build_in_process(FIXTURE_SITE / "mkdocs.yml", tmp_path / "cached")
    monkeypatch.setattr(NavCache, "key", lambda self, page: None)
    uncached = _build_in_process(FIXTURE_SITE / "mkdocs.yml", tmp_path / "uncached")
    assert sorted(cached) == sorted(uncached)
    assert [p for p in cached if cached[p] != uncached[p]] == []
    # It was used: papers, authors and tags are outside the navigation.
    assert "papers/smith2018first/index.html" in cached


@pytest.mark.slow
def test_the_part_cache_changes_no_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The project's own site: every feature of its theme (palette, "back to top"...).
    root = copy_repository(tmp_path)
    kept: list[object] = []
    keep = PartCache.keep

    def counting_keep(self: PartCache, key: tuple[str, str, str], html: str) -> str:
        kept.append(key)
        return keep(self, key, html)

    monkeypatch.setattr(PartCache, "keep", counting_keep)
    cached = _build_in_process(root / "mkdocs.yml", tmp_path / "cached")
    monkeypatch.setattr(PartCache, "key", staticmethod(lambda name, page, base_url: None))
    uncached = _build_in_process(root / "mkdocs.yml", tmp_path / "uncached")
    assert sorted(cached) == sorted(uncached)
    assert [p for p in cached if cached[p] != uncached[p]] == []
    # It was used: each part once per folder, for the head, the header and the page.
    names = {str(k[0]) for k in kept}  # type: ignore[index]
    assert names == {
        "block-styles",
        "block-libs",
        "block-fonts",
        "block-config",
        "block-scripts",
        "search",
        "palette",
        "logo",
        "top",
    }
    assert len(kept) < len(cached) * len(names) / 3


@pytest.mark.slow
def test_the_skeletons_of_paper_pages_change_no_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The project's own site: 502 paper pages, titles with "&", math and quotes.
    root = copy_repository(tmp_path)
    made: list[Skeleton] = []
    from_probe = Skeleton.from_probe.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Skeleton], output: str) -> Skeleton | None:
        found = from_probe(cls, output)
        if found is not None:
            made.append(found)
        return found

    monkeypatch.setattr(Skeleton, "from_probe", classmethod(counting))
    filled: list[str] = []
    fill = Skeleton.fill

    def counting_fill(self: Skeleton, values: dict[str, object]) -> str:
        filled.append(str(values["title"]))
        return fill(self, values)

    monkeypatch.setattr(Skeleton, "fill", counting_fill)
    with_skeletons = _build_in_process(root / "mkdocs.yml", tmp_path / "with")
    monkeypatch.setattr(Skeleton, "from_probe", classmethod(lambda cls, output: None))
    without = _build_in_process(root / "mkdocs.yml", tmp_path / "without")
    assert sorted(with_skeletons) == sorted(without)
    assert [p for p in with_skeletons if with_skeletons[p] != without[p]] == []
    # A skeleton per kind of paper page (sections), and every paper page filled from one.
    assert 1 <= len(made) <= 8
    papers = [p for p in without if p.startswith("papers/")]
    assert len(set(filled)) == len(papers)


def test_a_skeleton_fills_each_value_as_the_theme_filters_it() -> None:
    env = jinja2.Environment(autoescape=False)
    template = env.from_string(
        "<title>{{ page.title | striptags }} - x</title><h2>{{ page.title }}</h2>"
        '<a title="{{ page.title | e }}" href="{{ page.edit_url }}">'
        '{% if page.meta.description %}<meta content="{{ page.meta.description }}">{% endif %}'
        '{% if not "<h1" in page.content %}<h1>{{ page.title }}</h1>{% endif %}'
        "{{ page.content }}{{ dlt_head }}"
    )

    class Page:
        def __init__(self, title: str, content: str) -> None:
            self.title = title
            self.content = content
            self.canonical_url = "https://example.org/p/"
            self.edit_url = "https://example.org/edit?a=1&b=2"
            self.meta = {"description": 'Ann & "Bo" <b>', "title": title}

    def render(page: object, head: object) -> str:
        return template.render(page=page, dlt_head=head)

    first = Page("A <b>bold</b> &amp; true title", "<h1>A</h1><p>body</p>")
    head = Markup('<meta name="citation_title" content="A &amp; B">')
    values = skeleton_values(first, head)
    tokens = probe_tokens(values)
    skeleton = Skeleton.from_probe(render(ProbePage(first, tokens), tokens["head"]))
    assert skeleton is not None
    assert skeleton.fill(values) == render(first, head)
    second = Page("Kernels & <i>more</i>", "<h1>K</h1><p>x &lt; y</p>")
    assert skeleton.fill(skeleton_values(second, head)) == render(second, head)
    # A body without its heading takes the theme's other branch: another shape.
    third = Page("T", "<p>no heading</p>")
    assert skeleton_shape(skeleton_values(third, head)) != skeleton_shape(values)


def test_a_value_the_theme_transforms_otherwise_makes_no_skeleton() -> None:
    env = jinja2.Environment(autoescape=False)
    tokens = probe_tokens(
        dict.fromkeys(("meta_title", "title", "description", "canonical", "edit", "content"), "x")
        | {"head": None}
    )
    for source in (
        "{{ page.title | upper }}",
        "{{ page.title | tojson }}",
        "{{ page.title | urlencode }}",
        "{{ page.title[:5] }}",
    ):
        output = env.from_string(source).render(page={"title": tokens["title"]})
        assert Skeleton.from_probe(output) is None, source


def test_html_blocks_of_a_generated_page_skip_markdown() -> None:
    converter = PageConverter(["attr_list", "tables", "toc"], {}, True)
    text = (
        "# Title\n\nSome *words*.\n\n"
        f'{HTML_BLOCK_START}\n<div class="x">*kept* [not a link](y.md) ![no](z.png)</div>\n'
        f"{HTML_BLOCK_END}\n\nAfter *this*.\n\n"
        f"{HTML_BLOCK_START}\n<ul><li>two</li></ul>\n{HTML_BLOCK_END}\n"
    )
    html, toc = converter.convert("tags/x.md", text)
    assert html == (
        '<h1 id="title">Title</h1>\n<p>Some <em>words</em>.</p>\n'
        '<div class="x">*kept* [not a link](y.md) ![no](z.png)</div>\n'
        "<p>After <em>this</em>.</p>\n<ul><li>two</li></ul>"
    )
    assert [t["id"] for t in toc] == ["title"]
    # Text that looks like the stand-in of a block is left alone.
    html, _toc = converter.convert("tags/x.md", "dltheoryblock0x and dltheoryblockn0x\n")
    assert html == "<p>dltheoryblock0x and dltheoryblockn0x</p>"


def test_split_front_matter() -> None:
    assert split_front_matter("---\ntitle: A\n---\n\n# A\n---\nx\n") == (
        "---\ntitle: A\n---\n",
        "\n# A\n---\nx\n",
    )
    assert split_front_matter("# No front matter\n") == ("", "# No front matter\n")
    assert split_front_matter("---\nunclosed: yes\n") == ("", "---\nunclosed: yes\n")


def test_the_theme_layout_stays_out_of_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compact = _build_in_process(FIXTURE_SITE / "mkdocs.yml", tmp_path / "compact")
    monkeypatch.setattr(Unindent, "preprocess", lambda self, source, name, filename=None: source)
    # The plugin object (and its compiled templates) outlives a build, as under serve.
    monkeypatch.setattr(MemoryBytecodeCache, "load_bytecode", lambda self, bucket: None)
    laid_out = _build_in_process(FIXTURE_SITE / "mkdocs.yml", tmp_path / "laid-out")
    # The same page to a reader: the same text and tags, separated where they were.
    words = {p: re.sub(r"\s+", " ", html).strip() for p, html in laid_out.items()}
    assert {p: re.sub(r"\s+", " ", html).strip() for p, html in compact.items()} == words
    paper = "papers/smith2018first/index.html"
    assert len(compact[paper]) < 0.8 * len(laid_out[paper])
    # No indentation is left outside the page's own content.
    article = compact[paper].index('<article class="md-content__inner md-typeset">')
    assert re.findall(r"\n[ \t]+<", compact[paper][:article]) == []


def test_serve_looks_for_edits_of_entries_often(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    plugin = load_config(str(root / "mkdocs.yml")).plugins["dltheory"]
    assert isinstance(plugin, DLTheoryPlugin)
    plugin._root = root

    class Observer:
        _timeout = 0.5

    class Server:
        def __init__(self) -> None:
            self.observer = Observer()
            self.watched: list[tuple[str, float]] = []

        def watch(self, path: str) -> None:
            self.watched.append((Path(path).name, self.observer._timeout))

    server = Server()
    plugin.on_serve(server, config=load_config(str(root / "mkdocs.yml")), builder=None)
    assert server.watched == [("entries", WATCH_INTERVAL), ("taxonomy", WATCH_INTERVAL)]
    assert WATCH_INTERVAL < 0.5
    assert server.observer._timeout == 0.5  # MkDocs' own watches keep theirs


def test_blocks_set_aside_until_the_page_is_written() -> None:
    converter = PageConverter(["attr_list", "tables", "toc"], {}, True)
    text = f"# T\n\n{HTML_BLOCK_START}\n<table><tr><td>x</td></tr></table>\n{HTML_BLOCK_END}\n"
    aside: list[str] = []
    html, _toc = converter.convert("authors/x.md", text, aside)
    assert aside == ["<table><tr><td>x</td></tr></table>"]
    assert "<table>" not in html
    assert "<!--" in html
    page = f"<body>{html}</body>"
    assert converter.restore(page, aside) == (
        '<body><h1 id="t">T</h1>\n<table><tr><td>x</td></tr></table></body>'
    )
