"""GENBRUG: the HMI catalogue, every depot's full loads and the system switch (R-SYN-2)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from handistat.synth.config import SILENT_KOMMUNE, Scale
from handistat.synth.genbrug_catalogue import make_catalogue, write_catalogue
from handistat.synth.genbrug_loans import LoanMaker, is_recipient, reporter_of
from handistat.synth.genbrug_quirks import add_quirks
from handistat.synth.genbrug_write import depot, loads, write_load, write_systemskifter
from handistat.synth.population import Population


@dataclass(frozen=True)
class GenbrugResult:
    recipients: int
    rows: int
    files: int
    planted: Counter[str]


def recipients_by_reporter(pop: Population, scale: Scale, seed: int) -> dict[str, list[int]]:
    """Recipients under every depot that may report one of their loans."""
    rng = random.Random(f"{seed}:genbrug-recipients")
    by_reporter: dict[str, list[int]] = defaultdict(list)
    for i in range(len(pop)):
        if not is_recipient(pop, i, rng, scale.genbrug_factor):
            continue
        reporters = {reporter_of(k) for k, _, _ in pop.spells(i)} or {"661"}
        for reporter in sorted(reporters - {SILENT_KOMMUNE}):
            by_reporter[reporter].append(i)
    return by_reporter


def generate_genbrug(
    pop: Population, scale: Scale, seed: int, out: Path, history: bool
) -> GenbrugResult:
    """Write ``hmi_katalog.csv``, ``systemskifter.csv`` and ``deliveries/genbrug``."""
    catalogue = make_catalogue(seed, scale.hmi_products)
    write_catalogue(catalogue, out)
    write_systemskifter(out)
    maker = LoanMaker(pop, catalogue, seed)
    planted: Counter[str] = Counter()
    rows = files = 0
    by_reporter = recipients_by_reporter(pop, scale, seed)
    for reporter in sorted(by_reporter):
        people = by_reporter[reporter]
        loans = [x for i in people for x in maker.loans(i) if x.reporter == reporter]
        deaths = {i: pop.death[i] for i in people if pop.death[i]}
        quirk_rng = random.Random(f"{seed}:genbrug-quirks:{reporter}")
        written, counts = add_quirks(quirk_rng, reporter, loans, deaths, catalogue)
        planted.update(counts)
        d = depot(reporter, seed)
        for load in loads(d, written, seed, history):
            rows += write_load(d, load, out)
            files += 1
    recipients = len({i for people in by_reporter.values() for i in people})
    return GenbrugResult(recipients, rows, files, planted)
