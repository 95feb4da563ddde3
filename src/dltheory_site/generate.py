"""Write the site as plain Markdown: a docs folder and an ``mkdocs.yml`` without our plugin.

Any builder that reads ``mkdocs.yml`` (MkDocs without plugins, or Zensical,
which ignores plugins it does not know) can build the result. The output folder
is ours alone: it is written only when it is new, empty, or was written by an
earlier ``generate`` (it then holds :data:`MARKER`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from dltheory_site.exports import KATEX_CSS, KATEX_JS
from dltheory_site.fsutil import atomic_write, read_plain_yaml
from dltheory_site.kb import KnowledgeBase
from dltheory_site.render import RenderOptions, Site, SiteRenderer

MARKER = ".dltheory-generated"
PLUGIN_NAME = "dltheory"


class GenerateError(Exception):
    """The output folder or the configuration cannot be used."""


def read_mkdocs_config(path: Path) -> dict[str, Any]:
    """Read ``mkdocs.yml`` with the safe loader (our config uses no Python tags)."""
    try:
        data = read_plain_yaml(path)
    except ValueError as e:
        raise GenerateError(str(e)) from e
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


def _check_output(out: Path, force: bool) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise GenerateError(f"{out} exists and is not a folder")
    if (out / MARKER).exists() or force or not any(out.iterdir()):
        return
    raise GenerateError(
        f"{out} is not empty and was not written by 'dltheory-site generate'; "
        "choose an empty folder or pass --force to replace its contents"
    )


def generate(kb: KnowledgeBase, root: Path, out: Path, *, force: bool = False) -> Site:
    """Write the generated site sources to ``out``.

    Args:
        kb: The validated knowledge base.
        root: The project folder (holding ``mkdocs.yml`` and ``docs/``).
        out: The output folder; ``out/mkdocs.yml`` and ``out/docs/`` are written.
        force: Replace the contents of a non-empty folder that ``generate`` did not write.

    Returns:
        The rendered site.
    """
    config = read_mkdocs_config(root / "mkdocs.yml")
    _check_output(out, force)
    renderer = SiteRenderer(kb, options_from_config(config, root))
    site = renderer.render()
    docs_src = root / str(config.get("docs_dir") or "docs")
    if out.exists():
        shutil.rmtree(out)
    docs_out = out / "docs"
    docs_out.mkdir(parents=True)
    (out / MARKER).write_text("written by dltheory-site generate\n", encoding="utf-8")
    hand_written: list[str] = []
    if docs_src.is_dir():
        for path in sorted(docs_src.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(docs_src).as_posix()
            target = docs_out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                text = renderer.expand_markers(path.read_text(encoding="utf-8"), rel)
                atomic_write(target, text, overwrite=True)
                hand_written.append(rel)
            else:
                shutil.copyfile(path, target)
    for page in site.pages:
        atomic_write(docs_out / page.src, page.markdown, overwrite=True)
    for rel, content in site.files.items():
        target = docs_out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    nav = renderer.nav(hand_written)
    atomic_write(out / "mkdocs.yml", _plain_config(config, nav), overwrite=True)
    return site


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
