"""One small synthetic world per test session (it takes about a second)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handistat.synth import SynthSummary, generate

SEED = 20260630


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    out = tmp_path_factory.mktemp("synth-small")
    return out, generate("small", SEED, out)


@pytest.fixture(scope="session")
def small_out(small_world: tuple[Path, SynthSummary]) -> Path:
    return small_world[0]
