"""Table search for the web statbank (issue 12 item 1): a table matches when every word of the
query is found in its id, title, subject, variable texts or value texts, compared by Danish
word stems ("hjælpemiddel" finds "hjælpemidler", "kørestol" finds "Manuelle kørestole").

The stemmer is deliberately small (docs/dissemination.md): it strips the common inflection
endings, drops the unstressed ``e`` of ``-el``/``-en``/``-er`` stems (middel → midl) and
undoubles consonants, so both sides of a comparison reduce to the same form. A word matches
a text word whose stem contains its stem, so compounds are found by their parts
("Genbrugshjælpemidler" by "hjælpemiddel").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from handistat.dissemination.metadata import Subject
from handistat.release.vintages import PublicTable

_WORD = re.compile(r"[0-9a-zæøåéü]+")
# Longest first; a stem keeps at least three letters.
_ENDINGS = (
    "erendes",
    "erende",
    "hedens",
    "ernes",
    "heden",
    "heder",
    "endes",
    "ende",
    "erne",
    "enes",
    "ene",
    "ens",
    "ers",
    "ets",
    "er",
    "en",
    "et",
    "es",
    "e",
    "s",
)
_VOWELS = set("aeiouyæøå")
_MIN_STEM = 3
MAX_HITS = 3


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A Danish word's search stem: ``hjælpemidler`` and ``hjælpemiddel`` → ``hjælpemidl``."""
    word = word.casefold()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            word = word[: -len(ending)]
            break
    # middel/midl, cykel/cykl, regel/regl: the unstressed e before a final l, n or r goes.
    unstressed_e = len(word) > _MIN_STEM + 1 and word[-2] == "e" and word[-1] in "lnr"
    if unstressed_e and word[-3] not in _VOWELS:
        word = word[:-2] + word[-1]
    return re.sub(r"([^aeiouyæøå])\1", r"\1", word)


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text)}


@dataclass(frozen=True)
class Hit:
    """A table that matches, with up to `MAX_HITS` value texts that contain a query word."""

    table: PublicTable
    values: tuple[str, ...]


def _value_texts(table: PublicTable) -> Iterable[str]:
    for dim in table.cube.dimensions:
        if dim.time:
            continue
        yield from (c.text for c in dim.codes)


def _contains(haystack: set[str], needle: str) -> bool:
    return any(needle in s for s in haystack)


def match(table: PublicTable, subject: Subject | None, query: str) -> Hit | None:
    """The hit when every query word is found somewhere in the table, else None."""
    needles = [stem(w) for w in words(query)]
    if not needles:
        return Hit(table, ())
    cube = table.cube
    heads = [cube.table_id, cube.title, *(d.text for d in cube.dimensions)]
    if subject is not None:
        heads.append(subject.text)
    head_stems = _stems(" ".join(heads))
    found_in_values: list[str] = []
    value_stems: dict[str, set[str]] = {}
    for needle in needles:
        if _contains(head_stems, needle):
            continue
        texts = [t for t in _value_texts(table) if _contains(_value_stems(t, value_stems), needle)]
        if not texts:
            return None
        found_in_values += [t for t in texts if t not in found_in_values]
    return Hit(table, tuple(found_in_values[:MAX_HITS]))


def _value_stems(text: str, memo: dict[str, set[str]]) -> set[str]:
    if text not in memo:
        memo[text] = _stems(text)
    return memo[text]
