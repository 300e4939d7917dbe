"""Helpers for the tests of tables counted from a narrower view of the same register
(`test_by_unit.py`, `test_by_person.py`; issue 15): a table's cells in a DuckDB connection,
and the register's views created over a hand-made `genbrug_udlaan`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
from hypothesis import strategies as st

from handistat.register.sql import Step
from handistat.tables.compute import assemble, table_sql
from handistat.tables.spec import TableSpec

Cells = dict[tuple[str, ...], int | None]


def cells(con: duckdb.DuckDBPyConnection, spec: TableSpec, years: list[int]) -> Cells:
    """The table's cells, computed by its one query in `con`."""
    rows = con.sql(table_sql(spec, years)).to_arrow_table().to_pylist()
    return dict(assemble(spec, years, rows).values)


def create_views(con: duckdb.DuckDBPyConnection, steps: Sequence[Step]) -> None:
    for step in steps:
        con.execute(f"CREATE VIEW {step.name} AS {step.sql}")


_DAYS = st.dates(dt.date(2021, 6, 1), dt.date(2026, 2, 1))


@st.composite
def loan_period(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    """A loan's delivery day around the statistics years, and its end (None: still lent)."""
    day = draw(_DAYS)
    return day, draw(st.none() | st.dates(day, dt.date(2026, 6, 1)))
