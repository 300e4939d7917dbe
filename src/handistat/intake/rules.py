"""Declarative structural rules for delivery columns, checked by one mechanism in SQL.

A delivery format is a list of `ColumnRule`s plus cross-column `RowRule`s. `validation_sql`
turns them into one query over a batch of text columns that yields, per row, the normalised
values and the first error code of each column. Messages are Danish: case officers read them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from handistat.register.sql import checked_date_sql, quote_literal


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    CPR = "cpr"
    CODE = "code"


MESSAGES = {
    "MISSING_VALUE": "feltet skal udfyldes",
    "BAD_FORMAT": "værdien har ikke det krævede format",
    "BAD_DATE": "datoen skal være en gyldig dato på formen ÅÅÅÅ-MM-DD",
    "UNKNOWN_CODE": "koden findes ikke i kodelisten",
    "INVALID_CPR": "CPR-nummeret er ugyldigt (10 cifre med en gyldig fødselsdato)",
    "MISSING_COLUMN_VALUE": "kolonnen mangler i leverancen",
}


@dataclass(frozen=True)
class ColumnRule:
    """One column: whether it must be filled, its form, and how it is normalised."""

    name: str
    kind: Kind = Kind.TEXT
    required: bool = True
    pattern: str | None = None
    codes: frozenset[str] | None = None
    case: str | None = None
    """'upper' or 'lower': how codes are compared and stored."""
    default: str | None = None
    """Value used when the column is absent or the cell empty (optional columns only)."""
    empty_ok: bool = False
    """A required column whose cells may be empty: the column must be present, an empty cell
    is left to later content checks (GENBRUG's `cpr`, R-GB-2)."""


@dataclass(frozen=True)
class RowRule:
    """A check across columns on normalised values: rows where `failing_sql` is true fail."""

    code: str
    column: str
    failing_sql: str
    message: str


@dataclass(frozen=True)
class DeliveryFormat:
    statistic: str
    columns: tuple[ColumnRule, ...]
    row_rules: tuple[RowRule, ...] = ()
    unique_key: tuple[str, ...] = ()
    """Columns whose combination must not repeat within one delivery."""
    last_row_wins: bool = False
    """True: a repeated key is no error; the last row of the key counts and the earlier rows
    are reported as superseded (HANDBU, R-HB-1). False: every row of the key is rejected."""

    @property
    def required_columns(self) -> set[str]:
        return {c.name for c in self.columns if c.required}

    @property
    def known_columns(self) -> set[str]:
        return {c.name for c in self.columns}


_PRINTABLE = frozenset(chr(c) for c in range(0x21, 0x7F))
"""ASCII without space and control characters: nothing `trim` removes is among them."""
_ONE_CLASS = re.compile(r"\[([^\]\\^]+)\](?:\{\d+(?:,\d*)?\}|\+|\*)?")
"""A pattern of one character class (no escapes, no negation), optionally repeated."""


def _class_chars(body: str) -> set[str] | None:
    """The characters of a class body such as `A-Za-z0-9._:-`; None if not simple."""
    chars: set[str] = set()
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = ord(body[i]), ord(body[i + 2])
            if low > high:
                return None
            chars.update(chr(c) for c in range(low, high + 1))
            i += 3
        else:
            chars.add(body[i])
            i += 1
    return chars


def ends_checked(rule: ColumnRule) -> bool:
    """Whether the column's own check makes trimming it redundant for a delivery that has no
    error: a value with anything `trim` removes at either end fails the check (a code list
    or a one-class pattern of printable ASCII), or only its parsed form is kept (a date,
    a CPR checked for its digits). The one-pass intake (`intake.direct`) then reads the
    column untrimmed: a padded value fails there and the delivery goes to the general path,
    which trims it (issue 15)."""
    if rule.kind in (Kind.DATE, Kind.CPR):
        return True
    if rule.codes is not None:
        return all(code and set(code) <= _PRINTABLE for code in rule.codes)
    if rule.pattern is not None:
        simple = _ONE_CLASS.fullmatch(rule.pattern)
        chars = _class_chars(simple.group(1)) if simple else None
        return chars is not None and chars <= _PRINTABLE
    return False


def _value_sql(rule: ColumnRule, present: bool, trimmed: bool = True) -> str:
    if not present:
        return quote_literal(rule.default or "")
    value = f"trim({rule.name})" if trimmed else rule.name
    if rule.case == "upper":
        value = f"upper({value})"
    elif rule.case == "lower":
        value = f"lower({value})"
    if rule.default is not None:
        value = f"CASE WHEN {value} = '' THEN {quote_literal(rule.default)} ELSE {value} END"
    return value


def _error_sql(rule: ColumnRule, today_sql: str) -> str:
    """The first error of a column, over the layered names of `validation_sql`."""
    value = f"v_{rule.name}"
    must_fill = rule.required and not rule.empty_ok
    branches = [f"WHEN {value} = '' THEN " + ("'MISSING_VALUE'" if must_fill else "NULL")]
    if rule.pattern:
        branches.append(
            f"WHEN NOT regexp_full_match({value}, {quote_literal(rule.pattern)}) THEN 'BAD_FORMAT'"
        )
    if rule.kind is Kind.DATE:
        branches.append(f"WHEN t_{rule.name} IS NULL THEN 'BAD_DATE'")
    if rule.kind is Kind.CPR:
        branches.append(
            f"WHEN NOT regexp_full_match({value}, '[0-9]{{6}}-?[0-9]{{4}}') THEN 'INVALID_CPR'"
        )
        birth = f"b_{rule.name}"
        branches.append(f"WHEN {birth} IS NULL OR {birth} > {today_sql} THEN 'INVALID_CPR'")
    if rule.codes is not None:
        listed = ", ".join(quote_literal(c) for c in sorted(rule.codes))
        branches.append(f"WHEN {value} NOT IN ({listed}) THEN 'UNKNOWN_CODE'")
    return "CASE " + " ".join(branches) + " ELSE NULL END"


def _derived_sql(rule: ColumnRule) -> list[str]:
    """What a column's checks and normal form read more than once, computed once: the parsed
    date (`t_`) or the CPR digits (`d_`)."""
    value = f"v_{rule.name}"
    if rule.kind is Kind.DATE:
        return [f"try_strptime({value}, '%Y-%m-%d') AS t_{rule.name}"]
    if rule.kind is Kind.CPR:
        return [f"replace({value}, '-', '') AS d_{rule.name}"]
    return []


def _cpr_parts_sql(name: str) -> str:
    """Day, month, two-digit year and 7th digit of the CPR digits `d_<name>`."""
    digits = f"d_{name}"
    return (
        f"TRY_CAST(substr({digits}, 1, 2) AS INTEGER) AS dd_{name}, "
        f"TRY_CAST(substr({digits}, 3, 2) AS INTEGER) AS mm_{name}, "
        f"TRY_CAST(substr({digits}, 5, 2) AS INTEGER) AS yy_{name}, "
        f"substr({digits}, 7, 1) AS c7_{name}"
    )


def _cpr_year_sql(name: str) -> str:
    """The birth year: the century from the 7th digit (R-CPR-2), as `cpr_birth_date_sql`."""
    yy, d7 = f"yy_{name}", f"c7_{name}"
    return (
        f"CASE WHEN {d7} IN ('0', '1', '2', '3') THEN 1900 + {yy} "
        f"WHEN {d7} IN ('4', '9') THEN CASE WHEN {yy} <= 36 THEN 2000 + {yy} ELSE 1900 + {yy} END "
        f"WHEN {yy} <= 57 THEN 2000 + {yy} ELSE 1800 + {yy} END AS y_{name}"
    )


def _cpr_birth_sql(name: str) -> str:
    """The birth date `b_<name>` (NULL if none): `register.cpr.cpr_birth_date_sql` over the
    parts computed once. That function inlines each part up to 30 times, which cost ~25 ms
    of planning per delivery; `tests/intake/test_validation_sql.py` keeps the two equal."""
    year, month, day = f"y_{name}", f"mm_{name}", f"dd_{name}"
    return f"{checked_date_sql(year, month, day)} AS b_{name}"


def _normalised_sql(rule: ColumnRule) -> str:
    if rule.kind is Kind.DATE:
        return f"CAST(t_{rule.name} AS DATE)"  # try_strptime('') is NULL, as NULLIF gave
    if rule.kind is Kind.CPR:
        return f"NULLIF(d_{rule.name}, '')"
    return f"NULLIF(v_{rule.name}, '')"


def validation_sql(
    fmt: DeliveryFormat,
    source: str,
    present: Sequence[str],
    today_sql: str,
    untrimmed: Collection[str] = (),
) -> str:
    """One query: `_row`, each normalised column, `err_<column>` and `err_<row rule>`.

    Layered so that each value is computed once (issue 15.6): `valued` trims and cases each
    column (`v_`; the one-pass intake leaves the columns in `untrimmed` untrimmed, those whose
    check makes it redundant: `ends_checked`), `derived` parses dates and strips CPR dashes,
    `parts`, `years` and `born` read the birth date from the CPR digits, `checked` finds each
    column's first error and `normalised` keeps the value of the columns without one. Spelled
    inline, this was a 10 kB expression whose planning, not its rows, cost ~0.1 CPU-s per
    delivery.
    """
    # Absent columns are checked too (as empty values), so a row lacking a required field
    # is a row error, never a query error.
    valued = [
        f"{_value_sql(rule, rule.name in present, rule.name not in untrimmed)} AS v_{rule.name}"
        for rule in fmt.columns
    ]
    derived = [d for rule in fmt.columns for d in _derived_sql(rule)]
    cprs = [rule.name for rule in fmt.columns if rule.kind is Kind.CPR]
    checks = [f"{_error_sql(rule, today_sql)} AS err_{rule.name}" for rule in fmt.columns]
    out = [
        f"CASE WHEN err_{rule.name} IS NULL THEN {_normalised_sql(rule)} END AS {rule.name}"
        for rule in fmt.columns
    ]
    errs = ", ".join(f"err_{c.name}" for c in fmt.columns)
    rows = ", ".join(
        f"CASE WHEN {r.failing_sql.replace('{today}', today_sql)} "
        f"THEN {quote_literal(r.code)} END AS err_rule_{i}"
        for i, r in enumerate(fmt.row_rules)
    )
    steps = [
        f"valued AS (SELECT _row, {', '.join(valued)} FROM {source})",
        f"derived AS (SELECT *{''.join(', ' + d for d in derived)} FROM valued)",
        f"parts AS (SELECT *{''.join(', ' + _cpr_parts_sql(c) for c in cprs)} FROM derived)",
        f"years AS (SELECT *{''.join(', ' + _cpr_year_sql(c) for c in cprs)} FROM parts)",
        f"born AS (SELECT *{''.join(', ' + _cpr_birth_sql(c) for c in cprs)} FROM years)",
        f"checked AS (SELECT *, {', '.join(checks)} FROM born)",
        f"normalised AS (SELECT _row, {', '.join(out)}, {errs} FROM checked)",
    ]
    final = f"SELECT *{', ' + rows if rows else ''} FROM normalised"
    return f"WITH {', '.join(steps)} {final}"
