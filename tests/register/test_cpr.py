"""R-CPR-2: the SQL rule used by the pipelines equals python-stdnum's reading."""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from handistat.register import cpr
from handistat.register.cpr import (
    cpr_birth_date_sql,
    cpr_digits_sql,
    cpr_number_parts_sql,
    cpr_year_sql,
)
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


def trimmed_first(values: list[str]) -> list[str | None]:
    """The reference: trim as DuckDB's `trim` does (spaces and other Unicode spaces), then
    ten digits with an optional dash after the sixth (R-GB-2), in Python."""
    rows = Warehouse(":memory:").run(
        [],
        "SELECT trim(v) AS t FROM t ORDER BY i",
        {"t": pa.table({"v": pa.array(values, pa.string()), "i": list(range(len(values)))})},
    )
    texts = [r["t"] for r in rows.to_pylist()]
    return [
        t.replace("-", "") if re.fullmatch(r"[0-9]{6}-?[0-9]{4}", t, flags=re.ASCII) else None
        for t in texts
    ]


CPR_LIKE = st.one_of(
    st.from_regex(r"[ \t\u00a0]?[0-9]{6}-?[0-9]{4}[ \n\u00a0]?", fullmatch=True),
    st.text(alphabet="0123456789- \t\n\u00a0\u3000\u0661x", max_size=14),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(CPR_LIKE, min_size=1, max_size=20))
def test_cpr_digits_equal_trimming_first(values: list[str]) -> None:
    """Issue 15: `cpr_digits_sql` matches untrimmed first, and is the trim-first rule."""
    got = Warehouse(":memory:").run(
        [],
        f"SELECT {cpr_digits_sql('v')} AS d FROM t ORDER BY i",
        {"t": pa.table({"v": pa.array(values, pa.string()), "i": list(range(len(values)))})},
    )
    assert [r["d"] for r in got.to_pylist()] == trimmed_first(values)


def test_cpr_digits_known_answers() -> None:
    values = ["0101101234", "010110-1234", " 0101101234\u00a0", "0101101234 x", "010110--1234", ""]
    got = Warehouse(":memory:").run(
        [],
        f"SELECT {cpr_digits_sql('v')} AS d FROM t ORDER BY i",
        {"t": pa.table({"v": values, "i": list(range(len(values)))})},
    )
    assert [r["d"] for r in got.to_pylist()] == [
        "0101101234",
        "0101101234",
        "0101101234",
        None,
        None,
        None,
    ]
