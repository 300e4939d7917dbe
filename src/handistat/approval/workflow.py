"""The approval state machine (R-VAL-3) and the service that applies it.

    ikke sendt --send--> sendt --godkend--> godkendt --nye tal--> forældet
                           |                                         |
                           +--afvis--> afvist --nye tal--> sendt     +--godkend/afvis--> ...

A report's figures carry a fingerprint of the part the municipality approves; after every
processing run `refresh` recomputes the figures, and a changed fingerprint turns an approval
`forældet` (asked again, with a new deadline) and a rejection back into `sendt`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from handistat.approval.declarations import AWAITING, ReportKind, State
from handistat.approval.genbrug import GENBRUG_KIND
from handistat.approval.handbu import HANDBU_KIND, public_national_children, validation_lists
from handistat.approval.models import ApprovalReport
from handistat.approval.status import kommuner_with_deliveries
from handistat.audit import record
from handistat.clock import today_copenhagen
from handistat.errors import Conflict, NotFound
from handistat.release.service import ReleaseService
from handistat.web.danish import dato

if TYPE_CHECKING:
    from handistat.app import App

KINDS: dict[str, ReportKind] = {k.statistic: k for k in (HANDBU_KIND, GENBRUG_KIND)}

TRANSITIONS: dict[tuple[State, str], State] = {
    (State.IKKE_SENDT, "send"): State.SENDT,
    (State.SENDT, "godkend"): State.GODKENDT,
    (State.SENDT, "afvis"): State.AFVIST,
    (State.FORAELDET, "godkend"): State.GODKENDT,
    (State.FORAELDET, "afvis"): State.AFVIST,
    (State.IKKE_SENDT, "nye tal"): State.IKKE_SENDT,
    (State.SENDT, "nye tal"): State.SENDT,
    (State.GODKENDT, "nye tal"): State.FORAELDET,
    (State.AFVIST, "nye tal"): State.SENDT,
    (State.FORAELDET, "nye tal"): State.FORAELDET,
}
"""Every allowed (state, event) → next state; anything else is a conflict."""


def next_state(state: State, event: str) -> State:
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise Conflict(
            f"en rapport i tilstanden '{state}' kan ikke få hændelsen '{event}'"
        ) from None


def fingerprint(figures: dict[str, Any]) -> str:
    """SHA-256 of the approved part of the figures, canonically serialised."""
    canonical = json.dumps(figures.get("tal", {}), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def kind_of(statistic: str) -> ReportKind:
    try:
        return KINDS[statistic]
    except KeyError:
        raise NotFound(
            f"statistikken {statistic!r} har ingen godkendelse; kendte: {', '.join(KINDS)}"
        ) from None


def report_key(r: ApprovalReport) -> tuple[str, str]:
    return (r.kommune, r.period)


def _nonzero(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_nonzero(v) for v in value.values())
    return isinstance(value, int | float) and not isinstance(value, bool) and value != 0


def has_data(figures: dict[str, Any]) -> bool:
    """Any non-zero count in the approved figures, this year or last."""
    return _nonzero(figures.get("tal")) or _nonzero(figures.get("sidste_aar"))


@dataclass(frozen=True)
class SendPlan:
    statistic: str
    year: int
    deadline: dt.date
    keys: tuple[tuple[str, str], ...]
    """(kommune, period) of every report that goes out."""
    skipped: tuple[str, ...]
    """Municipalities without data: no delivery and nothing in the figures."""
    already_sent: int


class Workflow:
    """Sending, deciding and refreshing reports over the catalogue and the warehouse."""

    def __init__(self, application: App) -> None:
        self.app = application
        self.catalogue = application.catalogue
        self.clock = application.clock

    def today(self) -> dt.date:
        return today_copenhagen(self.clock)

    def figures(self, statistic: str, year: int) -> dict[tuple[str, str], dict[str, Any]]:
        kind = kind_of(statistic)
        if kind is HANDBU_KIND:  # the national rate only from a public release (issue 13.9)
            public = ReleaseService(self.app).public_view(self.clock())
            national = public_national_children(public)
            return dict(validation_lists(self.app.warehouse, year, self.today(), national))
        return dict(kind.figures(self.app.warehouse, year, self.today()))

    def plan(self, statistic: str, year: int, deadline: dt.date | None = None) -> SendPlan:
        """What `send` would do (the preview staff confirm, issue 11 item 2): which reports
        go out, which municipalities are skipped because they have no data, the deadline.
        A deadline before today is refused."""
        kind = kind_of(statistic)
        computed = self.figures(statistic, year)
        if not computed:
            raise Conflict(f"{statistic}-registret er ikke dannet; kør behandlingen først")
        today = self.today()
        deadline = deadline or today + dt.timedelta(days=kind.schedule.answer_days)
        if deadline < today:
            raise Conflict(
                f"fristen {dato(deadline)} ligger før i dag ({dato(today)}); vælg en senere dato"
            )
        delivered = kommuner_with_deliveries(self.app, statistic)
        with self.catalogue.session() as s:
            states = {
                report_key(r): r.state
                for r in s.scalars(
                    select(ApprovalReport).where(
                        ApprovalReport.statistic == statistic, ApprovalReport.year == year
                    )
                )
            }
        keys, skipped, already = [], set(), 0
        for key, figures in sorted(computed.items()):
            if states.get(key, State.IKKE_SENDT) != State.IKKE_SENDT:
                already += 1
            elif key[0] not in delivered and not has_data(figures):
                skipped.add(key[0])
            else:
                keys.append(key)
        return SendPlan(statistic, year, deadline, tuple(keys), tuple(sorted(skipped)), already)

    def send(self, statistic: str, year: int, actor: str, deadline: dt.date | None = None) -> int:
        """Send the planned reports of (statistic, year); returns how many were sent."""
        plan = self.plan(statistic, year, deadline)
        computed = self.figures(statistic, year)
        now = self.clock()
        with self.catalogue.session() as s:
            existing = {
                report_key(r): r
                for r in s.scalars(
                    select(ApprovalReport).where(
                        ApprovalReport.statistic == statistic, ApprovalReport.year == year
                    )
                )
            }
            for kommune, period in plan.keys:
                figures = computed[(kommune, period)]
                report = existing.get((kommune, period))
                if report is None:
                    report = self._new(statistic, year, kommune, period, figures, now)
                    s.add(report)
                report.state = next_state(State(report.state), "send")
                report.figures, report.fingerprint = figures, fingerprint(figures)
                report.deadline, report.asked_at, report.updated_at = plan.deadline, now, now
            record(
                s,
                now,
                actor,
                "approval.sent",
                f"{statistic} {year}",
                {
                    "antal": len(plan.keys),
                    "frist": plan.deadline.isoformat(),
                    "sprunget_over": list(plan.skipped),
                },
            )
        return len(plan.keys)

    def move_deadline(
        self, statistic: str, year: int, deadline: dt.date, actor: str, kommune: str | None = None
    ) -> int:
        """Give every report still awaiting an answer (of one municipality, or all) a new
        deadline; returns how many moved. The reminder steps are timed from it."""
        kind_of(statistic)
        if deadline < self.today():
            raise Conflict(f"fristen {dato(deadline)} ligger før i dag; vælg en senere dato")
        now = self.clock()
        with self.catalogue.session() as s:
            query = select(ApprovalReport).where(
                ApprovalReport.statistic == statistic,
                ApprovalReport.year == year,
                ApprovalReport.state.in_([a.value for a in AWAITING]),
            )
            if kommune is not None:
                query = query.where(ApprovalReport.kommune == kommune)
            moved = list(s.scalars(query))
            for report in moved:
                report.deadline, report.updated_at = deadline, now
            record(
                s,
                now,
                actor,
                "approval.deadline",
                f"{statistic} {year}" + (f" kommune {kommune}" if kommune else ""),
                {"antal": len(moved), "frist": deadline.isoformat()},
            )
        return len(moved)

    @staticmethod
    def _new(
        statistic: str,
        year: int,
        kommune: str,
        period: str,
        figures: dict[str, Any],
        now: dt.datetime,
    ) -> ApprovalReport:
        return ApprovalReport(
            statistic=statistic,
            year=year,
            kommune=kommune,
            period=period,
            state=State.IKKE_SENDT.value,
            version=1,
            figures=figures,
            fingerprint=fingerprint(figures),
            approved_fingerprint=None,
            deadline=None,
            asked_at=None,
            decided_at=None,
            decided_by=None,
            comment=None,
            updated_at=now,
        )

    def decide(
        self, report_id: int, actor: str, *, approve: bool, version: int, comment: str = ""
    ) -> ApprovalReport:
        """The municipality approves or rejects the version of the figures it was shown."""
        event = "godkend" if approve else "afvis"
        if not approve and not comment.strip():
            raise Conflict("skriv en kommentar, der forklarer hvorfor tallene afvises")
        now = self.clock()
        with self.catalogue.session() as s:
            report = s.get(ApprovalReport, report_id)
            if report is None:
                raise NotFound(f"rapport {report_id} findes ikke")
            if report.version != version:
                raise Conflict(
                    "tallene er ændret, siden siden blev åbnet; se de nye tal og "
                    "godkend eller afvis igen"
                )
            before = State(report.state)
            report.state = next_state(before, event).value
            report.decided_at, report.decided_by = now, actor
            report.comment = comment.strip()[:4000] or None
            report.approved_fingerprint = report.fingerprint if approve else None
            report.updated_at = now
            record(
                s,
                now,
                actor,
                f"approval.{'approved' if approve else 'rejected'}",
                self.subject(report),
                {"fra": before, "version": version, "kommentar": report.comment or ""},
            )
            return report

    def approve_all(self, shown: dict[int, int], actor: str, kommune: str) -> int:
        """Approve, in one action, every open report the municipality was shown (report id →
        version; issue 11 item 2: all open GENBRUG months at once). Nothing is approved when
        any of them changed since the page was opened."""
        with self.catalogue.session() as s:
            for report_id, version in shown.items():
                report = s.get(ApprovalReport, report_id)
                if report is None or report.kommune != kommune:
                    raise NotFound(f"rapport {report_id} findes ikke")
                if report.version != version or report.state not in AWAITING:
                    raise Conflict(
                        "en af rapporterne er ændret, siden siden blev åbnet; intet er "
                        "godkendt. Se tallene igen, og godkend dem."
                    )
        for report_id, version in sorted(shown.items()):
            self.decide(report_id, actor, approve=True, version=version)
        return len(shown)

    @staticmethod
    def subject(report: ApprovalReport) -> str:
        period = f" {report.period}" if report.period else ""
        return f"{report.statistic} {report.year}{period} kommune {report.kommune}"

    def refresh(self, statistic: str, actor: str = "behandling") -> dict[str, int]:
        """After new data: recompute every report of the statistic; stale approvals ask again."""
        kind = kind_of(statistic)
        now, counts = self.clock(), {"opdateret": 0, "forældet": 0}
        with self.catalogue.session() as s:
            reports = list(
                s.scalars(select(ApprovalReport).where(ApprovalReport.statistic == statistic))
            )
            for year in sorted({r.year for r in reports}):
                computed = self.figures(statistic, year)
                for report in (r for r in reports if r.year == year):
                    figures = computed.get(report_key(report))
                    if figures is None or fingerprint(figures) == report.fingerprint:
                        continue
                    self._renew(s, report, figures, kind, now, actor, counts)
        return counts

    def _renew(
        self,
        s: Any,
        report: ApprovalReport,
        figures: dict[str, Any],
        kind: ReportKind,
        now: dt.datetime,
        actor: str,
        counts: dict[str, int],
    ) -> None:
        before = State(report.state)
        after = next_state(before, "nye tal")
        report.figures, report.fingerprint = figures, fingerprint(figures)
        report.version += 1
        report.state, report.updated_at = after.value, now
        if after in AWAITING and before != after:
            report.asked_at = now
            report.deadline = self.today() + dt.timedelta(days=kind.schedule.answer_days)
        counts["opdateret"] += 1
        counts["forældet"] += after is State.FORAELDET and before is State.GODKENDT
        action = (
            "approval.stale"
            if after is State.FORAELDET and before != after
            else ("approval.updated")
        )
        record(
            s,
            now,
            actor,
            action,
            self.subject(report),
            {"fra": before, "til": after, "version": report.version},
        )
