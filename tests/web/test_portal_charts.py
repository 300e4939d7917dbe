"""Issue 14 item 3 (SC 1.4.11): every colour of the portal's approval charts has at least
3:1 contrast against the white page. The old second colour #9db7d1 had 2.07:1. And
(SC 1.4.1) the series differ by more than colour."""

from __future__ import annotations

import base64
import re

import pytest

from handistat.web.portal_charts import (
    ACCENT,
    MUTED,
    SECOND,
    count_axis,
    genbrug_chart,
    genbrug_spec,
    handbu_chart,
    handbu_spec,
)


def contrast_with_white(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_formula_on_known_answers() -> None:
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#9db7d1") == pytest.approx(2.07, abs=0.01)


@pytest.mark.parametrize("colour", [ACCENT, MUTED, SECOND])
def test_every_chart_colour_has_3_to_1(colour: str) -> None:
    assert contrast_with_white(colour) >= 3.0


# Issue 14 item 3 (SC 1.4.1): the two series differ by more than colour, and the legend says
# which is which, in the order of the table (not alphabetical).
ROWS = [
    {"kode": "1", "tekst": "Aflastning (§ 84)", "indsatser_sidste_aar": 5, "indsatser": 8},
    {"kode": "i_alt", "tekst": "I alt", "indsatser_sidste_aar": 5, "indsatser": 8},
]
MONTHS = [{"periode": "2025M01", "udleveringer": 4, "indleveringer": 1}]


def svg_of(uri: str) -> str:
    return base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")


def test_genbrug_lines_differ_by_dash_and_shape_too() -> None:
    encoding = genbrug_spec(MONTHS, 2025)["encoding"]
    for channel in ("color", "strokeDash", "shape"):
        scale = encoding[channel]["scale"]
        assert scale["domain"] == ["udleveringer", "indleveringer"], channel
        assert scale["range"][0] != scale["range"][1], channel
    assert encoding["strokeDash"]["scale"]["range"] == [[1, 0], [6, 3]]  # solid, dashed
    assert encoding["shape"]["scale"]["range"] == ["circle", "square"]


def test_genbrug_chart_draws_a_dashed_line_and_a_legend_in_code_order() -> None:
    svg = svg_of(genbrug_chart([*MONTHS, {**MONTHS[0], "periode": "2025M02"}], 2025))
    assert 'stroke-dasharray="6,3"' in svg
    assert svg.index(">udleveringer<") < svg.index(">indleveringer<")


def test_handbu_bars_last_year_hollow_this_year_filled() -> None:
    encoding = handbu_spec(ROWS, 2025)["encoding"]
    assert encoding["fill"]["scale"] == {"domain": ["2024", "2025"], "range": ["#ffffff", ACCENT]}
    assert encoding["stroke"]["scale"]["range"] == [MUTED, ACCENT]  # the outline carries 3:1
    svg = svg_of(handbu_chart(ROWS, 2025))
    assert svg.index(">2024<") < svg.index(">2025<")  # the legend, in year order
    assert 'fill="#ffffff"' in svg


def test_an_axis_of_whole_counts_has_no_half_ticks() -> None:
    rows = [{"kode": "1", "tekst": "Aflastning", "indsatser_sidste_aar": 0, "indsatser": 1}]
    svg = svg_of(handbu_chart(rows, 2025))
    labels = re.findall(r">(\d+)</text>", svg)
    assert [n for n in labels if len(n) < 4] == ["0", "1"]  # was 0, 1, 1 (0.5 rounded)
    assert count_axis([{"antal": 250}])["tickCount"] == 8
    assert count_axis([])["tickCount"] == 1
