"""Engine-neutral SQL steps (splink's model).

Every transformation of the register is a small function returning SQL in a conservative
DuckDB dialect. A pipeline is a list of named `Step`s, each may read the earlier ones by name.
The DuckDB gateway materialises them; `transpile` turns them into Spark SQL with SQLGlot.

Rules kept everywhere (R-PERF-6): running `MAX` over earlier rows instead of `LAG` for nested
spells; open ends stay NULL and no arithmetic is ever done on a sentinel date; window frames
are `ROWS` with a total order; NULL ordering is always written out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

OPEN_END = "DATE '9999-12-31'"
"""Stand-in for an open end, used only in comparisons and MAX, never in date arithmetic."""


def checked_date_sql(year: str, month: str, day: str) -> str:
    """`MAKE_DATE(year, month, day)` when the day exists in that month (leap years by the
    Gregorian rule), else NULL: integer arithmetic only, so DuckDB and Spark read it alike.

    No `IN` list of seven months: DuckDB turns one that long into a join per row (2.6 s over
    the 8.6 M national loans; issue 15)."""
    leap = f"({year} % 4 = 0 AND ({year} % 100 <> 0 OR {year} % 400 = 0))"
    days_in_month = (
        f"CASE WHEN {month} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
        f"WHEN {month} IN (4, 6, 9, 11) THEN 30 "
        f"WHEN {month} BETWEEN 1 AND 12 THEN 31 ELSE 0 END"
    )
    return (
        f"CASE WHEN {day} BETWEEN 1 AND {days_in_month} THEN MAKE_DATE({year}, {month}, {day}) END"
    )


@dataclass(frozen=True)
class Step:
    """A named SQL query that may refer to earlier steps by name.

    `view`: the step is kept as a view, computed by each reader, never stored. For a fact
    table its readers only count (GENBRUG's loans × years: writing its 8.8 M national rows
    cost more than the five tables' joins that read it; issue 15)."""

    name: str
    sql: str
    view: bool = False


def as_cte(steps: Sequence[Step], final: str) -> str:
    """Compose steps into one statement: `WITH a AS (...), b AS (...) <final>`."""
    ctes = ",\n".join(f"{s.name} AS (\n{s.sql}\n)" for s in steps)
    return f"WITH {ctes}\n{final}" if steps else final


def transpile(sql: str, dialect: str = "spark") -> str:
    """The same step in another engine's dialect (with the fix-ups below for Spark)."""
    import sqlglot  # slow to import; only the Spark path and tests need it

    tree = sqlglot.parse_one(sql, read="duckdb")
    if dialect == "spark":
        tree = tree.transform(_spark_trim)
    return str(tree.sql(dialect=dialect, pretty=True))


_UNICODE_SPACES = {"LEADING": r"^\p{Zs}+", "TRAILING": r"\p{Zs}+\z"}


def _spark_trim(node: Any) -> Any:
    """DuckDB's `trim(x)` strips every Unicode space separator (Zs: also U+00A0, U+3000, …),
    Spark's only U+0020; a regular expression says DuckDB's meaning in Spark. (`\\z`, not `$`:
    Java's `$` also matches before a final line break.)"""
    from sqlglot import exp

    if not isinstance(node, exp.Trim) or node.args.get("expression") is not None:
        return node
    position = node.args.get("position")
    pattern = _UNICODE_SPACES.get(position or "", "|".join(_UNICODE_SPACES.values()))
    return exp.func(
        "REGEXP_REPLACE", node.this, exp.Literal.string(pattern), exp.Literal.string("")
    )


def quote_literal(value: str) -> str:
    """A SQL string literal (for values from declarations, never from deliveries)."""
    return "'" + value.replace("'", "''") + "'"
