"""Writing HANDBU deliveries as files ``{seq:05d}_{kommune}_{deliverydate}.csv`` (SPEC §2.1).

Municipalities' systems differ in what the spec allows: column order, header case, CPR
with or without the dash, ``status`` spelt out, left empty, or left out when not needed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handistat.synth.cpr import with_dash
from handistat.synth.csvio import iso, write_rows
from handistat.synth.handbu_model import Sent

COLUMNS = ("kommune", "indsats_id", "cpr", "paragraf", "startdato", "slutdato", "status")
_HEADERS = ("lower", "lower", "lower", "upper", "lower", "capitalized")
_ORDERS = ("standard", "standard", "shuffled", "standard", "standard")
_CPRS = ("plain", "plain", "dash", "plain", "mixed")
_STATUSES = ("aktiv", "empty", "aktiv", "omit")


@dataclass(frozen=True)
class Layout:
    """How one municipality's system writes its files."""

    columns: tuple[str, ...]
    header: str
    cpr: str
    status: str


def layouts(kommuner: Iterable[str], seed: int) -> dict[str, Layout]:
    """One layout per municipality; every variant is used once the list is long enough."""
    rng = random.Random(f"{seed}:handbu-layout")
    order = sorted(kommuner)
    rng.shuffle(order)
    result = {}
    for n, kommune in enumerate(order):
        columns = list(COLUMNS)
        if _ORDERS[n % len(_ORDERS)] == "shuffled":
            rng.shuffle(columns)
        result[kommune] = Layout(
            tuple(columns),
            _HEADERS[(n + 1) % len(_HEADERS)],
            _CPRS[(n + 2) % len(_CPRS)],
            _STATUSES[(n + 3) % len(_STATUSES)],
        )
    return result


def _header(layout: Layout, columns: tuple[str, ...]) -> list[str]:
    if layout.header == "upper":
        return [c.upper() for c in columns]
    if layout.header == "capitalized":
        return [c.capitalize() for c in columns]
    return list(columns)


def _cpr_text(layout: Layout, cpr: str, rng: random.Random) -> str:
    dash = layout.cpr == "dash" or (layout.cpr == "mixed" and rng.random() < 0.3)
    return with_dash(cpr) if dash and len(cpr) == 10 else cpr


def _row(layout: Layout, row: Sent, rng: random.Random) -> dict[str, str]:
    c = row.content
    status = c.status
    if status == "aktiv" and layout.status in ("empty", "omit"):
        status = ""
    return {
        "kommune": row.kommune,
        "indsats_id": row.indsats_id,
        "cpr": _cpr_text(layout, c.cpr, rng),
        "paragraf": c.paragraf,
        "startdato": c.start.isoformat(),
        "slutdato": iso(c.slut),
        "status": status,
    }


def _columns(layout: Layout, rows: list[Sent]) -> tuple[str, ...]:
    if layout.status == "omit" and all(r.content.status == "aktiv" for r in rows):
        return tuple(c for c in layout.columns if c != "status")
    return layout.columns


def write_deliveries(sent: list[Sent], out: Path, seed: int) -> list[Path]:
    """One file per (delivery day, municipality), numbered in delivery order."""
    rng = random.Random(f"{seed}:handbu-files")
    groups: dict[tuple[dt.date, str], list[Sent]] = defaultdict(list)
    for row in sent:
        groups[(row.delivery, row.kommune)].append(row)
    styles = layouts({k for _, k in groups}, seed)
    folder = out / "deliveries" / "handbu"
    paths = []
    for seq, (day, kommune) in enumerate(sorted(groups), start=1):
        rows = sorted(groups[(day, kommune)], key=lambda r: r.indsats_id)
        layout = styles[kommune]
        columns = _columns(layout, rows)
        path = folder / f"{seq:05d}_{kommune}_{day.isoformat()}.csv"
        values = (_row(layout, r, rng) for r in rows)
        write_rows(path, _header(layout, columns), ([v[c] for c in columns] for v in values))
        paths.append(path)
    return paths
