"""A synthetic knowledge base of N valid entries: the real taxonomy, docs and config,
shared authors, relations between entries, and math in summaries and results."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from dltheory_site.entryfile import dump_entry

REPO = Path(__file__).resolve().parent.parent

WORDS = [
    "generalization",
    "bound",
    "margin",
    "spectral",
    "norm",
    "kernel",
    "tangent",
    "gradient",
    "descent",
    "stochastic",
    "landscape",
    "saddle",
    "minima",
    "sharpness",
    "flat",
    "implicit",
    "bias",
    "mean",
    "field",
    "width",
    "depth",
    "residual",
    "convolutional",
    "recurrent",
    "graph",
    "attention",
    "privacy",
    "fairness",
    "robustness",
    "adversarial",
    "stability",
    "compression",
    "information",
    "Rademacher",
    "covering",
    "PAC",
    "Bayes",
    "interpolation",
    "double",
    "descent",
    "benign",
    "overfitting",
    "lazy",
    "training",
    "feature",
    "learning",
]
FIRST = [
    "Ada",
    "Alan",
    "Clément",
    "Jürgen",
    "Mei",
    "Sanjeev",
    "Yoshua",
    "Léa",
    "Zoë",
    "Kai",
    "Ravi",
    "Sofia",
    "Tomás",
    "Ingrid",
    "Hiro",
    "Amara",
    "Björn",
    "Chen",
    "Dana",
    "Emre",
]
LAST = [
    "Lovelace",
    "Turing",
    "Hongler",
    "Schmidhuber",
    "Song",
    "Arora",
    "Bengio",
    "Dubois",
    "Müller",
    "Tanaka",
    "Patel",
    "García",
    "Novák",
    "Berg",
    "Sato",
    "Okafor",
    "Larsen",
    "Wang",
    "Cohen",
    "Yılmaz",
]
RELATIONS = ["builds-on", "extends", "improves", "contradicts", "related"]


def synthetic_project(n: int, root: Path, seed: int = 0) -> Path:
    """A project with the real taxonomy, docs and config, and N synthetic entries."""
    rng = random.Random(seed)
    shutil.copytree(REPO / "taxonomy", root / "taxonomy")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    # The real overviews link real entries: keep their text, drop the links.
    for group in (root / "taxonomy" / "groups").glob("*.yaml"):
        text = group.read_text(encoding="utf-8")
        group.write_text(re.sub(r"\[\[([^\]|]+)(\|[^\]]*)?\]\]", r"\1", text), encoding="utf-8")
    taxonomy = {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (root / "taxonomy" / "groups").glob("*.yaml")
    }
    subs = [f"{g}/{s['id']}" for g, d in taxonomy.items() for s in d["subcategories"]]
    tags = [t["id"] for t in yaml.safe_load((root / "taxonomy" / "tags.yaml").read_text())]
    venues = ["NeurIPS", "ICML", "ICLR", "COLT", "JMLR", "arXiv", "AISTATS", "Ann. Statist."]
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(20, n // 3))]
    entries = root / "entries"
    entries.mkdir()
    ids: list[str] = []
    for i in range(n):
        entry_id = f"synth{i:05d}"
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize()
        earlier = rng.sample(ids, k=min(len(ids), rng.randint(0, 3)))
        summary = (
            f"Shows that {rng.choice(WORDS)} networks of width $m$ satisfy "
            f"$L(f) \\le \\hat L(f) + O(\\sqrt{{d/n}})$ under {rng.choice(WORDS)} assumptions. "
            + (f"It sharpens [[{earlier[0]}]] by removing a $\\log n$ factor. " if earlier else "")
            + f"The argument combines {rng.choice(WORDS)} with {rng.choice(WORDS)} and applies "
            f"to {rng.choice(WORDS)} {rng.choice(WORDS)} as well.\n"
        )
        data: dict[str, Any] = {
            "title": f"{title} {i}",
            "authors": rng.sample(people, k=rng.randint(1, 5)),
            "year": rng.randint(1995, 2025),
            "venue": rng.choice(venues),
            "arxiv": f"{rng.randint(15, 25)}{rng.randint(1, 12):02d}.{10000 + i:05d}",
            "categories": rng.sample(subs, k=rng.randint(1, 2)),
            "tags": rng.sample(tags, k=rng.randint(1, 4)),
            "summary": summary,
            "results": [
                {
                    "statement": "With probability $1-\\delta$,\n$$\n"
                    "\\sup_{f\\in\\mathcal F}|L(f)-\\hat L(f)| \\le "
                    "2\\mathfrak R_n(\\mathcal F) + \\sqrt{\\frac{\\log(1/\\delta)}{2n}}\n"
                    "$$\n"
                }
            ],
            "relations": [{"type": rng.choice(RELATIONS), "target": t} for t in earlier],
            "added": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        }
        if not data["relations"]:
            del data["relations"]
        (entries / f"{entry_id}.yaml").write_text(dump_entry(data), encoding="utf-8")
        ids.append(entry_id)
    return root
