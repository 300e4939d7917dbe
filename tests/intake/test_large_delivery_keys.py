"""A delivery read in many batches (R-PERF-3, issue 15 item 2): repeated keys are found from a
64-bit hash of each accepted row's key, and only the rows whose hash repeats are checked
again. The outcome equals the one-batch path, which checks every row (R-HB-1: the last row of
a key wins; GENBRUG: every row of a repeated `udlaan_id` is rejected)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import pyarrow.parquet as pq
import pytest
from tests.conftest import NOW
from tests.register.genbrug_helpers import load

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.intake import parse, validate
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.service import Sender, staged_path
from handistat.settings import load_settings

HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"
CHILD = "1506154001"  # made up: girl born 2015-06-15
P1 = "0101501001"  # made up


def handbu_rows() -> list[str]:
    rows = [f"101;r{i};{CHILD};SEL32;2023-01-{1 + i % 28:02d};;" for i in range(30)]
    rows[7] = f"101;r2;{CHILD};SEL32;2023-02-01;;"  # r2 again, later in another batch
    rows[12] = f"101;r2;{CHILD};SEL32;2023-03-01;;annulleret"  # and a third time
    rows[20] = f"147;r3;{CHILD};SEL32;2023-01-01;;"  # same id, other municipality: no repeat
    rows[25] = f"101;r5;{CHILD};SEL99;2023-01-01;;"  # r5 again but invalid: not a repeat
    rows[28] = f"101;r4;{CHILD};SEL32"  # ragged
    rows[29] = f"101;r6;{CHILD};SEL32;2023-05-01;;"  # r6 again
    return rows


def many_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Read 256-byte blocks and hand on every block: a 30-row body is ~8 batches."""
    monkeypatch.setattr(parse, "BLOCK_SIZE", 256)
    monkeypatch.setattr(parse, "BATCH_ROWS", 1)
    calls: list[int] = []
    checked = validate._checked

    def counted(sql: str, batch: Any) -> Any:
        calls.append(batch.num_rows)
        return checked(sql, batch)

    monkeypatch.setattr(validate, "_checked", counted)
    return calls


def fresh_app(path: Path) -> App:
    application = App(load_settings(data_dir=path / "data"), fixed_clock(NOW))
    application.init()
    return application


def handbu(app: App, body: bytes) -> dict[str, Any]:
    report: dict[str, Any] = app.intake.receive(HANDBU_POLICY, [body], Sender("test", None))
    return report


def staged(app: App, statistic: str, report: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(
        staged_path(app.settings, statistic, report["delivery_id"])
    ).to_pylist()
    return rows


def test_last_row_of_a_key_wins_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (HEADER + "\n" + "\n".join(handbu_rows()) + "\n").encode()
    one = fresh_app(tmp_path / "one")
    expected = handbu(one, body)
    calls = many_batches(monkeypatch)
    many = fresh_app(tmp_path / "many")
    got = handbu(many, body)
    assert len(calls) > 3
    assert got == expected
    assert staged(many, "handbu", got) == staged(one, "handbu", expected)
    assert [(s["row"], s["replaced_by_row"]) for s in got["superseded"]] == [
        (4, 14),  # r2: rows 4 and 9 are replaced by row 14
        (8, 31),  # r6
        (9, 14),
    ]


def test_no_repeated_key_needs_no_second_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [f"101;u{i};{CHILD};SEL32;2023-01-01;;" for i in range(30)]
    many_batches(monkeypatch)

    def never(*args: object) -> NoReturn:
        raise AssertionError("the staged rows were read again")

    monkeypatch.setattr(validate, "_keep_last_row", never)
    report = handbu(fresh_app(tmp_path), (HEADER + "\n" + "\n".join(rows) + "\n").encode())
    assert (report["rows_accepted"], report["rows_superseded"]) == (30, 0)


def test_a_repeated_loan_id_rejects_a_full_load_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [f"101;101;u{i};1001;{P1};;2023-01-10;" for i in range(30)]
    rows[17] = f"101;101;u3;1001;{P1};;2023-02-10;"  # u3 again, in a later batch
    one = fresh_app(tmp_path / "one")
    expected = load(one, "101", "A", "2024-01-05", rows)
    calls = many_batches(monkeypatch)
    got = load(fresh_app(tmp_path / "many"), "101", "A", "2024-01-05", rows)
    assert len(calls) > 3
    assert got == expected
    assert got["rejected"] is True
    assert [(e["row"], e["code"]) for e in got["errors"]] == [  # type: ignore[union-attr]
        (5, "DUPLICATE_ID"),
        (19, "DUPLICATE_ID"),
    ]
