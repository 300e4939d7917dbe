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
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from handistat.clock import COPENHAGEN, Clock, today_copenhagen
from handistat.errors import DeliveryRejected, HandistatError, NotAuthorised
from handistat.intake.direct import DIRECT_MIN_BYTES, validate_direct
from handistat.intake.parse import ParsedBody, check_header, parse_csv, parse_json
from handistat.intake.rawzone import RawZone, StoredBlob, read_chunks
from handistat.intake.rules import DeliveryFormat
from handistat.intake.validate import (
    FOREIGN_MESSAGE,
    Pending,
    Validated,
    outside_scope,
    validate_many,
    validate_to_parquet,
)
from handistat.settings import Settings
from handistat.stores.catalogue import AuditEvent, Catalogue, Delivery

JSON_TYPES = ("application/json",)
SMALL_FILE = 1 << 20
"""`receive_files` checks files up to this size together (one 8 MiB parser block holds it)."""
FILES_PER_BATCH = 256
STORE_THREADS = 4


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


def is_json(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() in JSON_TYPES


def check_body(blob: StoredBlob) -> None:
    """`DeliveryRejected` for a body that is empty or not UTF-8."""
    if blob.size == 0:
        raise DeliveryRejected("leverancen er tom", details={"code": "EMPTY"})
    if blob.utf8_error_offset is not None:
        raise DeliveryRejected(
            f"leverancen er ikke UTF-8 (første ugyldige byte ved position "
            f"{blob.utf8_error_offset}); gem filen som UTF-8 og send den igen",
            details={"code": "NOT_UTF8", "byte_offset": blob.utf8_error_offset},
        )


def parse_body(
    blob: StoredBlob,
    fmt: DeliveryFormat,
    media_type: str,
    checked_header: tuple[list[str], list[str]] | None = None,
) -> ParsedBody:
    """The body's rows. `checked_header`: a CSV body and header already checked (by the
    direct pass, before it handed the body back), so neither is checked again."""
    if checked_header is None:
        check_body(blob)
    if is_json(media_type):
        return parse_json(blob.path, fmt.known_columns, inherit=("kommune",))
    return parse_csv(blob.path, fmt.required_columns, fmt.known_columns, checked_header)


def outcome_of(validated: Validated, partial_ok: bool) -> str:
    if not partial_ok and validated.rows_total == 0:
        return "rejected"  # an empty full load would delete every loan
    if validated.errors.rejected_rows and not partial_ok:
        return "rejected"
    if validated.rows_accepted == 0 and validated.errors.rejected_rows:
        return "rejected"
    return "partially_accepted" if validated.errors.rejected_rows else "accepted"


@dataclass(frozen=True)
class Outcome:
    """One delivery of `receive_files`: its report, and the error `receive` would have raised
    for it (a rejected delivery), if any."""

    path: Path
    report: dict[str, Any]
    error: HandistatError | None = None


@dataclass
class _Stored:
    path: Path
    blob: StoredBlob
    received: dt.datetime
    key: str


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

    def receive_files(
        self, policy: Policy, paths: Sequence[Path], sender: Sender
    ) -> Iterator[Outcome]:
        """`receive` of each file in order, with the small files checked many at a time.

        Each file is stored in the raw zone on its own (atomically, fsynced) before anything
        reads it, and gets its own catalogue row, report and staged rows exactly as `receive`
        gives them; what is shared is the validation query (one per batch of files instead
        of one per file: its planning cost ~20 CPU-ms per small delivery, issue 15.6) and
        the catalogue transaction of the batch. A file that cannot be read is rejected on
        its own. Files larger than `SMALL_FILE` go through `receive`.

        The next files are stored by `STORE_THREADS` threads while a batch is judged: their
        fsyncs wait on the disk, not the CPU (11 ms of wall time per file one at a time,
        3 ms with four threads). Nothing reads a file before its own store has finished."""
        with ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="raw-zone") as pool:
            try:
                yield from self._receive_files(policy, paths, sender, pool)
            finally:
                pool.shutdown(cancel_futures=True)

    def _receive_files(
        self, policy: Policy, paths: Sequence[Path], sender: Sender, pool: ThreadPoolExecutor
    ) -> Iterator[Outcome]:
        ahead: deque[tuple[Path, dt.datetime | None, Future[StoredBlob] | None]] = deque()
        remaining = iter(paths)

        def store(path: Path) -> StoredBlob:
            return self.raw.store(read_chunks(path), max_bytes=self.settings.max_body_bytes)

        def look_ahead() -> None:
            # never past a large file: the clock is read in file order (`received_at`)
            while len(ahead) < 2 * FILES_PER_BATCH and not (ahead and ahead[-1][2] is None):
                path = next(remaining, None)
                if path is None:
                    return
                if path.stat().st_size > SMALL_FILE:
                    ahead.append((path, None, None))
                else:
                    ahead.append((path, self.clock(), pool.submit(store, path)))

        batch: list[_Stored] = []
        keys: set[str] = set()
        look_ahead()
        while ahead:
            path, received, stored = ahead.popleft()
            if received is None or stored is None:
                yield from self._receive_batch(policy, batch, sender)
                batch, keys = [], set()
                yield self._receive_one(policy, path, sender)
                look_ahead()
                continue
            blob = stored.result()
            key = acceptance_key(policy.fmt.statistic, blob.sha256, sender.scope, None)
            if key in keys or len(batch) >= FILES_PER_BATCH:
                # the same bytes again: judged once the first copy is recorded (R-IN-2)
                yield from self._receive_batch(policy, batch, sender)
                batch, keys = [], set()
            batch.append(_Stored(path, blob, received, key))
            keys.add(key)
            look_ahead()
        yield from self._receive_batch(policy, batch, sender)

    def _receive_one(self, policy: Policy, path: Path, sender: Sender) -> Outcome:
        try:
            return Outcome(path, self.receive(policy, read_chunks(path), sender))
        except (DeliveryRejected, NotAuthorised) as exc:
            report = exc.details.get("report", {"outcome": "rejected", "message": exc.message})
            return Outcome(path, report, exc)

    def _receive_batch(
        self, policy: Policy, batch: list[_Stored], sender: Sender
    ) -> Iterator[Outcome]:
        if not batch:
            return
        earlier = self._accepted_with_any([item.key for item in batch])
        todo = [item for item in batch if item.key not in earlier]
        attempts = [staging_attempt(self.settings, policy.fmt.statistic) for _ in todo]
        try:
            judged = self._judge_many(policy, todo, sender, attempts)
            outcomes = {id(item): outcome for item, outcome in zip(todo, judged, strict=True)}
        finally:
            for attempt in attempts:
                attempt.unlink(missing_ok=True)
        for item in batch:
            if item.key in earlier:
                yield Outcome(item.path, earlier[item.key])
            else:
                yield outcomes[id(item)]

    def _judge_many(
        self, policy: Policy, items: list[_Stored], sender: Sender, attempts: list[Path]
    ) -> list[Outcome]:
        """`_judge` of many stored files: one validation query, one catalogue transaction."""
        media_type = "text/csv"
        bases = [self._base_report(policy, item.blob, sender, item.received, {}) for item in items]
        results: list[Validated | DeliveryRejected | None] = [None] * len(items)
        pending: list[Pending] = []
        where: list[int] = []
        for index, (item, attempt) in enumerate(zip(items, attempts, strict=True)):
            try:
                body = parse_body(item.blob, policy.fmt, media_type)
            except DeliveryRejected as exc:
                results[index] = exc
                continue
            today = item.received.astimezone(COPENHAGEN).date()  # as `today_copenhagen`
            pending.append(Pending(body, attempt, today))
            where.append(index)
        checked = validate_many(
            pending,
            policy.fmt,
            cap=self.settings.error_cap_per_code,
            scope=sender.scope,
            scope_column=policy.scope_column,
        )
        for index, judged in zip(where, checked, strict=True):
            results[index] = judged
        reports: list[dict[str, Any]] = []
        errors: list[HandistatError | None] = []
        keys: list[str | None] = []
        for base, result in zip(bases, results, strict=True):
            report, error, key = self._verdict(policy, base, result, sender)
            reports.append(report)
            errors.append(error)
            keys.append(key)
        try:
            ids = self._record_many(policy, items, sender, media_type, reports, keys)
        except IntegrityError:  # the same bytes were accepted from elsewhere meanwhile
            return [
                self._record_one(policy, item, sender, media_type, report, error, key, attempt)
                for item, report, error, key, attempt in zip(
                    items, reports, errors, keys, attempts, strict=True
                )
            ]
        outcomes = []
        for item, report, error, key, attempt, delivery_id in zip(
            items, reports, errors, keys, attempts, ids, strict=True
        ):
            outcomes.append(self._recorded(policy, item, report, error, key, attempt, delivery_id))
        return outcomes

    def _verdict(
        self,
        policy: Policy,
        base: dict[str, Any],
        result: Validated | DeliveryRejected | None,
        sender: Sender,
    ) -> tuple[dict[str, Any], HandistatError | None, str | None]:
        """The report, the error `_judge` raises and the acceptance key, as `_judge` has them."""
        if not isinstance(result, Validated):
            exc = result or DeliveryRejected("leverancen blev ikke kontrolleret")
            report = {**base, "outcome": "rejected", "message": exc.message, **exc.details}
            details = {**exc.details, "report": report}
            return report, DeliveryRejected(exc.message, details=details), None
        report = {**base, **self._summary(policy, result)}
        if report["outcome"] != "rejected":
            key = acceptance_key(policy.fmt.statistic, base["sha256"], sender.scope, None)
            return report, None, key
        foreign = policy.fmt.statistic == "handbu" and outside_scope(result, sender.scope)
        if foreign:
            report["message"] = FOREIGN_MESSAGE
        error = NotAuthorised if foreign else DeliveryRejected
        return report, error(report["message"], details={"report": report}), None

    def _recorded(
        self,
        policy: Policy,
        item: _Stored,
        report: dict[str, Any],
        error: HandistatError | None,
        key: str | None,
        attempt: Path,
        delivery_id: int,
    ) -> Outcome:
        if error is not None:
            if report.get("rows_total") is not None:  # as `_judge`: a judged rejection
                report["delivery_id"] = delivery_id
            return Outcome(item.path, report, error)
        publish_staged(attempt, staged_path(self.settings, policy.fmt.statistic, delivery_id))
        report["delivery_id"] = delivery_id
        return Outcome(item.path, report)

    def _record_one(
        self,
        policy: Policy,
        item: _Stored,
        sender: Sender,
        media_type: str,
        report: dict[str, Any],
        error: HandistatError | None,
        key: str | None,
        attempt: Path,
    ) -> Outcome:
        try:
            delivery_id = self._record(
                policy, item.blob, sender, media_type, item.received, None, report, key
            )
        except IntegrityError:
            winner = self._accepted_with(key) if key is not None else None
            if winner is None:
                raise
            return Outcome(item.path, winner)
        return self._recorded(policy, item, report, error, key, attempt, delivery_id)

    def _accepted_with_any(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """`_accepted_with` of many keys in one query."""
        with self.catalogue.session() as s:
            found = s.scalars(select(Delivery).where(Delivery.accepted_key.in_(keys)))
            return {str(d.accepted_key): self._duplicate_report(d) for d in found}

    def _record_many(
        self,
        policy: Policy,
        items: list[_Stored],
        sender: Sender,
        media_type: str,
        reports: list[dict[str, Any]],
        keys: list[str | None],
    ) -> list[int]:
        """`_record` of many deliveries in one transaction; ids in the order given."""
        with self.catalogue.session() as s:
            rows = [
                self._delivery_row(
                    policy, item.blob, sender, media_type, item.received, None, report, key
                )
                for item, report, key in zip(items, reports, keys, strict=True)
            ]
            s.add_all(rows)
            s.flush()  # the unit of work inserts in the order added: ids in file order
            for item, row in zip(items, rows, strict=True):
                s.add(self._audit_event(policy, item.blob, sender, item.received, row))
            return [row.id for row in rows]

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
        """Structural validation; the accepted rows go to `out` (a private staging file).
        A large CSV body is tried in one DuckDB pass first (`intake.direct`); one with any
        error, or one that pass cannot vouch for, is judged by the general path."""
        today = today_copenhagen(lambda: received)
        cap = self.settings.error_cap_per_code
        fmt, column = policy.fmt, policy.scope_column
        header: tuple[list[str], list[str]] | None = None
        if blob.size >= DIRECT_MIN_BYTES and not is_json(media_type):
            check_body(blob)
            header = check_header(blob.path, fmt.required_columns, fmt.known_columns)
            direct = validate_direct(
                blob.path,
                *header,
                fmt,
                out,
                today=today,
                scope=scope,
                scope_column=column,
                cap=cap,
            )
            if direct is not None:
                return direct
        body = parse_body(blob, fmt, media_type, header)
        return validate_to_parquet(
            body, fmt, out, today=today, cap=cap, scope=scope, scope_column=column
        )

    def _accepted_with(self, key: str) -> dict[str, Any] | None:
        with self.catalogue.session() as s:
            found = s.scalar(select(Delivery).where(Delivery.accepted_key == key))
            return None if found is None else self._duplicate_report(found)

    @staticmethod
    def _duplicate_report(found: Delivery) -> dict[str, Any]:
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
        with self.catalogue.session() as s:
            row = self._delivery_row(
                policy, blob, sender, media_type, received, header, report, accepted_key
            )
            s.add(row)
            s.flush()
            s.add(self._audit_event(policy, blob, sender, received, row))
            return row.id

    @staticmethod
    def _delivery_row(
        policy: Policy,
        blob: StoredBlob,
        sender: Sender,
        media_type: str,
        received: dt.datetime,
        header: dict[str, str] | None,
        report: dict[str, Any],
        accepted_key: str | None,
    ) -> Delivery:
        header = header or {}
        kommune = header.get("indberetningskommune") or (
            next(iter(sender.scope)) if sender.scope and len(sender.scope) == 1 else None
        )
        return Delivery(
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

    @staticmethod
    def _audit_event(
        policy: Policy, blob: StoredBlob, sender: Sender, received: dt.datetime, row: Delivery
    ) -> AuditEvent:
        return AuditEvent(
            at=received,
            actor=sender.name,
            action="delivery.received",
            subject=policy.fmt.statistic,
            delivery_id=row.id,
            details={"outcome": row.outcome, "sha256": blob.sha256},
        )
