"""R-CPR-2: the SQL rule used by the pipelines equals python-stdnum's reading."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from handistat.register import cpr
from handistat.register.cpr import cpr_birth_date_sql, cpr_number_parts_sql, cpr_year_sql
from handistat.register.sql import checked_date_sql
from handistat.stores.warehouse import Warehouse


def sql_birth_dates(values: list[str]) -> list[dt.date | None]:
    rows = (
        Warehouse(":memory:")
        .run(
            [],
            f"SELECT {cpr_birth_date_sql('v')} AS born FROM t ORDER BY i",
            {"t": pa.table({"v": values, "i": list(range(len(values)))})},
        )
        .to_pylist()
    )
    return [r["born"] for r in rows]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[0-3][0-9][01][0-9][0-9]{6}", fullmatch=True), min_size=1))
def test_sql_birth_date_equals_stdnum(values: list[str]) -> None:
    assert sql_birth_dates(values) == [cpr.birth_date(v) for v in values]


def number_birth_dates(values: list[str]) -> list[dt.date | None]:
    """The register's layered form: parts by integer arithmetic on the CPR as a number."""
    year = cpr_year_sql("cpr_aa", "cpr_c7", numeric=True)
    sql = (
        f"SELECT {checked_date_sql('cpr_aar', 'cpr_md', 'cpr_dag')} AS born FROM ("
        f"SELECT *, {year} AS cpr_aar FROM ("
        f"SELECT i, {cpr_number_parts_sql('CAST(v AS BIGINT)')} FROM t)) ORDER BY i"
    )
    table = pa.table({"v": values, "i": list(range(len(values)))})
    return [r["born"] for r in Warehouse(":memory:").run([], sql, {"t": table}).to_pylist()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[0-9]{10}", fullmatch=True), min_size=1))
def test_birth_date_from_the_number_equals_the_text_rule(values: list[str]) -> None:
    # leading zeros included: 0101001234 is the number 101001234
    assert number_birth_dates(values) == sql_birth_dates(values)


def test_birth_date_from_the_number_known_answers() -> None:
    values = ["0101001234", "0101364234", "0101585234", "2902004234", "2902011234", "3213451234"]
    assert number_birth_dates(values) == [
        dt.date(1900, 1, 1),
        dt.date(2036, 1, 1),
        dt.date(1858, 1, 1),
        dt.date(2000, 2, 29),
        None,
        None,
    ]


def test_centuries_known_answers() -> None:
    # 7th digit 0-3 → 1900s; 4/9 → 2000-2036 when YY ≤ 36 else 1900s;
    # 5-8 → 2000-2057 when YY ≤ 57 else 1858-1899.
    assert cpr.birth_date("0101001234") == dt.date(1900, 1, 1)
    assert cpr.birth_date("0101364234") == dt.date(2036, 1, 1)
    assert cpr.birth_date("0101374234") == dt.date(1937, 1, 1)
    assert cpr.birth_date("0101579234") == dt.date(1957, 1, 1)
    assert cpr.birth_date("0101575234") == dt.date(2057, 1, 1)
    assert cpr.birth_date("0101585234") == dt.date(1858, 1, 1)
    assert cpr.birth_date("290200-4234") == dt.date(2000, 2, 29)
    assert cpr.birth_date("2902011234") is None  # 1901 is no leap year
    assert cpr.birth_date("010101123") is None


def test_not_in_the_future() -> None:
    assert cpr.is_valid("0101254234", dt.date(2025, 1, 1))
    assert not cpr.is_valid("0201254234", dt.date(2025, 1, 1))
