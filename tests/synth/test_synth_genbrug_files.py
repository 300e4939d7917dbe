"""Every GENBRUG quirk of R-SYN-2 is in the small full loads, found from the files."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from handistat.synth import generate, refdata
from handistat.synth.config import SILENT_KOMMUNE
from handistat.synth.truth.common import normalise_cpr, read_csv, read_persons, residences
from handistat.synth.truth.genbrug import LoanRow, current_loads, read_load, read_switches
from tests.synth.conftest import SEED

SEVERAL = 3


@pytest.fixture(scope="module")
def loans(small_out: Path) -> dict[str, list[LoanRow]]:
    """File name → its rows."""
    folder = small_out / "deliveries" / "genbrug"
    return {
        load.path.name: list(read_load(load))
        for systems in current_loads(folder).values()
        for load in systems.values()
    }


@pytest.fixture(scope="module")
def all_rows(loans: dict[str, list[LoanRow]]) -> list[LoanRow]:
    return [r for rows in loans.values() for r in rows]


def test_hmi_catalogue_uses_iso_classes(small_out: Path) -> None:
    level2 = set(refdata.iso_niveau2())
    rows = list(read_csv(small_out / "hmi_katalog.csv"))
    assert len({r["hmi_nummer"] for r in rows}) == len(rows) == 400
    for r in rows:
        assert r["hmi_nummer"].isdigit() and 1 <= len(r["hmi_nummer"]) <= 9
        assert len(r["iso_kode"]) == 6 and r["iso_kode"].isdigit()
        assert r["iso_kode"][:4] in level2


def test_files_are_structurally_sound_full_loads(
    small_out: Path, loans: dict[str, list[LoanRow]]
) -> None:
    kommuner = {k.kode for k in refdata.kommuner()}
    for name, rows in loans.items():
        kommune = name.split("_")[0]
        assert len({r.udlaan_id for r in rows}) == len(rows), name
        for r in rows:
            assert r.kommune == kommune and r.betaler in kommuner
            assert r.hmi.isdigit() and 1 <= len(r.hmi) <= 9
    header = (small_out / "deliveries" / "genbrug" / next(iter(loans))).read_text().split("\n")[0]
    assert header == (
        "indberetningskommune;betalingskommune;udlaan_id;hmi_nummer;cpr;paragraf;"
        "udleveringsdato;indleveringsdato"
    )


def test_who_delivers(loans: dict[str, list[LoanRow]]) -> None:
    kommuner = {name.split("_")[0] for name in loans}
    assert SILENT_KOMMUNE not in kommuner
    assert "661" in kommuner and not {"665", "671"} & kommuner  # members report through 661
    assert kommuner == {"101", "147", "157", "461", "563", "661", "751", "851", "860"}


def test_cleaning_quirks_are_present(small_out: Path, all_rows: list[LoanRow]) -> None:
    persons = read_persons(small_out / "population")
    kinds: Counter[str] = Counter()
    for r in all_rows:
        cpr = normalise_cpr(r.cpr)
        if cpr is None:
            kinds["nine digits" if len(r.cpr) == 9 else "invalid"] += 1
        elif cpr not in persons:
            kinds["fictitious"] += 1
        elif (d := persons[cpr].doedsdato) is not None and d < r.ud:
            kinds["dead at delivery"] += 1
        if r.ind is not None and r.ind < r.ud:
            kinds["returned before delivered"] += 1
        elif r.ind is not None and r.ind < dt.date(2022, 7, 1):
            kinds["returned before period"] += 1
    for kind in (
        "nine digits",
        "invalid",
        "fictitious",
        "dead at delivery",
        "returned before delivered",
    ):
        assert kinds[kind] >= SEVERAL, kind
    assert kinds["returned before period"] > len(all_rows) // 10


def test_device_numbers_and_paragraphs(small_out: Path, all_rows: list[LoanRow]) -> None:
    catalogue = {r["hmi_nummer"] for r in read_csv(small_out / "hmi_katalog.csv")}
    assert sum(1 for r in all_rows if r.hmi not in catalogue) >= SEVERAL
    assert "999999" in {r.hmi for r in all_rows}  # flextrafik
    valid = set(refdata.genbrug_paragraffer())
    before = [r for r in all_rows if r.ud < dt.date(2023, 1, 1)]
    after = [r for r in all_rows if r.ud >= dt.date(2023, 1, 1)]

    def missing(rows: list[LoanRow]) -> float:
        return sum(1 for r in rows if not r.paragraf) / len(rows)

    assert missing(before) > missing(after) > 0
    assert sum(1 for r in all_rows if r.paragraf and r.paragraf not in valid) >= SEVERAL


def test_collaboration_sometimes_leaves_itself_as_payer(
    small_out: Path, loans: dict[str, list[LoanRow]]
) -> None:
    rows = [r for name, v in loans.items() if name.startswith("661_") for r in v]
    assert {r.betaler for r in rows} >= {"661", "665", "671"}
    cprs = {c for r in rows if (c := normalise_cpr(r.cpr))}
    spells = residences(small_out / "population", cprs)
    wrong = 0
    for r in rows:
        cpr = normalise_cpr(r.cpr)
        here = [
            k
            for k, fra, til in spells.get(cpr or "", [])
            if fra <= r.ud and (til is None or r.ud <= til)
        ]
        wrong += r.betaler == "661" and here in (["665"], ["671"])
    assert wrong >= SEVERAL


def test_vendor_switch_with_loans_in_both_systems(
    small_out: Path, loans: dict[str, list[LoanRow]]
) -> None:
    [switch] = read_switches(small_out / "systemskifter.csv").values()
    old_name = f"{switch.kommune}_{switch.fra}_{switch.dato - dt.timedelta(days=1)}.csv"
    [new_name] = [n for n in loans if n.startswith(f"{switch.kommune}_{switch.til}_")]
    old, new = loans[old_name], loans[new_name]
    assert max(r.ud for r in old) < switch.dato
    by_key = defaultdict(list)
    for r in new:
        by_key[(r.cpr, r.hmi)].append(r)
    both = [r for r in old if any(abs((r.ud - n.ud).days) <= 3 for n in by_key[(r.cpr, r.hmi)])]
    assert len(both) >= SEVERAL
    migrated = [n for r in both for n in by_key[(r.cpr, r.hmi)]]
    assert sum(1 for n in migrated if not n.paragraf) > len(migrated) / 2
    summary = json.loads((small_out / "truth" / "genbrug_summary.json").read_text())
    assert summary["switch_duplicates_dropped"] == len(both)


def test_history_writes_every_quarter_and_the_same_latest_loads(
    small_out: Path, tmp_path: Path
) -> None:
    generate("small", SEED, tmp_path, history=True)
    folder = tmp_path / "deliveries" / "genbrug"
    per_system = Counter(tuple(p.stem.split("_")[:2]) for p in folder.glob("*.csv"))
    assert per_system[("101", next(s for k, s in per_system if k == "101"))] == 15
    for latest in (small_out / "deliveries" / "genbrug").glob("*.csv"):
        assert (folder / latest.name).read_bytes() == latest.read_bytes()
    for table in ("HJALP1.csv", "HJALP2.csv", "HANDBU01.csv"):
        assert (tmp_path / "truth" / "tables" / table).read_bytes() == (
            small_out / "truth" / "tables" / table
        ).read_bytes()
