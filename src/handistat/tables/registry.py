"""Every declared table by id, and computing one from the register."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from handistat.errors import NotFound
from handistat.stores.warehouse import Warehouse
from handistat.tables.compute import assemble, table_sql
from handistat.tables.cube import Cube
from handistat.tables.genbrug import GENBRUG_TABLES
from handistat.tables.handbu import HANDBU_TABLES
from handistat.tables.spec import TableSpec

TABLES: dict[str, TableSpec] = {t.id: t for t in (*HANDBU_TABLES, *GENBRUG_TABLES)}


def register_tables(*specs: TableSpec) -> None:
    for spec in specs:
        TABLES[spec.id] = spec


def table_spec(table_id: str) -> TableSpec:
    try:
        return TABLES[table_id.upper()]
    except KeyError:
        known = ", ".join(sorted(TABLES))
        raise NotFound(f"tabellen {table_id!r} findes ikke; kendte tabeller: {known}") from None


def compute(warehouse: Warehouse, spec: TableSpec, years: Sequence[int]) -> Cube:
    """The table's cells for `years`, before disclosure control."""
    if not warehouse.has_table(spec.fact):
        raise NotFound(
            f"{spec.statistic}-registret er ikke dannet endnu; kør `handistat process "
            f"{spec.statistic}` først"
        )
    if spec.fact_by_unit is not None and not warehouse.has_table(spec.fact_by_unit):
        spec = replace(spec, fact_by_unit=None)  # a register from before it: the same cells
    if spec.fact_person_years is not None and not warehouse.has_table(spec.fact_person_years):
        spec = replace(spec, fact_person_years=None)  # likewise
    rows = warehouse.query(table_sql(spec, years)).to_pylist()
    return assemble(spec, years, rows)
