"""Writing the population register as ``personer.csv`` and ``bopael.csv`` (R-CPR-1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from handistat.synth.csvio import iso_ordinal, write_rows
from handistat.synth.population import KOEN_K, KOEN_M, Population

_KOEN = {KOEN_M: "M", KOEN_K: "K"}


def _person_rows(pop: Population) -> Iterator[tuple[str, str, str, str]]:
    for i in range(len(pop)):
        birth = "" if pop.birth_unknown[i] else iso_ordinal(pop.birth[i])
        death = iso_ordinal(pop.death[i]) if pop.death[i] else ""
        yield pop.cpr[i], _KOEN.get(pop.koen[i], ""), birth, death


def _residence_rows(pop: Population) -> Iterator[tuple[str, str, str, str]]:
    for i in range(len(pop)):
        for kommune, fra, til in pop.spell_ordinals(i):
            yield pop.cpr[i], kommune, iso_ordinal(fra), iso_ordinal(til) if til else ""


def write_population(pop: Population, out: Path) -> tuple[int, int]:
    """Write both files under ``out/population``; returns (persons, residence spells)."""
    folder = out / "population"
    persons = write_rows(
        folder / "personer.csv", ("cpr", "koen", "foedselsdato", "doedsdato"), _person_rows(pop)
    )
    spells = write_rows(
        folder / "bopael.csv", ("cpr", "kommune", "fra", "til"), _residence_rows(pop)
    )
    return persons, spells
