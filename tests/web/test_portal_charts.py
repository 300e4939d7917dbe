"""Issue 14 item 3 (SC 1.4.11): every colour of the portal's approval charts has at least
3:1 contrast against the white page. The old second colour #9db7d1 had 2.07:1."""

from __future__ import annotations

import pytest

from handistat.web.portal_charts import ACCENT, MUTED, SECOND


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
