"""DuckDB's memory limit is derived from the machine unless set (R-PERF-1 memory, issue 15)."""

from __future__ import annotations

import duckdb
import pytest

from handistat.settings import load_settings, machine_memory_limit

GIB = 2**30


@pytest.mark.parametrize(
    ("physical", "cores", "expected"),
    [
        (int(23.5 * GIB), 2, "3008MiB"),  # this machine: RAM / 8 (23.5 GiB / 8 = 3,008 MiB)
        (64 * GIB, 2, "3072MiB"),  # 1.5 GiB per core caps a large machine with few cores
        (64 * GIB, 32, "8192MiB"),  # RAM / 8
        (GIB, 1, "256MiB"),  # never below 256 MiB
    ],
)
def test_limit_is_the_smaller_of_an_eighth_of_ram_and_1_5_gib_per_core(
    physical: int, cores: int, expected: str
) -> None:
    assert machine_memory_limit(physical, cores) == expected


def test_default_is_derived_and_duckdb_accepts_it() -> None:
    limit = load_settings().duckdb_memory_limit
    assert limit == machine_memory_limit()
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{limit}'")  # a value DuckDB understands


def test_setting_overrides_the_derived_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDISTAT_DUCKDB_MEMORY_LIMIT", "5GB")
    assert load_settings().duckdb_memory_limit == "5GB"
