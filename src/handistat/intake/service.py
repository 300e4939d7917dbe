"""Receiving a delivery: raw zone first, then structural validation, then the catalogue row.

Order matters for R-IN-2 and R-REL-1: the bytes are durable before anything reads them; the
staged Parquet is written under a temporary name and renamed; the catalogue row is committed
last, so a crash at any point leaves either no delivery or a complete one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from handistat.clock import Clock, today_copenhagen
from handistat.errors import DeliveryRejected, HandistatError, NotAuthorised
from handistat.intake.parse import ParsedBody, parse_csv, parse_json
from handistat.intake.rawzone import RawZone, StoredBlob
from handistat.intake.rules import DeliveryFormat
from handistat.intake.validate import FOREIGN_MESSAGE, Validated, outside_scope, validate_to_parquet
from handistat.settings import Settings
from handistat.stores.catalogue import AuditEvent, Catalogue, Delivery

JSON_TYPES = ("application/json",)


@dataclass(frozen=True)
class Sender:
    """Who delivers: a person or system name and the municipalities it may deliver for."""

    name: str
    scope: frozenset[str] | None
    """None: every municipality (staff, the CLI)."""
    channel: str = "cli"


@dataclass(frozen=True)
class Policy:
    """How a statistic treats rows with structural errors (R-IN-4)."""

    fmt: DeliveryFormat
    partial_ok: bool
    scope_column: str


def staged_path(settings: Settings, statistic: str, delivery_id: int) -> Path:
    """The accepted rows of one delivery. Named by the delivery, never by the bytes alone:
    identical bytes from two senders are two deliveries (issue 13.1)."""
    return settings.data_dir / "staged" / statistic / f"{delivery_id}.parquet"


def staging_attempt(settings: Settings, statistic: str) -> Path:
    """A private file for one validation run; renamed to `staged_path` once recorded."""
    return settings.data_dir / "staged" / statistic / "incoming" / f"{uuid.uuid4().hex}.parquet"


def publish_staged(attempt: Path, target: Path) -> None:
    """Move a finished staging file into place atomically (readers see all rows or none)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(attempt, target)


def acceptance_key(
    statistic: str, sha256: str, scope: frozenset[str] | None, header: dict[str, str] | None
) -> str:
    """What makes a resend of accepted bytes a no-op (R-IN-2): statistic, bytes, the sender's
    municipality scope and the header fields. Unique in the catalogue among accepted
    deliveries, so concurrent identical sends cannot both be acknowledged."""
    parts = [
        statistic,
        sha256,
        sorted(scope) if scope is not None else None,
        sorted((header or {}).items()),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def parse_body(blob: StoredBlob, fmt: DeliveryFormat, media_type: str) -> ParsedBody:
    if blob.size == 0:
        raise DeliveryRejected("leverancen er tom", details={"code": "EMPTY"})
    if blob.utf8_error_offset is not None:
        raise DeliveryRejected(
            f"leverancen er ikke UTF-8 (første ugyldige byte ved position "
            f"{blob.utf8_error_offset}); gem filen som UTF-8 og send den igen",
            details={"code": "NOT_UTF8", "byte_offset": blob.utf8_error_offset},
        )
    if media_type.split(";")[0].strip().lower() in JSON_TYPES:
        return parse_json(blob.path, fmt.known_columns, inherit=("kommune",))
    return parse_csv(blob.path, fmt.required_columns, fmt.known_columns)


def outcome_of(validated: Validated, partial_ok: bool) -> str:
    if not partial_ok and validated.rows_total == 0:
        return "rejected"  # an empty full load would delete every loan
    if validated.errors.rejected_rows and not partial_ok:
        return "rejected"
    if validated.rows_accepted == 0 and validated.errors.rejected_rows:
        return "rejected"
    return "partially_accepted" if validated.errors.rejected_rows else "accepted"


class IntakeService:
    """Receives deliveries for every statistic through one path."""

    def __init__(self, settings: Settings, catalogue: Catalogue, clock: Clock) -> None:
        self.settings = settings
        self.catalogue = catalogue
        self.clock = clock
        self.raw = RawZone(settings.raw_zone)

    def receive(
        self,
        policy: Policy,
        chunks: Iterable[bytes],
        sender: Sender,
        *,
        media_type: str = "text/csv",
        header: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Store, validate and record one delivery; returns the intake report."""
        received = self.clock()
        blob = self.raw.store(chunks, max_bytes=self.settings.max_body_bytes)
        # R-IN-2, issue 13.11: only an accepted delivery of this sender scope and header makes
        # a resend a no-op; rejected bytes and other municipalities' deliveries are never seen
        earlier = self._accepted_with(
            acceptance_key(policy.fmt.statistic, blob.sha256, sender.scope, header)
        )
        if earlier is not None:
            return earlier
        base = self._base_report(policy, blob, sender, received, header or {})
        attempt = staging_attempt(self.settings, policy.fmt.statistic)
        try:
            return self._judge(policy, blob, sender, media_type, received, header, base, attempt)
        finally:
            attempt.unlink(missing_ok=True)

    def record_rejected(
        self,
        policy: Policy,
        blob: StoredBlob,
        sender: Sender,
        media_type: str,
        exc: HandistatError,
        header: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A stored original refused before validation (an XLSX that cannot be converted):
        recorded as a rejected delivery, so no raw blob is without its catalogue row."""
        received = self.clock()
        base = self._base_report(policy, blob, sender, received, header or {})
        report = {**base, "outcome": "rejected", "message": exc.message, **exc.details}
        report["delivery_id"] = self._record(
            policy, blob, sender, media_type, received, header, report
        )
        return report

    def _judge(
        self,
        policy: Policy,
        blob: StoredBlob,
        sender: Sender,
        media_type: str,
        received: dt.datetime,
        header: dict[str, str] | None,
        base: dict[str, Any],
        attempt: Path,
    ) -> dict[str, Any]:
        try:
            validated = self.validate(policy, blob, media_type, received, sender.scope, attempt)
        except DeliveryRejected as exc:
            report = {**base, "outcome": "rejected", "message": exc.message, **exc.details}
            self._record(policy, blob, sender, media_type, received, header, report)
            raise DeliveryRejected(exc.message, details={**exc.details, "report": report}) from exc
        report = {**base, **self._summary(policy, validated)}
        if report["outcome"] == "rejected":
            # R-IN-5: a HANDBU delivery with no row for the sender's municipalities is 403;
            # GENBRUG's scope is its header (checked before), rows against it are R-GB-2's 422
            foreign = policy.fmt.statistic == "handbu" and outside_scope(validated, sender.scope)
            if foreign:
                report["message"] = FOREIGN_MESSAGE
            report["delivery_id"] = self._record(
                policy, blob, sender, media_type, received, header, report
            )
            error = NotAuthorised if foreign else DeliveryRejected
            raise error(report["message"], details={"report": report})
        key = acceptance_key(policy.fmt.statistic, blob.sha256, sender.scope, header)
        try:
            delivery_id = self._record(
                policy, blob, sender, media_type, received, header, report, key
            )
        except IntegrityError:
            winner = self._accepted_with(key)
            if winner is None:
                raise
            return winner  # the same bytes won a race a moment ago: 200 duplicate_of
        publish_staged(attempt, staged_path(self.settings, policy.fmt.statistic, delivery_id))
        report["delivery_id"] = delivery_id
        return report

    def validate(
        self,
        policy: Policy,
        blob: StoredBlob,
        media_type: str,
        received: dt.datetime,
        scope: frozenset[str] | None,
        out: Path,
    ) -> Validated:
        """Structural validation; the accepted rows go to `out` (a private staging file)."""
        body = parse_body(blob, policy.fmt, media_type)
        return validate_to_parquet(
            body,
            policy.fmt,
            out,
            today=today_copenhagen(lambda: received),
            cap=self.settings.error_cap_per_code,
            scope=scope,
            scope_column=policy.scope_column,
        )

    def _accepted_with(self, key: str) -> dict[str, Any] | None:
        with self.catalogue.session() as s:
            found = s.scalar(select(Delivery).where(Delivery.accepted_key == key))
            if found is None:
                return None
            return {
                **found.report,
                "delivery_id": found.id,
                "duplicate_of": found.id,
                "message": f"de samme bytes er allerede modtaget som leverance {found.id} "
                f"({found.outcome}); intet er ændret",
            }

    @staticmethod
    def _base_report(
        policy: Policy,
        blob: StoredBlob,
        sender: Sender,
        received: dt.datetime,
        header: dict[str, str],
    ) -> dict[str, Any]:
        return {
            "statistic": policy.fmt.statistic,
            "sha256": blob.sha256,
            "size_bytes": blob.size,
            "received_at": received.isoformat(),
            "sender": sender.name,
            "header": header,
            "partial_acceptance": policy.partial_ok,
            "scope": sorted(sender.scope) if sender.scope is not None else None,
        }

    @staticmethod
    def _summary(policy: Policy, v: Validated) -> dict[str, Any]:
        outcome = outcome_of(v, policy.partial_ok)
        rejected = len(v.errors.rejected_rows)
        accepted = v.rows_accepted if outcome != "rejected" else 0
        if outcome == "rejected" and not policy.partial_ok and v.rows_total == 0:
            message = "en fuld leverance uden rækker afvises, da den ville slette alle udlån"
        elif outcome == "rejected" and not policy.partial_ok:
            message = (
                f"hele leverancen er afvist: {rejected} rækker har fejl; en fuld "
                "leverance skal være fejlfri, da den erstatter den forrige"
            )
        else:
            message = f"{accepted} rækker modtaget, {rejected} rækker afvist"
        if v.superseded_total and outcome != "rejected":
            message += (
                f"; {v.superseded_total} rækker erstattet af en senere række med samme nøgle "
                "i leverancen"
            )
        return {
            "outcome": outcome,
            "rows_total": v.rows_total,
            "rows_accepted": accepted,
            "rows_rejected": rejected,
            "message": message,
            "warnings": v.warnings,
            "rows_superseded": v.superseded_total,
            "superseded": v.superseded,
            **v.errors.as_dict(),
        }

    def _record(
        self,
        policy: Policy,
        blob: StoredBlob,
        sender: Sender,
        media_type: str,
        received: dt.datetime,
        header: dict[str, str] | None,
        report: dict[str, Any],
        accepted_key: str | None = None,
    ) -> int:
        header = header or {}
        kommune = header.get("indberetningskommune") or (
            next(iter(sender.scope)) if sender.scope and len(sender.scope) == 1 else None
        )
        with self.catalogue.session() as s:
            row = Delivery(
                statistic=policy.fmt.statistic,
                sha256=blob.sha256,
                kommune=kommune,
                sender=sender.name,
                channel=sender.channel,
                media_type=media_type,
                kildesystem=header.get("kildesystem"),
                udtraeksdato=header.get("udtraeksdato"),
                received_at=received,
                size_bytes=blob.size,
                rows_total=int(report.get("rows_total", 0)),
                rows_accepted=int(report.get("rows_accepted", 0)),
                rows_rejected=int(report.get("rows_rejected", 0)),
                outcome=str(report["outcome"]),
                report=report,
                accepted_key=accepted_key,
            )
            s.add(row)
            s.flush()
            s.add(
                AuditEvent(
                    at=received,
                    actor=sender.name,
                    action="delivery.received",
                    subject=policy.fmt.statistic,
                    delivery_id=row.id,
                    details={"outcome": row.outcome, "sha256": blob.sha256},
                )
            )
            return row.id
