"""Reading approval reports: what a principal may see, one report as JSON, the staff matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from handistat.accounts.principal import Principal
from handistat.approval.declarations import AWAITING, State, kommune_navn, municipalities
from handistat.approval.models import ApprovalReport
from handistat.audit import utc
from handistat.clock import show
from handistat.errors import NotFound
from handistat.stores.catalogue import Catalogue


def visible_reports(
    catalogue: Catalogue,
    principal: Principal,
    *,
    statistic: str | None = None,
    year: int | None = None,
    kommune: str | None = None,
    state: str | None = None,
) -> list[ApprovalReport]:
    query = select(ApprovalReport).order_by(
        ApprovalReport.statistic,
        ApprovalReport.year.desc(),
        ApprovalReport.kommune,
        ApprovalReport.period,
    )
    if principal.kommuner is not None:
        query = query.where(ApprovalReport.kommune.in_(sorted(principal.kommuner)))
    for column, value in (
        (ApprovalReport.statistic, statistic),
        (ApprovalReport.year, year),
        (ApprovalReport.kommune, kommune),
        (ApprovalReport.state, state),
    ):
        if value is not None:
            query = query.where(column == value)
    with catalogue.session() as s:
        return list(s.scalars(query))


def get_report(catalogue: Catalogue, principal: Principal, report_id: int) -> ApprovalReport:
    """The report, or NotFound — the same for a missing one and another municipality's."""
    with catalogue.session() as s:
        report = s.get(ApprovalReport, report_id)
    if report is None or not principal.may_act_for(report.kommune):
        raise NotFound(f"rapport {report_id} findes ikke")
    return report


def overdue(report: ApprovalReport, today: dt.date) -> bool:
    return report.state in AWAITING and report.deadline is not None and today > report.deadline


def report_view(report: ApprovalReport, today: dt.date) -> dict[str, Any]:
    return {
        "id": report.id,
        "statistik": report.statistic,
        "aar": report.year,
        "periode": report.period or None,
        "kommune": report.kommune,
        "kommunenavn": kommune_navn(report.kommune),
        "tilstand": report.state,
        "version": report.version,
        "frist": report.deadline.isoformat() if report.deadline else None,
        "overskredet": overdue(report, today),
        "spurgt": utc(report.asked_at).isoformat() if report.asked_at else None,
        "besluttet": utc(report.decided_at).isoformat() if report.decided_at else None,
        "besluttet_af": report.decided_by,
        "kommentar": report.comment,
        "tal": report.figures,
    }


def shown_time(moment: dt.datetime | None) -> str:
    return show(utc(moment)) if moment else ""


def matrix(catalogue: Catalogue, statistic: str, year: int) -> dict[str, Any]:
    """Every municipality × period with its state (`ikke sendt` where no report exists)."""
    with catalogue.session() as s:
        reports = list(
            s.scalars(
                select(ApprovalReport).where(
                    ApprovalReport.statistic == statistic, ApprovalReport.year == year
                )
            )
        )
    periods = sorted({r.period for r in reports}) or [""]
    cells = {(r.kommune, r.period): r for r in reports}
    rows = []
    for kommune in municipalities():
        row_cells = []
        for period in periods:
            report = cells.get((kommune.kode, period))
            row_cells.append(
                {
                    "periode": period or None,
                    "tilstand": report.state if report else State.IKKE_SENDT.value,
                    "id": report.id if report else None,
                }
            )
        rows.append({"kommune": kommune.kode, "navn": kommune.navn, "celler": row_cells})
    totals: dict[str, int] = {}
    for report in reports:
        totals[report.state] = totals.get(report.state, 0) + 1
    return {
        "statistik": statistic,
        "aar": year,
        "perioder": periods,
        "kommuner": rows,
        "optalt": totals,
    }


def report_years(catalogue: Catalogue, statistic: str) -> list[int]:
    with catalogue.session() as s:
        years = s.scalars(
            select(ApprovalReport.year).where(ApprovalReport.statistic == statistic).distinct()
        )
        return sorted(years, reverse=True)
