"""The raw zone (R-IN-2): every delivery byte-for-byte, named by its SHA-256, written atomically.

Streaming in: the body is hashed, size-limited and checked as UTF-8 while it is written, so a
2 GiB upload needs no more memory than one chunk. Files are never changed once renamed in.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handistat.errors import PayloadTooLarge


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    path: Path
    size: int
    utf8_error_offset: int | None
    """Byte offset of the first byte that is not UTF-8, or None when the body is clean."""


class _Utf8Checker:
    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.offset = 0
        self.error_at: int | None = None

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.error_at is None:
            try:
                self._decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                self.error_at = self.offset + max(exc.start, 0)
        self.offset += len(chunk)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class RawZone:
    """Content-addressed, append-only storage of delivery bodies."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def stat(self, sha256: str) -> StoredBlob:
        """A stored blob (already checked when it was received)."""
        path = self.path_of(sha256)
        return StoredBlob(sha256, path, path.stat().st_size, None)

    def store(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredBlob:
        """Write the body to a temporary file, fsync, then rename it to its hash."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        checker = _Utf8Checker()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise PayloadTooLarge(
                            f"leverancen er større end grænsen på {max_bytes:_} byte; del den "
                            "op, eller bed statistikkontoret hæve grænsen".replace("_", ".")
                        )
                    digest.update(chunk)
                    checker.feed(chunk)
                    out.write(chunk)
                checker.feed(b"", final=True)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_of(sha)
            if target.exists():
                tmp.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
                os.chmod(target, 0o444)
                _fsync_dir(target.parent)
            return StoredBlob(sha, target, size, checker.error_at)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def read_chunks(path: Path, chunk_size: int = 1 << 20) -> Iterable[bytes]:
    """A file as a stream of chunks (for the CLI and tests)."""
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            yield chunk
