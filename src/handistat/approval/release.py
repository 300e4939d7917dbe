"""Release decisions per municipality (R-VAL-5): godkendt, ikke godkendt (with a note) or
udeladt (excluded by staff, with a reason).

Staff record a decision; without one, a municipality whose every report for the year is
approved counts as `godkendt` and any other as `ikke godkendt`. `release_decisions` is what
the release stage reads (`handistat.release.decisions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from handistat.approval.declarations import Decision, State, municipalities
from handistat.approval.models import ApprovalReport, ReleaseDecision
from handistat.audit import record, utc
from handistat.errors import Conflict

if TYPE_CHECKING:
    from handistat.app import App


def _derived(reports: list[ApprovalReport]) -> tuple[str, str]:
    states = sorted({r.state for r in reports})
    if states == [State.GODKENDT.value]:
        return Decision.GODKENDT.value, ""
    if State.AFVIST.value in states:
        comments = "; ".join(r.comment for r in reports if r.comment)
        return Decision.IKKE_GODKENDT.value, f"kommunen har afvist tallene: {comments}"
    return Decision.IKKE_GODKENDT.value, "kommunen har ikke godkendt tallene"


def release_decisions(application: App, statistic: str, year: int) -> list[dict[str, Any]]:
    """One entry per municipality (`kommune`, `navn`, `status`, `note`, `kilde`); empty when
    the workflow was not used for (statistic, year), so the release publishes as delivered."""
    with application.catalogue.session() as s:
        reports = list(
            s.scalars(
                select(ApprovalReport).where(
                    ApprovalReport.statistic == statistic, ApprovalReport.year == year
                )
            )
        )
        decided = {
            d.kommune: d
            for d in s.scalars(
                select(ReleaseDecision).where(
                    ReleaseDecision.statistic == statistic, ReleaseDecision.year == year
                )
            )
        }
    if not reports and not decided:
        return []
    result = []
    for kommune in municipalities():
        found = decided.get(kommune.kode)
        if found is not None:
            status, note, source = found.decision, found.note, "personale"
        else:
            status, note = _derived([r for r in reports if r.kommune == kommune.kode])
            source = "godkendelse"
        result.append(
            {
                "kommune": kommune.kode,
                "navn": kommune.navn,
                "status": status,
                "note": note,
                "kilde": source,
            }
        )
    return result


def decide_release(
    application: App,
    statistic: str,
    year: int,
    kommune: str,
    decision: str,
    note: str,
    actor: str,
) -> dict[str, Any]:
    """Staff record a municipality's status at release; a note is required unless approved."""
    try:
        chosen = Decision(decision)
    except ValueError:
        raise Conflict(
            f"beslutningen skal være en af: {', '.join(d.value for d in Decision)}"
        ) from None
    if chosen is not Decision.GODKENDT and not note.strip():
        raise Conflict("skriv en note (ikke godkendt) eller en begrundelse (udeladt)")
    if kommune not in {k.kode for k in municipalities()}:
        raise Conflict(f"{kommune} er ikke en kommune")
    now = application.clock()
    with application.catalogue.session() as s:
        found = s.scalar(
            select(ReleaseDecision).where(
                ReleaseDecision.statistic == statistic,
                ReleaseDecision.year == year,
                ReleaseDecision.kommune == kommune,
            )
        )
        if found is None:
            found = ReleaseDecision(
                statistic=statistic,
                year=year,
                kommune=kommune,
                decision=chosen.value,
                note="",
                decided_by=actor,
                decided_at=now,
            )
            s.add(found)
        found.decision, found.note = chosen.value, note.strip()[:4000]
        found.decided_by, found.decided_at = actor, now
        record(
            s,
            now,
            actor,
            "release.decision",
            f"{statistic} {year} kommune {kommune}",
            {"beslutning": chosen.value, "note": found.note},
        )
        return {
            "kommune": kommune,
            "status": found.decision,
            "note": found.note,
            "besluttet_af": actor,
            "besluttet": utc(now).isoformat(),
        }
