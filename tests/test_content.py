"""The knowledge base itself: coverage of every group and subcategory, no paper twice."""

from __future__ import annotations

from collections import Counter

import pytest

from dltheory_site.kb import KnowledgeBase
from dltheory_site.project import load_knowledge_base
from dltheory_site.text import normalise_title
from tests.helpers import REPO

MIN_PER_GROUP = 20
MIN_PER_SUBCATEGORY = 6
MIN_ENTRIES = 450
MIN_SINCE_2021 = 150
MIN_SINCE_2024 = 40
#: At most this share of relations may be the untyped 'related'.
MAX_RELATED_SHARE = 0.30


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb, problems = load_knowledge_base(REPO)
    assert [p.format() for p in problems] == []
    return kb


def test_size(kb: KnowledgeBase) -> None:
    assert len(kb.entries) >= MIN_ENTRIES


def test_the_review_reaches_the_present(kb: KnowledgeBase) -> None:
    stats = kb.stats()
    assert stats["since_2021"] >= MIN_SINCE_2021
    assert stats["since_2024"] >= MIN_SINCE_2024


def test_every_entry_links_to_the_paper(kb: KnowledgeBase) -> None:
    assert kb.stats()["without_link"] == []


def test_relations_are_typed(kb: KnowledgeBase) -> None:
    types = kb.stats()["relation_types"]
    assert types.get("related", 0) / sum(types.values()) <= MAX_RELATED_SHARE


def test_every_group_has_enough_papers(kb: KnowledgeBase) -> None:
    short = {
        g.id: len(kb.by_group[g.id])
        for g in kb.taxonomy.groups
        if len(kb.by_group[g.id]) < MIN_PER_GROUP
    }
    assert short == {}


def test_every_subcategory_has_enough_papers(kb: KnowledgeBase) -> None:
    primary = Counter(e.primary_category for e in kb.entries)
    short = {s: primary[s] for s in kb.taxonomy.subcategories if primary[s] < MIN_PER_SUBCATEGORY}
    assert short == {}


@pytest.mark.parametrize(
    ("what", "key"),
    [
        ("arXiv id", lambda e: e.arxiv),
        ("DOI", lambda e: e.doi.lower() if e.doi else None),
        ("title", lambda e: normalise_title(e.title)),
    ],
)
def test_no_paper_twice(kb: KnowledgeBase, what: str, key: object) -> None:
    values = Counter(key(e) for e in kb.entries)  # type: ignore[operator]
    values.pop(None, None)
    assert [v for v, n in values.items() if n > 1] == [], f"two entries share a {what}"


def test_relations_cover_most_entries(kb: KnowledgeBase) -> None:
    with_relations = sum(bool(kb.links(e)) for e in kb.entries)
    assert with_relations / len(kb.entries) >= 0.6


def test_no_tag_used_once(kb: KnowledgeBase) -> None:
    assert {t: len(es) for t, es in kb.by_tag.items() if len(es) < 2} == {}


def test_every_group_and_subcategory_is_explained(kb: KnowledgeBase) -> None:
    thin = [g.id for g in kb.taxonomy.groups if len(g.overview.split()) < 200]
    thin += [
        f"{g.id}/{s.id}"
        for g in kb.taxonomy.groups
        for s in g.subcategories
        if len(s.overview.split()) < 100
    ]
    assert thin == []
