"""Who acts: the one notion of an authenticated caller, a person with a session or a system
with an API token (domain types of the accounts area; `api.deps` re-exports them for routers).

Imports nothing of handistat, so `accounts` and `api.deps` no longer import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SAGSBEHANDLER = "sagsbehandler"  # municipal case officer
    PERSONALE = "personale"  # statistics office staff
    ADMIN = "admin"
    SYSTEM = "system"  # a municipality's system with an API token


STAFF_ROLES = frozenset({Role.PERSONALE, Role.ADMIN})


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    kommuner: frozenset[str] | None
    """The municipalities it may act for; None: all (staff)."""

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def may_act_for(self, kommune: str) -> bool:
        return self.kommuner is None or kommune in self.kommuner
