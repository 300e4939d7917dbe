"""The generator's entry point: population, deliveries and ground truth in one folder."""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from handistat.synth.config import SILENT_KOMMUNE, Scale, scale_config
from handistat.synth.handbu_episodes import TrueEpisode, generate_episodes
from handistat.synth.handbu_plan import plan_rows
from handistat.synth.handbu_schedule import Timetable
from handistat.synth.handbu_write import write_deliveries
from handistat.synth.population import Population, generate_population
from handistat.synth.population_io import write_population
from handistat.synth.truth.handbu import Episode
from handistat.synth.truth.handbu_run import write_handbu_truth

_OWN_FOLDERS = ("population", "deliveries/handbu", "deliveries/genbrug", "truth")
_OWN_FILES = ("hmi_katalog.csv", "systemskifter.csv")


@dataclass(frozen=True)
class SynthSummary:
    """What was generated (counts only, never a CPR)."""

    scale: str
    seed: int
    persons: int
    residence_spells: int
    handbu_children: int
    handbu_episodes: int
    handbu_rows: int
    handbu_deliveries: int
    genbrug_loans: int = 0
    genbrug_deliveries: int = 0


def _clear(out: Path) -> None:
    """Remove what an earlier run wrote here, so no stale delivery file is left behind."""
    for folder in _OWN_FOLDERS:
        shutil.rmtree(out / folder, ignore_errors=True)
    for name in _OWN_FILES:
        (out / name).unlink(missing_ok=True)


def _check(truth: list[Episode], planned: list[TrueEpisode], pop: Population) -> None:
    """The truth computed from the files must be the episodes the generator planned."""
    expected = {(pop.cpr[e.person], e.indsats, e.kommune, e.start, e.slut) for e in planned}
    found = {(e.cpr, e.indsats, e.kommune, e.start, e.slut) for e in truth}
    if expected != found:
        missing, extra = len(expected - found), len(found - expected)
        raise RuntimeError(f"generator bug: {missing} planned episodes missing, {extra} extra")


def _handbu(config: Scale, pop: Population, seed: int, out: Path) -> tuple[int, int, int, int]:
    episodes = generate_episodes(pop, config, seed)
    delivering = tuple(k for k in config.kommuner if k != SILENT_KOMMUNE)
    timetable = Timetable(random.Random(f"{seed}:handbu-timetable"), delivering, config.cadences)
    sent, planted = plan_rows(pop, episodes, timetable, seed)
    write_population(pop, out)
    files = write_deliveries(sent, out, seed)
    truth = write_handbu_truth(out, planted)
    _check(truth.episodes, episodes, pop)
    return len({e.person for e in episodes}), len(episodes), len(sent), len(files)


def generate(scale: str, seed: int, out: Path, history: bool = False) -> SynthSummary:
    """Write a synthetic world for ``scale`` (``small`` or ``national``) under ``out``.

    Same ``scale`` and ``seed`` give byte-identical files. ``history`` also writes every
    quarterly GENBRUG full load since 2022, not only the latest per municipality and system.
    """
    config = scale_config(scale)
    out = Path(out)
    _clear(out)
    pop = generate_population(config, seed)
    children, episodes, rows, deliveries = _handbu(config, pop, seed, out)
    persons, spells = len(pop), sum(len(pop.spells(i)) for i in range(len(pop)))
    return SynthSummary(scale, seed, persons, spells, children, episodes, rows, deliveries)
