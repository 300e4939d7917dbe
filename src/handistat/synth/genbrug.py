"""GENBRUG: the HMI catalogue, every depot's full loads and the system switch (R-SYN-2)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from handistat.synth.config import SILENT_KOMMUNE, Scale
from handistat.synth.forked import fork_map
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
        reporters = {reporter_of(k) for k, _, _ in pop.spell_ordinals(i)} or {"661"}
        for reporter in sorted(reporters - {SILENT_KOMMUNE}):
            by_reporter[reporter].append(i)
    return by_reporter


def generate_genbrug(
    pop: Population, scale: Scale, seed: int, out: Path, history: bool, processes: int = 1
) -> GenbrugResult:
    """Write ``hmi_katalog.csv``, ``systemskifter.csv`` and ``deliveries/genbrug``.

    Each depot's loads in one of ``processes`` forked processes: the same files for any number.
    """
    catalogue = make_catalogue(seed, scale.hmi_products)
    write_catalogue(catalogue, out)
    write_systemskifter(out)
    maker = LoanMaker(pop, catalogue, seed)
    by_reporter = recipients_by_reporter(pop, scale, seed)

    def write_depot(reporter: str) -> tuple[int, int, Counter[str]]:
        """Rows and files written for ``reporter``'s depot, and the quirks planted."""
        people = by_reporter[reporter]
        loans = [x for i in people for x in maker.loans(i) if x.reporter == reporter]
        deaths = {i: pop.death[i] for i in people if pop.death[i]}
        quirk_rng = random.Random(f"{seed}:genbrug-quirks:{reporter}")
        written, counts = add_quirks(quirk_rng, reporter, loans, deaths, catalogue)
        d = depot(reporter, seed)
        rows = files = 0
        for load in loads(d, written, seed, history):
            rows += write_load(d, load, out)
            files += 1
        return rows, files, counts

    planted: Counter[str] = Counter()
    rows = files = 0
    for depot_rows, depot_files, counts in fork_map(write_depot, sorted(by_reporter), processes):
        rows, files = rows + depot_rows, files + depot_files
        planted.update(counts)
    recipients = len({i for people in by_reporter.values() for i in people})
    return GenbrugResult(recipients, rows, files, planted)
