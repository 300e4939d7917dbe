"""Rebuilding the GENBRUG loan register from the current full loads (R-IN-7, R-IN-8, R-GB-1).

The current load of each (municipality, system) is the newest by extract date (then by
arrival); every earlier load stays in the raw zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa
from sqlalchemy import select

from handistat.errors import DeliveryRejected
from handistat.intake.genbrug import genbrug_policy
from handistat.intake.service import IntakeService
from handistat.reference import genbrug_paragraf_iso, genbrug_paragraffer
from handistat.register.genbrug import KEEP, genbrug_steps
from handistat.register.population import ensure_person_ids
from handistat.register.process import (
    ProcessSummary,
    Tags,
    accepted_deliveries,
    ensure_staged,
    staged_rows_step,
)
from handistat.register.samarbejder import list_samarbejder
from handistat.register.sql import Step, as_cte
from handistat.stores.catalogue import Delivery, SystemSwitch
from handistat.stores.warehouse import Warehouse

GENBRUG_COLUMNS = (
    "CAST(NULL AS BIGINT) AS delivery_id, CAST(NULL AS VARCHAR) AS kildesystem, "
    "CAST(NULL AS VARCHAR) AS udtraeksdato, CAST(NULL AS BIGINT) AS _row, "
    "CAST(NULL AS VARCHAR) AS indberetningskommune, "
    "CAST(NULL AS VARCHAR) AS betalingskommune, CAST(NULL AS VARCHAR) AS udlaan_id, "
    "CAST(NULL AS VARCHAR) AS hmi_nummer, CAST(NULL AS VARCHAR) AS cpr, "
    "CAST(NULL AS VARCHAR) AS paragraf, CAST(NULL AS DATE) AS udleveringsdato, "
    "CAST(NULL AS DATE) AS indleveringsdato"
)


def current_loads(deliveries: Sequence[Delivery]) -> list[Delivery]:
    """R-IN-7: per (indberetningskommune, kildesystem) the newest extract replaces the rest."""
    newest: dict[tuple[str, str], Delivery] = {}
    for d in deliveries:
        key = (d.kommune or "", d.kildesystem or "")
        best = newest.get(key)
        if best is None or (d.udtraeksdato or "", d.id) > (best.udtraeksdato or "", best.id):
            newest[key] = d
    return sorted(newest.values(), key=lambda d: d.id)


def input_step(loads: Sequence[tuple[Delivery, str]]) -> Step:
    """The current loads' rows tagged with their delivery, system and extract date."""
    tagged: list[tuple[Tags, str]] = [
        (
            {
                "delivery_id": d.id,
                "kildesystem": d.kildesystem or "",
                "udtraeksdato": d.udtraeksdato or "",
            },
            path,
        )
        for d, path in loads
    ]
    return staged_rows_step("genbrug_input", tagged, GENBRUG_COLUMNS)


def read_staged_directly(first: Step, staged: Step) -> Step:
    """The first register step reading the staged Parquet itself: the rows are validated once
    at intake and loaded into the register once, never copied into a table of their own first
    (issue 15). Only the first step reads `genbrug_input`."""
    sql = first.sql.lstrip()
    if sql.upper().startswith("WITH "):  # one WITH list: the staged rows, then the step's own
        return Step(first.name, f"WITH {staged.name} AS (\n{staged.sql}\n),\n{sql[5:]}")
    return Step(first.name, as_cte([staged], first.sql))


def collaboration_input(intake: IntakeService) -> pa.Table:
    """R-GB-4: every membership period as maintained by staff (open end = NULL); the steps
    read membership on each loan's `udleveringsdato`, never on the processing date."""
    periods = list_samarbejder(intake.catalogue)
    return pa.table(
        {
            "indberetningskommune": pa.array(
                [s.indberetningskommune for s in periods], pa.string()
            ),
            "medlemskommune": pa.array([s.medlemskommune for s in periods], pa.string()),
            "gyldig_fra": pa.array([s.gyldig_fra for s in periods], pa.date32()),
            "gyldig_til": pa.array([s.gyldig_til for s in periods], pa.date32()),
        }
    )


def reference_inputs(intake: IntakeService, today: dt.date) -> dict[str, pa.Table]:
    """The reference tables of the GENBRUG steps. (`today` is no longer used: membership of a
    collaboration is read on each loan's delivery day.)"""
    with intake.catalogue.session() as session:
        switches = list(session.scalars(select(SystemSwitch).order_by(SystemSwitch.id)))
    return {
        "ref_samarbejde": collaboration_input(intake),
        "ref_genbrug_paragraf": pa.table({"paragraf": [p.paragraf for p in genbrug_paragraffer()]}),
        "ref_paragraf_iso": pa.table(
            {
                "paragraf": [p for p, _ in genbrug_paragraf_iso()],
                "iso1": [i for _, i in genbrug_paragraf_iso()],
            }
        ),
        "systemskifte": pa.table(
            {
                "kommune": pa.array([s.kommune for s in switches], pa.string()),
                "fra": pa.array([s.fra for s in switches], pa.string()),
                "til": pa.array([s.til for s in switches], pa.string()),
                "dato": pa.array([dt.date.fromisoformat(s.dato) for s in switches], pa.date32()),
            }
        ),
    }


def ensure_hmi_catalogue(warehouse: Warehouse) -> None:
    if not warehouse.has_table("hmi_katalog"):
        warehouse.materialise(
            [
                Step(
                    "hmi_katalog",
                    "SELECT CAST(NULL AS BIGINT) AS hmi_nummer, "
                    "CAST(NULL AS VARCHAR) AS iso_kode LIMIT 0",
                )
            ],
            keep=("hmi_katalog",),
        )


def require_population(warehouse: Warehouse) -> None:
    """The population register must be loaded; one loaded before `person_id` existed gets
    that key now (once)."""
    if not warehouse.has_table("personer"):
        raise DeliveryRejected(
            "befolkningsregisteret er ikke indlæst; kør `handistat population load DIR` først"
        )
    ensure_person_ids(warehouse)


def process_genbrug(
    intake: IntakeService, warehouse: Warehouse, years: Sequence[int], today: dt.date
) -> ProcessSummary:
    require_population(warehouse)
    ensure_hmi_catalogue(warehouse)
    loads = current_loads(accepted_deliveries(intake, "genbrug"))
    staged = [(d, ensure_staged(intake, genbrug_policy(d.report["header"]), d)) for d in loads]
    settings = intake.settings
    steps = genbrug_steps(
        years, settings.genbrug_duplicate_days, settings.genbrug_exclude_unknown_hmi
    )
    steps[0] = read_staged_directly(steps[0], input_step(staged))
    warehouse.materialise(steps, keep=KEEP, inputs=reference_inputs(intake, today))
    counts = warehouse.query(
        "SELECT (SELECT count(*) FROM genbrug_udlaan) AS udlaan, "
        "(SELECT COALESCE(SUM(antal), 0) FROM genbrug_rensning WHERE handling = 'fjernet') "
        "AS fjernet, (SELECT count(*) FROM genbrug_dubletter) AS dubletter"
    ).to_pylist()[0]
    return ProcessSummary(len(loads), {k: int(v) for k, v in counts.items()})
