"""The ``dltheory`` MkDocs plugin: a thin layer that wires MkDocs events to the core.

- ``on_startup`` keeps a cache of checked entry files across ``mkdocs serve`` rebuilds.
- ``on_config`` loads and validates the knowledge base (failing the build with the
  same messages as ``dltheory-site validate``), renders the site, and sets the
  navigation and the math assets.
- ``on_files`` adds the generated pages and files in memory (``File.generated``).
- ``on_page_markdown`` fills the markers of hand-written pages.
- ``on_serve`` watches ``entries/`` and ``taxonomy/`` for live reload.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import zlib
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from dltheory_site import pagecache, sitemap
from dltheory_site.diagnostics import Diagnostic, Severity
from dltheory_site.exports import KATEX_CSS, KATEX_JS
from dltheory_site.fsutil import inside
from dltheory_site.model import Entry
from dltheory_site.project import ENTRIES_DIR, TAXONOMY_DIR, EntryCache, load_knowledge_base
from dltheory_site.prose import PageConverter, hand_written_page
from dltheory_site.render import (
    RenderCache,
    RenderOptions,
    Site,
    SitePage,
    SiteRenderer,
    environment,
)
from dltheory_site.search import rewrite_index
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
    theme_loader,
)

log = get_plugin_logger(__name__)

REQUIRED_EXTENSIONS = ("attr_list", "tables", "pymdownx.arithmatex")
#: Prose results a build keeps for texts that repeat (``serve`` keeps all, for the next build).
PROSE_KEPT_IN_BUILD = 512
#: Seconds between two looks for changes in entries/ and taxonomy/ under ``serve``.
WATCH_INTERVAL = 0.1
#: Our theme overrides: head metadata, a header repository link, the navigation cache.
OVERRIDES = str(Path(__file__).parent / "overrides")


class DLTheoryConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' hook is untyped
    """Options of the plugin in ``mkdocs.yml``."""

    root = c.Optional(c.Dir(exists=True))
    templates_dir = c.Optional(c.Dir(exists=True))
    #: The repository, for "edit this page" links. Kept apart from MkDocs' own
    #: repo_url because Material then asks GitHub's API for the repository's stars
    #: from every page, a request to another host.
    repo_url = c.Optional(c.URL())
    edit_branch = c.Type(str, default="main")
    #: Keep finished paper pages in ``.cache/dltheory/`` for the next build
    #: (dltheory_site.pagecache); ``DLTHEORY_CACHE=0`` turns it off for one run.
    cache = c.Type(bool, default=False)


class DLTheoryPlugin(BasePlugin[DLTheoryConfig]):  # type: ignore[no-untyped-call]
    """Generates the knowledge-base pages of the site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._cache: EntryCache = {}
        self._site: Site | None = None
        self._renderer: SiteRenderer | None = None
        self._edit_urls: dict[str, str | None] = {}
        self._edit_base: str | None = None
        self._html_pages: dict[str, SitePage] = {}
        self._converter: PageConverter | None = None
        # For `mkdocs serve --dirty`: what each generated file held in the last build.
        self._serve_dirty = False
        self._built: dict[str, int] = {}
        self._render_cache = RenderCache()
        self._root = Path(".")
        self._serving = False
        self._problems_html = ""
        self._nav_pages: set[str] = set()
        self._bytecode = MemoryBytecodeCache()
        self._papers: dict[str, Entry] = {}
        self._bodies: dict[str, bytes] = {}
        self._aside: list[str] = []
        self._store: pagecache.PageStore | None = None
        self._page_keys: dict[str, str] = {}
        self._hits: set[str] = set()
        self._nav_items: list[Any] = []
        # For the page cache: each converted page's Markdown (hashed), and what the
        # page being written gave Material's search (its body and contents).
        self._sources: dict[str, str] = {}
        self._converted: tuple[str, str] | None = None
        # Material's page per kind of paper page (see _skeleton_page); None: not used.
        self._skeletons: dict[tuple[Any, ...], Skeleton | None] | None = None
        self._skeleton_uses: dict[tuple[Any, ...], int] = {}
        self._env: Environment | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object across serve rebuilds, and the cache with it.
        self._cache = {}
        self._serving = command == "serve"
        self._serve_dirty = self._serving and dirty
        self._built = {}
        self._render_cache = RenderCache(keep=self._serving)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._root = Path(self.config.root or Path(config.config_file_path).parent)
        # Only `serve` has a next build to hand the checked files to.
        kb, problems = load_knowledge_base(self._root, self._cache if self._serving else None)
        errors = [d for d in problems if d.severity is Severity.ERROR]
        for d in problems:
            (log.error if d.severity is Severity.ERROR else log.warning)(d.format())
        # Under `serve` a broken file must not stall the preview: the valid entries are
        # built and every page lists the problems until the files are fixed.
        self._problems_html = (
            problems_banner(errors, Path(self.config.templates_dir or "") or None)
            if errors and self._serving
            else ""
        )
        if errors and not self._serving:
            raise PluginError(
                f"{len(errors)} problem(s) in the knowledge base; "
                "run 'dltheory-site validate' for the full report"
            )
        # A draft is previewed under `serve` (with a banner) and left out of a build.
        if not self._serving:
            kb = kb.published()
        repo = (self.config.repo_url or config.repo_url or "").rstrip("/")
        options = RenderOptions(
            use_directory_urls=config.use_directory_urls,
            templates_dir=Path(self.config.templates_dir) if self.config.templates_dir else None,
            edit_base=f"{repo}/edit/{self.config.edit_branch}/" if repo else None,
            repo_url=repo or None,
            site_url=config.site_url,
            site_name=config.site_name,
            **permalink_options(dict(config.mdx_configs or {}).get("toc", {})),
        )
        self._edit_base = options.edit_base
        self._renderer = SiteRenderer(kb, options, self._render_cache)
        # A build renders each paper page as MkDocs writes it and lets it go (memory);
        # `serve` renders them all here, where its cache skips the unchanged ones.
        defer = not self._serving
        self._site = self._renderer.render(html_papers=True, defer_papers=defer)
        self._papers = {sitemap.entry_src(e): e for e in kb.entries}
        self._html_pages = {p.src: p for p in self._site.pages if p.src in self._papers}
        if defer:
            self._renderer.prose_renderer.keep = PROSE_KEPT_IN_BUILD
        self._converter = PageConverter(
            list(config.markdown_extensions),
            dict(config.mdx_configs or {}),
            config.use_directory_urls,
        )
        self._edit_urls = {p.src: p.edit_url for p in self._site.pages}
        if not config.nav:
            docs = Path(config.docs_dir)
            config.nav = self._renderer.nav(
                p.relative_to(docs).as_posix() for p in docs.glob("*.md")
            )
        # Our theme overrides (head metadata, a header repository link that asks no API)
        # come before the theme's own templates, after a site's custom_dir.
        if OVERRIDES not in config.theme.dirs:
            custom = 1 if config.theme.custom_dir else 0
            config.theme.dirs.insert(custom, OVERRIDES)
        for path in KATEX_CSS:
            if path not in config.extra_css:
                config.extra_css.append(path)
        scripts = [str(s) for s in config.extra_javascript]
        for path in KATEX_JS:
            if path not in scripts:
                config.extra_javascript.append(path)
        missing = [e for e in REQUIRED_EXTENSIONS if e not in config.markdown_extensions]
        if missing:
            raise PluginError(f"mkdocs.yml must enable markdown_extensions: {', '.join(missing)}")
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = self._require_site()
        built: dict[str, int] = {}
        self._sources = {}
        for page in site.pages:
            if files.get_file_from_path(page.src) is not None:
                raise PluginError(
                    f"docs/{page.src} is generated from the knowledge base; remove the "
                    "hand-written file (generated pages are never written into docs/)"
                )
            content = page.markdown
            if not self._serving and page.src not in self._papers and self.config.cache:
                self._sources[page.src] = hashlib.sha256(page.markdown.encode()).hexdigest()
            if not self._serving and page.src not in self._papers:
                # A build converts these pages one at a time (on_page_context); until
                # then their bodies wait compressed, not all held as text at once.
                content, body = split_front_matter(page.markdown)
                self._bodies[page.src] = zlib.compress(body.encode("utf-8"), 1)
            file = File.generated(config, page.src, content=content)
            built[page.src] = hash((page.markdown, page.html, site.nav_key))
            files.append(file)
        docs = Path(config.docs_dir)
        for file in [f for f in files if f.src_dir and Path(f.src_dir) == docs]:
            if not inside(Path(file.abs_src_path or ""), self._root):
                log.error(
                    f"docs/{file.src_uri}: a symbolic link out of the project is not published"
                )
                files.remove(file)
        for path, data in site.files.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=data))
                built[path] = hash(data)
        if self._serve_dirty:
            self._mark_unchanged(files, built)
        self._built = built
        if not self._serving:
            self._site = None  # the files hold the pages now (see on_page_content)
        return files

    def _mark_unchanged(self, files: Files, built: dict[str, int]) -> None:
        """In ``serve --dirty``, rebuild only what an edit changed.

        MkDocs counts every generated file as modified. Here a generated file whose
        content is what the last build wrote, and whose output exists, counts as
        unchanged; hand-written pages that pull in generated parts are rebuilt
        whenever anything generated changed.
        """
        changed = any(self._built.get(src) != digest for src, digest in built.items())
        for file in files:
            if file.generated_by and self._built.get(file.src_uri) == built.get(file.src_uri):
                if Path(file.abs_dest_path).exists():
                    file.is_modified = _unchanged  # type: ignore[method-assign]
            elif not file.generated_by and changed and file.src_uri.endswith(".md"):
                file.is_modified = _changed  # type: ignore[method-assign]

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav_pages = {p.file.src_uri for p in nav.pages}
        self._nav_items = list(nav.items)
        return nav

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        env.loader = theme_loader(env.loader, config.theme.dirs, OVERRIDES)
        env.globals["dlt_nav"] = NavCache(self._nav_pages)
        env.globals["dlt_parts"] = PartCache()
        env.bytecode_cache = self._bytecode
        env.add_extension(Unindent)
        self._env = env
        # Every page has been read (the navigation has its titles): the paper pages
        # whose inputs are what they were come from the cache.
        self._open_cache(config, files)
        # The others are put in Material's page through a skeleton, when no other
        # plugin or hook could add to the page's context after this plugin.
        self._skeletons, self._skeleton_uses = None, {}
        if not self._serving and pagecache.known_plugins_only(config):
            self._skeletons = {}
            for src in self._papers:
                file = files.get_file_from_path(src)
                if file is not None and file.page is not None:
                    file.page.meta["template"] = CACHED_TEMPLATE
        return env

    def _open_cache(self, config: MkDocsConfig, files: Files) -> None:
        self._store, self._page_keys, self._hits = None, {}, set()
        if (
            not self.config.cache
            or self._serving
            or self._renderer is None
            or pagecache.disabled_by_environment()
        ):
            return
        if pagecache.committed(self._root):
            log.warning(
                f"{pagecache.CACHE_DIR}/ is committed to the repository or links elsewhere; "
                "its pages are not used (such a cache could put any HTML on the site). "
                f"Hint: git rm -r --cached {pagecache.CACHE_DIR.parts[0]}, and delete it"
            )
            return
        templates = Path(self.config.templates_dir) if self.config.templates_dir else None
        site = pagecache.site_digest(config, self._nav_items, self._root / TAXONOMY_DIR, templates)
        if site is None:
            log.info("no page cache: another plugin or a hook may change pages")
            return
        store = pagecache.PageStore(self._root / pagecache.CACHE_DIR / pagecache.CACHE_FILE)
        if store.error:
            log.info(f"no page cache: {store.error}")
            return
        kb = self._renderer.kb
        digests = pagecache.entry_digests(kb)
        keys = {src: pagecache.paper_key(site, kb, e, digests) for src, e in self._papers.items()}
        for src, digest in self._sources.items():
            keys[src] = pagecache.source_key(site, src, digest)
        for src, key in keys.items():
            file = files.get_file_from_path(src)
            if file is None or file.page is None:
                continue
            self._page_keys[src] = key
            if store.has(src, key):
                self._hits.add(src)
                file.page.meta["template"] = CACHED_TEMPLATE
        self._store = store

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        # Paper pages come as finished HTML: skip MkDocs' Markdown conversion for them
        # (a new converter per page is most of the cost of a page).
        prebuilt = self._html_pages.get(page.file.src_uri)
        if prebuilt is not None:
            page.render = functools.partial(_render_prebuilt, page, prebuilt)  # type: ignore[method-assign]
        elif page.file.generated_by:
            # Other generated pages: converted with one converter for all of them, not
            # one each, when MkDocs writes them (on_page_context), so that their bodies
            # are never all held at once.
            page.render = functools.partial(_render_later, page)  # type: ignore[method-assign]
        return page

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self._renderer is not None and not page.file.generated_by:
            safe, found = hand_written_page(markdown, f"docs/{page.file.src_uri}")
            for d in found:
                log.warning(d.format())
            return self._renderer.expand_markers(safe, page.file.src_uri)
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if not self._serving and page.file.generated_by:
            # MkDocs has read the page: the file's copy of its text can go.
            page.file.content_string = ""
        return html

    # Before other plugins (Material's search strips attributes from page.content).
    @event_priority(50)
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # Point "edit this page" at the entry's YAML file, not at a generated page.
        if page.file.generated_by:
            if page.file.src_uri in self._hits and self._store is not None:
                stored = self._store.get(page.file.src_uri)
                if stored is not None:
                    if stored.toc is not None:
                        # A converted page: Material's search and MkDocs' anchor checks
                        # read its body and contents as if it had been converted.
                        tokens = json.loads(stored.toc)
                        page.content = stored.content
                        page.toc = get_toc(tokens)
                        page.present_anchor_ids = _anchor_ids(tokens)
                        self._bodies.pop(page.file.src_uri, None)
                    context["dlt_cached"] = Markup(stored.html)  # type: ignore[typeddict-unknown-key]
                    return context
                # Unreadable after all: built as usual (the template then includes
                # main.html) and stored again.
                self._hits.discard(page.file.src_uri)
            page.edit_url = self._edit_urls.get(page.file.src_uri)
            prebuilt = self._html_pages.get(page.file.src_uri)
            if prebuilt is not None and prebuilt.html is None and self._renderer is not None:
                # A deferred paper page: rendered now, let go once written.
                prebuilt = self._renderer.paper_page(self._papers[page.file.src_uri], html=True)
                page.content = prebuilt.html
            elif prebuilt is None and self._converter is not None:
                body = self._bodies.pop(page.file.src_uri, None)
                if body is not None:
                    page.markdown = zlib.decompress(body).decode("utf-8")
                # Material's search then reads the page without its long tables and
                # lists (all left out of search); they are back before it is written.
                self._aside = []
                tokens = _convert_now(page, self._converter, self._aside)
                if page.file.src_uri in self._page_keys:
                    self._converted = (page.content or "", json.dumps(tokens))
                if not self._serving:
                    page.markdown = ""  # read once; "" keeps page.title as it was
            if prebuilt is not None and prebuilt.head:
                context["dlt_head"] = Markup(prebuilt.head)  # type: ignore[typeddict-unknown-key]
            if prebuilt is not None and self._skeletons is not None:
                output = self._skeleton_page(context, page, prebuilt)
                if output is not None:
                    context["dlt_cached"] = Markup(output)  # type: ignore[typeddict-unknown-key]
        elif self._edit_base and not page.edit_url:
            page.edit_url = f"{self._edit_base}{Path(config.docs_dir).name}/{page.file.src_uri}"
        return context

    def _skeleton_page(
        self, context: TemplateContext, page: Page, prebuilt: SitePage
    ) -> str | None:
        """A paper page in Material's page template, through the skeleton of its kind.

        Paper pages of one folder with the same sections and the same values set get the
        same page from the theme but for their title, description, addresses, head
        metadata and body. The first of each kind is rendered twice, as itself and with
        a token for each of those values, which makes the skeleton
        (:class:`~dltheory_site.theme.Skeleton`); the skeleton is used only if it gives
        back that first page exactly. The second page of each kind, and every 64th, are
        rendered too and compared: a difference drops the skeleton. ``None``: render
        the page as usual.
        """
        if self._skeletons is None or self._env is None:
            return None
        values = skeleton_values(page, context.get("dlt_head"))
        meta = tuple(
            sorted((k, repr(v)) for k, v in page.meta.items() if k not in ("title", "description"))
        )
        folder = posixpath.dirname(str(page.url).rstrip("/"))
        key = (folder, prebuilt.toc, meta, skeleton_shape(values))
        known = key in self._skeletons
        skeleton = self._skeletons.get(key)
        uses = self._skeleton_uses[key] = self._skeleton_uses.get(key, 0) + 1
        if known and skeleton is None:
            return None
        if skeleton is not None and uses > 2 and uses % 64:
            return skeleton.fill(values)
        template = self._env.get_template("main.html")
        real = template.render(context)
        if skeleton is None:
            probe = dict(context)
            tokens = probe_tokens(values)
            probe["page"] = ProbePage(page, tokens)
            if tokens["head"]:
                probe["dlt_head"] = tokens["head"]
            made = Skeleton.from_probe(template.render(probe))
            self._skeletons[key] = made if made is not None and made.fill(values) == real else None
        elif skeleton.fill(values) != real:
            log.debug(f"{page.file.src_uri}: Material's page differs from its skeleton's")
            self._skeletons[key] = None
        return real

    # Before other plugins: the cache keeps the page as the theme wrote it.
    @event_priority(100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self._aside and self._converter is not None:
            output = self._converter.restore(output, self._aside)
            self._aside = []
        src = page.file.src_uri
        if self._store is not None and src in self._page_keys and src not in self._hits:
            content, toc = self._converted or (None, None)
            self._store.put(src, self._page_keys[src], output, content, toc)
        self._converted = None
        if self._problems_html:
            output = output.replace(CONTENT_START, CONTENT_START + self._problems_html, 1)
        if not self._serving and page.file.generated_by:
            # Written next; nothing reads a generated page's body after that.
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._store is not None:
            self._store.close(keep=self._page_keys)
            self._store = None
        # One search document per paper, built from the data (see dltheory_site.search).
        index = Path(config.site_dir) / "search" / "search_index.json"
        if self._renderer is not None and index.is_file():
            text = rewrite_index(
                index.read_text(encoding="utf-8"), self._renderer.kb, config.use_directory_urls
            )
            index.write_text(text, encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        # A failed build stores nothing.
        if self._store is not None:
            self._store.discard()
            self._store = None

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        paths = [self._root / ENTRIES_DIR, self._root / TAXONOMY_DIR]
        if self.config.templates_dir:
            paths.append(Path(self.config.templates_dir))
        # MkDocs polls for changes every 0.5 s, a quarter of a second of waiting on
        # average before a rebuild starts; the folders a contributor edits are polled
        # more often. (The interval is watchdog's emitter timeout, read when a path is
        # scheduled; a server without it keeps its own.)
        observer = getattr(server, "observer", None)
        interval = getattr(observer, "_timeout", None)
        if isinstance(interval, int | float):
            observer._timeout = min(interval, WATCH_INTERVAL)  # type: ignore[union-attr]
        try:
            for path in paths:
                if path.is_dir():
                    server.watch(str(path))
        finally:
            if isinstance(interval, int | float):
                observer._timeout = interval  # type: ignore[union-attr]
        return server

    def _require_site(self) -> Site:
        if self._site is None:  # pragma: no cover - MkDocs always calls on_config first
            raise PluginError("the dltheory plugin was not configured")
        return self._site


#: The page template of a paper page taken from the cache (``overrides/``).
CACHED_TEMPLATE = "dlt-cached.html"
#: Where a page's content starts in Material's and MkDocs' own themes.
CONTENT_START = '<article class="md-content__inner md-typeset">'


def problems_banner(problems: list[Diagnostic], templates_dir: Path | None) -> str:
    """The HTML that lists the knowledge base's problems on every page under ``serve``."""
    env = environment(RenderOptions(templates_dir=templates_dir))
    ordered = sorted(problems, key=Diagnostic.sort_key)
    return env.get_template("_serve_problems.html").render(problems=ordered)


def split_front_matter(markdown: str) -> tuple[str, str]:
    """A generated page's YAML front matter (with its ``---`` lines) and its body."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        if end != -1:
            return markdown[: end + 5], markdown[end + 5 :]
    return "", markdown


def permalink_options(toc: dict[str, Any]) -> dict[str, Any]:
    """The ``toc`` extension's permalink settings, for headings rendered straight to HTML."""
    link = toc.get("permalink", False)
    return {
        "permalink": ("&para;" if link is True else str(link)) if link else None,
        "permalink_title": str(toc.get("permalink_title", "Permanent link")),
    }


def _render_prebuilt(page: Page, prebuilt: SitePage, config: MkDocsConfig, files: Files) -> None:
    """Stands in for ``Page.render`` on paper pages: the body is HTML (or rendered later)."""
    page.content = prebuilt.html or ""
    page.toc = get_toc(
        [
            {"level": level, "id": anchor, "name": name, "children": []}
            for level, anchor, name in prebuilt.toc
        ]
    )
    page.present_anchor_ids = {anchor for _level, anchor, _name in prebuilt.toc}
    # Its search document is built from the data (dltheory_site.search), so Material's
    # search plugin need not parse the page back out of its HTML.
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}


def _render_later(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Stands in for ``Page.render`` on the other generated pages (see ``_convert_now``)."""
    page.content = ""


def _convert_now(page: Page, converter: PageConverter, aside: list[str]) -> list[dict[str, Any]]:
    """A generated page's body, table of contents and anchors, from its Markdown; returns
    the table-of-contents tokens.

    Its HTML blocks go to ``aside`` until the page is written (``on_post_page``).
    """
    html, tokens = converter.convert(page.file.src_uri, page.markdown or "", aside)
    page.content = html
    page.toc = get_toc(tokens)  # type: ignore[arg-type]  # Python-Markdown's toc tokens
    page.present_anchor_ids = _anchor_ids(tokens)
    return tokens


def _anchor_ids(tokens: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for token in tokens:
        out.add(str(token["id"]))
        out |= _anchor_ids(token.get("children", []))
    return out


def _unchanged() -> bool:
    return False


def _changed() -> bool:
    return True
