"""Compute and write the HANDBU truth from the generator's output folder."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from handistat.synth.config import YEARS
from handistat.synth.csvio import iso
from handistat.synth.truth.common import compute_cells, read_persons, write_lines, write_table
from handistat.synth.truth.handbu import (
    Episode,
    IntakeCounts,
    Record,
    current_records,
    delivered_rows,
    episodes,
    exact_duplicate_pairs,
    register,
    year_facts,
)
from handistat.synth.truth.handbu_tables import handbu_tables


@dataclass(frozen=True)
class HandbuTruth:
    episodes: list[Episode]
    summary: dict[str, object]


def _content(r: Record) -> tuple[object, ...]:
    return (r.cpr, r.paragraf, r.start, r.slut)


def _summary(
    counts: IntakeCounts,
    versions: dict[tuple[str, str], list[Record]],
    known: set[str],
    current: list[Record],
    all_episodes: list[Episode],
) -> dict[str, object]:
    accepted = [r for v in versions.values() for r in v]
    return {
        "deliveries": counts.files,
        "records_sent": counts.rows,
        "rows_invalid_cpr": counts.invalid_cpr,
        "rows_other_rejected": counts.other_rejected,
        "rows_unknown_cpr": sum(1 for r in accepted if r.cpr not in known),
        "records_annulled": sum(1 for v in versions.values() if v[-1].annulled),
        "records_corrected": sum(
            1 for v in versions.values() if not v[-1].annulled and len({_content(r) for r in v}) > 1
        ),
        "exact_duplicate_pairs": exact_duplicate_pairs(current),
        "records_counted": len(current),
        "episodes": len(all_episodes),
        "children": len({e.cpr for e in all_episodes}),
    }


def write_handbu_truth(out: Path, planted: Mapping[str, int]) -> HandbuTruth:
    """Read ``out``'s population and HANDBU deliveries; write ``out/truth`` for HANDBU."""
    counts = IntakeCounts()
    versions = register(delivered_rows(out / "deliveries" / "handbu", counts))
    persons = read_persons(out / "population", {r.cpr for v in versions.values() for r in v})
    current = current_records(versions, persons)
    all_episodes = episodes(current)
    facts = {year: year_facts(all_episodes, persons, year) for year in YEARS}
    for spec in handbu_tables():
        write_table(out / "truth" / "tables", spec, compute_cells(spec, facts))
    write_lines(
        out / "truth" / "handbu_episodes.csv",
        ("cpr", "indsats", "kommune", "start", "slut", "indsats_ids"),
        (
            (e.cpr, str(e.indsats), e.kommune, iso(e.start), iso(e.slut), "|".join(e.indsats_ids))
            for e in all_episodes
        ),
    )
    summary = _summary(counts, versions, set(persons), current, all_episodes)
    summary["children_counted"] = {str(y): len({f["person"] for f in facts[y]}) for y in YEARS}
    summary["episodes_counted"] = {str(y): len(facts[y]) for y in YEARS}
    summary["planted_quirks"] = dict(sorted(planted.items()))
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    (out / "truth" / "handbu_summary.json").write_text(text, encoding="utf-8")
    return HandbuTruth(all_episodes, summary)
