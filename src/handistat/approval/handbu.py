"""HANDBU validation lists (R-VAL-1): per municipality and year, children and interventions per
type with last year's figures, the change, the rate per 1,000 children aged 0-17 living in the
municipality against the national rate, and flags for large changes.

Counted like the published tables (distinct children per cell, so types do not add up to the
total). The approved part (`tal`) is the municipality's own figures for the year only; last
year and the national rate are context and may move without asking again.

Embargo (R-PUB-2, issue 13 item 9): every municipality sees the national rate, so it must be a
figure already public. The live register's national count times the (public) child population
gave the embargoed national figure exactly; the rate is therefore only shown when the caller
passes the public national count (`public_national`: year → children, from a public release,
see `public_national_children`); without one it is None and no rate flag is raised.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from handistat.approval.declarations import (
    FLAGGING,
    STANDARD_SCHEDULE,
    Flagging,
    ReportKind,
    municipalities,
)
from handistat.release.vintages import VintageView
from handistat.stores.warehouse import Warehouse
from handistat.tables.handbu import TYPES

TOTAL = "i_alt"
NATIONAL_CELL = ("HANDBU01", "000", "110", "0")
"""The published national number of children: HANDBU01 KOMMUNEDK 000, INDSATSER 110 (children
receiving interventions, total), KØN 0 (both sexes)."""
Counts = dict[str, dict[str, int]]
"""{indsats code or "i_alt": {"boern": n, "indsatser": m}}"""


def counts_sql(years: tuple[int, int]) -> str:
    return f"""
SELECT aar, kommune, COALESCE(indsats, '{TOTAL}') AS indsats,
  COUNT(DISTINCT person_id) AS boern, COUNT(DISTINCT enhed_id) AS indsatser
FROM handbu_enheder WHERE aar IN ({years[0]}, {years[1]})
GROUP BY GROUPING SETS ((aar, kommune, indsats), (aar, kommune), (aar, indsats), (aar))"""


def residents_sql(year: int) -> str:
    """Children aged 0-17 on 31 Dec living in each municipality (the rate's denominator)."""
    end = f"DATE '{year}-12-31'"
    return f"""
SELECT b.kommune, COUNT(DISTINCT b.cpr) AS boern
FROM bopael AS b JOIN personer AS p ON p.cpr = b.cpr
WHERE b.fra <= {end} AND (b.til IS NULL OR b.til >= {end})
  AND {year} - YEAR(p.foedselsdato) BETWEEN 0 AND 17
  AND (p.doedsdato IS NULL OR p.doedsdato > {end})
GROUP BY b.kommune"""


def _nested(rows: list[dict[str, Any]]) -> dict[tuple[int, str], Counts]:
    """(year, kommune or "000" nationally) → counts per type and in total."""
    found: dict[tuple[int, str], Counts] = defaultdict(dict)
    for row in rows:
        key = (int(row["aar"]), row["kommune"] or "000")
        found[key][row["indsats"]] = {
            "boern": int(row["boern"]),
            "indsatser": int(row["indsatser"]),
        }
    return found


def _residents(warehouse: Warehouse, year: int) -> dict[str, int]:
    if not (warehouse.has_table("bopael") and warehouse.has_table("personer")):
        return {}
    rows = warehouse.query(residents_sql(year)).to_pylist()
    by_kommune = {str(r["kommune"]): int(r["boern"]) for r in rows}
    by_kommune["000"] = sum(by_kommune.values())
    return by_kommune


def public_national_children(view: VintageView) -> dict[int, int]:
    """Year → the national number of children as `view` (the public view) shows it; years
    whose cell is hidden or missing are left out, so their rate stays "–" (issue 13 item 9)."""
    table_id, *codes = NATIONAL_CELL
    if not view.has(table_id):
        return {}
    table = view.table(table_id)
    found = {}
    for year in table.time_dimension.code_ids():
        value = table.cube.values.get((*codes, year))
        if value is not None:
            found[int(year)] = value
    return found


def rate(children: int, residents: int | None) -> float | None:
    return round(children * 1000 / residents, 1) if residents else None


def change_flag(label: str, now: int, before: int, year: int, flagging: Flagging) -> str | None:
    if abs(now - before) < flagging.change_min:
        return None
    if before == 0:
        return f"{label}: {now} i {year}, ingen i {year - 1}"
    pct = (now - before) * 100 / before
    if abs(pct) < flagging.change_pct:
        return None
    return f"{label}: {pct:+.0f} % fra {year - 1} ({before} → {now})"


def flags(figures: dict[str, Any], year: int, flagging: Flagging = FLAGGING) -> list[str]:
    """The reasons a municipality should look twice at its list (Danish, shown as is)."""
    found = []
    now, before = figures["tal"], figures["sidste_aar"]
    for code, label in [(TOTAL, "Børn i alt"), *((t.code, f"Indsats {t.code}") for t in TYPES)]:
        a = now.get(code, {}).get("boern" if code == TOTAL else "indsatser", 0)
        b = before.get(code, {}).get("boern" if code == TOTAL else "indsatser", 0)
        if (flag := change_flag(label, a, b, year, flagging)) is not None:
            found.append(flag)
    own, national = figures["rate"], figures["national_rate"]
    if own is not None and national:
        ratio = own / national
        if ratio >= flagging.rate_ratio or ratio <= 1 / flagging.rate_ratio:
            found.append(f"Børn pr. 1.000 0-17-årige: {own:.1f} mod {national:.1f} på landsplan")
    return found


def validation_lists(
    warehouse: Warehouse,
    year: int,
    today: dt.date,
    public_national: Mapping[int, int] | None = None,
) -> dict[tuple[str, str], dict[str, Any]]:
    """The validation list of every municipality for `year` ({(kommune, ""): figures}).

    `public_national`: the national number of children per year as already published; the
    national rate is shown only from it, never from the live register (embargo)."""
    if not warehouse.has_table("handbu_enheder"):
        return {}
    counts = _nested(warehouse.query(counts_sql((year - 1, year))).to_pylist())
    residents = _residents(warehouse, year)
    published = (public_national or {}).get(year)
    national_rate = rate(published, residents.get("000")) if published is not None else None
    lists = {}
    for kommune in municipalities():
        now = counts.get((year, kommune.kode), {})
        figures: dict[str, Any] = {
            "tal": now,
            "sidste_aar": counts.get((year - 1, kommune.kode), {}),
            "indbyggere_0_17": residents.get(kommune.kode),
            "rate": rate(now.get(TOTAL, {}).get("boern", 0), residents.get(kommune.kode)),
            "national_rate": national_rate,
        }
        figures["flag"] = flags(figures, year)
        lists[(kommune.kode, "")] = figures
    return lists


def table_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The list as the portal shows it: a row for all children/interventions and per type."""
    rows = []
    for code, text in [(TOTAL, "I alt"), *((t.code, t.text) for t in TYPES)]:
        now = figures["tal"].get(code, {})
        before = figures["sidste_aar"].get(code, {})
        row: dict[str, Any] = {"kode": code, "tekst": text}
        for measure in ("boern", "indsatser"):
            a, b = now.get(measure, 0), before.get(measure, 0)
            row[measure] = a
            row[f"{measure}_sidste_aar"] = b
            row[f"{measure}_aendring"] = a - b
        rows.append(row)
    return rows


HANDBU_KIND = ReportKind(
    statistic="handbu",
    title="Valideringsliste",
    monthly=False,
    schedule=STANDARD_SCHEDULE,
    figures=validation_lists,
    available=lambda w: w.has_table("handbu_enheder"),
)
