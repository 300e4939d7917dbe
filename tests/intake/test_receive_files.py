"""Many HANDBU files at once (`IntakeService.receive_files`, issue 15.6): the small files share
one validation query and one catalogue transaction, and every file comes out exactly as
`receive` one by one gives it (R-IN-2..5, R-HB-1, R-CPR-5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from handistat.app import App
from handistat.clock import Clock
from handistat.errors import HandistatError
from handistat.intake import service
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rawzone import read_chunks
from handistat.intake.service import Sender, staged_path
from handistat.settings import load_settings
from handistat.stores.catalogue import AuditEvent, Delivery

HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"
CHILD = "1506154001"  # made up: girl born 2015-06-15
STAFF = Sender("test", None)
SCOPED = Sender("kommune 101", frozenset({"101"}), "api")

FILES: dict[str, bytes] = {
    "01_good.csv": f"{HEADER}\n101;a1;{CHILD};SEL32;2023-01-01;;\n".encode(),
    "02_same_bytes.csv": f"{HEADER}\n101;a1;{CHILD};SEL32;2023-01-01;;\n".encode(),
    "03_bad_header.csv": b"kommune,indsats_id\n101,x\n",
    "04_not_utf8.csv": f"{HEADER}\n101;a2;150615".encode() + b"\xff4001;SEL32;2023-01-01;;\n",
    "05_empty.csv": b"",
    "06_last_row_wins.csv": (
        f"{HEADER}\n101;k1;{CHILD};SEL32;2023-01-01;;\n"
        f"101;k1;{CHILD};SEL32;2023-02-01;;annulleret\n101;k2;{CHILD};SEL99;2023-01-01;;\n"
    ).encode(),
    "07_ragged.csv": (
        f"{HEADER}\n101;r1;{CHILD};SEL32;2023-01-01;;\n101;r2;{CHILD}\n"
        f"101;r3;{CHILD};SEL32;2023-01-01;2022-01-01;\n"
    ).encode(),
    "08_header_only.csv": f"{HEADER}\n".encode(),
    "09_columns_reordered.csv": (
        b"startdato;CPR;Kommune;paragraf;indsats_id;extra\n"
        b"2023-03-01;150615-4001;101;SEL32;y1;zz\n2023-13-01;0101011234;999;;y2;zz\n"
    ),
    "10_foreign_only.csv": f"{HEADER}\n147;f1;{CHILD};SEL32;2023-01-01;;\n".encode(),
    "11_next_year.csv": f"{HEADER}\n101;z1;{CHILD};SEL32;2026-09-02;;\n".encode(),
    "12_all_rejected.csv": f"{HEADER}\n101;b1;{CHILD};SEL99;2023-01-01;;\n".encode(),
    "13_good_again.csv": f"{HEADER}\n101;a1;{CHILD};SEL32;2023-01-01;;\n".encode(),
    "14_all_rejected_again.csv": f"{HEADER}\n101;b1;{CHILD};SEL99;2023-01-01;;\n".encode(),
}


def stepping_clock() -> Clock:
    """Half a day later at every call: the files are judged on different days, so the
    one-year-ahead rule (R-IN-3) and the grouping by day are exercised."""
    moments: Iterator[dt.datetime] = (
        dt.datetime(2025, 8, 30, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=12 * i)
        for i in range(10_000)
    )
    return lambda: next(moments)


def make_app(path: Path) -> App:
    application = App(load_settings(data_dir=path / "data"), stepping_clock())
    application.init()
    return application


def write_files(folder: Path) -> list[Path]:
    folder.mkdir()
    for name, body in FILES.items():
        (folder / name).write_bytes(body)
    return [folder / name for name in FILES]


def one_by_one(app: App, paths: list[Path], sender: Sender) -> list[tuple[Any, str | None]]:
    results: list[tuple[Any, str | None]] = []
    for path in paths:
        try:
            results.append((app.intake.receive(HANDBU_POLICY, read_chunks(path), sender), None))
        except HandistatError as exc:
            report = exc.details.get("report", {"outcome": "rejected", "message": exc.message})
            results.append((report, type(exc).__name__))
    return results


def together(app: App, paths: list[Path], sender: Sender) -> list[tuple[Any, str | None]]:
    return [
        (o.report, type(o.error).__name__ if o.error else None)
        for o in app.intake.receive_files(HANDBU_POLICY, paths, sender)
    ]


def stored(app: App) -> dict[str, Any]:
    """The catalogue rows, audit events and staged rows of every delivery."""
    with app.catalogue.session() as s:
        rows = s.scalars(select(Delivery).order_by(Delivery.id)).all()
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return {
            "deliveries": [
                (d.id, d.sha256, d.outcome, d.rows_total, d.rows_accepted, d.accepted_key, d.report)
                for d in rows
            ],
            "events": [(e.delivery_id, e.action, e.at, e.details) for e in events],
            "staged": {
                d.id: pq.read_table(staged_path(app.settings, "handbu", d.id)).to_pylist()
                for d in rows
                if staged_path(app.settings, "handbu", d.id).exists()
            },
        }


@pytest.mark.parametrize("sender", [STAFF, SCOPED], ids=["staff", "scoped"])
@pytest.mark.parametrize("per_batch", [256, 3], ids=["one-batch", "batches-of-3"])
def test_many_files_come_out_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sender: Sender, per_batch: int
) -> None:
    monkeypatch.setattr(service, "FILES_PER_BATCH", per_batch)
    paths = write_files(tmp_path / "files")
    paths = [*paths, paths[0], paths[11]]  # resent after the batch: duplicate / judged afresh
    before, after = make_app(tmp_path / "one"), make_app(tmp_path / "many")
    expected = one_by_one(before, paths, sender)
    got = together(after, paths, sender)
    assert got == expected
    assert stored(after) == stored(before)
    outcomes = [(report["outcome"], error) for report, error in got]
    assert outcomes[:5] == [
        ("accepted", None),
        ("accepted", None),  # the same bytes: duplicate_of the first
        ("rejected", "DeliveryRejected"),
        ("rejected", "DeliveryRejected"),
        ("rejected", "DeliveryRejected"),
    ]
    assert got[1][0]["duplicate_of"] == got[0][0]["delivery_id"]
    assert got[14][0]["duplicate_of"] == got[0][0]["delivery_id"]
    assert got[15][0]["delivery_id"] != got[11][0]["delivery_id"]  # rejected bytes judged anew
    assert got[5][0]["rows_superseded"] == 1  # R-HB-1 within its own file
    # judged on its own day (2025-09-04): within a year; on the first file's day it was not
    assert got[10][0]["outcome"] == "accepted"
    assert CHILD not in json.dumps([report for report, _ in got])  # R-IN-3, R-CPR-5
    if sender is SCOPED:
        assert got[9][1] == "NotAuthorised"  # R-IN-5: no row in scope is 403


def test_delivery_ids_follow_the_order_of_the_files(app: App, tmp_path: Path) -> None:
    paths = write_files(tmp_path / "files")
    reports = [o.report for o in app.intake.receive_files(HANDBU_POLICY, paths, STAFF)]
    ids = [r["delivery_id"] for r in reports if "delivery_id" in r and "duplicate_of" not in r]
    assert ids == sorted(ids)
    with app.catalogue.session() as s:
        shas = s.scalars(select(Delivery.sha256).order_by(Delivery.id)).all()
    # every file has its row in file order, but the two resends of accepted bytes
    unique = [p for p in paths if p.name not in ("02_same_bytes.csv", "13_good_again.csv")]
    assert shas == [hashlib.sha256(p.read_bytes()).hexdigest() for p in unique]


def test_a_large_file_goes_alone_between_the_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "SMALL_FILE", 60)  # 06 and 07 are "large"
    paths = write_files(tmp_path / "files")
    before, after = make_app(tmp_path / "one"), make_app(tmp_path / "many")
    assert together(after, paths, STAFF) == one_by_one(before, paths, STAFF)
    assert stored(after) == stored(before)
