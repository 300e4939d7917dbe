"""Charts rendered on the server as inline SVG (R-WEB-1): Altair builds the Vega-Lite
specification, vl-convert draws it; no script and no CDN reach the reader's browser.

Any selection can be charted (issue 12 item 3): time (or the largest other variable) along the
axis, the smallest other variable as coloured series, the next as small multiples (one panel
per value); further variables are held at their first chosen value, and the caption says so.
Series, panels and categories keep the table's order. Each chart is drawn twice, wide for
screens and narrow (one panel per row) for phones, with 13-14 px text at its drawn size; CSS
shows one of them. Suppressed cells are left out of a chart (the table shows them as `..`).
"""

from __future__ import annotations

import html
import json
import re
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.tables.formats._common import code_text, dimension_text, table_label

MAX_SERIES = 12
MAX_PANELS = 12
MAX_POINTS = 600
ACCENT = "#0b4f8a"
PALETTE = (
    "#0b4f8a",  # blue
    "#b34700",  # dark orange
    "#2e7d32",  # green
    "#7b1fa2",  # purple
    "#c62828",  # red
    "#00695c",  # teal
    "#5d4037",  # brown
    "#ad1457",  # magenta
    "#455a64",  # blue grey
    "#6a6a00",  # olive
    "#283593",  # indigo
    "#8d6e00",  # ochre
)
"""Series colours; each has at least 3:1 contrast against white (WCAG 1.4.11, tested)."""
DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3), (1, 4), (10, 2))
"""Line series differ by dash pattern and point shape too, not by colour alone (WCAG 1.4.1)."""
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")
LABEL_WIDTH = 28
"""Long value texts are wrapped onto lines of about this many characters, never cut off."""
NARROW_LABEL_WIDTH = 18
_RENDER_LOCK = threading.Lock()  # vl-convert's engine is not shared between threads


@dataclass(frozen=True)
class ChartData:
    """What is drawn: rows of (category, series, value), each in a panel (`facets`, "" when
    there are no panels), and the texts around them."""

    kind: str  # "bar" or "line"
    rows: tuple[tuple[str, str, int], ...]
    category_title: str
    series_title: str
    value_title: str
    title: str
    facets: tuple[str, ...] = ()
    facet_title: str = ""
    held: tuple[str, ...] = ()
    """``kommune: København`` for each variable held at one value to keep the chart readable."""

    def orders(self) -> tuple[list[str], list[str], list[str]]:
        """Categories, series and panels in table order (the order rows were made in)."""
        return (
            list(dict.fromkeys(c for c, _, _ in self.rows)),
            list(dict.fromkeys(s for _, s, _ in self.rows)),
            list(dict.fromkeys(self.facets)),
        )


@dataclass(frozen=True)
class _Roles:
    category: CubeDimension
    series: CubeDimension | None
    facet: CubeDimension | None
    held: tuple[CubeDimension, ...]


def _roles(cube: Cube) -> _Roles | None:
    varying = [d for d in cube.dimensions if len(d.codes) > 1]
    time = next((d for d in varying if d.time), None)
    others = sorted((d for d in varying if not d.time), key=lambda d: len(d.codes))
    if time is None and others:
        category: CubeDimension | None = others.pop()  # the largest variable along the axis
    else:
        category = time
    if category is None:
        return None
    series = others.pop(0) if others and len(others[0].codes) <= MAX_SERIES else None
    facet = others.pop(0) if others and len(others[0].codes) <= MAX_PANELS else None
    return _Roles(category, series, facet, tuple(others))


def chart_data(cube: Cube, lang: str = "da") -> ChartData | None:
    """The chart for a cube, or None when there is nothing to draw."""
    roles = _roles(cube)
    if roles is None:
        return None
    # A total is not drawn next to its own parts, unless nothing else could be drawn.
    rows = _rows(cube, roles, lang, hide_totals=True) or _rows(cube, roles, lang, hide_totals=False)
    if not rows or len(rows) > MAX_POINTS:
        return None
    time = roles.category.time
    return ChartData(
        "line" if time and len(roles.category.codes) > 2 else "bar",
        tuple(r[:3] for r in rows),
        dimension_text(roles.category, lang),
        "" if roles.series is None else dimension_text(roles.series, lang),
        cube.unit,
        table_label(cube, lang),
        tuple(r[3] for r in rows) if roles.facet is not None else (),
        "" if roles.facet is None else dimension_text(roles.facet, lang),
        tuple(f"{dimension_text(d, lang)}: {code_text(d.codes[0], lang)}" for d in roles.held),
    )


def _rows(
    cube: Cube, roles: _Roles, lang: str, *, hide_totals: bool
) -> list[tuple[str, str, int, str]]:
    at = {d.id: i for i, d in enumerate(cube.dimensions)}
    held = {at[d.id]: d.codes[0].code for d in roles.held}
    shown = (roles.category, roles.series, roles.facet)
    rows = []
    for key, value in cube.cells():
        if value is None or any(key[i] != code for i, code in held.items()):
            continue
        if hide_totals and _is_hidden_total(key, at, *shown):
            continue
        texts = ["" if d is None else code_text(_code(d, key[at[d.id]]), lang) for d in shown]
        rows.append((texts[0], texts[1], value, texts[2]))
    return rows


def _is_hidden_total(key: tuple[str, ...], at: dict[str, int], *dims: CubeDimension | None) -> bool:
    """A total is not drawn next to its own parts (one bar would dwarf the rest)."""
    for dim in dims:
        if dim is not None and dim.parts_shown() and key[at[dim.id]] in dim.total_codes:
            return True
    return False


def _code(dim: CubeDimension, code: str) -> Code:
    return dim.codes[dim.code_ids().index(code)]


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """A label on lines of about `width` characters (Vega splits them at ``\\n``)."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


_SPLIT = "split(datum.label, '\\n')"
_FONTS = {
    "axis": {"labelFontSize": 13, "titleFontSize": 14, "labelColor": "#1a1a1a"},
    "legend": {"labelFontSize": 13, "titleFontSize": 14, "labelLimit": 0},
    "header": {"labelFontSize": 14, "titleFontSize": 14},
    "title": {"fontSize": 15},
}


def _series_encoding(
    data: ChartData, series: list[str], *, horizontal: bool, narrow: bool
) -> dict[str, Any]:
    """Colour in table order; lines also differ by dash and point shape, bars sit side by side."""
    import altair as alt

    scale = alt.Scale(domain=series, range=list(PALETTE[: len(series)]))
    legend = (
        alt.Legend(orient="bottom", columns=1, labelExpr=_SPLIT)
        if narrow
        else alt.Legend(labelExpr=_SPLIT)
    )
    encoding: dict[str, Any] = {
        "color": alt.Color(
            "serie:N", title=data.series_title, scale=scale, sort=series, legend=legend
        ),
        "tooltip": ["kategori:N", "serie:N", "værdi:Q"],
    }
    if data.kind == "bar":
        offset = alt.YOffset if horizontal else alt.XOffset
        encoding["yOffset" if horizontal else "xOffset"] = offset("serie:N", sort=series)
        return encoding
    dashes = alt.Scale(domain=series, range=[list(d) for d in DASHES[: len(series)]] or [[1, 0]])
    shapes = alt.Scale(domain=series, range=list(SHAPES[: len(series)]))
    encoding["strokeDash"] = alt.StrokeDash("serie:N", sort=series, scale=dashes, legend=None)
    encoding["shape"] = alt.Shape("serie:N", sort=series, scale=shapes, legend=None)
    return encoding


def _height(data: ChartData, wrapped: list[str], *, horizontal: bool, narrow: bool) -> int:
    if not horizontal:
        return 220 if narrow else 300
    bars = max(1, len(data.orders()[1])) if data.series_title else 1
    lines = max(c.count("\n") + 1 for c in wrapped)
    return max(120, max(22 * bars, 17 * lines + 6) * len(wrapped))


def vega_lite(data: ChartData, *, narrow: bool = False) -> dict[str, Any]:
    """The Vega-Lite spec; `narrow` draws for a phone (about 340 px, one panel per row)."""
    import altair as alt  # slow to import; only charts need it

    categories, plain_series, plain_panels = data.orders()
    line = NARROW_LABEL_WIDTH if narrow else LABEL_WIDTH
    series, panels = [wrap(s, line) for s in plain_series], [wrap(p, line) for p in plain_panels]
    facets = data.facets or ("",) * len(data.rows)
    values = [
        {"kategori": wrap(c, line), "serie": wrap(s, line), "værdi": v, "panel": wrap(f, line)}
        for (c, s, v), f in zip(data.rows, facets, strict=True)
    ]
    wrapped = [wrap(c, line) for c in categories]
    horizontal = data.kind == "bar" and (narrow or max(len(c) for c in categories) > 10)
    angle = 0 if horizontal or data.kind == "line" else -40
    cat_axis = alt.Axis(labelExpr=_SPLIT, labelLimit=0, labelAngle=angle)
    category: Any = (alt.Y if horizontal else alt.X)(
        "kategori:N", sort=wrapped, title=None if horizontal else data.category_title, axis=cat_axis
    )
    value: Any = (alt.X if horizontal else alt.Y)(
        "værdi:Q", title=data.value_title, axis=alt.Axis(format=",d", tickCount=5, tickMinStep=1)
    )
    encoding: dict[str, Any] = {"tooltip": ["kategori:N", "værdi:Q"]}
    if data.series_title:
        encoding = _series_encoding(data, series, horizontal=horizontal, narrow=narrow)
    # Narrow: about 330 px in all with the labels, so the text keeps its size on a phone.
    width = (170 if horizontal else 250) if narrow else (260 if data.facet_title else 560)
    chart = alt.Chart(alt.Data(values=values), width=width)  # type: ignore[no-untyped-call]
    colour: Any = alt.Undefined if data.series_title else ACCENT
    if data.kind == "line":
        mark = chart.mark_line(point={"size": 60, "filled": True}, color=colour, strokeWidth=2.5)
    else:
        mark = chart.mark_bar(color=colour)
    axes = {"y": category, "x": value} if horizontal else {"x": category, "y": value}
    height = _height(data, wrapped, horizontal=horizontal, narrow=narrow)
    layer: Any = mark.encode(**axes, **encoding).properties(height=height)
    if data.facet_title:
        header = alt.Header(labelExpr=_SPLIT, labelAnchor="start", labelFontWeight="bold")
        facet = alt.Facet("panel:N", sort=panels, title=data.facet_title, header=header)
        layer = layer.facet(facet=facet, columns=1 if narrow else 3)
    spec: dict[str, Any] = layer.to_dict()
    spec["config"] = {
        "locale": {"number": {"decimal": ",", "thousands": ".", "grouping": [3]}},
        **_FONTS,
    }
    return spec


@lru_cache(maxsize=256)
def _svg(data: ChartData, narrow: bool) -> str:
    import vl_convert

    with _RENDER_LOCK:
        spec = json.loads(json.dumps(vega_lite(data, narrow=narrow)))
        svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


def _labelled(svg: str, label: str) -> str:
    return re.sub(r"^<svg ", f'<svg role="img" aria-label="{label}" ', svg, count=1)


def chart_svg(data: ChartData, description: str) -> str:
    """Both drawings as inline SVG, each with an accessible name; CSS shows one. The figure's
    caption and the table carry the numbers for screen readers."""
    label = html.escape(description, quote=True)
    wide = _labelled(_svg(data, False), label)
    narrow = _labelled(_svg(data, True), label)
    return f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>'


def chart_description(data: ChartData) -> str:
    """What the chart shows, in words (its text alternative names the selection)."""
    parts = [f"{data.title}. {data.category_title.capitalize()} langs aksen"]
    if data.series_title:
        parts.append(f"{data.series_title} som serier")
    if data.facet_title:
        parts.append(f"én delfigur for hver værdi af {data.facet_title}")
    text = ", ".join(parts) + "."
    if data.held:
        text += " Vist for " + "; ".join(data.held) + "."
    return text


def bar_chart(labels: Sequence[str], values: Sequence[int], title: str, axis: str) -> str:
    """A plain bar chart (the Nyt article's figure)."""
    rows = tuple((label, "", value) for label, value in zip(labels, values, strict=True))
    return chart_svg(ChartData("bar", rows, axis, "", "Antal", title), title)
