"""The generator's entry point: population, deliveries and ground truth in one folder."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from handistat.synth.config import SILENT_KOMMUNE, Scale, scale_config
from handistat.synth.forked import available_processes
from handistat.synth.genbrug import generate_genbrug
from handistat.synth.handbu_episodes import TrueEpisode, generate_episodes
from handistat.synth.handbu_model import Sent
from handistat.synth.handbu_plan import plan_rows
from handistat.synth.handbu_schedule import Timetable
from handistat.synth.handbu_write import write_deliveries
from handistat.synth.population import Population, generate_population
from handistat.synth.population_io import write_population
from handistat.synth.truth.genbrug_run import write_genbrug_truth
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
    genbrug_recipients: int
    genbrug_rows: int
    genbrug_deliveries: int


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


@dataclass(frozen=True)
class _HandbuPlan:
    episodes: list[TrueEpisode]
    sent: list[Sent]
    planted: Counter[str]


def _plan_handbu(config: Scale, pop: Population, seed: int) -> _HandbuPlan:
    """True episodes and every row to deliver (adjusts a few persons of the population)."""
    episodes = generate_episodes(pop, config, seed)
    delivering = tuple(k for k in config.kommuner if k != SILENT_KOMMUNE)
    timetable = Timetable(random.Random(f"{seed}:handbu-timetable"), delivering, config.cadences)
    sent, planted = plan_rows(pop, episodes, timetable, seed)
    return _HandbuPlan(episodes, sent, planted)


def generate(
    scale: str, seed: int, out: Path, history: bool = False, processes: int | None = None
) -> SynthSummary:
    """Write a synthetic world for ``scale`` (``small`` or ``national``) under ``out``.

    Same ``scale`` and ``seed`` give byte-identical files, whatever ``processes`` (how many
    forked processes write GENBRUG and its truth; default: the CPUs available). ``history``
    also writes every quarterly GENBRUG full load since 2022, not only the latest per
    municipality and system. Raises ValueError for an unknown scale.
    """
    processes = processes or available_processes()
    config = scale_config(scale)
    out = Path(out)
    _clear(out)
    pop = generate_population(config, seed)
    handbu = _plan_handbu(config, pop, seed)
    persons, spells = write_population(pop, out)
    files = write_deliveries(handbu.sent, out, seed)
    truth = write_handbu_truth(out, handbu.planted)
    _check(truth.episodes, handbu.episodes, pop)
    genbrug = generate_genbrug(pop, config, seed, out, history, processes)
    write_genbrug_truth(out, genbrug.planted, processes)
    children = len({e.person for e in handbu.episodes})
    return SynthSummary(
        scale, seed, persons, spells, children, len(handbu.episodes), len(handbu.sent),
        len(files), genbrug.recipients, genbrug.rows, genbrug.files,
    )  # fmt: skip
