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

from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from dltheory_site.diagnostics import Severity
from dltheory_site.kb import ENTRIES_DIR, TAXONOMY_DIR, EntryCache, load_knowledge_base
from dltheory_site.render import KATEX_CSS, KATEX_JS, RenderOptions, Site, SiteRenderer

log = get_plugin_logger(__name__)

REQUIRED_EXTENSIONS = ("attr_list", "tables", "pymdownx.arithmatex")


class DLTheoryConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' hook is untyped
    """Options of the plugin in ``mkdocs.yml``."""

    root = c.Optional(c.Dir(exists=True))
    templates_dir = c.Optional(c.Dir(exists=True))
    #: The repository, for "edit this page" links. Kept apart from MkDocs' own
    #: repo_url because Material then asks GitHub's API for the repository's stars
    #: from every page, a request to another host.
    repo_url = c.Optional(c.URL())
    edit_branch = c.Type(str, default="main")


class DLTheoryPlugin(BasePlugin[DLTheoryConfig]):  # type: ignore[no-untyped-call]
    """Generates the knowledge-base pages of the site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._cache: EntryCache = {}
        self._site: Site | None = None
        self._renderer: SiteRenderer | None = None
        self._edit_urls: dict[str, str | None] = {}
        self._edit_base: str | None = None
        self._root = Path(".")

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object across serve rebuilds, and the cache with it.
        self._cache = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._root = Path(self.config.root or Path(config.config_file_path).parent)
        kb, problems = load_knowledge_base(self._root, self._cache)
        errors = [d for d in problems if d.severity is Severity.ERROR]
        for d in problems:
            (log.error if d.severity is Severity.ERROR else log.warning)(d.format())
        if errors:
            raise PluginError(
                f"{len(errors)} problem(s) in the knowledge base; "
                "run 'dltheory-site validate' for the full report"
            )
        repo = (self.config.repo_url or config.repo_url or "").rstrip("/")
        options = RenderOptions(
            use_directory_urls=config.use_directory_urls,
            templates_dir=Path(self.config.templates_dir) if self.config.templates_dir else None,
            edit_base=f"{repo}/edit/{self.config.edit_branch}/" if repo else None,
            site_url=config.site_url,
            site_name=config.site_name,
        )
        self._edit_base = options.edit_base
        self._renderer = SiteRenderer(kb, options)
        self._site = self._renderer.render()
        self._edit_urls = {p.src: p.edit_url for p in self._site.pages}
        if not config.nav:
            docs = Path(config.docs_dir)
            config.nav = self._renderer.nav(
                p.relative_to(docs).as_posix() for p in docs.glob("*.md")
            )
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
        for page in site.pages:
            if files.get_file_from_path(page.src) is not None:
                raise PluginError(
                    f"docs/{page.src} is generated from the knowledge base; remove the "
                    "hand-written file (generated pages are never written into docs/)"
                )
            files.append(File.generated(config, page.src, content=page.markdown))
        for path, content in site.files.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self._renderer is not None and not page.file.generated_by:
            return self._renderer.expand_markers(markdown, page.file.src_uri)
        return markdown

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # Point "edit this page" at the entry's YAML file, not at a generated page.
        if page.file.generated_by:
            page.edit_url = self._edit_urls.get(page.file.src_uri)
        elif self._edit_base and not page.edit_url:
            page.edit_url = f"{self._edit_base}{Path(config.docs_dir).name}/{page.file.src_uri}"
        return context

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        for folder in (ENTRIES_DIR, TAXONOMY_DIR):
            path = self._root / folder
            if path.is_dir():
                server.watch(str(path))
        if self.config.templates_dir:
            server.watch(str(self.config.templates_dir))
        return server

    def _require_site(self) -> Site:
        if self._site is None:  # pragma: no cover - MkDocs always calls on_config first
            raise PluginError("the dltheory plugin was not configured")
        return self._site
