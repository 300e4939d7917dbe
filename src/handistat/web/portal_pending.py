"""Records the municipality has sent that processing has not yet taken into the register
(issue 11 item 9): shown at once in own data as "afventer behandling" instead of "Ingen sager".
A delivery is pending when it was accepted (wholly or partly) and none of its rows is in the
register table `indberetninger` yet; its rows are read from the delivery's staged Parquet file,
which the intake wrote when it accepted them (the same rows processing will read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import select

from handistat.accounts.models import DeliveryOwner
from handistat.accounts.ownership import attribute_pending
from handistat.intake.service import staged_path
from handistat.stores.catalogue import Delivery
from handistat.web.portal_data import RECORD_COLUMNS

if TYPE_CHECKING:
    from handistat.app import App

ACCEPTED = ("accepted", "partially_accepted")
NEWEST = 200
"""At most this many unprocessed deliveries are read (processing normally runs daily)."""


def _processed_ids(application: App, kommune: str) -> set[int]:
    if not application.warehouse.has_table("indberetninger"):
        return set()
    rows = application.warehouse.query(
        "SELECT DISTINCT delivery_id FROM indberetninger WHERE kommune = ?", [kommune]
    ).to_pylist()
    return {int(r["delivery_id"]) for r in rows}


def _unprocessed_ids(application: App, kommune: str) -> list[int]:
    """The municipality's accepted HANDBU deliveries not yet in the register, newest first."""
    attribute_pending(application.intake)
    query = (
        select(Delivery.id)
        .join(DeliveryOwner, DeliveryOwner.delivery_id == Delivery.id)
        .where(
            DeliveryOwner.kommune == kommune,
            Delivery.statistic == "handbu",
            Delivery.outcome.in_(ACCEPTED),
        )
        .order_by(Delivery.id.desc())
        .limit(NEWEST)
    )
    with application.catalogue.session() as s:
        ids = [int(i) for i in s.scalars(query)]
    done = _processed_ids(application, kommune)
    return [i for i in ids if i not in done]


def _rows_of(application: App, delivery_id: int, kommune: str) -> list[dict[str, Any]]:
    path = staged_path(application.settings, "handbu", delivery_id)
    if not path.exists():
        return []
    table = pq.read_table(path)
    mine = table.filter(pc.equal(table["kommune"], kommune))
    return [
        {**{c: row.get(c) for c in RECORD_COLUMNS}, "delivery_id": delivery_id}
        for row in mine.to_pylist()
    ]


def pending_records(application: App, kommune: str, search: str = "") -> list[dict[str, Any]]:
    """The newest pending version of each case id, ordered by case id; `search` as in the
    register list (part of the case id or the CPR number)."""
    newest: dict[str, dict[str, Any]] = {}
    for delivery_id in _unprocessed_ids(application, kommune):  # newest delivery first
        for row in reversed(_rows_of(application, delivery_id, kommune)):  # last row wins
            newest.setdefault(str(row["indsats_id"]), row)
    term = search.strip().casefold()
    found = [
        r
        for r in newest.values()
        if not term
        or term in str(r["indsats_id"]).casefold()
        or term.replace("-", "") in str(r["cpr"] or "")
    ]
    return sorted(found, key=lambda r: str(r["indsats_id"]))
