"""Per-project pseudonymous person keys (R-MD-1).

key(project) = HMAC-SHA256(master key, project name); person key = HMAC-SHA256(key(project),
CPR), hex, 20 characters. The master key is 32 random bytes created once in the data
directory (mode 0600) and never leaves the system; the same person gets the same key within
a project and unlinkable keys across projects.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

KEY_FILE = "secrets/pseudonym.key"


def master_key(data_dir: Path) -> bytes:
    """The installation's master key, created atomically on first use."""
    path = data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process created it meanwhile
            os.link(tmp, path)
        tmp.unlink()
    return path.read_bytes()


def project_key(master: bytes, project: str) -> bytes:
    return hmac.new(master, f"projekt:{project}".encode(), hashlib.sha256).digest()


def person_keys(key: bytes, cprs: Iterable[str | None]) -> list[str | None]:
    return [
        None if c is None else hmac.new(key, c.encode(), hashlib.sha256).hexdigest()[:20]
        for c in cprs
    ]
