"""Known answers for issue 12's small pure parts: Danish stems, notes that apply, Danish
dates, chart roles and order, and the chart palette's contrast."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from handistat.dissemination.chart import PALETTE, chart_data, chart_description, vega_lite
from handistat.dissemination.notes import applicable
from handistat.dissemination.search import stem
from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.web.danish import dato, tidspunkt


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hjælpemiddel", "hjælpemidler"),  # -el/-ler: middel → midl
        ("kørestol", "kørestole"),
        ("kommune", "kommuner"),
        ("cykel", "cykler"),
        ("aflastning", "aflastningen"),
    ],
)
def test_inflections_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_stem_known_answers() -> None:
    assert stem("Hjælpemidler") == "hjælpemidl"
    assert stem("kommune") == "komun"  # double consonants undoubled on both sides
    assert stem("børn") == "børn"  # too short to strip


NOTES = (
    "2022 dækker perioden 1. juli - 31. december 2022.",
    "Tallene for 2023 blev revideret ved udgivelsen 30.09.2026 (handbu-2025-1).",
    "En sum er beregnet af de valgte værdier.",
)


def test_a_note_about_a_year_shows_only_with_that_year() -> None:
    assert applicable(NOTES, ["2023", "2024", "2025"]) == NOTES[1:]
    assert applicable(NOTES, ["2025"]) == NOTES[2:]  # 2025 in the id and 2026 in the date
    assert applicable(NOTES, ["2022"]) == (NOTES[0], NOTES[2])


def test_danish_dates() -> None:
    winter = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)  # CET: 08:00
    summer = dt.datetime(2026, 9, 30, 6, 0, tzinfo=dt.UTC)  # CEST: 08:00
    assert tidspunkt(winter) == "1. december 2026 kl. 08:00"
    assert tidspunkt(summer) == "30. september 2026 kl. 08:00"
    assert dato(dt.date(2027, 3, 5)) == "5. marts 2027"
    assert dato(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == "1. januar 2027"  # local


def _three_variable_cube() -> Cube:
    sex = CubeDimension("KØN", "køn", (Code("P", "Piger"), Code("D", "Drenge")))
    kind = CubeDimension(
        "INDSATSER",
        "indsats",
        (Code("2", "Hjemmetræning"), Code("4", "Personlig hjælp"), Code("5", "Aflastning")),
    )
    time = CubeDimension(
        "Tid", "tid", tuple(Code(y, y) for y in ("2023", "2024", "2025")), time=True
    )
    dims = (kind, sex, time)
    keys = itertools.product(*(d.code_ids() for d in dims))
    return Cube(
        "T", "t efter indsats, køn og tid", "Antal", dims, {k: i for i, k in enumerate(keys)}
    )


def test_three_variables_become_series_and_panels_in_table_order() -> None:
    data = chart_data(_three_variable_cube())
    assert data is not None and data.kind == "line"
    assert (data.category_title, data.series_title, data.facet_title) == ("tid", "køn", "indsats")
    categories, series, panels = data.orders()
    assert categories == ["2023", "2024", "2025"]
    assert series == ["Piger", "Drenge"]  # the table's order, not the alphabet's
    assert panels == ["Hjemmetræning", "Personlig hjælp", "Aflastning"]
    assert len(data.rows) == 18
    spec = vega_lite(data)
    assert spec["facet"]["sort"] == panels and spec["columns"] == 3
    assert spec["spec"]["encoding"]["color"]["scale"]["domain"] == series
    assert spec["spec"]["encoding"]["strokeDash"]["field"] == "serie"  # not colour alone
    assert spec["config"]["axis"]["labelFontSize"] >= 13
    assert vega_lite(data, narrow=True)["columns"] == 1
    assert "én delfigur for hver værdi af indsats" in chart_description(data)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_series_colour_has_3_to_1_against_white() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    for colour in PALETTE:
        assert contrast(colour, "#ffffff") >= 3.0, colour


def test_phone_drawing_fits_390_px_without_shrinking_the_text() -> None:
    """The narrow drawing is at most 340 px wide (a 390 px phone shows it at full size, so
    13 px labels stay 13 px), even with the longest HANDBU intervention text."""
    import re

    from handistat.dissemination.chart import ChartData, chart_svg

    labels = (
        "Særlige dagtilbud til børn (SEL § 32 / BL § 82.1)",
        "Vedligeholdelsestræning, herunder hjælp til at vedligeholde fysiske eller psykiske "
        "færdigheder (SEL § 44/86.2 / BL § 90.3)",
    )
    bars = ChartData("bar", ((labels[0], "", 4), (labels[1], "", 7)), "indsats", "", "Antal", "t")
    lines = chart_data(_three_variable_cube())
    assert lines is not None
    for data in (bars, lines):
        narrow = chart_svg(data, "x").split('<div class="chart-narrow">', 1)[1]
        width = float(re.search(r'width="([\d.]+)"', narrow).group(1))  # type: ignore[union-attr]
        assert width <= 340
    drawn = chart_svg(bars, "x")
    assert "Vedligeholdelsestræning," in drawn and "BL § 90.3)" in drawn  # wrapped, not cut
    assert "…" not in drawn
