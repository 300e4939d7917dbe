"""Issue 15 item 6: the layered validation query (rules.validation_sql) computes each value
once; these tests keep its CPR birth date equal to the register's `cpr_birth_date_sql`
(R-CPR-2) and check that the cached validation views read each new batch."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rules import (
    ColumnRule,
    Kind,
    _cpr_birth_sql,
    _cpr_parts_sql,
    _cpr_year_sql,
    ends_checked,
    validation_sql,
)
from handistat.intake.validate import _checked
from handistat.register.cpr import cpr_birth_date_sql


def test_layered_birth_date_equals_the_registers_on_every_day_month_year_and_7th_digit() -> None:
    # every DD 00-39, MM 00-13, YY 00-99, 7th digit 0-9 (560,000 strings), plus junk
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE t AS SELECT lpad(dd::VARCHAR, 2, '0') || lpad(mm::VARCHAR, 2, '0') "
        "|| lpad(yy::VARCHAR, 2, '0') || c7::VARCHAR || '123' AS d_cpr "
        "FROM range(40) a(dd), range(14) b(mm), range(100) c(yy), range(10) e(c7) "
        "UNION ALL SELECT * FROM (VALUES (''), ('abc'), ('2902x41234'), ('29-0241234')) v(d)"
    )
    layered = (
        f"WITH p AS (SELECT *, {_cpr_parts_sql('cpr')} FROM t), "
        f"y AS (SELECT *, {_cpr_year_sql('cpr')} FROM p), "
        f"b AS (SELECT *, {_cpr_birth_sql('cpr')} FROM y) "
        f"SELECT count(*), count(b_cpr), "
        f"count(*) FILTER (WHERE b_cpr IS DISTINCT FROM {cpr_birth_date_sql('d_cpr')}) FROM b"
    )
    total, born, different = con.execute(layered).fetchone()  # type: ignore[misc]
    assert total == 560_004
    # hand count: 365 days in each of 100 years per 7th digit, plus the leap days: digits 0-3
    # are 1900-1999 (24 leap years: 1900 is none), 4 and 9 are 1937-2036 (25), 5-8 are
    # 1858-1899 and 2000-2057 (10 + 15 = 25)
    assert born == 10 * 100 * 365 + 4 * 24 + 6 * 25
    assert different == 0


def test_the_cached_view_reads_each_new_batch() -> None:
    fmt = HANDBU_POLICY.fmt
    columns = ["kommune", "indsats_id", "cpr", "paragraf", "startdato"]
    sql = validation_sql(fmt, "batch", columns, "DATE '2026-12-01'")

    def batch(row: int, cpr: str) -> pa.RecordBatch:
        values = {"_row": [row], "kommune": ["101"], "indsats_id": ["a1"], "cpr": [cpr]}
        values |= {"paragraf": ["sel32"], "startdato": ["2024-02-29"]}
        return pa.RecordBatch.from_pydict(values)

    first = _checked(sql, batch(2, "2902241234")).to_pylist()
    second = _checked(sql, batch(3, "3002241234")).to_pylist()  # 30 February
    assert [(r["_row"], r["err_cpr"], r["cpr"]) for r in first] == [(2, None, "2902241234")]
    assert [(r["_row"], r["err_cpr"], r["cpr"]) for r in second] == [(3, "INVALID_CPR", None)]
    assert first[0]["paragraf"] == "SEL32" and first[0]["status"] == "aktiv"


@pytest.mark.parametrize(
    ("rule", "checked"),
    [
        (ColumnRule("d", Kind.DATE, required=False), True),
        (ColumnRule("c", Kind.CPR), True),
        (ColumnRule("k", Kind.CODE, codes=frozenset({"101", "147"})), True),
        (ColumnRule("k", Kind.CODE, codes=frozenset({"101", "1 47"})), False),
        (ColumnRule("k", Kind.CODE, codes=frozenset({"101", ""})), False),
        (ColumnRule("n", pattern=r"[0-9]{1,9}"), True),
        (ColumnRule("i", pattern=r"[A-Za-z0-9._:-]{1,64}"), True),
        (ColumnRule("p", pattern=r"[!-~]+"), True),
        (ColumnRule("i", pattern=r".{1,64}"), False),
        (ColumnRule("s", pattern=r"[ -~]+"), False),  # the range holds a space
        (ColumnRule("s", pattern=r"[a-z ]+"), False),
        (ColumnRule("s", pattern=r"[^;]+"), False),
        (ColumnRule("s", pattern=r"[\w]+"), False),  # an escape: not judged, so trimmed
        (ColumnRule("s", pattern=r"[0-9]+x"), False),
        (ColumnRule("t"), False),
        (ColumnRule("t", required=False, case="upper"), False),
    ],
)
def test_which_columns_the_one_pass_reads_untrimmed(rule: ColumnRule, checked: bool) -> None:
    """Issue 15: only a column whose own check fails on anything trim removes (or whose parsed
    form alone is kept) may skip the trim in `intake.direct`."""
    assert ends_checked(rule) is checked
