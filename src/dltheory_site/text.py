"""Small text helpers shared by the stages: slugs, name folding, suggestions."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that NFKD does not split into a base letter and an accent.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII form of a text: accents removed, special letters spelled out."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(text: str, max_length: int = 80) -> str:
    """A URL- and file-safe slug: ``Clément Hongler`` -> ``clement-hongler``.

    The result only holds ``[a-z0-9-]``, so it can never leave a folder or differ
    from another slug only by case; an empty result becomes ``"x"``.
    """
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")[:max_length].strip("-")
    return slug or "x"


def normalise_title(title: str) -> str:
    """The form of a title used to find the same paper twice: folded, words only."""
    return " ".join(_NON_ALNUM.sub(" ", fold(title)).split())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` hint, or ``""`` when nothing is close."""
    options = list(choices)
    best = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not best:
        # Subcategory ids are long: compare the part after the group too.
        tails = {o.rsplit("/", 1)[-1]: o for o in options}
        near = difflib.get_close_matches(word.rsplit("/", 1)[-1], list(tails), n=1, cutoff=0.6)
        best = [tails[near[0]]] if near else []
    return f"did you mean '{best[0]}'?" if best else ""


def describe_value(value: object) -> str:
    """How a YAML value reads to a person: 'a number', 'a list', ..."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int) and value.bit_length() > 63:
        return "a very large number"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


#: ``[[entry-id]]`` or ``[[entry-id|label]]`` in prose links to an entry's page.
WIKILINK_RE = re.compile(r"\[\[([^\]|\n]{1,100})(?:\|([^\]\n]{1,200}))?\]\]")

_ARXIV_PREFIX = re.compile(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)", re.I)
_ARXIV_VERSION = re.compile(r"v\d+$", re.I)
_DOI_PREFIX = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.I)


def paper_keys(
    arxiv: str | None, doi: str | None, title: str | None
) -> tuple[tuple[str, str], ...]:
    """What makes two records the same paper: ``(what, key)`` pairs, any one of which matching.

    The one rule for checks, ``import-bib`` and ``new``: the arXiv id without its
    prefix, version and case (``arXiv:1806.07572v3`` = ``1806.07572``), the DOI
    without its resolver prefix and case, and the title folded to its words.
    """
    keys: list[tuple[str, str]] = []
    if arxiv and (a := _ARXIV_VERSION.sub("", _ARXIV_PREFIX.sub("", str(arxiv).strip()))):
        keys.append(("arXiv id", a.casefold()))
    if doi and (d := _DOI_PREFIX.sub("", str(doi).strip())):
        keys.append(("DOI", d.casefold()))
    if title and (t := normalise_title(str(title))):
        keys.append(("title", t))
    return tuple(keys)
