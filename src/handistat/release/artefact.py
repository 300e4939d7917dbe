"""The release artefact (R-PUB-1): every table of a release, frozen as files with checksums.

``<releases>/<id>/<TABLE>.json`` holds one table (dimensions with code lists and totals, the
values in the cube's order, ``null`` for a suppressed cell); ``manifest.json`` names every file
with its SHA-256. The directory is written under a temporary name, fsynced and renamed into
place, so it exists whole or not at all (R-REL-1); the catalogue row stores the manifest's own
checksum, and reading verifies every file against it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handistat.errors import Conflict, HandistatError
from handistat.tables.cube import Code, Cube, CubeDimension

MANIFEST = "manifest.json"
ARTEFACT_VERSION = 1


class ArtefactDamaged(HandistatError):
    http_status = 500
    code = "ARTEFACT_DAMAGED"


@dataclass(frozen=True)
class FrozenTable:
    """One table as a release holds it: the cube plus what the cube does not say itself."""

    cube: Cube
    statistic: str
    subject: str = ""
    totals: Mapping[str, str] = field(default_factory=dict)
    """Eliminable dimension id → the code that stands for the whole dimension."""

    @property
    def table_id(self) -> str:
        return self.cube.table_id

    def years(self) -> tuple[str, ...]:
        return next((d.code_ids() for d in self.cube.dimensions if d.time), ())


def table_document(table: FrozenTable) -> dict[str, Any]:
    cube = table.cube
    return {
        "table": cube.table_id,
        "statistic": table.statistic,
        "subject": table.subject,
        "title": cube.title,
        "title_en": cube.title_en,
        "unit": cube.unit,
        "contact": cube.contact,
        "notes": list(cube.notes),
        "dimensions": [
            {
                "id": d.id,
                "text": d.text,
                "text_en": d.text_en,
                "time": d.time,
                "eliminable": d.eliminable,
                "total": table.totals.get(d.id),
                "total_codes": list(d.total_codes),
                "codes": [[c.code, c.text, c.text_en] for c in d.codes],
            }
            for d in cube.dimensions
        ],
        "values": [value for _, value in cube.cells()],
    }


def table_from_document(doc: Mapping[str, Any]) -> FrozenTable:
    dims = tuple(
        CubeDimension(
            d["id"],
            d["text"],
            tuple(Code(*c) for c in d["codes"]),
            time=d["time"],
            eliminable=d["eliminable"],
            text_en=d["text_en"],
            total_codes=tuple(d.get("total_codes", ())),
        )
        for d in doc["dimensions"]
    )
    shell = Cube(doc["table"], doc["title"], doc["unit"], dims, {})
    values = dict(zip(shell.keys(), doc["values"], strict=True))
    cube = Cube(
        doc["table"],
        doc["title"],
        doc["unit"],
        dims,
        values,
        tuple(doc["notes"]),
        doc["title_en"],
        doc["contact"],
    )
    totals = {d["id"]: d["total"] for d in doc["dimensions"] if d["total"] is not None}
    return FrozenTable(cube, doc["statistic"], doc["subject"], totals)


def _json_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def freeze(
    root: Path,
    release_id: str,
    tables: Sequence[FrozenTable],
    meta: Mapping[str, Any],
    documents: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """Write the artefact of `release_id` atomically; returns the manifest's SHA-256.

    `documents` are further JSON files of the release (the disclosure audit, R-SDC-5), named
    in the manifest under ``documents`` with their checksums, apart from the tables."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / release_id
    if final.exists():
        raise Conflict(f"udgivelsen {release_id} findes allerede som artefakt i {root}")
    work = root / f".tmp-{release_id}-{uuid.uuid4().hex}"
    work.mkdir()
    try:
        files = {}
        for table in tables:
            data = _json_bytes(table_document(table))
            name = f"{table.table_id}.json"
            _write_synced(work / name, data)
            files[name] = sha256(data)
        named = {}
        for name, document in (documents or {}).items():
            data = _json_bytes(document)
            _write_synced(work / name, data)
            named[name] = sha256(data)
        manifest = {
            "version": ARTEFACT_VERSION,
            "release": release_id,
            **meta,
            "files": files,
            "documents": named,
        }
        manifest_bytes = _json_bytes(manifest)
        _write_synced(work / MANIFEST, manifest_bytes)
        _sync_dir(work)
        try:
            os.rename(work, final)
        except OSError as exc:  # another `create` took the id first
            raise Conflict(f"udgivelsen {release_id} findes allerede: {exc}") from exc
        _sync_dir(root)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return sha256(manifest_bytes)


def read_manifest(root: Path, release_id: str, manifest_sha256: str) -> dict[str, Any]:
    data = _read(root / release_id / MANIFEST)
    if sha256(data) != manifest_sha256:
        raise ArtefactDamaged(f"manifestet for udgivelsen {release_id} svarer ikke til checksummen")
    manifest: dict[str, Any] = json.loads(data)
    return manifest


def load(root: Path, release_id: str, manifest_sha256: str) -> dict[str, FrozenTable]:
    """Every table of the release, each file checked against the manifest."""
    manifest = read_manifest(root, release_id, manifest_sha256)
    tables = {}
    for name, expected in manifest["files"].items():
        data = _read(root / release_id / name)
        if sha256(data) != expected:
            raise ArtefactDamaged(f"{name} i udgivelsen {release_id} svarer ikke til checksummen")
        table = table_from_document(json.loads(data))
        tables[table.table_id] = table
    return tables


def load_document(
    root: Path, release_id: str, manifest_sha256: str, name: str
) -> dict[str, Any] | None:
    """A further document of the release, checked against the manifest (None if it has none:
    releases frozen before disclosure control was built)."""
    manifest = read_manifest(root, release_id, manifest_sha256)
    expected = manifest.get("documents", {}).get(name)
    if expected is None:
        return None
    data = _read(root / release_id / name)
    if sha256(data) != expected:
        raise ArtefactDamaged(f"{name} i udgivelsen {release_id} svarer ikke til checksummen")
    document: dict[str, Any] = json.loads(data)
    return document


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArtefactDamaged(f"udgivelsens fil {path} kan ikke læses: {exc}") from exc
