"""HJALP2 counted from one row per recipient and year (`TableSpec.fact_person_years`, issue 15)
gives the cells of the loan-years it replaces (R-TAB-1, R-GB-5): by hand, on generated loans
against the loan-years query as the reference, and from a register written before the view
existed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.tables.narrow_views import Cells, cells, create_views, loan_period

from handistat.register.genbrug import person_years_sql, units_sql
from handistat.stores.warehouse import Warehouse
from handistat.tables.registry import compute, table_spec
from handistat.tables.spec import ENHEDER, TableSpec

YEARS = [2022, 2023, 2024, 2025]
COLUMNS = (
    "indberetningskommune VARCHAR, kildesystem VARCHAR, udlaan_id VARCHAR, person_id BIGINT, "
    "statistikkommune VARCHAR, koen VARCHAR, foedselsdato DATE, iso_kode VARCHAR, "
    "paragraf_kode VARCHAR, udleveringsdato DATE, indleveringsdato DATE, slutdato DATE"
)
Person = tuple[str | None, dt.date | None]
"""Sex as the register holds it ('M', 'K' or NULL) and birth date (NULL: unknown)."""
Loan = tuple[int, str, dt.date, dt.date | None]
"""person, statistics municipality, delivered, ended."""


def _insert(con: duckdb.DuckDBPyConnection, people: dict[int, Person], loans: list[Loan]) -> None:
    con.execute(f"CREATE TABLE genbrug_udlaan ({COLUMNS})")
    if not loans:
        return
    con.executemany(
        "INSERT INTO genbrug_udlaan VALUES (?, 'A', ?, ?, ?, ?, ?, '120303', 'SEL112', ?, ?, ?)",
        [
            [kommune, str(i), person, kommune, *people[person], day, end, end]
            for i, (person, kommune, day, end) in enumerate(loans)
        ],
    )


def _views(con: duckdb.DuckDBPyConnection, *, by_person: bool = True) -> None:
    create_views(con, (units_sql(YEARS), *([person_years_sql(YEARS)] if by_person else [])))


def _both(con: duckdb.DuckDBPyConnection, years: list[int]) -> tuple[Cells, Cells]:
    """HJALP2's cells from the person-years view and from the loan-years."""
    spec = table_spec("HJALP2")
    assert spec.fact_person_years == "genbrug_personer_aar"
    return cells(con, spec, years), cells(con, replace(spec, fact_person_years=None), years)


def test_recipients_by_municipality_sex_and_age_by_hand() -> None:
    con = duckdb.connect(":memory:")
    people: dict[int, Person] = {
        1: ("M", dt.date(1950, 6, 1)),
        2: ("K", dt.date(2000, 1, 1)),
        3: ("K", dt.date(1930, 1, 1)),
        4: (None, None),
    }
    _insert(
        con,
        people,
        [
            (1, "101", dt.date(2023, 3, 1), None),  # 2023-2025: 73, 74, 75 years
            (1, "101", dt.date(2023, 4, 1), None),  # a second loan: still one recipient
            (1, "147", dt.date(2024, 5, 1), dt.date(2024, 6, 1)),  # 2024 in 147 too
            (2, "101", dt.date(2022, 8, 1), dt.date(2022, 9, 1)),  # 2022: 22 years
            (3, "101", dt.date(2022, 1, 1), dt.date(2022, 6, 30)),  # before the period
            (4, "147", dt.date(2025, 2, 1), None),  # sex and age not stated
        ],
    )
    _views(con)
    by_person, _ = _both(con, YEARS)
    # (municipality, sex, age, year): distinct recipients
    expected = {
        ("101", "1", "7074", "2023"): 1,
        ("101", "1", "7074", "2024"): 1,
        ("101", "1", "7579", "2025"): 1,
        ("101", "1", "7579", "2024"): 0,
        ("147", "1", "7074", "2024"): 1,
        ("000", "1", "7074", "2024"): 1,  # in 101 and 147: one recipient in the country
        ("000", "0", "TOT", "2024"): 1,
        ("101", "2", "0024", "2022"): 1,
        ("000", "0", "TOT", "2022"): 1,  # person 3's loan ended before 1 July 2022
        ("147", "9", "999", "2025"): 1,
        ("000", "0", "TOT", "2025"): 2,
    }
    assert {key: by_person[key] for key in expected} == expected


_PEOPLE = st.fixed_dictionaries(
    {
        i: st.tuples(
            st.sampled_from(["M", "K", None]),
            st.none() | st.dates(dt.date(1925, 1, 1), dt.date(2025, 12, 31)),
        )
        for i in range(1, 6)
    }
)


@st.composite
def _loans(draw: st.DrawFn) -> list[Loan]:
    loans = []
    for _ in range(draw(st.integers(0, 25))):
        day, end = draw(loan_period())
        person = draw(st.integers(1, 5))
        loans.append((person, draw(st.sampled_from(["101", "147", "851"])), day, end))
    return loans


@settings(max_examples=60, deadline=None)
@given(_PEOPLE, _loans(), st.sampled_from([YEARS, [2022], [2023, 2025]]))
def test_the_person_view_gives_the_cells_of_the_loan_years(
    people: dict[int, Person], loans: list[Loan], years: list[int]
) -> None:
    con = duckdb.connect(":memory:")
    _insert(con, people, loans)
    _views(con)
    by_person, by_loan_year = _both(con, years)
    assert by_person == by_loan_year


def test_a_register_without_the_person_view_is_counted_from_the_loan_years(
    tmp_path: Path,
) -> None:
    people: dict[int, Person] = {1: ("M", dt.date(1950, 6, 1)), 2: ("K", dt.date(1990, 1, 1))}
    loans: list[Loan] = [
        (1, "101", dt.date(2023, 3, 1), None),
        (2, "147", dt.date(2022, 8, 1), None),
    ]
    cubes = []
    for by_person in (False, True):
        warehouse = Warehouse(tmp_path / f"{by_person}" / "register.duckdb")
        with warehouse.writing() as con:
            _insert(con, people, loans)
            _views(con, by_person=by_person)
        assert warehouse.has_table("genbrug_personer_aar") is by_person
        cubes.append(compute(warehouse, table_spec("HJALP2"), YEARS).values)
    assert cubes[0] == cubes[1]
    assert cubes[0][("000", "0", "TOT", "2023")] == 2


def test_a_table_of_units_cannot_be_counted_from_persons() -> None:
    spec = table_spec("HJALP1")
    assert spec.measure == ENHEDER
    with pytest.raises(ValueError, match="persons, not units"):
        TableSpec(
            id="X",
            statistic="genbrug",
            title="x",
            fact=spec.fact,
            measure=spec.measure,
            dimensions=spec.dimensions,
            fact_person_years="genbrug_personer_aar",
        )
