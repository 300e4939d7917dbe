"""Running processing from the staff pages and the API: rebuild the register, attribute new
deliveries to their municipalities, and refresh the approval reports (stale approvals)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from handistat.accounts.ownership import attribute_pending
from handistat.approval.workflow import Workflow, kind_of
from handistat.audit import AuditLog
from handistat.clock import today_copenhagen
from handistat.errors import Conflict, UsageError
from handistat.intake.policies import HANDBU_POLICY
from handistat.register.genbrug_process import process_genbrug
from handistat.register.process import ProcessSummary, process_handbu

if TYPE_CHECKING:
    from handistat.app import App

_RUNNING = threading.Lock()
"""One processing run at a time in this process; the register is replaced atomically."""


def _process(application: App, statistic: str, engine: str = "duckdb") -> ProcessSummary:
    if engine == "spark":
        try:
            from handistat.engines.spark import process_on_spark
        except ImportError as exc:
            raise UsageError("PySpark mangler: kør `uv sync --group spark` først") from exc
        return process_on_spark(application, statistic)
    years = application.default_years()
    if statistic == "handbu":
        return process_handbu(application.intake, application.warehouse, HANDBU_POLICY, years)
    return process_genbrug(
        application.intake, application.warehouse, years, today_copenhagen(application.clock)
    )


def run_processing(
    application: App, statistic: str, actor: str, engine: str = "duckdb"
) -> dict[str, Any]:
    kind_of(statistic)  # NotFound for an unknown statistic
    if not _RUNNING.acquire(blocking=False):
        raise Conflict("behandlingen kører allerede; prøv igen om lidt")
    try:
        summary = _process(application, statistic, engine)
        attribute_pending(application.intake)
        refreshed = Workflow(application).refresh(statistic, actor)
    finally:
        _RUNNING.release()
    result = {
        "statistik": statistic,
        "leverancer": summary.deliveries,
        "antal": summary.counts,
        "godkendelser": refreshed,
    }
    AuditLog(application.catalogue, application.clock).log(
        actor, "processing.run", statistic, result
    )
    return result
