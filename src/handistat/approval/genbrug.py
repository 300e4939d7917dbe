"""GENBRUG approval reports (R-VAL-2): per municipality and month, udleveringer and
indleveringer, approved month by month, with the paragraph report (R-GB-6) as context.

Counted from the cleaned loan register `genbrug_udlaan` by statistics municipality (R-GB-4);
the paragraph report is by reporting municipality, as the register builds it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from handistat.approval.declarations import STANDARD_SCHEDULE, ReportKind, municipalities
from handistat.register.genbrug import PERIOD_START
from handistat.stores.warehouse import Warehouse

LOANS = "genbrug_udlaan"
PARAGRAPHS = "genbrug_paragraf_rapport"


def monthly_sql(year: int) -> str:
    start = PERIOD_START if year == 2022 else f"{year}-01-01"
    return f"""
SELECT statistikkommune AS kommune, maaned, SUM(ud) AS udleveringer, SUM(ind) AS indleveringer
FROM (
  SELECT statistikkommune, strftime(udleveringsdato, '%Y-%m') AS maaned, 1 AS ud, 0 AS ind
  FROM {LOANS} WHERE udleveringsdato BETWEEN DATE '{start}' AND DATE '{year}-12-31'
  UNION ALL
  SELECT statistikkommune, strftime(indleveringsdato, '%Y-%m'), 0, 1
  FROM {LOANS} WHERE indleveringsdato BETWEEN DATE '{start}' AND DATE '{year}-12-31'
) AS moves
GROUP BY 1, 2"""


def paragraph_sql(year: int) -> str:
    return f"""
SELECT kommune, maaned, SUM(udlaan) AS udlaan, SUM(uden_paragraf) AS uden_paragraf,
  SUM(ukendt_paragraf) AS ukendt_paragraf, SUM(usandsynlig_paragraf) AS usandsynlig_paragraf
FROM {PARAGRAPHS} WHERE maaned LIKE '{year}-%' GROUP BY 1, 2"""


def approval_reports(
    warehouse: Warehouse, year: int, today: dt.date
) -> dict[tuple[str, str], dict[str, Any]]:
    """{(kommune, "YYYY-MM"): figures} for every municipality and ended month of `year`."""
    if not warehouse.has_table(LOANS):
        return {}
    moves: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in warehouse.query(monthly_sql(year)).to_pylist():
        moves[(str(row["kommune"]), str(row["maaned"]))] = {
            "udleveringer": int(row["udleveringer"]),
            "indleveringer": int(row["indleveringer"]),
        }
    paragraphs: dict[tuple[str, str], dict[str, int]] = {}
    if warehouse.has_table(PARAGRAPHS):
        for row in warehouse.query(paragraph_sql(year)).to_pylist():
            key = (str(row["kommune"]), str(row["maaned"]))
            paragraphs[key] = {k: int(row[k]) for k in row if k not in ("kommune", "maaned")}
    reports = {}
    for kommune in municipalities():
        for period in GENBRUG_KIND.periods(year, today):
            key = (kommune.kode, period)
            reports[key] = {
                "tal": moves.get(key, {"udleveringer": 0, "indleveringer": 0}),
                "paragraf": paragraphs.get(key, {}),
                "flag": [],
            }
    return reports


GENBRUG_KIND = ReportKind(
    statistic="genbrug",
    title="Godkendelsesrapport",
    monthly=True,
    schedule=STANDARD_SCHEDULE,
    figures=approval_reports,
    available=lambda w: w.has_table(LOANS),
    first_year=2022,
    first_month=7,
)
