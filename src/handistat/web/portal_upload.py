"""Portal deliveries: an uploaded file (CSV, or XLSX converted to the §2.1/§2.2 CSV first) and
a single record keyed in the entry form (sent as a one-record JSON delivery). Both go through
the same intake as every other delivery (R-IN-1 b, c); an XLSX file's original bytes are kept
in the raw zone next to the CSV made from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from handistat.accounts.models import UploadOriginal
from handistat.api.deps import Principal
from handistat.errors import DeliveryRejected, HandistatError, NotAuthorised
from handistat.intake.genbrug import receive_full_load
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rawzone import RawZone, read_chunks
from handistat.intake.service import Sender

if TYPE_CHECKING:
    from handistat.app import App

XLSX_MAGIC = b"PK\x03\x04"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PADDED = {"kommune": 3, "indberetningskommune": 3, "betalingskommune": 3, "cpr": 10}
"""Spreadsheets turn codes into numbers and drop leading zeros; they are put back."""


def safe_filename(name: str | None) -> str:
    """Only the last path part, printable and short (never a path from the client)."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^\w.\- ]", "_", base).strip(" .")
    return cleaned[:120] or "upload"


def _cell(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    width = PADDED.get(column)
    return text.zfill(width) if width and isinstance(value, int) else text


def xlsx_to_csv(source: IO[bytes], target: Path) -> int:
    """The first sheet as `;`-separated UTF-8 CSV; returns the number of data rows."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DeliveryRejected(
            "regnearket kan ikke læses som XLSX; gem det igen som .xlsx eller send CSV",
            details={"code": "BAD_XLSX"},
        ) from exc
    rows = 0
    try:
        sheet = book.worksheets[0]
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=";", lineterminator="\n")
            header: list[str] = []
            for values in sheet.iter_rows(values_only=True):
                if not header:
                    header = [_cell(v, "").casefold() for v in values]
                    writer.writerow(header)
                    continue
                if all(v is None for v in values):
                    continue
                writer.writerow(_cell(v, c) for v, c in zip(values, header, strict=False))
                rows += 1
    finally:
        book.close()
    return rows


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
            xlsx_to_csv(upload, converted)
            try:
                report = _receive(application, statistic, read_chunks(converted), sender, header)
            except (DeliveryRejected, NotAuthorised) as exc:  # R-IN-5: 403 is a report too
                report = report_of(exc)
        _keep_original(application, principal, report, original.sha256, name)
        return {**report, "original": {"filnavn": name, "sha256": original.sha256}}
    except (DeliveryRejected, NotAuthorised) as exc:  # R-IN-5: 403 is a report too
        return report_of(exc)


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
