"""`benchmarks/expressions.py` (issue 15): each pair of forms is measured on the staged rows
and compared row by row, and a pair that differs is reported, not hidden. No timing is
asserted here; the figures are in `benchmarks/README.md`."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from benchmarks import expressions


def _staged(tmp_path: Path, cprs: list[str | None]) -> Path:
    folder = tmp_path / "data" / "staged" / "genbrug"
    folder.mkdir(parents=True)
    values = ", ".join("(NULL)" if c is None else f"('{c}')" for c in cprs)
    duckdb.sql(
        f"COPY (SELECT * FROM (VALUES {values}) AS t(cpr)) TO '{folder / 'a.parquet'}' "
        "(FORMAT parquet)"
    )
    return tmp_path / "data"


def test_the_cpr_forms_are_measured_and_agree(tmp_path: Path) -> None:
    data = _staged(tmp_path, ["0101101234", "010110-1234", " 0101101234 ", "x", None])
    result = expressions.measure(data, rounds=2)
    assert result["rows"] == 5
    cpr = result["cpr_digits"]
    assert cpr["rows_differing"] == 0
    assert len(cpr["runs"]["before"]) == len(cpr["runs"]["after"]) == 2


def test_a_pair_that_differs_is_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _staged(tmp_path, ["0101101234", "010110-1234", " 0101101234 "])
    monkeypatch.setattr(expressions, "PAIRS", {"wrong": ("trim(cpr)", "cpr")})
    assert expressions.measure(data, rounds=1)["wrong"]["rows_differing"] == 1


def test_the_result_says_where_it_came_from(tmp_path: Path) -> None:
    data = _staged(tmp_path, ["0101101234"])
    out = tmp_path / "out.json"
    assert expressions.main([str(data), "--rounds", "1", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["command"].startswith("python -m benchmarks.expressions ")
    assert str(out) in result["command"]
    assert len(result["load_1min"]) == 2 and result["machine"]["cores"] >= 1
    assert result["cpr_digits"]["rows_differing"] == 0
