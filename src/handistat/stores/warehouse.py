"""The analytical store (R-GEN-1): the only module that opens DuckDB.

Pipelines hand it named SQL steps (see `handistat.register.sql`); it materialises them as
tables inside one transaction, so a killed run leaves the previous register intact (R-REL-1).

Snapshots (issue 13.2): DuckDB lets one process write a file. Readers therefore never open a
file that is written: `register.duckdb` is a symbolic link to an immutable snapshot in
`register.duckdb.snapshots/`. A write copies the current snapshot to a new file, changes the
copy, checkpoints it and swaps the link atomically; readers that opened the old snapshot
finish on it. Writers from every process (server workers, CLI) queue on one file lock.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
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


FAST_TEXT = "dict_fsst"
"""The text compression a large load can do without: choosing and building it cost 0.9 of
3.2 CPU-s of writing the 5.9 M persons (the population load 8.2 -> 5.8 CPU-s in all); DuckDB
2.0 then stores the text uncompressed, twice the size on disk, and reads it slower (issue 15;
benchmarks/README). The setting lasts for one write connection; what it wrote stays so."""


class Warehouse:
    """The gateway to the DuckDB register database."""

    def __init__(self, path: Path | str, *, memory_limit: str | None = None) -> None:
        self.path = str(path)
        self.memory_limit = memory_limit

    @property
    def link(self) -> Path:
        """The stable name (a symbolic link to the current snapshot, or an older plain file)."""
        return Path(self.path)

    @property
    def snapshots(self) -> Path:
        return Path(f"{self.path}.snapshots")

    def current(self) -> Path | None:
        """The file readers open now, or None before the first write."""
        if self.path == ":memory:" or not os.path.lexists(self.link):
            return None
        return self.link.resolve()

    def _configure(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.memory_limit:
            con.execute(f"SET memory_limit = '{self.memory_limit}'")

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the current snapshot (an empty database before the first
        write). Never blocks on, and never blocks, a writer in any process."""
        con = duckdb.connect(":memory:") if self.path == ":memory:" else self._open_current()
        try:
            self._configure(con)
            yield con
        finally:
            con.close()

    def _open_current(self) -> duckdb.DuckDBPyConnection:
        for attempt in range(5):
            current = self.current()
            if current is None:
                return duckdb.connect(":memory:")
            try:
                return duckdb.connect(str(current), read_only=True)
            except duckdb.IOException:
                if attempt == 4:  # pruned between resolving and opening: resolve again
                    raise
                time.sleep(0.05)
        raise AssertionError("unreachable")

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to a private copy of the register, swapped in as the new
        snapshot when the block ends without error (and thrown away otherwise)."""
        if self.path == ":memory:":
            with self.connect() as con:
                yield con
            return
        self.link.parent.mkdir(parents=True, exist_ok=True)
        with self._write_lock():
            previous = self.current()
            fresh = self._new_snapshot(previous)
            try:
                con = duckdb.connect(str(fresh))
                try:
                    self._configure(con)
                    yield con
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                _fsync(fresh)
                self._swap_to(fresh)
            except BaseException:
                _remove_snapshot(fresh)
                raise
            self._prune(keep={fresh, previous})

    def install(self, database: Path) -> None:
        """Make a copy of `database` (a closed DuckDB file) the current register (restore)."""
        self.link.parent.mkdir(parents=True, exist_ok=True)
        with self._write_lock():
            previous = self.current()
            self.snapshots.mkdir(parents=True, exist_ok=True)
            fresh = self.snapshots / f"{time.time_ns():020d}-{os.getpid()}.duckdb"
            shutil.copyfile(database, fresh)
            _fsync(fresh)
            self._swap_to(fresh)
            self._prune(keep={fresh, previous})

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        lock_path = Path(f"{self.path}.lock")
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _new_snapshot(self, previous: Path | None) -> Path:
        self.snapshots.mkdir(parents=True, exist_ok=True)
        fresh = self.snapshots / f"{time.time_ns():020d}-{os.getpid()}.duckdb"
        if previous is not None and previous.exists():
            if Path(f"{previous}.wal").exists():  # an older plain file left unclean
                duckdb.connect(str(previous)).close()
            shutil.copyfile(previous, fresh)
        return fresh

    def _swap_to(self, fresh: Path) -> None:
        tmp_link = self.link.with_name(f".{self.link.name}.{os.getpid()}.link")
        tmp_link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(fresh, self.link.parent), tmp_link)
        os.replace(tmp_link, self.link)
        _fsync(self.link.parent)

    def _prune(self, keep: set[Path | None]) -> None:
        """Drop snapshots older than the previous one (readers still on it finish).

        Both sides are compared resolved: with a relative data directory `keep` holds relative
        paths, and comparing them with resolved ones once pruned the current snapshot."""
        kept = {path.resolve() for path in keep if path is not None}
        for old in self.snapshots.glob("*.duckdb"):
            if old.resolve() not in kept:
                _remove_snapshot(old)

    def materialise(
        self,
        steps: Sequence[Step],
        *,
        keep: Sequence[str],
        inputs: dict[str, pa.Table] | None = None,
        compress_text: bool = True,
    ) -> None:
        """Run `steps` in order and atomically replace the tables named in `keep`.

        Intermediate steps become temporary tables; `inputs` are Arrow tables made visible
        under their names for the duration of the run. `compress_text=False` stores text
        columns without DuckDB's dictionary-FSST compression (`FAST_TEXT`).
        """
        with self.writing() as con:
            if not compress_text:
                con.execute(f"SET disabled_compression_methods = '{FAST_TEXT}'")
            for name, table in (inputs or {}).items():
                con.register(name, table)
            con.execute("BEGIN TRANSACTION")
            try:
                for step in steps:
                    _create(con, step, kept=step.name in keep)
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
        current = self.current()
        return current is not None and current.exists()


def _create(con: duckdb.DuckDBPyConnection, step: Step, *, kept: bool) -> None:
    """`step` as a (temporary) table or view; a kept object of the other kind under the same
    name (a register written before the step became a view, or after) is dropped first."""
    kind = "VIEW" if step.view else "TABLE"
    if kept:
        found = con.execute(
            "SELECT table_type FROM information_schema.tables "
            "WHERE table_name = ? AND table_schema = 'main'",
            [step.name],
        ).fetchone()
        if found and found[0] != ("VIEW" if step.view else "BASE TABLE"):
            con.execute(f"DROP {'TABLE' if step.view else 'VIEW'} {step.name}")
    else:
        kind = f"TEMP {kind}"
    con.execute(f"CREATE OR REPLACE {kind} {step.name} AS {step.sql}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_snapshot(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)
