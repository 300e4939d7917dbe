"""The population register: valid unique CPRs, plausible ages, consistent residence (R-CPR)."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path

from stdnum.dk import cpr as stdnum_cpr

from handistat.synth import refdata
from handistat.synth.config import SILENT_KOMMUNE, TODAY


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_every_cpr_is_valid_unique_and_matches_the_birth_date(small_out: Path) -> None:
    persons = _rows(small_out / "population" / "personer.csv")
    cprs = [p["cpr"] for p in persons]
    assert len(cprs) == len(set(cprs)) == 20_000
    for p in persons:
        assert len(p["cpr"]) == 10 and p["cpr"].isdigit()
        born = stdnum_cpr.get_birth_date(p["cpr"])  # raises on an impossible date
        assert born <= TODAY
        if p["foedselsdato"]:
            assert dt.date.fromisoformat(p["foedselsdato"]) == born
        if p["doedsdato"]:
            assert born <= dt.date.fromisoformat(p["doedsdato"]) <= TODAY


def test_sex_and_birth_date_are_rarely_missing(small_out: Path) -> None:
    persons = _rows(small_out / "population" / "personer.csv")
    assert {p["koen"] for p in persons} == {"M", "K", ""}
    assert 0 < sum(1 for p in persons if not p["koen"]) < 40
    assert 0 < sum(1 for p in persons if not p["foedselsdato"]) < 40


def test_age_structure_is_plausible(small_out: Path) -> None:
    persons = _rows(small_out / "population" / "personer.csv")
    alive = [p for p in persons if not p["doedsdato"] and p["foedselsdato"]]
    ages = [(TODAY - dt.date.fromisoformat(p["foedselsdato"])).days // 365 for p in alive]
    children = sum(1 for a in ages if a < 18) / len(ages)
    elderly = sum(1 for a in ages if a >= 65) / len(ages)
    assert 0.17 < children < 0.25
    assert 0.18 < elderly < 0.28
    assert 0.04 < sum(1 for p in persons if p["doedsdato"]) / len(persons) < 0.12


def test_residence_spells_are_ordered_and_in_known_municipalities(small_out: Path) -> None:
    kommuner = {k.kode for k in refdata.kommuner()}
    spells = defaultdict(list)
    for row in _rows(small_out / "population" / "bopael.csv"):
        assert row["kommune"] in kommuner
        fra = dt.date.fromisoformat(row["fra"])
        til = dt.date.fromisoformat(row["til"]) if row["til"] else None
        assert til is None or fra <= til
        spells[row["cpr"]].append((fra, til))
    for person_spells in spells.values():
        for (_, til), (fra, _) in itertools.pairwise(person_spells):
            assert til is not None and fra == til + dt.timedelta(days=1)
    assert sum(1 for s in spells.values() if len(s) > 1) > 500  # some persons moved


def test_small_scale_covers_the_required_municipalities(small_out: Path) -> None:
    used = {row["kommune"] for row in _rows(small_out / "population" / "bopael.csv")}
    assert {"101", "147", "661", "665", "671", "751", "851", SILENT_KOMMUNE} <= used
    assert len(used) == 12
