"""Portal deliveries: an uploaded file (CSV, or XLSX converted to the §2.1/§2.2 CSV first) and
a single record keyed in the entry form (sent as a one-record JSON delivery). Both go through
the same intake as every other delivery (R-IN-1 b, c); an XLSX file's original bytes are kept
in the raw zone next to the CSV made from it.
"""

from __future__ import annotations

import json
import re
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from handistat.accounts.models import UploadOriginal
from handistat.api.deps import Principal
from handistat.errors import DeliveryRejected, HandistatError, NotAuthorised, PayloadTooLarge
from handistat.intake.genbrug import genbrug_header, genbrug_policy, receive_full_load
from handistat.intake.policies import GENBRUG_POLICY, HANDBU_POLICY
from handistat.intake.rawzone import RawZone, StoredBlob, read_chunks
from handistat.intake.service import Sender
from handistat.intake.xlsx import xlsx_to_csv

if TYPE_CHECKING:
    from handistat.app import App

XLSX_MAGIC = b"PK\x03\x04"
GENBRUG_FIELDS = ("indberetningskommune", "kildesystem", "udtraeksdato")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_filename(name: str | None) -> str:
    """Only the last path part, printable and short (never a path from the client)."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^\w.\- ]", "_", base).strip(" .")
    return cleaned[:120] or "upload"


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        yield chunk


def is_xlsx(filename: str, handle: IO[bytes]) -> bool:
    handle.seek(0)
    head = handle.read(4)
    handle.seek(0)
    return filename.lower().endswith(".xlsx") or head == XLSX_MAGIC


def _receive(
    application: App,
    statistic: str,
    chunks: Iterable[bytes],
    sender: Sender,
    header: dict[str, str],
) -> dict[str, Any]:
    if statistic == "genbrug":
        return receive_full_load(
            application.intake,
            chunks,
            sender,
            kommune=header["indberetningskommune"],
            kildesystem=header["kildesystem"],
            udtraeksdato=header["udtraeksdato"],
        )
    return application.intake.receive(HANDBU_POLICY, chunks, sender)


def report_of(exc: HandistatError) -> dict[str, Any]:
    found = exc.details.get("report")
    if isinstance(found, dict):
        return found
    return {"outcome": "rejected", "message": exc.message, "errors": []}


def receive_upload(
    application: App,
    principal: Principal,
    kommune: str,
    statistic: str,
    upload: IO[bytes],
    filename: str,
    header: dict[str, str],
) -> dict[str, Any]:
    """One uploaded file → the intake report (rejections are reports too)."""
    sender = Sender(principal.name, frozenset({kommune}), "portal")
    name = safe_filename(filename)
    try:
        if not is_xlsx(name, upload):
            return _receive(application, statistic, _chunks(upload), sender, header)
        original = RawZone(application.settings.raw_zone).store(
            _chunks(upload), max_bytes=application.settings.max_body_bytes
        )
        with tempfile.TemporaryDirectory(dir=application.settings.data_dir) as tmp:
            converted = Path(tmp) / "upload.csv"
            try:
                xlsx_to_csv(upload, converted)
            except (DeliveryRejected, PayloadTooLarge) as exc:  # issue 13.8: recorded too
                report = _refused_original(application, statistic, original, sender, header, exc)
                _keep_original(application, principal, report, original.sha256, name)
                return {**report, "original": {"filnavn": name, "sha256": original.sha256}}
            try:
                report = _receive(application, statistic, read_chunks(converted), sender, header)
            except (DeliveryRejected, NotAuthorised) as exc:  # R-IN-5: 403 is a report too
                report = report_of(exc)
        _keep_original(application, principal, report, original.sha256, name)
        return {**report, "original": {"filnavn": name, "sha256": original.sha256}}
    except (DeliveryRejected, NotAuthorised) as exc:  # R-IN-5: 403 is a report too
        return report_of(exc)


def _refused_original(
    application: App,
    statistic: str,
    original: StoredBlob,
    sender: Sender,
    header: dict[str, str],
    exc: HandistatError,
) -> dict[str, Any]:
    """An XLSX refused before conversion is a rejected delivery of its original bytes; the
        report of a workbook too large carries the 413 the portal answers with (a broken one is
    shown like every rejected report)."""
    policy, given = HANDBU_POLICY, None
    if statistic == "genbrug":
        policy = GENBRUG_POLICY
        try:
            given = genbrug_header(*(header[k] for k in GENBRUG_FIELDS))
            policy = genbrug_policy(given)
        except DeliveryRejected:
            given = None  # recorded without the (invalid) header
    report = application.intake.record_rejected(policy, original, sender, XLSX_TYPE, exc, given)
    if isinstance(exc, PayloadTooLarge):
        report["http_status"] = exc.http_status
    return report


def _keep_original(
    application: App, principal: Principal, report: dict[str, Any], sha256: str, name: str
) -> None:
    with application.catalogue.session() as s:
        s.add(
            UploadOriginal(
                delivery_id=report.get("delivery_id"),
                sha256=sha256,
                filename=name,
                media_type=XLSX_TYPE,
                uploaded_by=principal.name,
                uploaded_at=application.clock(),
            )
        )


def entry_delivery(
    application: App, principal: Principal, kommune: str, record: dict[str, str]
) -> dict[str, Any]:
    """One record from the entry form as a one-record JSON delivery; a random submission id
    makes the bytes unique, so sending a record back to an earlier version is never a
    no-op duplicate."""
    body = {
        "kommune": kommune,
        "indsendelse": uuid.uuid4().hex,
        "indsendt": application.clock().isoformat(),
        "indsendt_af": principal.name,
        "records": [record],
    }
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    sender = Sender(principal.name, frozenset({kommune}), "portal-form")
    try:
        return application.intake.receive(
            HANDBU_POLICY, [data], sender, media_type="application/json"
        )
    except (DeliveryRejected, NotAuthorised) as exc:  # R-IN-5: 403 is a report too
        return report_of(exc)
