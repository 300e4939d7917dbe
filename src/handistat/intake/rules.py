"""Declarative structural rules for delivery columns, checked by one mechanism in SQL.

A delivery format is a list of `ColumnRule`s plus cross-column `RowRule`s. `validation_sql`
turns them into one query over a batch of text columns that yields, per row, the normalised
values and the first error code of each column. Messages are Danish: case officers read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from handistat.register.cpr import cpr_birth_date_sql
from handistat.register.sql import quote_literal


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


def _value_sql(rule: ColumnRule, present: bool) -> str:
    if not present:
        return quote_literal(rule.default or "")
    value = f"trim({rule.name})"
    if rule.case == "upper":
        value = f"upper({value})"
    elif rule.case == "lower":
        value = f"lower({value})"
    if rule.default is not None:
        value = f"CASE WHEN {value} = '' THEN {quote_literal(rule.default)} ELSE {value} END"
    return value


def _error_sql(rule: ColumnRule, value: str, today_sql: str) -> str:
    must_fill = rule.required and not rule.empty_ok
    branches = [f"WHEN {value} = '' THEN " + ("'MISSING_VALUE'" if must_fill else "NULL")]
    if rule.pattern:
        branches.append(
            f"WHEN NOT regexp_full_match({value}, {quote_literal(rule.pattern)}) THEN 'BAD_FORMAT'"
        )
    if rule.kind is Kind.DATE:
        branches.append(f"WHEN try_strptime({value}, '%Y-%m-%d') IS NULL THEN 'BAD_DATE'")
    if rule.kind is Kind.CPR:
        digits = f"replace({value}, '-', '')"
        branches.append(
            f"WHEN NOT regexp_full_match({value}, '[0-9]{{6}}-?[0-9]{{4}}') THEN 'INVALID_CPR'"
        )
        birth = cpr_birth_date_sql(digits)
        branches.append(f"WHEN {birth} IS NULL OR {birth} > {today_sql} THEN 'INVALID_CPR'")
    if rule.codes is not None:
        listed = ", ".join(quote_literal(c) for c in sorted(rule.codes))
        branches.append(f"WHEN {value} NOT IN ({listed}) THEN 'UNKNOWN_CODE'")
    return "CASE " + " ".join(branches) + " ELSE NULL END"


def _normalised_sql(rule: ColumnRule, value: str) -> str:
    if rule.kind is Kind.DATE:
        return f"CAST(try_strptime(NULLIF({value}, ''), '%Y-%m-%d') AS DATE)"
    if rule.kind is Kind.CPR:
        return f"NULLIF(replace({value}, '-', ''), '')"
    return f"NULLIF({value}, '')"


def validation_sql(fmt: DeliveryFormat, source: str, present: Sequence[str], today_sql: str) -> str:
    """One query: `_row`, each normalised column, `err_<column>` and `err_<row rule>`."""
    checked, out = [], []
    for rule in fmt.columns:
        value = _value_sql(rule, rule.name in present)
        checked.append(f"{_error_sql(rule, value, today_sql)} AS err_{rule.name}")
        out.append(
            f"CASE WHEN err_{rule.name} IS NULL THEN {_normalised_sql(rule, value)} END"
            f" AS {rule.name}"
        )
    # Absent columns are checked too (as empty values), so a row lacking a required field
    # is a row error, never a query error.
    carried = [c.name for c in fmt.columns if c.name in present]
    inner = f"SELECT {', '.join(['_row', *carried, *checked])} FROM {source}"
    errs = ", ".join(f"err_{c.name}" for c in fmt.columns)
    rows = ", ".join(
        f"CASE WHEN {r.failing_sql.replace('{today}', today_sql)} "
        f"THEN {quote_literal(r.code)} END AS err_rule_{i}"
        for i, r in enumerate(fmt.row_rules)
    )
    normalised = f"SELECT _row, {', '.join(out)}, {errs} FROM checked"
    final = f"SELECT *{', ' + rows if rows else ''} FROM normalised"
    return f"WITH checked AS ({inner}), normalised AS ({normalised}) {final}"
