"""A plain pandas reference of GENBRUG cleaning and counting (R-PERF-2).

Written the way an analyst would write it in pandas, from the files to HJALP1 and HJALP2,
following docs/methodology.md (GENBRUG) step by step, without looking at speed:

1. the current full load of each (municipality, system): the newest extract date (R-IN-7);
2. a declared system switch: the old system only for loans delivered before the cut-over,
   and an old loan that is also in the new system (same CPR and HMI number, delivery dates at
   most 3 days apart) is dropped (R-IN-8);
3. cleaning, first reason wins: invalid CPR, fictitious CPR (not in the population register),
   dead at delivery, returned before 2022-07-01, returned before delivered (R-GB-2, R-IN-9);
4. the statistics municipality: the reporter, or for a depot collaboration the paying member,
   else the residence on the delivery day, else the reporter (R-GB-4);
5. loans active in each period (2022 from 1 July; an unreturned loan ends at death) and the
   HJALP1 (loans by municipality) and HJALP2 (distinct recipients by municipality, sex, age)
   cells, totals included (R-GB-5, R-TAB-3).

It reads the delivery files directly and does none of the structural validation that intake
does (the benchmark files are structurally valid), and it assumes the default settings
(duplicate window 3 days, devices outside the HMI catalogue kept), so it needs neither the HMI
catalogue nor the catalogue database. Its cubes have the same keys as
`handistat.tables.cube.Cube.values`: ``(KOMMUNEDK, [KONAMS, ALERAMS,] year)`` → count.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from handistat.reference import kommuner, samarbejder

PERIOD_START = pd.Timestamp("2022-07-01")
DUPLICATE_DAYS = 3
AGE_GROUPS = (
    ("0024", 0, 24),
    ("2549", 25, 49),
    ("5059", 50, 59),
    ("6064", 60, 64),
    ("6569", 65, 69),
    ("7074", 70, 74),
    ("7579", 75, 79),
    ("8084", 80, 84),
    ("8589", 85, 89),
    ("90-", 90, 10_000),
)
SEX = {"M": "1", "K": "2"}

Cells = dict[tuple[str, ...], int]


@dataclass
class Result:
    hjalp1: Cells
    hjalp2: Cells
    removed: dict[tuple[str, str], int]
    """(reporting municipality, reason) → number of loans removed."""
    switch_duplicates: int
    loans: int
    """Loans kept after cleaning."""
    timings: dict[str, float] = field(default_factory=dict)


# -- reading ----------------------------------------------------------------------------------


def read_text(path: Path) -> pd.DataFrame:
    """A `;` file with every column as text; empty cells stay empty strings."""
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)


def to_date(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%Y-%m-%d")


def current_loads(folder: Path) -> list[tuple[str, str, str, Path]]:
    """R-IN-7: per (municipality, system) the file with the newest extract date."""
    newest: dict[tuple[str, str], tuple[str, Path]] = {}
    for path in sorted(folder.glob("*.csv")):
        kommune, system, day = path.stem.split("_")
        if (kommune, system) not in newest or day > newest[(kommune, system)][0]:
            newest[(kommune, system)] = (day, path)
    return [(k, s, day, path) for (k, s), (day, path) in sorted(newest.items())]


def read_loans(folder: Path) -> pd.DataFrame:
    frames = []
    for _, system, day, path in current_loads(folder):
        frame = read_text(path)
        frame["kildesystem"] = system
        frame["udtraeksdato"] = pd.Timestamp(day)
        frames.append(frame)
    loans = pd.concat(frames, ignore_index=True)
    for column in ("indberetningskommune", "betalingskommune", "udlaan_id", "cpr"):
        loans[column] = loans[column].str.strip()
    loans["paragraf"] = loans["paragraf"].str.strip().str.upper()
    loans["hmi_nummer"] = loans["hmi_nummer"].str.strip().astype("int64")
    loans["udleveringsdato"] = to_date(loans["udleveringsdato"].str.strip())
    loans["indleveringsdato"] = to_date(loans["indleveringsdato"].str.strip())
    # CPR: ten digits, a hyphen after the sixth allowed; anything else is no CPR at all
    valid_form = loans["cpr"].str.fullmatch(r"[0-9]{6}-?[0-9]{4}")
    loans["cpr"] = loans["cpr"].str.replace("-", "", regex=False).where(valid_form)
    return loans


def read_population(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    persons = read_text(folder / "personer.csv")
    for column in ("foedselsdato", "doedsdato"):
        persons[column] = to_date(persons[column])
    spells = read_text(folder / "bopael.csv")
    for column in ("fra", "til"):
        spells[column] = to_date(spells[column])
    return persons, spells


# -- R-IN-8: system switch --------------------------------------------------------------------


def apply_switches(loans: pd.DataFrame, switches: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The old system's loans before the cut-over, without those also in the new system."""
    pairs = 0
    for switch in switches.itertuples():
        cut_over = pd.Timestamp(switch.dato)
        in_old = (loans["indberetningskommune"] == switch.kommune) & (
            loans["kildesystem"] == switch.fra
        )
        loans = loans[~(in_old & (loans["udleveringsdato"] >= cut_over))]
        old = loans[
            (loans["indberetningskommune"] == switch.kommune) & (loans["kildesystem"] == switch.fra)
        ]
        new = loans[
            (loans["indberetningskommune"] == switch.kommune) & (loans["kildesystem"] == switch.til)
        ]
        both = old.reset_index().merge(
            new[["cpr", "hmi_nummer", "udleveringsdato", "udlaan_id"]].dropna(subset=["cpr"]),
            on=["cpr", "hmi_nummer"],
            suffixes=("", "_ny"),
        )
        both["days"] = (both["udleveringsdato"] - both["udleveringsdato_ny"]).dt.days.abs()
        candidates = both[both["days"] <= DUPLICATE_DAYS].sort_values(
            ["days", "udlaan_id", "udlaan_id_ny"]
        )
        # one to one, closest dates first, then udlaan_id (R-IN-8)
        used_old: set[str] = set()
        used_new: set[str] = set()
        paired = []
        for index, old_id, new_id in candidates[["index", "udlaan_id", "udlaan_id_ny"]].itertuples(
            index=False
        ):
            if old_id not in used_old and new_id not in used_new:
                used_old.add(old_id)
                used_new.add(new_id)
                paired.append(index)
        pairs += len(paired)
        loans = loans.drop(index=paired)
    return loans, pairs


# -- R-GB-2: cleaning -------------------------------------------------------------------------


def cpr_birth_date(cpr: pd.Series) -> pd.Series:
    """R-CPR-2: the birth date in a ten-digit CPR (century from the 7th digit), else NaT."""
    digits = cpr.fillna("0000000000")
    yy = digits.str[4:6].astype(int)
    d7 = digits.str[6]
    century = np.select(
        [d7.isin(["0", "1", "2", "3"]), d7.isin(["4", "9"])],
        [1900, np.where(yy <= 36, 2000, 1900)],
        np.where(yy <= 57, 2000, 1800),
    )
    text = (century + yy).astype(str) + "-" + digits.str[2:4] + "-" + digits.str[0:2]
    born = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return born.where(cpr.notna())


def clean(loans: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """Adds the recipient's register data and `fejlkode`: the first reason to remove the loan."""
    loans = loans.merge(persons, on="cpr", how="left", indicator="in_register")
    born = cpr_birth_date(loans["cpr"])
    ud, ind = loans["udleveringsdato"], loans["indleveringsdato"]
    loans["fejlkode"] = np.select(
        [
            born.isna() | (born > loans["udtraeksdato"]),
            loans["in_register"] == "left_only",
            loans["doedsdato"] < ud,
            ind < PERIOD_START,
            ind < ud,
        ],
        [
            "UGYLDIG_CPR",
            "FIKTIV_CPR",
            "DOED_VED_UDLEVERING",
            "INDLEVERET_FOER_PERIODEN",
            "INDLEVERET_FOER_UDLEVERING",
        ],
        default="",
    )
    return loans.drop(columns="in_register")


# -- R-GB-4: statistics municipality ----------------------------------------------------------


def residence_on_delivery(loans: pd.DataFrame, spells: pd.DataFrame) -> pd.Series:
    """The recipient's residence municipality on the delivery day (latest spell wins)."""
    spans = loans[["cpr", "udleveringsdato"]].reset_index().merge(spells, on="cpr")
    covering = spans[
        (spans["fra"] <= spans["udleveringsdato"])
        & (spans["til"].isna() | (spans["til"] >= spans["udleveringsdato"]))
    ]
    latest = covering.sort_values(["index", "fra", "kommune"], ascending=[True, False, True])
    return latest.drop_duplicates("index").set_index("index")["kommune"]


def statistics_municipality(loans: pd.DataFrame, spells: pd.DataFrame, today: dt.date) -> pd.Series:
    # R-GB-4: membership on the loan's delivery day (`today` no longer matters)
    reporter, payer = loans["indberetningskommune"], loans["betalingskommune"]
    ud = loans["udleveringsdato"]
    in_collaboration = pd.Series(False, index=loans.index)
    paid_by_member = pd.Series(False, index=loans.index)
    for s in samarbejder():
        covers = (reporter == s.indberetningskommune) & (
            ud >= pd.Timestamp(s.gyldig_fra or PERIOD_START)
        )
        if s.gyldig_til is not None:
            covers &= ud <= pd.Timestamp(s.gyldig_til)
        in_collaboration |= covers
        if s.medlemskommune != s.indberetningskommune:
            paid_by_member |= covers & (payer == s.medlemskommune)
    residence = residence_on_delivery(loans[in_collaboration & ~paid_by_member], spells)
    result = reporter.copy()
    result[paid_by_member] = payer[paid_by_member]
    result.loc[residence.index] = residence
    return result


# -- R-GB-5: measures and the two tables ------------------------------------------------------


def period(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = PERIOD_START if year == 2022 else pd.Timestamp(year, 1, 1)
    return start, pd.Timestamp(year, 12, 31)


def active_units(loans: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """One row per loan and year in which it is active, with the recipient's sex and age."""
    end = loans[["indleveringsdato", "doedsdato"]].min(axis=1)  # R-GB-5: return or death
    frames = []
    for year in years:
        start, last = period(year)
        active = (loans["udleveringsdato"] <= last) & (end.isna() | (end >= start))
        units = loans.loc[active, ["statistikkommune", "cpr", "koen", "foedselsdato"]].copy()
        units["aar"] = str(year)
        age = year - units["foedselsdato"].dt.year
        units["alder"] = age_group(age)
        units["koen"] = units["koen"].map(SEX).fillna("9")  # uoplyst køn
        frames.append(units.drop(columns="foedselsdato"))
    return pd.concat(frames, ignore_index=True)


def age_group(age: pd.Series) -> pd.Series:
    groups = pd.Series(None, index=age.index, dtype=object)
    for code, low, high in AGE_GROUPS:
        groups[(age >= low) & (age <= high)] = code
    groups[age.isna()] = "999"  # uoplyst alder
    return groups


def cells(
    units: pd.DataFrame,
    dims: Sequence[tuple[str, str, Sequence[str]]],
    years: Sequence[int],
    distinct: str | None,
) -> Cells:
    """Every cell of a table: for each choice of leaf or total per dimension, the count of
    rows (or of distinct `distinct`) per group; a unit without a leaf counts in totals only.

    `dims`: (column, total code, leaf codes) in the table's order."""
    found: Cells = {}
    for choice in itertools.product((True, False), repeat=len(dims)):
        by = [column for (column, _, _), leaf in zip(dims, choice, strict=True) if leaf]
        grouped = units.groupby([*by, "aar"])
        counts = grouped[distinct].nunique() if distinct else grouped.size()
        for key, count in counts.items():
            key = key if isinstance(key, tuple) else (key,)
            values = iter(key)
            codes = [
                next(values) if leaf else total
                for (_, total, _), leaf in zip(dims, choice, strict=True)
            ]
            found[(*codes, next(values))] = int(count)
    every = itertools.product(*([total, *leaves] for _, total, leaves in dims), map(str, years))
    return {key: found.get(key, 0) for key in every}


def hjalp_tables(units: pd.DataFrame, years: Sequence[int]) -> tuple[Cells, Cells]:
    kommune = ("statistikkommune", "000", [k.kode for k in kommuner()])
    sex = ("koen", "0", ["1", "2", "9"])
    age = ("alder", "TOT", [*(code for code, _, _ in AGE_GROUPS), "999"])
    # a loan is one row: udlaan_id is unique within a full load and only one load per
    # (municipality, system) is current, so counting rows counts loans
    hjalp1 = cells(units, [kommune], years, distinct=None)
    hjalp2 = cells(units, [kommune, sex, age], years, distinct="cpr")
    return hjalp1, hjalp2


# -- the whole chain --------------------------------------------------------------------------


def run(world: Path, years: Sequence[int], today: dt.date) -> Result:
    """From the files in ``world`` (the generator's layout) to HJALP1 and HJALP2."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    persons, spells = read_population(world / "population")
    lap("read_population")
    loans = read_loans(world / "deliveries" / "genbrug")
    switches = read_text(world / "systemskifter.csv")
    lap("read_loans")
    loans, pairs = apply_switches(loans, switches)
    loans = clean(loans, persons)
    removed = loans[loans["fejlkode"] != ""].groupby(["indberetningskommune", "fejlkode"]).size()
    kept = loans[loans["fejlkode"] == ""].copy()
    kept["statistikkommune"] = statistics_municipality(kept, spells, today)
    lap("clean")
    hjalp1, hjalp2 = hjalp_tables(active_units(kept, years), years)
    lap("count")
    return Result(
        hjalp1, hjalp2, {k: int(v) for k, v in removed.items()}, pairs, len(kept), timings
    )
