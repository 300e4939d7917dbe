"""Charts on the approval pages, rendered on the server (Vega-Lite → SVG with vl-convert) and
embedded as `data:` images, so pages need no JavaScript and no inline styles (the strict
Content-Security-Policy of the portal)."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

from handistat.dissemination.chart import DASHES, SHAPES

# Every colour has at least 3:1 against white (WCAG 1.4.11, issue 14); #9db7d1 had 2.07:1.
ACCENT, MUTED, SECOND = "#0b4f8a", "#5a7fa8", "#b35900"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


@lru_cache(maxsize=256)
def _svg_data_uri(spec_json: str) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(json.loads(spec_json))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec as an SVG `data:` URI (cached: the same figures, the same image)."""
    return _svg_data_uri(json.dumps({"$schema": SCHEMA, **spec}, sort_keys=True))


def count_axis(values: list[dict[str, Any]]) -> dict[str, Any]:
    """An axis of whole counts: at most one tick per unit, so a largest count of 1 is not
    labelled 0, 1, 1 (ticks at 0, 0.5 and 1 rounded; vl-convert ignores tickMinStep)."""
    top = max((int(v["antal"] or 0) for v in values), default=0)
    return {"format": "d", "tickCount": max(1, min(top, 8))}


def handbu_spec(table_rows: list[dict[str, Any]], year: int) -> dict[str, Any]:
    """Interventions per type, last year and this year, as grouped horizontal bars. Last
    year's bars are hollow (outline only), this year's filled, so the two years differ by
    fill as well as by colour; the legend shows both (WCAG 1.4.1, issue 14 item 3)."""
    values = []
    for row in table_rows:
        if row["kode"] == "i_alt":
            continue
        label = f"{row['kode']}. {row['tekst'].split(' (')[0][:40]}"
        values.append({"type": label, "aar": str(year - 1), "antal": row["indsatser_sidste_aar"]})
        values.append({"type": label, "aar": str(year), "antal": row["indsatser"]})
    years = [str(year - 1), str(year)]
    return {
        "title": f"Indsatser pr. type, {year - 1} og {year}",
        "width": 420,
        "data": {"values": values},
        "mark": {"type": "bar", "strokeWidth": 2},
        "encoding": {
            "y": {"field": "type", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "aar", "type": "nominal", "sort": years},
            "x": {
                "field": "antal",
                "type": "quantitative",
                "title": "antal",
                "axis": count_axis(values),
            },
            "fill": {
                "field": "aar",
                "type": "nominal",
                "title": "År",
                "scale": {"domain": years, "range": ["#ffffff", ACCENT]},
            },
            "stroke": {
                "field": "aar",
                "type": "nominal",
                "title": "År",
                "scale": {"domain": years, "range": [MUTED, ACCENT]},
            },
        },
    }


MEASURES = ["udleveringer", "indleveringer"]
"""GENBRUG's two lines, in the order of the table and the legend."""


def genbrug_spec(months: list[dict[str, Any]], year: int) -> dict[str, Any]:
    """Udleveringer and indleveringer per month as two lines that differ by colour, dash
    pattern and point shape, with a legend in code order (WCAG 1.4.1, issue 14 item 3)."""
    values = []
    for m in months:
        for measure in MEASURES:
            values.append({"maaned": m["periode"], "maal": measure, "antal": m.get(measure, 0)})

    def channel(name: str, output: list[Any]) -> dict[str, Any]:
        scale = {"domain": MEASURES, "range": output}
        return {name: {"field": "maal", "type": "nominal", "title": "Serie", "scale": scale}}

    return {
        "title": f"Udleveringer og indleveringer pr. måned, {year}",
        "width": 420,
        "height": 200,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"size": 60, "filled": True}, "strokeWidth": 2.5},
        "encoding": {
            "x": {"field": "maaned", "type": "ordinal", "title": "måned"},
            "y": {
                "field": "antal",
                "type": "quantitative",
                "title": "antal",
                "axis": count_axis(values),
            },
            **channel("color", [ACCENT, SECOND]),
            **channel("strokeDash", [list(d) for d in DASHES[:2]]),
            **channel("shape", list(SHAPES[:2])),
        },
    }


def handbu_chart(table_rows: list[dict[str, Any]], year: int) -> str:
    return render(handbu_spec(table_rows, year))


def genbrug_chart(months: list[dict[str, Any]], year: int) -> str:
    return render(genbrug_spec(months, year))
