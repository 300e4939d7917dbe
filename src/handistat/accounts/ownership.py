"""Which municipalities a delivery belongs to, and so who may see it (R-IN-5, R-CPR-5).

A delivery is visible to a municipal principal only when every municipality in it is one of
the principal's. The owners are the delivery's municipality when intake recorded one (the
GENBRUG header, a single-municipality sender); otherwise every value of the municipality
column in the raw bytes. A delivery whose rows cannot be read or name an unknown code is owned
by `""`: visible to staff only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import ColumnElement, and_, exists, func, select, true
from sqlalchemy.exc import IntegrityError

from handistat.accounts.models import DeliveryOwner
from handistat.accounts.principal import Principal, Role
from handistat.audit import utc
from handistat.errors import NotFound
from handistat.intake.policies import GENBRUG_POLICY, HANDBU_POLICY
from handistat.intake.rawzone import RawZone
from handistat.intake.service import IntakeService, Policy, parse_body
from handistat.reference import kommune_koder
from handistat.stores.catalogue import Delivery

POLICIES: dict[str, Policy] = {"handbu": HANDBU_POLICY, "genbrug": GENBRUG_POLICY}
UNKNOWN = ""


def _column_values(batches: Iterator[pa.RecordBatch], column: str) -> set[str]:
    found: set[str] = set()
    for batch in batches:
        if column in batch.schema.names:
            found.update(str(v) for v in pc.unique(batch.column(column)).to_pylist())
    return found


def owners_from_bytes(intake: IntakeService, delivery: Delivery) -> set[str]:
    """The municipalities named in a delivery's raw rows (`""` for anything unreadable)."""
    policy = POLICIES.get(delivery.statistic)
    if policy is None:
        return {UNKNOWN}
    try:
        blob = RawZone(intake.settings.raw_zone).stat(delivery.sha256)
        body = parse_body(blob, policy.fmt, delivery.media_type)
        values = _column_values(body.batches, policy.scope_column)
    except Exception:  # any unreadable body: staff only
        return {UNKNOWN}
    owners = {v.strip() if v.strip() in kommune_koder() else UNKNOWN for v in values}
    return owners or {UNKNOWN}


def attribute_pending(intake: IntakeService) -> int:
    """Record the owners of every delivery that has none yet; returns how many were done."""
    with intake.catalogue.session() as s:
        pending = list(
            s.scalars(
                select(Delivery).where(~exists().where(DeliveryOwner.delivery_id == Delivery.id))
            )
        )
    for delivery in pending:
        owners = {delivery.kommune} if delivery.kommune else owners_from_bytes(intake, delivery)
        try:
            with intake.catalogue.session() as s:
                s.add_all(DeliveryOwner(delivery_id=delivery.id, kommune=k) for k in sorted(owners))
        except IntegrityError:  # a concurrent request attributed it first: same answer
            continue
    return len(pending)


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """The SQL condition: deliveries this principal may see."""
    if principal.kommuner is None:
        return true()
    scope = sorted(principal.kommuner)
    return and_(
        exists().where(DeliveryOwner.delivery_id == Delivery.id),
        ~exists().where(
            DeliveryOwner.delivery_id == Delivery.id, DeliveryOwner.kommune.not_in(scope)
        ),
    )


def owned_by(kommune: str) -> ColumnElement[bool]:
    """Deliveries that hold rows of this municipality and of no other."""
    return visible_to(Principal("", Role.SAGSBEHANDLER, frozenset({kommune})))


def list_visible(
    intake: IntakeService,
    principal: Principal,
    *,
    statistic: str | None = None,
    kommune: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[Delivery]]:
    """(total, one page newest first) of the deliveries the principal may see."""
    attribute_pending(intake)
    condition = visible_to(principal)
    if kommune is not None:
        condition = and_(condition, owned_by(kommune))
    if statistic is not None:
        condition = and_(condition, Delivery.statistic == statistic)
    with intake.catalogue.session() as s:
        total = s.scalar(select(func.count()).select_from(Delivery).where(condition)) or 0
        page = s.scalars(
            select(Delivery)
            .where(condition)
            .order_by(Delivery.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return int(total), list(page)


def get_visible(intake: IntakeService, principal: Principal, delivery_id: int) -> Delivery:
    """The delivery, or NotFound, the same whether it is missing or someone else's."""
    attribute_pending(intake)
    with intake.catalogue.session() as s:
        found = s.scalar(select(Delivery).where(Delivery.id == delivery_id, visible_to(principal)))
    if found is None:
        raise NotFound(f"leverance {delivery_id} findes ikke")
    return found


def delivery_summary(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "statistik": delivery.statistic,
        "kommune": delivery.kommune,
        "modtaget": utc(delivery.received_at).isoformat(),
        "afsender": delivery.sender,
        "kanal": delivery.channel,
        "udfald": delivery.outcome,
        "raekker": delivery.rows_total,
        "raekker_modtaget": delivery.rows_accepted,
        "raekker_afvist": delivery.rows_rejected,
        "sha256": delivery.sha256,
        "kildesystem": delivery.kildesystem,
        "udtraeksdato": delivery.udtraeksdato,
    }
