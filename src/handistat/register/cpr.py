"""CPR validity (R-CPR-2): ten digits, a real birth date with the century from the 7th digit,
not in the future. Modulus 11 is not checked (not guaranteed since 2007).

The rule exists twice on purpose: in SQL for the pipelines (8 M rows) and in Python through
python-stdnum for forms and tests; a property test keeps them equal.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from handistat.register.sql import checked_date_sql

_FORM = re.compile(r"\d{6}-?\d{4}")


def normalise(value: str) -> str | None:
    """`DDMMYY-SSSS` or `DDMMYYSSSS` → ten digits; anything else → None."""
    value = value.strip()
    return value.replace("-", "") if _FORM.fullmatch(value) else None


def birth_date(value: str) -> dt.date | None:
    digits = normalise(value)
    if digits is None:
        return None
    try:
        return stdnum_cpr.get_birth_date(digits)
    except ValidationError:
        return None


def is_valid(value: str, today: dt.date) -> bool:
    born = birth_date(value)
    return born is not None and born <= today


def cpr_birth_date_sql(digits: str) -> str:
    """SQL for the birth date encoded in a ten-digit CPR string expression (NULL if none).

    Integer arithmetic and `MAKE_DATE` only, so DuckDB and Spark read it alike (R-PERF-6):
    the day is checked against the month's length (leap years by the Gregorian rule) before
    the date is made, instead of parsing text with a dialect's date parser.

    As one expression every part is computed several times (the year eight times); over
    millions of rows use `cpr_number_parts_sql`, `cpr_year_sql` and `checked_date_sql` in
    nested SELECTs, which compute each part once (issue 15)."""

    def part(start: int) -> str:
        return f"TRY_CAST(substr({digits}, {start}, 2) AS INTEGER)"

    year = cpr_year_sql(part(5), f"substr({digits}, 7, 1)")
    return checked_date_sql(year, part(3), part(1))


def cpr_number_parts_sql(number: str) -> str:
    """Select-list items `cpr_dag`, `cpr_md`, `cpr_aa` and `cpr_c7` (the 7th digit), all
    integers, of a ten-digit CPR given as a number (`person_id`; leading zeros are simply
    absent): integer division and remainder, far cheaper per row than cutting and parsing
    the text. For `cpr_year_sql(..., numeric=True)` one SELECT further out."""
    return (
        f"({number} // 100000000) AS cpr_dag, (({number} // 1000000) % 100) AS cpr_md, "
        f"(({number} // 10000) % 100) AS cpr_aa, (({number} // 1000) % 10) AS cpr_c7"
    )


def cpr_year_sql(yy: str, d7: str, *, numeric: bool = False) -> str:
    """The birth year from the two-digit year and the 7th digit (R-CPR-2); `numeric`: the
    7th digit is an integer, not a character."""
    low, mid = ("0, 1, 2, 3", "4, 9") if numeric else ("'0', '1', '2', '3'", "'4', '9'")
    return (
        f"(CASE WHEN {d7} IN ({low}) THEN 1900 + {yy} "
        f"WHEN {d7} IN ({mid}) THEN CASE WHEN {yy} <= 36 THEN 2000 + {yy} ELSE 1900 + {yy} END "
        f"WHEN {yy} <= 57 THEN 2000 + {yy} ELSE 1800 + {yy} END)"
    )


CPR_FORM = "'^[0-9]{6}-?[0-9]{4}\\z'"
"""A CPR as delivered: ten digits, a dash after the sixth allowed (R-GB-2)."""


def cpr_digits_sql(column: str) -> str:
    """The ten digits of the CPR in `column` after trimming, NULL if it has another form.

    A value of the form has nothing to trim, so it is matched untrimmed first; only the few
    that fail are trimmed and matched again: the same result, without trimming 8.6 M values
    of which intake has already trimmed every one (1.27 → 0.85 CPU-s nationally; issue 15).
    `tests/register/test_cpr.py` holds it equal to trimming first."""
    return (
        f"CASE WHEN regexp_matches({column}, {CPR_FORM}) THEN replace({column}, '-', '') "
        f"WHEN regexp_matches(trim({column}), {CPR_FORM}) "
        f"THEN replace(trim({column}), '-', '') END"
    )


def cpr_text_sql(alias: str) -> str:
    """The CPR as ten digits from `person_id`, the integer `cpr_digits_sql`'s digits were cast
    to (the GENBRUG registers keep only that; a leading zero comes back)."""
    return f"lpad(CAST({alias}.person_id AS VARCHAR), 10, '0')"
