"""The floor of the GENBRUG methodology on DuckDB (issue 15 item 1, R-PERF-1).

What a files-to-tables run cannot do without, each part in the cheapest form measured and
nothing else: read the files, check every value by the delivery format's rules (SPEC §2) and
its key, store the raw bodies, attach the persons, persist the kept loans and count persons
per cell. Their CPU time against the bare scan is what this methodology costs at least on
this engine, before any cleaning rule, pairing, report, staged copy or snapshot, as far as
the forms measured here go: a cheaper form of a part, found later, lowers the floor. Beside
it, the floor with the rules replaced by a typed read of the files (DuckDB parsing the two
dates as it reads), which checks the dates only: what the methodology would cost if no
other value had to be checked.

    python -m benchmarks.floor WORLD DATA_DIR [--rounds 3] [--out results/floor.json]

`DATA_DIR` is a data directory after the population, intake and process stages (for
instance `benchmarks.run _stage population|intake|process WORLD DIR r.json`, then
`DIR/data`). Each part is the best of `--rounds` runs, in CPU seconds of all threads. The
person counts of the cheapest form are checked against `COUNT(DISTINCT person_id)`, so the
floor counts what the tables count.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.run import NOW, RESULTS, YEARS, _files, _scan, stamped
from handistat.intake.direct import direct_sql, records_sql
from handistat.intake.genbrug import genbrug_header, genbrug_policy
from handistat.intake.parse import check_header
from handistat.intake.rawzone import RawZone, read_chunks
from handistat.intake.validate import one_thread_connection
from handistat.register.genbrug import iso_level_sql, year_bit, year_mask_sql

NARROW_COLUMNS = (
    "delivery_id, kildesystem, indberetningskommune, betalingskommune, udlaan_id, hmi_nummer, "
    "person_id, koen, foedselsdato, doedsdato, paragraf, udleveringsdato, indleveringsdato, "
    "slutdato, iso_kode, paragraf_kode, statistikkommune"
)
"""`genbrug_udlaan`'s columns (no CPR text, no `iso1`/`iso2`: each derivable, and since the
evening of 2026-12-03 not stored by the register either)."""
YEARS_SQL = f"aar IN ({', '.join(str(y) for y in YEARS)})"


def _best(rounds: int, part: Callable[[], float]) -> float:
    return min(part() for _ in range(rounds))


def _cpu(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    begun = time.process_time()
    con.execute(sql).fetchall()
    return time.process_time() - begun


def raw_store(files: Sequence[Path]) -> float:
    """The raw zone's own `store` (SHA-256, UTF-8 check, write, fsync) of every file."""
    with tempfile.TemporaryDirectory() as tmp:
        zone = RawZone(Path(tmp))
        begun = time.process_time()
        for path in files:
            zone.store(read_chunks(path), max_bytes=1 << 40)
        return time.process_time() - begun


def rules_validation(files: Sequence[Path], rounds: int) -> float:
    """The delivery format's checks of every value and its key rule, less the read: each
    file's records aggregated (every column) as the one-pass intake reads them, then its
    accepted rows as that pass checks and normalises them (`intake.direct.direct_sql`: code
    lists, patterns, dates, trims, row rules) with their keys' distinct count, in one query
    and without the pass's Parquet write. One thread, as the intake reads a file."""
    con = one_thread_connection()
    spent = 0.0
    for path in files:
        kommune, system, day = path.stem.split("_")
        fmt = genbrug_policy(genbrug_header(kommune, system, day)).fmt
        columns, _ = check_header(path, fmt.required_columns, fmt.known_columns)
        every = ", ".join(f"max({c})" for c in columns)
        read = f"SELECT count(*), {every} FROM {records_sql(path, columns)}"
        keys = f"count(DISTINCT hash({', '.join(fmt.unique_key)}))" if fmt.unique_key else "0"
        checked = (
            f"SELECT count(*), {every}, {keys} FROM ({direct_sql(fmt, path, columns, NOW.date())})"
        )
        spent += max(
            0.0,
            _best(rounds, lambda q=checked: _cpu(con, q))
            - _best(rounds, lambda q=read: _cpu(con, q)),
        )
    return spent


def person_join(con: duckdb.DuckDBPyConnection, staged: str, rounds: int) -> float:
    """The join of every staged loan to the persons, less the read of the staged loans."""
    source = f"read_parquet({staged!r})"
    bare = f"SELECT count(*), max(cpr) FROM {source}"
    joined = (
        f"SELECT count(*), max(l.cpr), count(p.koen) FROM {source} AS l LEFT JOIN personer AS p "
        "ON p.person_id = TRY_CAST(replace(l.cpr, '-', '') AS BIGINT)"
    )
    return max(
        0.0, _best(rounds, lambda: _cpu(con, joined)) - _best(rounds, lambda: _cpu(con, bare))
    )


def persist(register: Path, rounds: int) -> dict[str, float]:
    """Writing the kept loans, narrowest form, into the register's storage and as a
    temporary table (from an in-memory copy, so the read of the stored table is not in it)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "register.duckdb"
        shutil.copyfile(register, copy)
        con = duckdb.connect(str(copy))
        con.execute(f"CREATE TEMP TABLE kept AS SELECT {NARROW_COLUMNS} FROM genbrug_udlaan")

        def stored() -> float:
            begun = time.process_time()
            con.execute("BEGIN")
            con.execute("CREATE OR REPLACE TABLE floor_probe AS SELECT * FROM kept")
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            return time.process_time() - begun

        def temporary() -> float:
            return _cpu(con, "CREATE OR REPLACE TEMP TABLE floor_temp AS SELECT * FROM kept")

        result = {"stored": _best(rounds, stored), "temporary": _best(rounds, temporary)}
        con.close()
        return result


CELL_COLUMNS = {
    "u.statistikkommune": "kommune",
    iso_level_sql("u", 2): "iso1",
    iso_level_sql("u", 4): "iso2",
    "u.paragraf_kode": "paragraf",
}
"""The loan attribute of `genbrug_udlaan` (`u`) each of HJALP2-5 counts persons by, and its
name in the loan-years view `genbrug_enheder` (HJALP1 counts loans only)."""


def mask_counts_sql(column: str | None) -> str:
    """Persons per (`column`, year) from the 3.9M loans, not the 8.8M loan-years: each loan's
    years as the register's bit mask (`register.genbrug.year_mask_sql`), OR-ed per (person,
    cell), so every person and cell is hashed once; one column per year. `column` None:
    persons per year."""
    cell = f"{column} AS c" if column else "NULL AS c"
    years = ", ".join(
        f"sum(CASE WHEN (m & {year_bit(year)}) <> 0 THEN 1 ELSE 0 END) AS y{year}" for year in YEARS
    )
    return (
        f"SELECT c, {years} FROM (SELECT person_id, c, bit_or(m) AS m FROM ("
        f"SELECT u.person_id, {cell}, {year_mask_sql(YEARS, 'u')} AS m FROM genbrug_udlaan AS u) "
        "WHERE m <> 0 GROUP BY person_id, c) GROUP BY c"
    )


def mask_counts(con: duckdb.DuckDBPyConnection, column: str | None) -> dict[tuple[Any, int], int]:
    """`mask_counts_sql`'s rows as {(cell, year): persons}, the cells with any person."""
    counts = {}
    for cell, *per_year in con.execute(mask_counts_sql(column)).fetchall():
        for year, persons in zip(YEARS, per_year, strict=True):
            if persons:
                counts[(cell, year)] = int(persons)
    return counts


def plain_counts(
    con: duckdb.DuckDBPyConnection, view_column: str | None
) -> dict[tuple[Any, int], int]:
    """The same counts by `COUNT(DISTINCT person_id)` over the loan-years view, as the tables
    count them."""
    cell = view_column or "NULL"
    rows = con.execute(
        f"SELECT {cell} AS c, aar, count(DISTINCT person_id) FROM genbrug_enheder "
        f"WHERE {YEARS_SQL} GROUP BY ALL"
    ).fetchall()
    return {(c, int(year)): int(persons) for c, year, persons in rows}


def count_persons(con: duckdb.DuckDBPyConnection, rounds: int) -> dict[str, Any]:
    columns: dict[str | None, str | None] = {**CELL_COLUMNS, None: None}
    parts = {
        (view or "per_year"): _best(rounds, lambda c=column: _cpu(con, mask_counts_sql(c)))
        for column, view in columns.items()
    }
    same = all(mask_counts(con, c) == plain_counts(con, v) for c, v in columns.items())
    return {"parts": parts, "total": sum(parts.values()), "same_as_count_distinct": same}


def measure(world: Path, data_dir: Path, rounds: int = 3) -> dict[str, Any]:
    files = _files(world)
    register = (data_dir / "register.duckdb").resolve()
    staged = str(data_dir / "staged" / "genbrug" / "*.parquet")
    scan = _best(rounds, lambda: float(_scan(world, typed=False)["cpu_seconds"]))
    typed = _best(rounds, lambda: float(_scan(world, typed=True)["cpu_seconds"]))
    con = duckdb.connect(str(register), read_only=True)
    try:
        parts: dict[str, Any] = {
            "read": scan,
            "validate_rules": rules_validation(files, rounds),
            "raw_store": _best(rounds, lambda: raw_store(files)),
            "person_join": person_join(con, staged, rounds),
        }
        persisted = persist(register, rounds)
        parts["persist_kept_loans"] = persisted["stored"]
        counts = count_persons(con, rounds)
        parts["count_persons"] = counts["total"]
        kept = con.execute("SELECT count(*) FROM genbrug_udlaan").fetchone()
    finally:
        con.close()
    total = sum(parts.values())
    typed_read = max(0.0, typed - scan)
    return {
        "parts_cpu_seconds": parts,
        "floor_cpu_seconds": total,
        "floor_over_scan": total / scan,
        "validate_as_typed_read": typed_read,
        "with_typed_read_for_rules_cpu_seconds": total - parts["validate_rules"] + typed_read,
        "with_typed_read_for_rules_over_scan": (total - parts["validate_rules"] + typed_read)
        / scan,
        "with_temporary_register_cpu_seconds": total - persisted["stored"] + persisted["temporary"],
        "with_temporary_register_over_scan": (total - persisted["stored"] + persisted["temporary"])
        / scan,
        "persist_kept_loans_as_temporary_table": persisted["temporary"],
        "count_persons_parts": counts["parts"],
        "counts_same_as_count_distinct": counts["same_as_count_distinct"],
        "files": len(files),
        "kept_loans": int(kept[0]) if kept else 0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.floor", description=__doc__)
    parser.add_argument("world", type=Path)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "floor.json")
    args = parser.parse_args(argv)
    with stamped("benchmarks.floor", argv) as stamp:
        result = measure(args.world, args.data_dir, args.rounds)
    result |= stamp | {"rounds": args.rounds}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(
        json.dumps(
            {k: result[k] for k in ("parts_cpu_seconds", "floor_cpu_seconds", "floor_over_scan")},
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
