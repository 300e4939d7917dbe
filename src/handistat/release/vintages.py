"""Vintages (R-PUB-3): a table as a set of releases shows it, and what each release revised.

Each release recomputes its reference year and the two before it. A table's published view
takes, for every year, the cells of the newest release that covers the year, so older years
stay as last published. A revision is a cell whose value differs from the value the releases
before it had published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace

from handistat.errors import EmbargoActive
from handistat.release.artefact import FrozenTable
from handistat.release.models import Release
from handistat.release.schedule import local_text
from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.tables.registry import TABLES


@dataclass(frozen=True)
class RevisedCell:
    """One changed cell: the codes of every dimension (time included), old and new value."""

    table: str
    dimensions: tuple[str, ...]
    codes: tuple[str, ...]
    old: int | None
    new: int | None

    @property
    def year(self) -> str:
        return self.codes[-1]


def _time_index(cube: Cube) -> int:
    return next(i for i, d in enumerate(cube.dimensions) if d.time)


def merge(parts: Sequence[FrozenTable]) -> FrozenTable:
    """One table from its vintages (oldest first): each year from the newest that has it."""
    newest = parts[-1]
    at = _time_index(newest.cube)
    year_source: dict[str, tuple[Code, FrozenTable]] = {}
    for part in parts:
        time_dim = part.cube.dimensions[_time_index(part.cube)]
        for code in time_dim.codes:
            year_source[code.code] = (code, part)
    years = sorted(year_source)
    dims = list(newest.cube.dimensions)
    dims[at] = replace(dims[at], codes=tuple(year_source[y][0] for y in years))
    shell = Cube(newest.table_id, "", "", tuple(dims), {})
    values = {key: year_source[key[at]][1].cube.values.get(key) for key in shell.keys()}  # noqa: SIM118
    cube = replace(newest.cube, dimensions=tuple(dims), values=values)
    return replace(newest, cube=cube)


def revised_cells(previous: FrozenTable | None, current: FrozenTable) -> list[RevisedCell]:
    """Cells of `current` in years `previous` had published whose value changed."""
    if previous is None:
        return []
    at = _time_index(current.cube)
    known_years = set(previous.years())
    dim_ids = tuple(d.id for d in current.cube.dimensions)
    changed = []
    for key, new in current.cube.cells():
        if key[at] not in known_years:
            continue
        old = previous.cube.values.get(key)
        if old != new:
            changed.append(RevisedCell(current.table_id, dim_ids, key, old, new))
    return changed


def revision_note(release: Release, years: Sequence[str]) -> str:
    listed = " og ".join([", ".join(years[:-1]), years[-1]] if len(years) > 1 else years)
    day = local_text(release.scheduled_at).split(" ")[0]
    return f"Tallene for {listed} blev revideret ved udgivelsen {day} ({release.id})."


@dataclass(frozen=True)
class PublicTable:
    """A table as a view shows it, with the releases it was merged from (oldest first)."""

    table: FrozenTable
    releases: tuple[Release, ...]

    @property
    def cube(self) -> Cube:
        return self.table.cube

    @property
    def updated(self) -> dt.datetime:
        return max(r.scheduled_at for r in self.releases)

    @property
    def time_dimension(self) -> CubeDimension:
        return self.cube.dimensions[_time_index(self.cube)]


Loader = Callable[[Release], Mapping[str, FrozenTable]]
MergeCache = MutableMapping[tuple[str, tuple[str, ...]], PublicTable]


class VintageView:
    """The tables as the given releases (oldest first) show them; merged tables are cached
    by the releases they come from, which never change."""

    def __init__(self, releases: Sequence[Release], load: Loader, cache: MergeCache) -> None:
        self.releases = tuple(sorted(releases, key=lambda r: r.order))
        self._load = load
        self._cache = cache

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.releases)

    def table_ids(self) -> list[str]:
        present = {t for r in self.releases for t in r.tables}
        declared = [t for t in TABLES if t in present]
        return declared + sorted(present - set(declared))

    def has(self, table_id: str) -> bool:
        return any(table_id.upper() in r.tables for r in self.releases)

    def table(self, table_id: str) -> PublicTable:
        """The merged table; a table no release in the view holds does not exist (R-PUB-2)."""
        wanted = table_id.upper()
        parts = tuple(r for r in self.releases if wanted in r.tables)
        if not parts:
            raise EmbargoActive(f"tabellen {table_id!r} findes ikke")
        key = (wanted, tuple(r.id for r in parts))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._merge(wanted, parts)
        return found

    def _merge(self, table_id: str, parts: Sequence[Release]) -> PublicTable:
        frozen = [self._load(r)[table_id] for r in parts]
        notes = list(frozen[-1].cube.notes)
        for i in range(1, len(frozen)):
            before = merge(frozen[:i])
            years = sorted({c.year for c in revised_cells(before, frozen[i])})
            if years:
                notes.append(revision_note(parts[i], years))
        merged = merge(frozen)
        merged = replace(merged, cube=replace(merged.cube, notes=tuple(notes)))
        return PublicTable(merged, tuple(parts))
