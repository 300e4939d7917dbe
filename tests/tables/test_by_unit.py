"""Tables counted from one row per loan with its years as bits (`TableSpec.fact_by_unit`,
issue 15) give the cells of the loan-years they replace (R-TAB-1, R-GB-5): by hand, on
generated loans against the loan-years query as the reference, and from a register written
before the loan view existed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.tables.narrow_views import Cells, cells, create_views, loan_period

from handistat.register.genbrug import MASK_BASE_YEAR, loan_years_sql, units_sql
from handistat.stores.warehouse import Warehouse
from handistat.tables.registry import compute, table_spec

YEARS = [2022, 2023, 2024, 2025]
COLUMNS = (
    "indberetningskommune VARCHAR, kildesystem VARCHAR, udlaan_id VARCHAR, person_id BIGINT, "
    "statistikkommune VARCHAR, koen VARCHAR, foedselsdato DATE, iso_kode VARCHAR, "
    "paragraf_kode VARCHAR, udleveringsdato DATE, indleveringsdato DATE, slutdato DATE"
)
Loan = tuple[int, str, str, str, dt.date, dt.date | None]
"""person, ISO class (4 digits), paragraph, municipality, delivered, ended."""


def _insert(con: duckdb.DuckDBPyConnection, loans: list[Loan]) -> None:
    con.execute(f"CREATE TABLE genbrug_udlaan ({COLUMNS})")
    if not loans:
        return
    con.executemany(
        "INSERT INTO genbrug_udlaan VALUES (?, 'A', ?, ?, ?, 'K', DATE '1950-01-01', ?, ?, "
        "?, ?, ?)",
        [
            [kommune, str(i), person, kommune, iso, paragraf, day, end, end]
            for i, (person, iso, paragraf, kommune, day, end) in enumerate(loans)
        ],
    )


def _views(con: duckdb.DuckDBPyConnection, *, by_loan: bool = True) -> None:
    create_views(con, (units_sql(YEARS), *([loan_years_sql(YEARS)] if by_loan else [])))


def _both(con: duckdb.DuckDBPyConnection, table_id: str, years: list[int]) -> tuple[Cells, Cells]:
    spec = table_spec(table_id)
    assert spec.fact_by_unit == "genbrug_laan_aar"
    return cells(con, spec, years), cells(con, replace(spec, fact_by_unit=None), years)


def test_loans_and_recipients_by_paragraph_by_hand() -> None:
    con = duckdb.connect(":memory:")
    _insert(
        con,
        [
            (1, "1203", "SEL112", "101", dt.date(2023, 3, 1), None),  # 2023-2025
            (1, "1203", "SEL112", "101", dt.date(2024, 5, 1), dt.date(2024, 6, 1)),  # 2024
            (2, "1203", "SEL112", "101", dt.date(2022, 1, 1), dt.date(2022, 6, 30)),  # none
            (3, "1222", "SEL113", "101", dt.date(2022, 1, 1), dt.date(2022, 7, 1)),  # 2022
            (1, "0903", "SEL113", "147", dt.date(2025, 12, 31), None),  # 2025
            (4, "0903", "SEL112", "147", dt.date(2026, 1, 1), None),  # after 2025
        ],
    )
    _views(con)
    by_loan, _ = _both(con, "HJALP5", YEARS)
    # (paragraph, unit, year): loans active in the year / distinct recipients
    expected = {
        ("SEL112", "UDLAAN", "2022"): 0,
        ("SEL112", "UDLAAN", "2023"): 1,
        ("SEL112", "UDLAAN", "2024"): 2,
        ("SEL112", "UDLAAN", "2025"): 1,
        ("SEL112", "MODTAGERE", "2024"): 1,  # person 1 twice
        ("SEL113", "UDLAAN", "2022"): 1,
        ("SEL113", "MODTAGERE", "2025"): 1,
        ("TOT", "UDLAAN", "2025"): 2,  # person 1's two loans in 112 and 113
        ("TOT", "MODTAGERE", "2025"): 1,  # ... one recipient
        ("TOT", "MODTAGERE", "2022"): 1,
    }
    assert {key: by_loan[key] for key in expected} == expected


@st.composite
def _loans(draw: st.DrawFn) -> list[Loan]:
    loans = []
    for _ in range(draw(st.integers(0, 25))):
        day, end = draw(loan_period())
        loans.append(
            (
                draw(st.integers(1, 6)),
                draw(st.sampled_from(["1203", "1222", "0903", "9999", "UKENDT"])),
                draw(st.sampled_from(["SEL112", "SEL113", "UOPL", "ANDEN"])),
                draw(st.sampled_from(["101", "147"])),
                day,
                end,
            )
        )
    return loans


@settings(max_examples=60, deadline=None)
@given(_loans(), st.sampled_from([YEARS, [2022], [2023, 2025]]))
def test_the_loan_view_gives_the_cells_of_the_loan_years(
    loans: list[Loan], years: list[int]
) -> None:
    con = duckdb.connect(":memory:")
    _insert(con, loans)
    _views(con)
    for table_id in ("HJALP3", "HJALP4", "HJALP5"):
        by_loan, by_loan_year = _both(con, table_id, years)
        assert by_loan == by_loan_year, table_id


def test_a_register_without_the_loan_view_is_counted_from_the_loan_years(tmp_path: Path) -> None:
    loans: list[Loan] = [
        (1, "1203", "SEL112", "101", dt.date(2023, 3, 1), None),
        (2, "0903", "SEL113", "147", dt.date(2022, 8, 1), dt.date(2024, 1, 1)),
    ]
    cubes = []
    for by_loan in (False, True):
        warehouse = Warehouse(tmp_path / f"{by_loan}" / "register.duckdb")
        with warehouse.writing() as con:
            _insert(con, loans)
            _views(con, by_loan=by_loan)
        assert warehouse.has_table("genbrug_laan_aar") is by_loan
        cubes.append(compute(warehouse, table_spec("HJALP3"), YEARS).values)
    assert cubes[0] == cubes[1]
    assert cubes[0][("TOT", "MODTAGERE", "2023")] == 2


def test_years_outside_the_mask_count_nothing_as_in_the_loan_years() -> None:
    con = duckdb.connect(":memory:")
    _insert(con, [(1, "1203", "SEL112", "101", dt.date(2020, 1, 1), None)])
    _views(con)
    by_loan, by_loan_year = _both(con, "HJALP3", [2021, 2024, 2100])
    assert by_loan == by_loan_year
    assert by_loan[("TOT", "MODTAGERE", "2024")] == 1
    assert by_loan[("TOT", "MODTAGERE", "2021")] == 0  # before the register's first year


def test_the_mask_starts_at_the_first_year() -> None:
    assert MASK_BASE_YEAR == 2022  # bit 0 is the half year 2022 (R-GB-5)
