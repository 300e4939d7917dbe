"""Hashing of secrets (R-SEC-3): argon2id for passwords, SHA-256 for random tokens.

API tokens and session ids are 256-bit random values, so a fast hash is enough to make the
stored form useless to a thief; passwords are chosen by people, so they get argon2id.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "hst_"
_HASHER = [PasswordHasher()]
_DUMMY: dict[str, str] = {}

MIN_PASSWORD_LENGTH = 12


def use_hasher(hasher: PasswordHasher) -> None:
    """Replace the argon2 parameters (tests use cheap ones; stored hashes carry their own)."""
    _HASHER[0] = hasher
    _DUMMY.clear()


def hash_password(password: str) -> str:
    return _HASHER[0].hash(password)


def _dummy_hash() -> str:
    if "hash" not in _DUMMY:
        _DUMMY["hash"] = hash_password("handistat: equalises timing when the user is unknown")
    return _DUMMY["hash"]


def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches; an unknown user costs the same time as a known one."""
    try:
        return _HASHER[0].verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets (False when either is missing)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
