"""The independent attacker of `benchmarks.independent_audit` (issue 9, R-SDC-3): it must see
through a pattern with primaries alone, and find nothing in the protected release of the small
world (no published count of 1-2, no primary narrower than p)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from benchmarks.disclosure import true_cube
from benchmarks.independent_audit import independent_audit

from handistat.disclosure.protect import protect_tables
from handistat.disclosure.suppress import Parameters
from handistat.synth import generate
from handistat.tables.cube import Cube
from handistat.tables.handbu import HANDBU_TABLES

YEARS = [2023, 2024, 2025]


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Cube]:
    out = tmp_path_factory.mktemp("small")
    generate("small", 1, out, processes=1)
    folder = out / "truth" / "tables"
    return {s.id: true_cube(s, folder, YEARS) for s in HANDBU_TABLES}


def _primaries_only(raw: dict[str, Cube]) -> dict[str, Cube]:
    return {
        table_id: replace(
            cube,
            values={k: None if v is not None and 0 < v < 3 else v for k, v in cube.values.items()},
        )
        for table_id, cube in raw.items()
    }


def test_primaries_alone_are_seen_through(raw: dict[str, Cube]) -> None:
    verdict = independent_audit(_primaries_only(raw), raw, k=3, p=3)
    assert not verdict["passed"]
    assert verdict["published_counts_below_k"] == 0
    assert verdict["primaries_narrower_than_p"] > 0


def test_a_primary_shown_as_published_is_reported(raw: dict[str, Cube]) -> None:
    verdict = independent_audit(raw, raw, k=3, p=3)
    assert verdict["published_counts_below_k"] > 0 and not verdict["passed"]


def test_the_protected_release_of_the_small_world_passes(raw: dict[str, Cube]) -> None:
    tables = [(s, raw[s.id]) for s in HANDBU_TABLES]
    protected = protect_tables(tables, Parameters(k=3, p=3))
    assert protected.passed
    verdict = independent_audit(protected.tables, raw, k=3, p=3)
    assert verdict["published_counts_below_k"] == 0
    assert verdict["primaries_narrower_than_p"] == 0, verdict["examples"]
