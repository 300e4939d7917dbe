"""Charts rendered on the server as inline SVG (R-WEB-1): Altair builds the Vega-Lite
specification, vl-convert draws it; no script and no CDN reach the reader's browser.

A table view gets a line chart over time when several periods are chosen, else a bar chart
along the first dimension with more than one value; the other chosen dimension (if any)
colours the series. Suppressed cells are left out of a chart (the table shows them as `..`).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from handistat.tables.cube import Cube, CubeDimension
from handistat.tables.formats._common import code_text, dimension_text, table_label

MAX_SERIES = 12
MAX_POINTS = 400
ACCENT = "#0b4f8a"
_RENDER_LOCK = threading.Lock()  # vl-convert's engine is not shared between threads


@dataclass(frozen=True)
class ChartData:
    """What is drawn: rows of (category, series, value), and the axis titles."""

    kind: str  # "bar" or "line"
    rows: tuple[tuple[str, str, int], ...]
    category_title: str
    series_title: str
    value_title: str
    title: str


def _varying(cube: Cube) -> list[CubeDimension]:
    return [d for d in cube.dimensions if len(d.codes) > 1]


def chart_data(cube: Cube, lang: str = "da") -> ChartData | None:
    """The chart for a cube, or None when there is nothing to draw."""
    varying = _varying(cube)
    time = next((d for d in varying if d.time), None)
    others = [d for d in varying if not d.time]
    category = time or (others[0] if others else None)
    if category is None:
        return None
    series = next((d for d in varying if d is not category), None)
    if series is not None and len(series.codes) > MAX_SERIES:
        return None
    at = {d.id: i for i, d in enumerate(cube.dimensions)}
    # A total is not drawn next to its own parts, unless nothing else could be drawn.
    rows = _rows(cube, at, category, series, lang, hide_totals=True) or _rows(
        cube, at, category, series, lang, hide_totals=False
    )
    if not rows or len(rows) > MAX_POINTS or len(varying) > 2:
        return None
    return ChartData(
        "line" if time is not None and len(time.codes) > 2 else "bar",
        tuple(rows),
        dimension_text(category, lang),
        "" if series is None else dimension_text(series, lang),
        cube.unit,
        table_label(cube, lang),
    )


def _rows(
    cube: Cube,
    at: dict[str, int],
    category: CubeDimension,
    series: CubeDimension | None,
    lang: str,
    *,
    hide_totals: bool,
) -> list[tuple[str, str, int]]:
    rows = []
    for key, value in cube.cells():
        if value is None or (hide_totals and _is_hidden_total(key, at, category, series)):
            continue
        c = cube.dimensions[at[category.id]].codes[_index(category, key[at[category.id]])]
        s = "" if series is None else code_text(_code(series, key[at[series.id]]), lang)
        rows.append((code_text(c, lang), s, value))
    return rows


def _is_hidden_total(key: tuple[str, ...], at: dict[str, int], *dims: CubeDimension | None) -> bool:
    """A total is not drawn next to its own parts (one bar would dwarf the rest)."""
    for dim in dims:
        if dim is not None and dim.parts_shown() and key[at[dim.id]] in dim.total_codes:
            return True
    return False


def _index(dim: CubeDimension, code: str) -> int:
    return dim.code_ids().index(code)


def _code(dim: CubeDimension, code: str) -> Any:
    return dim.codes[_index(dim, code)]


def vega_lite(data: ChartData) -> dict[str, Any]:
    import altair as alt  # slow to import; only charts need it

    values = [{"kategori": c, "serie": s, "værdi": v} for c, s, v in data.rows]
    order = list(dict.fromkeys(c for c, _, _ in data.rows))
    horizontal = data.kind == "bar" and max(len(c) for c in order) > 10
    cat_axis = alt.Axis(labelLimit=320, labelAngle=0 if horizontal or data.kind == "line" else -40)
    category: Any = (alt.Y if horizontal else alt.X)(
        "kategori:N", sort=order, title=None if horizontal else data.category_title, axis=cat_axis
    )
    value: Any = (alt.X if horizontal else alt.Y)(
        "værdi:Q", title=data.value_title, axis=alt.Axis(format=",d")
    )
    encoding: dict[str, Any] = {"tooltip": ["kategori:N", "værdi:Q"]}
    if data.series_title:
        encoding["color"] = alt.Color("serie:N", title=data.series_title)
        encoding["tooltip"] = ["kategori:N", "serie:N", "værdi:Q"]
        if data.kind == "bar":
            encoding["yOffset" if horizontal else "xOffset"] = "serie:N"
    chart = alt.Chart(alt.Data(values=values), width=380 if horizontal else 560)  # type: ignore[no-untyped-call]
    colour: Any = alt.Undefined if data.series_title else ACCENT
    if data.kind == "line":
        mark = chart.mark_line(point=True, color=colour)
    else:
        mark = chart.mark_bar(color=colour)
    axes = {"y": category, "x": value} if horizontal else {"x": category, "y": value}
    size = max(120, 22 * len(order) * (2 if data.series_title else 1)) if horizontal else 300
    spec: dict[str, Any] = mark.encode(**axes, **encoding).properties(height=size).to_dict()
    spec["config"] = {"locale": {"number": {"decimal": ",", "thousands": ".", "grouping": [3]}}}
    return spec


@lru_cache(maxsize=256)
def _svg(data: ChartData) -> str:
    import json

    import vl_convert

    with _RENDER_LOCK:
        svg: str = vl_convert.vegalite_to_svg(json.loads(json.dumps(vega_lite(data))))
    return svg


def chart_svg(data: ChartData, description: str) -> str:
    """Inline SVG with an accessible name; the figure's caption and the table carry the
    numbers for screen readers."""
    svg = _svg(data)
    label = html.escape(description, quote=True)
    return re.sub(r"^<svg ", f'<svg role="img" aria-label="{label}" ', svg, count=1)


def bar_chart(labels: Sequence[str], values: Sequence[int], title: str, axis: str) -> str:
    """A plain bar chart (the Nyt article's figure)."""
    rows = tuple((label, "", value) for label, value in zip(labels, values, strict=True))
    return chart_svg(ChartData("bar", rows, axis, "", "Antal", title), title)
