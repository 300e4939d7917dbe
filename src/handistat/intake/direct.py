"""One pass of DuckDB over a stored CSV delivery with no error: parse, validate, stage.

The general path (`parse.parse_csv`, then `validate.validate_to_parquet`) reads the body with
Arrow's parser, hands each batch to the validation query and collects every row error.
Nationally that cost 7-8× DuckDB's bare scan of the files, most of it the parser and the
trips of each batch between Arrow and DuckDB (issue 15 item 1). A delivery without errors
needs none of the collecting, so a large CSV is first tried here: one query of DuckDB's CSV
reader, the same validation SQL and a Parquet writer, which stops at the first row with an
error. Whenever this path cannot vouch for the result (a row error, a repeated key, anything
DuckDB's reader refuses or would read differently), it returns None and the caller runs the
general path on the same stored bytes, which then writes the full row-level report. So the
staged rows and the report are those of the general path in every case
(`tests/intake/test_direct.py` holds the two equal, also on generated bodies with quotes,
line breaks, ragged rows and bad values).

The connection has one thread: DuckDB then reads the file in order, so `row_number() OVER ()`
numbers the records as the general path does (the header is row 1). Its CPU time is that of
two threads (the query streams), and the file is never held in memory (R-PERF-3).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

from handistat.intake.parse import BLOCK_SIZE, ROW
from handistat.intake.report import ErrorCollector
from handistat.intake.rules import DeliveryFormat, ends_checked, validation_sql
from handistat.intake.validate import Validated, one_thread_connection, today_sql, with_scope
from handistat.register.sql import quote_literal

DIRECT_MIN_BYTES = 1 << 20
"""Bodies from this size are tried here first. Below it the general path is as cheap (its
query is planned once per process) and `receive_files` checks small files many at a time."""
MAX_LINE_BYTES = BLOCK_SIZE // 2
"""A longer record goes to the general path, whose parser refuses records longer than a block."""


EXTRA = "_overskydende_felt"
"""A column past the header's: holds the field of a record with one field too many."""
NULL_TEXT = "\x01"
"""DuckDB's NULL text: a control character, so an empty field is '' and a missing one NULL."""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def records_sql(path: Path, columns: list[str]) -> str:
    """The body's records with their row numbers, every field as text, empty as ''.

    Arrow's quoting (`"` quotes, a doubled `"` escapes). A record with the wrong number of
    fields is an error (the general path reports it as a row error): DuckDB's strict mode
    refuses two or more fields too many, and reads `a;b;` as the two fields `a;b` where
    Arrow finds three; so the reader is given one column more than the header (`EXTRA`) and
    pads a short record with NULLs, and a record that fills `EXTRA` or leaves a column NULL
    fails here. (A field holding only `NULL_TEXT` fails too: the general path judges it.)"""
    declared = [*columns, EXTRA]
    types = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in declared)
    reader = (
        f"read_csv({quote_literal(str(path))}, delim=';', quote='\"', escape='\"', "
        f"header=true, columns={{{types}}}, auto_detect=false, strict_mode=true, "
        f"null_padding=true, nullstr={quote_literal(NULL_TEXT)}, allow_quoted_nulls=false, "
        f"max_line_size={MAX_LINE_BYTES}, parallel=false)"
    )
    whole = " AND ".join([f"{EXTRA} IS NULL", *(f"{_ident(c)} IS NOT NULL" for c in columns)])
    return (
        f"(SELECT row_number() OVER () + 1 AS {ROW}, * EXCLUDE ({EXTRA}) FROM {reader} "
        f"WHERE CASE WHEN {whole} THEN true ELSE error('rækken har forkert antal felter') END)"
        " AS delivered"
    )


def direct_sql(fmt: DeliveryFormat, path: Path, columns: list[str], today: dt.date) -> str:
    """The accepted rows of the staged file (`_row` and each column, normalised), failing
    with `error()` at the first row that has any error.

    The validation SQL of the general path, except that a column whose own check rejects
    a padded value is not trimmed (`rules.ends_checked`): in a delivery without errors no
    value of it is padded, so trimming changes nothing, and a padded one is an error here
    that sends the delivery to the general path. Five of GENBRUG's eight columns (codes,
    device number, dates): 2.96-3.08 → 2.75-2.90 CPU-s for the six largest national loads
    (issue 15)."""
    untrimmed = {rule.name for rule in fmt.columns if ends_checked(rule)}
    checked = validation_sql(fmt, "delivered", columns, today_sql(today), untrimmed)
    checked = checked.replace(" FROM delivered)", f" FROM {records_sql(path, columns)})", 1)
    errors = [f"err_{c.name}" for c in fmt.columns]
    errors += [f"err_rule_{i}" for i in range(len(fmt.row_rules))]
    keep = ", ".join([ROW, *(c.name for c in fmt.columns)])
    return (
        f"SELECT {keep} FROM ({checked}) AS checked "
        f"WHERE CASE WHEN coalesce({', '.join(errors)}) IS NULL THEN true "
        "ELSE error('rækken har en fejl') END"
    )


def _keys_repeat(con: duckdb.DuckDBPyConnection, fmt: DeliveryFormat, staged: Path) -> bool:
    """Whether two accepted rows may share a key: their 64-bit key hashes repeat (a hash
    collision only sends the delivery to the general path, which checks the keys themselves)."""
    if not fmt.unique_key:
        return False
    key = ", ".join(fmt.unique_key)
    ((repeats,),) = con.execute(
        f"SELECT count(*) <> count(DISTINCT hash({key})) "
        f"FROM read_parquet({quote_literal(str(staged))})"
    ).fetchall()
    return bool(repeats)


def validate_direct(
    path: Path,
    columns: list[str],
    warnings: list[str],
    fmt: DeliveryFormat,
    out: Path,
    *,
    today: dt.date,
    scope: frozenset[str] | None = None,
    scope_column: str = "kommune",
    cap: int = 1000,
) -> Validated | None:
    """The delivery at `path` (header already checked: `columns`, `warnings`) validated and
    staged to `out` in one pass, or None when the general path must judge it."""
    fmt = with_scope(fmt, scope_column, scope)
    tmp = out.with_suffix(".direct.parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    sql = direct_sql(fmt, path, columns, today)
    try:
        with one_thread_connection().cursor() as con:  # a cursor: no result is left open
            ((rows,),) = con.execute(
                f"COPY ({sql}) TO {quote_literal(str(tmp))} (FORMAT parquet)"
            ).fetchall()
            repeats = rows > 0 and _keys_repeat(con, fmt, tmp)
        if rows == 0 or repeats:
            tmp.unlink(missing_ok=True)
            return None
    except duckdb.Error:  # a row error or a body the reader refuses; its text may hold a CPR
        tmp.unlink(missing_ok=True)
        return None
    os.replace(tmp, out)
    return Validated(int(rows), int(rows), ErrorCollector(cap=cap), list(warnings), direct=True)
