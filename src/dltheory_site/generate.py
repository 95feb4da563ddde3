"""Write the site as plain Markdown: a docs folder and an ``mkdocs.yml`` without our plugin.

Any builder that reads ``mkdocs.yml`` (MkDocs without plugins, or Zensical,
which ignores plugins it does not know) can build the result.

``generate`` never deletes or replaces a file it did not write in the same run: a
pull request can commit anything, a marker file included, so nothing in a folder
proves that an earlier run wrote it. The site is written to a new hidden folder
beside the output and renamed into place only when it is complete; the output
must not exist or be an empty folder. :data:`MARKER` is still written, as a note
for people, and never read. No symbolic link out of the project is followed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from dltheory_site.exports import KATEX_CSS, KATEX_JS
from dltheory_site.fsutil import atomic_write, inside, read_inside
from dltheory_site.kb import KnowledgeBase
from dltheory_site.prose import markdown_only
from dltheory_site.render import RenderOptions, Site, SiteRenderer

MARKER = ".dltheory-generated"
PLUGIN_NAME = "dltheory"


class GenerateError(Exception):
    """The output folder or the configuration cannot be used."""


def read_mkdocs_config(path: Path) -> dict[str, Any]:
    """Read ``mkdocs.yml`` with the safe loader (our config uses no Python tags)."""
    try:
        text = read_inside(path, path.parent)
    except OSError as e:
        raise GenerateError(f"cannot read {path}: {e.strerror}") from e
    if text is None:
        raise GenerateError(
            f"cannot read {path}: missing, a link out of the project or larger than 1 MiB"
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise GenerateError(f"{path} is not plain YAML: {e}") from e
    if not isinstance(data, dict):
        raise GenerateError(f"{path} does not hold a mapping")
    return data


def _plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    for item in config.get("plugins") or []:
        if isinstance(item, dict) and PLUGIN_NAME in item:
            return dict(item[PLUGIN_NAME] or {})
    return {}


def options_from_config(config: dict[str, Any], root: Path) -> RenderOptions:
    """Render options from a raw ``mkdocs.yml`` mapping, as the plugin reads them."""
    plugin = _plugin_options(config)
    repo = str(plugin.get("repo_url") or config.get("repo_url") or "").rstrip("/")
    templates = plugin.get("templates_dir")
    return RenderOptions(
        use_directory_urls=bool(config.get("use_directory_urls", True)),
        templates_dir=root / templates if templates else None,
        edit_base=f"{repo}/edit/{plugin.get('edit_branch', 'main')}/" if repo else None,
        repo_url=repo or None,
        site_url=config.get("site_url"),
        site_name=str(config.get("site_name") or "Deep learning theory"),
    )


def _check_output(out: Path) -> None:
    if out.is_symlink():
        raise GenerateError(f"{out} is a symbolic link: give a folder")
    if not out.exists():
        return
    if not out.is_dir():
        raise GenerateError(f"{out} exists and is not a folder")
    if any(out.iterdir()):
        raise GenerateError(
            f"{out} is not empty: generate writes only into a new or empty folder and "
            "never deletes or replaces a file; remove the folder or choose another"
        )


def _docs_files(docs_src: Path, root: Path) -> list[tuple[str, Path]]:
    """(relative path, file) of every file of the docs folder; a link out of it is an error."""
    if not docs_src.is_dir():
        return []
    if not inside(docs_src, root):
        raise GenerateError(f"{docs_src} is outside the project (nothing was written)")
    out = []
    for folder, dirs, names in os.walk(docs_src):
        for name in sorted(names) + sorted(d for d in dirs if Path(folder, d).is_symlink()):
            path = Path(folder, name)
            rel = path.relative_to(docs_src).as_posix()
            if not inside(path, root):
                raise GenerateError(
                    f"{docs_src.name}/{rel} is a symbolic link out of the project; remove it "
                    "(nothing was written)"
                )
            if path.is_file():
                out.append((rel, path))
    return sorted(out)


def generate(kb: KnowledgeBase, root: Path, out: Path) -> Site:
    """Write the generated site sources to a new folder ``out``.

    Args:
        kb: The validated knowledge base.
        root: The project folder (holding ``mkdocs.yml`` and ``docs/``).
        out: The output folder, new or empty; ``out/mkdocs.yml`` and ``out/docs/`` are written.

    Returns:
        The rendered site.

    Raises:
        GenerateError: ``out`` is not new or empty, or the docs folder links out of the
            project. Nothing is written then.
    """
    config = read_mkdocs_config(root / "mkdocs.yml")
    _check_output(out)
    docs = _docs_files(root / str(config.get("docs_dir") or "docs"), root)
    renderer = SiteRenderer(kb, options_from_config(config, root))
    site = renderer.render()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".generating", dir=out.parent))
    try:
        _write(staging, site, renderer, docs, root, config)
        os.chmod(staging, 0o755)
        try:
            # rename() replaces an empty folder only: one that filled up meanwhile stays.
            os.rename(staging, out)
        except OSError as e:
            raise GenerateError(
                f"{out} changed while the site was written ({e.strerror}); nothing was replaced"
            ) from e
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # made by this run, holds only its files
        raise
    return site


def _write(
    staging: Path,
    site: Site,
    renderer: SiteRenderer,
    docs: list[tuple[str, Path]],
    root: Path,
    config: dict[str, Any],
) -> None:
    docs_out = staging / "docs"
    docs_out.mkdir()
    (staging / MARKER).write_text("written by dltheory-site generate\n", encoding="utf-8")
    hand_written: list[str] = []
    for rel, path in docs:
        target = docs_out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = markdown_only(read_inside(path, root) or "")[0]
            atomic_write(target, renderer.expand_markers(text, rel), overwrite=False)
            hand_written.append(rel)
        else:
            shutil.copyfile(path, target)
    for page in site.pages:
        atomic_write(docs_out / page.src, page.markdown, overwrite=False)
    for rel, content in site.files.items():
        target = docs_out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    nav = renderer.nav(hand_written)
    atomic_write(staging / "mkdocs.yml", _plain_config(config, nav), overwrite=False)


def _plain_config(config: dict[str, Any], nav: list[Any]) -> str:
    plain = dict(config)
    plain["docs_dir"] = "docs"
    plain["plugins"] = [
        p
        for p in (config.get("plugins") or [])
        if p != PLUGIN_NAME and not (isinstance(p, dict) and PLUGIN_NAME in p)
    ]
    if "nav" not in config:
        plain["nav"] = nav
    plain["extra_css"] = list(dict.fromkeys([*config.get("extra_css", []), *KATEX_CSS]))
    plain["extra_javascript"] = list(
        dict.fromkeys([*config.get("extra_javascript", []), *KATEX_JS])
    )
    header = "# Written by 'dltheory-site generate': the site as plain pages, no plugin needed.\n"
    return header + yaml.safe_dump(plain, sort_keys=False, allow_unicode=True)
