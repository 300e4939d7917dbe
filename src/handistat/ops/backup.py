"""Backup and restore of every store (SPEC §13, issue 13.16): raw zone, catalogue, register,
releases. A backup taken while the server runs is consistent:

1. the catalogue is copied first, in one read transaction, into a SQLite file of the same
   schema (the same format whatever the live catalogue is: SQLite or PostgreSQL);
2. the register is the current DuckDB snapshot, immutable once swapped in (opened before
   copying, so a newer swap cannot remove it underneath);
3. raw blobs and release artefacts are append-only: exactly those the copied catalogue names.

`manifest.json` lists every file with its SHA-256; restore verifies it before changing
anything. Staged Parquet is left out: it is re-created from the raw zone (R-HB-1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, delete, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from handistat.errors import Conflict, UsageError
from handistat.stores.catalogue import Base, Catalogue, Delivery

MANIFEST = "manifest.json"
FORMAT = 1


MODEL_MODULES = (
    "handistat.accounts.models",
    "handistat.approval.models",
    "handistat.release.models",
    "handistat.register.samarbejder",
)


def _tables(catalogue: Catalogue) -> list[Table]:
    """Every catalogue table, parents before children (the model modules register them).

    A table in the database without a model would be lost silently: refuse instead."""
    import importlib

    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    tables = list(Base.metadata.sorted_tables)
    unknown = set(inspect(catalogue.engine).get_table_names()) - {t.name for t in tables}
    unknown.discard("alembic_version")
    if unknown:
        raise UsageError(f"tabeller uden model kan ikke sikkerhedskopieres: {sorted(unknown)}")
    return tables


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_rows(source: Connection, target: Connection, tables: list[Table]) -> dict[str, int]:
    """Replace every row of `target` with those of `source` (migrations may seed rows)."""
    for table in reversed(tables):
        target.execute(delete(table))
    counts = {}
    for table in tables:
        rows = [dict(r) for r in source.execute(select(table)).mappings()]
        if rows:
            target.execute(insert(table), rows)
        counts[table.name] = len(rows)
    return counts


def _snapshot_catalogue(
    catalogue: Catalogue, out: Path
) -> tuple[dict[str, int], set[str], set[str]]:
    """Copy every row as of one moment; returns counts, blob hashes and release ids.

    PostgreSQL reads in one REPEATABLE READ transaction. SQLite would not hold a snapshot
    across the SELECTs (pysqlite begins no transaction for reads: CI saw an audit row of a
    delivery that was not copied), so its file is first frozen with SQLite's backup API,
    which copies one consistent state, and the rows are read from that."""
    copy = Catalogue(f"sqlite:///{out}")
    copy.migrate()
    tables = _tables(catalogue)
    from handistat.release.models import ReleaseRow

    frozen = out.with_name(f"{out.name}.frozen")
    engine = (
        _frozen_sqlite(catalogue, frozen) if catalogue.engine.dialect.name == "sqlite" else None
    )
    source = (engine or catalogue.engine).connect()
    if catalogue.engine.dialect.name == "postgresql":
        source = source.execution_options(isolation_level="REPEATABLE READ")
    try:
        with source.begin(), copy.engine.begin() as target:
            counts = _copy_rows(source, target, tables)
            blobs = set(target.scalars(select(Delivery.sha256)))
            releases = set(target.scalars(select(ReleaseRow.id)))
    finally:
        source.close()
        copy.dispose()
        if engine is not None:
            engine.dispose()
        frozen.unlink(missing_ok=True)
    return counts, blobs, releases


def _frozen_sqlite(catalogue: Catalogue, frozen: Path) -> Engine:
    """A consistent copy of a SQLite catalogue (the backup API) and an engine on it."""
    raw = catalogue.engine.raw_connection()
    try:
        target = sqlite3.connect(frozen)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()
    return create_engine(f"sqlite:///{frozen}")


def backup(app: Any, directory: Path) -> dict[str, Any]:
    """Write a complete, verified backup of `app`'s stores into an empty `directory`."""
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory} er ikke tom; vælg en ny mappe til sikkerhedskopien")
    work = directory.with_name(f".{directory.name}.incomplete")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    counts, blobs, releases = _snapshot_catalogue(app.catalogue, work / "catalogue.sqlite")
    _copy_register(app.warehouse, work / "register.duckdb")
    for sha in sorted(blobs):
        source = app.intake.raw.path_of(sha)
        target = work / "raw" / sha[:2] / sha
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for release_id in sorted(releases):
        source_dir = app.settings.data_dir / "releases" / release_id
        if source_dir.is_dir():
            shutil.copytree(source_dir, work / "releases" / release_id)
    files = {str(p.relative_to(work)): _sha256(p) for p in _files(work)}
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "rows": counts,
        "files": files,
    }
    (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    if directory.exists():
        directory.rmdir()
    os.replace(work, directory)
    return {"rows": counts, "files": len(files)}


def _copy_register(warehouse: Any, target: Path) -> None:
    current = warehouse.current()
    if current is None:
        return
    with current.open("rb") as source, target.open("wb") as out:  # open first: swaps prune
        shutil.copyfileobj(source, out, 1 << 20)


def _files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file() and p.name != MANIFEST)


def verify(directory: Path) -> dict[str, Any]:
    """The backup's manifest, after checking every file against it."""
    try:
        manifest: dict[str, Any] = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{directory} er ikke en sikkerhedskopi fra handistat: {exc}") from exc
    present = {str(p.relative_to(directory)) for p in _files(directory)}
    if present != set(manifest["files"]):
        raise UsageError(f"sikkerhedskopien i {directory} mangler filer eller har fremmede filer")
    for name, digest in manifest["files"].items():
        if _sha256(directory / name) != digest:
            raise UsageError(f"sikkerhedskopien er beskadiget: {name} har en forkert kontrolsum")
    return manifest


def restore(app: Any, directory: Path, *, alone: bool) -> dict[str, Any]:
    """Replace every store of `app` with the verified backup in `directory`."""
    manifest = verify(directory)
    if not alone:
        raise Conflict("stop serveren og andre handistat-processer før gendannelse")
    app.catalogue.migrate()
    _restore_catalogue(app.catalogue, directory / "catalogue.sqlite")
    _replace_dir(app.settings.raw_zone, directory / "raw")
    _replace_dir(app.settings.data_dir / "releases", directory / "releases")
    _replace_dir(app.settings.data_dir / "staged", None)  # re-created from the raw zone
    register = directory / "register.duckdb"
    if register.exists():
        app.warehouse.install(register)
    return {"rows": manifest["rows"], "files": len(manifest["files"])}


def _restore_catalogue(catalogue: Catalogue, source_file: Path) -> None:
    backup_store = Catalogue(f"sqlite:///{source_file}")
    tables = _tables(catalogue)
    try:
        with backup_store.engine.connect() as source, catalogue.engine.begin() as target:
            _copy_rows(source, target, tables)
            if catalogue.engine.dialect.name == "postgresql":
                _reset_sequences(target, tables)
    finally:
        backup_store.dispose()


def _reset_sequences(target: Connection, tables: list[Table]) -> None:
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement is not False and pk[0].type.python_type is int:
            target.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                    f"COALESCE((SELECT max({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )


def _replace_dir(target: Path, source: Path | None) -> None:
    shutil.rmtree(target, ignore_errors=True)
    if source is not None and source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True, exist_ok=True)
