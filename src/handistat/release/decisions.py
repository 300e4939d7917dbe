"""Municipalities at release time (R-VAL-5): approved, not approved (with a note) or excluded.

The decisions come from the approval workflow (`handistat.approval`); until it offers them, a
release records that none were available and every municipality is published as delivered.
The decisions are frozen into the release: its notes, the Nyt article and `..` for the cells
of an excluded municipality.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from handistat.release.artefact import FrozenTable
from handistat.tables.cube import Cube

APPROVED = "godkendt"
NOT_APPROVED = "ikke godkendt"
EXCLUDED = "udeladt"
GEOGRAPHY = "KOMMUNEDK"


def municipality_decisions(application: object, statistic: str, year: int) -> dict[str, Any]:
    """``{"source": ..., "kommuner": {kode: {"navn", "status", "note"}}}`` for the release.

    Asks `handistat.approval.release_decisions(app, statistic, year)` when it exists (it
    returns objects or mappings with ``kommune``, ``navn``, ``status`` and ``note``).
    """
    try:
        from handistat import approval

        provider = approval.release_decisions
    except (ImportError, AttributeError):
        return {"source": "ingen", "kommuner": {}}
    decisions = {}
    items = list(provider(application, statistic, year))
    if not items:  # the workflow was not used for this statistic and year
        return {"source": "ingen", "kommuner": {}}
    for item in items:
        row = item if isinstance(item, Mapping) else vars(item)
        decisions[str(row["kommune"])] = {
            "navn": str(row.get("navn", "")),
            "status": str(row["status"]),
            "note": str(row.get("note") or ""),
        }
    return {"source": "godkendelse", "kommuner": decisions}


def decision_notes(decisions: Mapping[str, Any]) -> list[str]:
    kommuner: Mapping[str, Mapping[str, str]] = decisions.get("kommuner", {})
    notes = []
    for kode, d in sorted(kommuner.items()):
        name = d.get("navn") or kode
        note = f": {d['note']}" if d.get("note") else ""
        if d["status"] == NOT_APPROVED:
            notes.append(f"{name} ({kode}) har ikke godkendt tallene{note}.")
        elif d["status"] == EXCLUDED:
            notes.append(
                f"{name} ({kode}) er udeladt og vises som '..'{note}. Landstallene omfatter "
                "kommunens indberetninger."
            )
    return notes


def _blank_municipalities(cube: Cube, excluded: set[str]) -> Cube:
    at = next(i for i, d in enumerate(cube.dimensions) if d.id == GEOGRAPHY)
    values = {k: (None if k[at] in excluded else v) for k, v in cube.values.items()}
    return replace(cube, values=values)


def apply_decisions(
    tables: Sequence[FrozenTable], decisions: Mapping[str, Any]
) -> list[FrozenTable]:
    """Notes on every table; `..` for an excluded municipality's cells."""
    notes = tuple(decision_notes(decisions))
    kommuner: Mapping[str, Mapping[str, str]] = decisions.get("kommuner", {})
    excluded = {k for k, d in kommuner.items() if d["status"] == EXCLUDED}
    result = []
    for table in tables:
        cube = table.cube
        if excluded and any(d.id == GEOGRAPHY for d in cube.dimensions):
            cube = _blank_municipalities(cube, excluded)
        result.append(replace(table, cube=replace(cube, notes=cube.notes + notes)))
    return result
