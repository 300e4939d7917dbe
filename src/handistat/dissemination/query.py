"""`/v1/data` as a pure function: a published table and a request → the cube to write.

Selection per variable (`selection.resolve`), elimination of the variables left out (the
eliminable ones become their total and disappear; time becomes its latest period; any other
is an error), ``sum(...)`` values, ``timeOrder`` and the cell limit (statbank_api.md §5).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from handistat.dissemination.errors import REQUEST_LIMIT, ApiError, not_allowed, variable_not_found
from handistat.dissemination.selection import Selection, resolve
from handistat.release.artefact import FrozenTable
from handistat.tables.cube import Code, Cube, CubeDimension

CELL_LIMIT = 1_000_000
STREAMING = frozenset({"BULK"})
SUM_NOTE = (
    "Summer er beregnet ved at lægge de valgte værdier sammen; en person, der indgår i flere "
    "af dem, tælles flere gange."
)


@dataclass(frozen=True)
class Extract:
    """What to take from a table: each variable's entries as sent (by case-folded code)."""

    selections: Mapping[str, tuple[str, Sequence[str]]]
    streaming: bool = False
    descending: bool = False


@dataclass(frozen=True)
class _Axis:
    """One output dimension: its codes, and for each the source codes that add up to it."""

    dim: CubeDimension
    sources: tuple[tuple[str, ...], ...]


def _check_streaming(table: FrozenTable, extract: Extract, chosen: Mapping[str, Selection]) -> None:
    if extract.descending:
        raise not_allowed(
            "Der kan ikke vælges sortering af tid for streamede formater",
            "Time order cannot be chosen for streamed formats",
        )
    for dim in table.cube.dimensions:
        if dim.id not in chosen:
            raise not_allowed(
                f"Der skal vælges værdier for alle variable i streamede formater: {dim.id}",
                f"Values must be chosen for every variable in streamed formats: {dim.id}",
            )
        if chosen[dim.id].sums:
            raise not_allowed(
                "Beregninger kan ikke bruges med streamede formater",
                "Calculations cannot be used with streamed formats",
            )


def _chosen(table: FrozenTable, extract: Extract) -> dict[str, Selection]:
    by_fold = {d.id.casefold(): d for d in table.cube.dimensions}
    chosen = {}
    for key, (sent, items) in extract.selections.items():
        dim = by_fold.get(key)
        if dim is None:
            raise variable_not_found(sent)
        selection = resolve(dim, items, table.totals.get(dim.id))
        if not selection.codes and not selection.sums:
            raise ApiError(
                "EXTRACT-NOTFOUND",
                f"Der er ikke valgt nogen værdier for variabel: {dim.id}",
                f"No values were selected for variable: {dim.id}",
            )
        chosen[dim.id] = selection
    return chosen


def _axis(dim: CubeDimension, selection: Selection, descending: bool) -> _Axis:
    by_code = {c.code: c for c in dim.codes}
    codes = [by_code[c] for c in selection.codes]
    if dim.time and descending:
        codes.reverse()
    sources: list[tuple[str, ...]] = [(c.code,) for c in codes]
    for s in selection.sums:
        codes.append(Code(s.code, s.text, s.text_en))
        sources.append(s.members)
    return _Axis(replace(dim, codes=tuple(codes)), tuple(sources))


def _axes(table: FrozenTable, extract: Extract) -> tuple[list[_Axis], dict[int, str]]:
    """Output axes, and the fixed code of each eliminated dimension (by position)."""
    chosen = _chosen(table, extract)
    if extract.streaming:
        _check_streaming(table, extract, chosen)
    axes, fixed = [], {}
    for i, dim in enumerate(table.cube.dimensions):
        if dim.id in chosen:
            axes.append(_axis(dim, chosen[dim.id], extract.descending))
        elif dim.time:
            axes.append(_axis(dim, resolve(dim, ["(1)"]), extract.descending))
        elif dim.id in table.totals:
            fixed[i] = table.totals[dim.id]
        else:
            raise not_allowed(
                f"Der skal vælges værdier for variabel: {dim.id}",
                f"Values must be selected for variable: {dim.id}",
            )
    return axes, fixed


def _value(cube: Cube, keys: Sequence[tuple[str, ...]]) -> int | None:
    total = 0
    for key in keys:
        value = cube.values.get(key)
        if value is None:
            return None
        total += value
    return total


def extract_cube(table: FrozenTable, extract: Extract) -> Cube:
    """The cube the request asks for; raises `ApiError` as the API reports it."""
    axes, fixed = _axes(table, extract)
    cells = 1
    for axis in axes:
        cells *= len(axis.dim.codes)
    if not extract.streaming and cells * (len(axes) + 1) > CELL_LIMIT:
        raise ApiError(
            REQUEST_LIMIT,
            "Forespørgslen returnerer for mange observationer",
            "The request returns too many observations",
        )
    positions = [i for i in range(len(table.cube.dimensions)) if i not in fixed]
    values: dict[tuple[str, ...], int | None] = {}
    for combination in itertools.product(
        *(zip(a.dim.code_ids(), a.sources, strict=True) for a in axes)
    ):
        out_key = tuple(code for code, _ in combination)
        source_keys = []
        for members in itertools.product(*(sources for _, sources in combination)):
            key = [""] * len(table.cube.dimensions)
            for i, code in fixed.items():
                key[i] = code
            for i, code in zip(positions, members, strict=True):
                key[i] = code
            source_keys.append(tuple(key))
        values[out_key] = _value(table.cube, source_keys)
    notes = table.cube.notes
    if any(len(s) > 1 for a in axes for s in a.sources):
        notes = (*notes, SUM_NOTE)
    return replace(table.cube, dimensions=tuple(a.dim for a in axes), values=values, notes=notes)
