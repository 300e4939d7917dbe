"""Rebuilding a register from the raw zone (R-HB-1): deterministic, atomic, resumable.

The accepted deliveries are taken from the catalogue in delivery order; their staged rows
(a pure function of the raw bytes) are re-created from the raw zone when missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa
from sqlalchemy import select

from handistat.intake.rawzone import RawZone
from handistat.intake.service import (
    IntakeService,
    Policy,
    publish_staged,
    staged_path,
    staging_attempt,
)
from handistat.reference import handbu_paragraffer, kommuner
from handistat.register.handbu import KEEP, handbu_steps
from handistat.register.sql import Step, quote_literal
from handistat.stores.catalogue import Delivery
from handistat.stores.warehouse import Warehouse

ACCEPTED = ("accepted", "partially_accepted")


@dataclass(frozen=True)
class ProcessSummary:
    deliveries: int
    counts: dict[str, int]


def accepted_deliveries(intake: IntakeService, statistic: str) -> list[Delivery]:
    with intake.catalogue.session() as s:
        found = s.scalars(
            select(Delivery)
            .where(Delivery.statistic == statistic, Delivery.outcome.in_(ACCEPTED))
            .order_by(Delivery.id)
        )
        return list(found)


def ensure_staged(intake: IntakeService, policy: Policy, delivery: Delivery) -> str:
    """The staged Parquet of a delivery, re-created from the raw bytes when missing (after a
    crash between the catalogue commit and the rename, or after a restore)."""
    path = staged_path(intake.settings, policy.fmt.statistic, delivery.id)
    if not path.exists():
        raw = RawZone(intake.settings.raw_zone)
        blob = raw.stat(delivery.sha256)
        scope = delivery.report.get("scope")
        attempt = staging_attempt(intake.settings, policy.fmt.statistic)
        try:
            intake.validate(
                policy,
                blob,
                delivery.media_type,
                delivery.received_at,
                frozenset(scope) if scope is not None else None,
                attempt,
            )
            publish_staged(attempt, path)
        finally:
            attempt.unlink(missing_ok=True)
    return str(path)


Tags = Mapping[str, int | str]
"""Values that tag every staged row of one delivery (`delivery_id`, and for GENBRUG its
`kildesystem` and `udtraeksdato`)."""


def _literal(value: int | str) -> str:
    return str(int(value)) if isinstance(value, int) else quote_literal(value)


def staged_rows_step(name: str, files: Sequence[tuple[Tags, str]], empty_columns: str) -> Step:
    """The engine-specific input step: every staged row with its delivery's tags.

    `empty_columns` types the columns (tags first) for the case of no delivery at all.
    """
    if not files:
        return Step(name, f"SELECT {empty_columns} LIMIT 0")
    listed = ", ".join(quote_literal(f) for _, f in files)
    tags = list(files[0][0])
    mapping = " UNION ALL ".join(
        "SELECT "
        + ", ".join(
            [*(f"{_literal(t[k])} AS {k}" for k in tags), f"{quote_literal(f)} AS filename"]
        )
        for t, f in files
    )
    return Step(
        name,
        f"SELECT {', '.join(f'm.{k}' for k in tags)}, s.* EXCLUDE (filename) "
        f"FROM read_parquet([{listed}], filename = true) AS s "
        f"JOIN ({mapping}) AS m ON m.filename = s.filename",
    )


def reference_inputs() -> dict[str, pa.Table]:
    return {
        "ref_paragraf": pa.table(
            {
                "paragraf": [p.paragraf for p in handbu_paragraffer()],
                "indsats": [p.indsats_kode for p in handbu_paragraffer()],
            }
        ),
        "ref_kommune": pa.table(
            {
                "kommune": [k.kode for k in kommuner()],
                "landsdel": [k.landsdel_kode for k in kommuner()],
            }
        ),
    }


HANDBU_EMPTY_COLUMNS = (
    "CAST(NULL AS BIGINT) AS delivery_id, CAST(NULL AS BIGINT) AS _row, "
    "CAST(NULL AS VARCHAR) AS kommune, "
    "CAST(NULL AS VARCHAR) AS indsats_id, CAST(NULL AS VARCHAR) AS cpr, "
    "CAST(NULL AS VARCHAR) AS paragraf, CAST(NULL AS DATE) AS startdato, "
    "CAST(NULL AS DATE) AS slutdato, CAST(NULL AS VARCHAR) AS status"
)


def process_handbu(
    intake: IntakeService, warehouse: Warehouse, policy: Policy, years: Sequence[int]
) -> ProcessSummary:
    deliveries = accepted_deliveries(intake, "handbu")
    files: list[tuple[Tags, str]] = [
        ({"delivery_id": d.id}, ensure_staged(intake, policy, d)) for d in deliveries
    ]
    steps = [
        staged_rows_step("indberetninger", files, HANDBU_EMPTY_COLUMNS),
        *handbu_steps(years, intake.settings.handbu_merge_gap_days),
    ]
    warehouse.materialise(steps, keep=(*KEEP, "indberetninger"), inputs=reference_inputs())
    counts = warehouse.query(
        "SELECT (SELECT count(*) FROM indberetninger) AS indberetninger, "
        "(SELECT count(*) FROM handbu_forloeb) AS forloeb, "
        "(SELECT count(*) FROM handbu_cpr_fejl) AS cpr_fejl, "
        "(SELECT count(*) FROM handbu_dubletter) AS dubletter"
    ).to_pylist()[0]
    return ProcessSummary(len(deliveries), {k: int(v) for k, v in counts.items()})
