"""Delivery status of every municipality for the staff dashboard (R-VAL-4, issue 5): last
delivery, rows, rejected rows, CPR errors, late deliveries and overdue approvals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select

from handistat.accounts.models import DeliveryOwner
from handistat.accounts.ownership import attribute_pending
from handistat.approval.declarations import AWAITING, municipalities
from handistat.approval.models import ApprovalReport
from handistat.audit import utc
from handistat.clock import today_copenhagen
from handistat.stores.catalogue import Delivery

if TYPE_CHECKING:
    from handistat.app import App


@dataclass(frozen=True)
class Expectation:
    statistic: str
    every_days: int
    """A municipality is late when its newest delivery is older than this."""


EXPECTATIONS = (Expectation("handbu", 31), Expectation("genbrug", 92))
"""HANDBU is incremental (most municipalities daily, at least monthly); GENBRUG quarterly."""


def _deliveries(application: App) -> dict[tuple[str, str], dict[str, Any]]:
    stats = (
        select(
            DeliveryOwner.kommune,
            Delivery.statistic,
            func.max(Delivery.received_at),
            func.count(Delivery.id),
            func.sum(Delivery.rows_accepted),
            func.sum(Delivery.rows_rejected),
            func.sum(case((Delivery.outcome == "rejected", 1), else_=0)),
        )
        .join(Delivery, Delivery.id == DeliveryOwner.delivery_id)
        .group_by(DeliveryOwner.kommune, Delivery.statistic)
    )
    with application.catalogue.session() as s:
        rows = s.execute(stats).all()
    return {
        (kommune, statistic): {
            "seneste": utc(last),
            "leverancer": int(n),
            "raekker": int(accepted or 0),
            "afviste_raekker": int(rejected or 0),
            "afviste_leverancer": int(whole or 0),
        }
        for kommune, statistic, last, n, accepted, rejected, whole in rows
    }


def kommuner_with_deliveries(application: App, statistic: str) -> set[str]:
    """Municipalities with at least one accepted row of `statistic` (issue 11 item 2: lists
    are not sent to municipalities that never delivered)."""
    attribute_pending(application.intake)
    return {
        k for (k, stat), v in _deliveries(application).items() if stat == statistic and v["raekker"]
    }


def _cpr_errors(application: App) -> dict[str, int]:
    if not application.warehouse.has_table("handbu_cpr_fejl"):
        return {}
    rows = application.warehouse.query(
        "SELECT kommune, count(*) AS n FROM handbu_cpr_fejl GROUP BY kommune"
    ).to_pylist()
    return {str(r["kommune"]): int(r["n"]) for r in rows}


def _overdue(application: App, today: dt.date) -> dict[str, int]:
    with application.catalogue.session() as s:
        rows = s.execute(
            select(ApprovalReport.kommune, func.count())
            .where(
                ApprovalReport.state.in_([a.value for a in AWAITING]),
                ApprovalReport.deadline < today,
            )
            .group_by(ApprovalReport.kommune)
        ).all()
    return {str(k): int(n) for k, n in rows}


def delivery_status(application: App) -> list[dict[str, Any]]:
    """One row per municipality with its status for each statistic."""
    attribute_pending(application.intake)
    now = application.clock()
    today = today_copenhagen(application.clock)
    seen, cpr, overdue = (
        _deliveries(application),
        _cpr_errors(application),
        _overdue(application, today),
    )
    result = []
    for kommune in municipalities():
        row: dict[str, Any] = {
            "kommune": kommune.kode,
            "navn": kommune.navn,
            "cpr_fejl": cpr.get(kommune.kode, 0),
            "godkendelser_overskredet": overdue.get(kommune.kode, 0),
        }
        for expectation in EXPECTATIONS:
            found = seen.get((kommune.kode, expectation.statistic))
            late = found is None or now - found["seneste"] > dt.timedelta(
                days=expectation.every_days
            )
            entry = dict(
                found
                or {
                    "leverancer": 0,
                    "raekker": 0,
                    "afviste_raekker": 0,
                    "afviste_leverancer": 0,
                    "seneste": None,
                }
            )
            entry["seneste"] = entry["seneste"].isoformat() if entry["seneste"] else None
            row[expectation.statistic] = {**entry, "forsinket": late}
        result.append(row)
    return result
