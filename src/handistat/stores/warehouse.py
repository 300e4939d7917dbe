"""The analytical store (R-GEN-1): the only module that opens DuckDB.

Pipelines hand it named SQL steps (see `handistat.register.sql`); it materialises them as
tables inside one transaction, so a killed run leaves the previous register intact (R-REL-1).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from handistat.register.sql import Step, as_cte

_SCRATCH: duckdb.DuckDBPyConnection | None = None
_SCRATCH_LOCK = threading.Lock()


@contextmanager
def scratch() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on a process-wide in-memory database for stateless computations (validation).

    Opening a DuckDB connection costs ~10 ms; a cursor on a shared one is nearly free and is
    safe to use from one thread at a time.
    """
    global _SCRATCH
    with _SCRATCH_LOCK:
        if _SCRATCH is None:
            _SCRATCH = duckdb.connect(":memory:")
        cursor = _SCRATCH.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


class Warehouse:
    """The gateway to the DuckDB register database."""

    def __init__(self, path: Path | str, *, memory_limit: str | None = None) -> None:
        self.path = str(path)
        self.memory_limit = memory_limit

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one unit of work. Always the same configuration: DuckDB refuses a
        read-only and a read-write connection to one file in the same process."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.path)
        try:
            if self.memory_limit:
                con.execute(f"SET memory_limit = '{self.memory_limit}'")
            yield con
        finally:
            con.close()

    def materialise(
        self,
        steps: Sequence[Step],
        *,
        keep: Sequence[str],
        inputs: dict[str, pa.Table] | None = None,
    ) -> None:
        """Run `steps` in order and atomically replace the tables named in `keep`.

        Intermediate steps become temporary tables; `inputs` are Arrow tables made visible
        under their names for the duration of the run.
        """
        with self.connect() as con:
            for name, table in (inputs or {}).items():
                con.register(name, table)
            con.execute("BEGIN TRANSACTION")
            try:
                for step in steps:
                    kind = "TABLE" if step.name in keep else "TEMP TABLE"
                    con.execute(f"CREATE OR REPLACE {kind} {step.name} AS {step.sql}")
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise

    def run(
        self, steps: Sequence[Step], final: str, inputs: dict[str, pa.Table] | None = None
    ) -> pa.Table:
        """Run steps as one CTE statement without materialising anything."""
        with self.connect() as con:
            for name, table in (inputs or {}).items():
                con.register(name, table)
            return con.sql(as_cte(steps, final)).to_arrow_table()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a read-only query and return the result as Arrow."""
        with self.connect() as con:
            return con.sql(sql, params=params or None).to_arrow_table()

    def has_table(self, name: str) -> bool:
        if not self._exists():
            return False
        with self.connect() as con:
            found = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
            ).fetchone()
            return bool(found and found[0])

    def _exists(self) -> bool:
        return self.path != ":memory:" and Path(self.path).exists()
