"""GENBRUG full loads (SPEC §2.2, R-IN-4, R-IN-7): the header fields, and the rows checked
against them. A full load is rejected whole on any structural error, because accepting part
of it would delete the rest of the municipality's loans."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from handistat.errors import DeliveryRejected, NotAuthorised
from handistat.intake.policies import GENBRUG_POLICY
from handistat.intake.rules import RowRule
from handistat.intake.service import IntakeService, Policy, Sender
from handistat.reference import kommune_koder
from handistat.register.sql import quote_literal

_KILDESYSTEM = re.compile(r"[^\x00-\x1f]{1,64}")


def genbrug_header(kommune: str, kildesystem: str, udtraeksdato: str) -> dict[str, str]:
    """The validated header of a full load, or `DeliveryRejected` naming every problem."""
    problems = []
    if kommune not in kommune_koder():
        problems.append(f"indberetningskommune {kommune!r} er ikke en kendt kommunekode")
    if not _KILDESYSTEM.fullmatch(kildesystem.strip()):
        problems.append("kildesystem skal udfyldes med højst 64 tegn")
    try:
        dt.date.fromisoformat(udtraeksdato)
    except ValueError:
        problems.append(f"udtraeksdato {udtraeksdato!r} skal være en dato på formen ÅÅÅÅ-MM-DD")
    if problems:
        raise DeliveryRejected("; ".join(problems), details={"code": "BAD_HEADER_FIELDS"})
    return {
        "indberetningskommune": kommune,
        "kildesystem": kildesystem.strip(),
        "udtraeksdato": udtraeksdato,
    }


def genbrug_policy(header: dict[str, str]) -> Policy:
    """The full-load policy for one header: every row's municipality must equal the header's."""
    kommune = header["indberetningskommune"]
    rule = RowRule(
        "KOMMUNE_NOT_HEADER",
        "indberetningskommune",
        f"indberetningskommune <> {quote_literal(kommune)}",
        f"indberetningskommune skal være {kommune} som i leverancens hoved",
    )
    fmt = replace(GENBRUG_POLICY.fmt, row_rules=(*GENBRUG_POLICY.fmt.row_rules, rule))
    return replace(GENBRUG_POLICY, fmt=fmt)


def receive_full_load(
    intake: IntakeService,
    chunks: Iterable[bytes],
    sender: Sender,
    *,
    kommune: str,
    kildesystem: str,
    udtraeksdato: str,
) -> dict[str, Any]:
    header = genbrug_header(kommune, kildesystem, udtraeksdato)
    if sender.scope is not None and kommune not in sender.scope:
        raise NotAuthorised(f"afsenderen må ikke indberette for kommune {kommune}")
    return intake.receive(genbrug_policy(header), chunks, sender, header=header)


def declare_system_switch(
    intake: IntakeService, *, kommune: str, fra: str, til: str, dato: str, actor: str
) -> None:
    """R-IN-8: staff declare that `kommune` moved from system `fra` to `til` on `dato`."""
    from sqlalchemy import select

    from handistat.stores.catalogue import AuditEvent, SystemSwitch

    genbrug_header(kommune, fra, dato)
    genbrug_header(kommune, til, dato)
    if fra.strip() == til.strip():
        raise DeliveryRejected("det gamle og det nye system skal være forskellige")
    now = intake.clock()
    with intake.catalogue.session() as s:
        found = s.scalar(
            select(SystemSwitch).where(
                SystemSwitch.kommune == kommune,
                SystemSwitch.fra == fra.strip(),
                SystemSwitch.til == til.strip(),
            )
        )
        if found is None:
            s.add(
                SystemSwitch(
                    kommune=kommune, fra=fra.strip(), til=til.strip(), dato=dato, declared_at=now
                )
            )
        else:
            found.dato = dato
        s.add(
            AuditEvent(
                at=now,
                actor=actor,
                action="genbrug.systemskifte",
                subject=kommune,
                delivery_id=None,
                details={"fra": fra, "til": til, "dato": dato},
            )
        )
