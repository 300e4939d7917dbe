"""Pure rules of releases: scheduling (R-PUB-2, R-GEN-5), years (R-PUB-3), municipality
decisions (R-VAL-5) and the Nyt draft (R-PUB-4)."""

from __future__ import annotations

import datetime as dt

import pytest

from handistat.clock import fixed_clock
from handistat.errors import UsageError
from handistat.release.artefact import FrozenTable
from handistat.release.decisions import apply_decisions
from handistat.release.nyt import FIGURE, draft_article, municipality_section
from handistat.release.schedule import parse_schedule, release_years
from handistat.tables.cube import Code, Cube, CubeDimension

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_release_date_means_eight_oclock_copenhagen() -> None:
    clock = fixed_clock(NOW)
    summer = parse_schedule("2026-09-30", clock)  # CEST: UTC+2
    assert summer == dt.datetime(2026, 9, 30, 6, 0, tzinfo=dt.UTC)
    winter = parse_schedule("2026-12-01T08:00", clock)  # CET: UTC+1
    assert winter == dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)
    assert parse_schedule("now", clock) == NOW
    with pytest.raises(UsageError, match="YYYY-MM-DDTHH:MM"):
        parse_schedule("30.09.2026", clock)


def test_years_are_the_reference_year_and_two_before_from_2022() -> None:
    assert release_years(2025) == [2023, 2024, 2025]
    assert release_years(2022) == [2022]
    with pytest.raises(UsageError):
        release_years(2021)


def _kommune_table() -> FrozenTable:
    kommune = CubeDimension(
        "KOMMUNEDK",
        "kommune",
        (Code("000", "Hele landet"), Code("101", "København"), Code("147", "Frederiksberg")),
        eliminable=True,
    )
    tid = CubeDimension("Tid", "tid", (Code("2025", "2025"),), time=True)
    values = {("000", "2025"): 9, ("101", "2025"): 5, ("147", "2025"): 4}
    return FrozenTable(
        Cube("T", "t", "Antal", (kommune, tid), values), "handbu", "", {"KOMMUNEDK": "000"}
    )


def test_excluded_municipality_shows_dots_and_notes() -> None:  # R-VAL-5, R-SDC-4 marker
    decisions = {
        "source": "godkendelse",
        "kommuner": {
            "101": {"navn": "København", "status": "ikke godkendt", "note": "afviste listen"},
            "147": {"navn": "Frederiksberg", "status": "udeladt", "note": "store afvigelser"},
        },
    }
    (table,) = apply_decisions([_kommune_table()], decisions)
    assert table.cube.values[("147", "2025")] is None
    assert table.cube.values[("101", "2025")] == 5
    assert any("København (101) har ikke godkendt" in n for n in table.cube.notes)
    assert any("Frederiksberg (147) er udeladt" in n for n in table.cube.notes)
    text = " ".join(municipality_section(decisions))
    assert "har ikke godkendt dem: København (afviste listen)" in text
    assert "Udeladt af tallene: Frederiksberg (store afvigelser)" in text
    assert "forelå ikke" in municipality_section({"source": "ingen", "kommuner": {}})[0]


def test_no_article_for_genbrug() -> None:
    assert draft_article("genbrug", {}, {}) is None
    assert FIGURE == "[[figur]]"
