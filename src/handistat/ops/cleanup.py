"""Crash leftovers, cleaned at start (issue 13.3, R-REL-1).

A SIGKILL can leave: upload temp files (`raw/tmp/incoming-*`), raw blobs whose catalogue row
was never committed, private staging files and `*.tmp.parquet`, register snapshots that were
never swapped in, and release artefacts without a catalogue row (or `.tmp-*` directories).
None of them is a delivery or a release; each is removed.

Other processes may be mid-write on the same data directory, so cleaning happens only when
this process is alone: every `App` holds a shared lock on `data/handistat.lock` for its
lifetime, and cleaning needs to turn it into an exclusive one without waiting.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import select

from handistat.settings import Settings
from handistat.stores.catalogue import Catalogue, Delivery
from handistat.stores.warehouse import Warehouse

log = logging.getLogger("handistat.ops")
LOCK_NAME = "handistat.lock"


@dataclass
class Cleaned:
    """What a start-up cleaning removed (counts per kind); `skipped` when not alone."""

    removed: dict[str, int] = field(default_factory=dict)
    skipped: bool = False

    def add(self, kind: str, count: int) -> None:
        if count:
            self.removed[kind] = self.removed.get(kind, 0) + count


def hold_shared(settings: Settings) -> IO[str]:
    """Announce this process on the data directory (kept until the handle is closed)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    handle = (settings.data_dir / LOCK_NAME).open("a")
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


@contextmanager
def alone(handle: IO[str]) -> Iterator[bool]:
    """True inside the block when no other handistat process uses the data directory (and
    none can start using it until the block ends)."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # a conversion may drop the shared lock first: take it again
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield False
        return
    try:
        yield True
    finally:
        fcntl.flock(handle, fcntl.LOCK_SH)


def clean_if_alone(
    handle: IO[str], settings: Settings, catalogue: Catalogue, warehouse: Warehouse
) -> Cleaned:
    """Remove crash leftovers when no other handistat process uses the data directory."""
    with alone(handle) as only_us:
        if not only_us:
            return Cleaned(skipped=True)
        cleaned = clean(settings, catalogue, warehouse)
    if cleaned.removed:
        log.warning("crash leftovers removed at start: %s", cleaned.removed)
    return cleaned


def clean(settings: Settings, catalogue: Catalogue, warehouse: Warehouse) -> Cleaned:
    """Remove every leftover (the caller makes sure nobody else is writing)."""
    cleaned = Cleaned()
    raw = settings.raw_zone
    cleaned.add("upload temp files", _remove_all((raw / "tmp").glob("incoming-*")))
    known_blobs, accepted_ids = _catalogue_facts(catalogue)
    cleaned.add("raw blobs without delivery", _orphan_blobs(raw, known_blobs))
    cleaned.add("staging files", _staging_leftovers(settings.data_dir / "staged", accepted_ids))
    cleaned.add("register snapshots", _stale_snapshots(warehouse))
    cleaned.add("release leftovers", _release_leftovers(settings.data_dir / "releases", catalogue))
    return cleaned


def _catalogue_facts(catalogue: Catalogue) -> tuple[set[str], set[str]]:
    with catalogue.session() as s:
        rows = s.execute(select(Delivery.sha256, Delivery.id, Delivery.outcome)).all()
    blobs = {sha for sha, _, _ in rows}
    accepted = {str(i) for _, i, outcome in rows if outcome != "rejected"}
    return blobs, accepted


def _remove_all(paths: object) -> int:
    count = 0
    for path in list(paths):  # type: ignore[call-overload]
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        count += 1
    return count


def _orphan_blobs(raw: Path, known: set[str]) -> int:
    orphans = [
        blob
        for folder in raw.glob("??")
        if folder.is_dir()
        for blob in folder.iterdir()
        if blob.name not in known
    ]
    return _remove_all(orphans)


def _staging_leftovers(staged: Path, accepted_ids: set[str]) -> int:
    """Private attempts, temp files, and staged files of no accepted delivery (or named by
    the bytes, as before issue 13.1); a missing staged file is re-created from the raw zone."""
    leftovers = [p for p in staged.glob("*/incoming/*")]
    for path in staged.glob("*/*.parquet"):
        if path.name.split(".")[0] not in accepted_ids or path.name.count(".") > 1:
            leftovers.append(path)
    return _remove_all(leftovers)


def _stale_snapshots(warehouse: Warehouse) -> int:
    """Snapshots other than the current one and the one before it (which a normal write keeps
    for readers still on it, so it is no leftover), and half-made links."""
    current = warehouse.current()
    older = sorted(p for p in warehouse.snapshots.glob("*.duckdb") if p.resolve() != current)
    stale = [p for p in warehouse.snapshots.glob("*") if p.resolve() != current]
    if current is not None and older:
        stale.remove(older[-1])
    stale += list(warehouse.link.parent.glob(f".{warehouse.link.name}.*.link"))
    return _remove_all(stale)


def _release_leftovers(root: Path, catalogue: Catalogue) -> int:
    from handistat.release.models import ReleaseRow  # the release stage owns the table

    with catalogue.session() as s:
        known = set(s.scalars(select(ReleaseRow.id)))
    leftovers = [p for p in root.glob("*") if p.is_dir() and p.name not in known]
    return _remove_all(leftovers)
