"""A table as a readable grid in the terminal (Rich): the last non-time dimension across."""

from __future__ import annotations

import itertools

from rich.console import Console
from rich.table import Table

from handistat.tables.cube import SUPPRESSED, Code, Cube


def _fmt(value: int | None) -> str:
    return SUPPRESSED if value is None else f"{value:,}".replace(",", ".")


def print_cube(console: Console, cube: Cube, *, max_rows: int = 40) -> None:
    """Rows: combinations of the other dimensions (all-zero rows after the first are left
    out); columns: the codes of the last non-time dimension."""
    across = [d for d in cube.dimensions if not d.time][-1]
    fixed = [d for d in cube.dimensions if d is not across and len(d.codes) == 1]
    down = [d for d in cube.dimensions if d is not across and d not in fixed]
    where = ", ".join(f"{d.text} {d.codes[0].text}" for d in fixed)
    title = f"{cube.table_id}: {cube.title}" + (f" ({where})" if where else "")
    grid = Table(title=title, title_justify="left")
    for d in down:
        grid.add_column(d.text, no_wrap=True, max_width=22)
    wide = len(across.codes) > 6  # many columns: their codes, texts in the caption
    digits = max((len(_fmt(v)) for v in cube.values.values()), default=1)
    for code in across.codes:
        header = code.code if wide else code.text[:18]
        grid.add_column(header, justify="right", no_wrap=True, min_width=digits)
    if wide:
        grid.caption = "; ".join(f"{c.code} {c.text}" for c in across.codes)
    shown = 0
    for combo in itertools.product(*(d.codes for d in down)):
        chosen: dict[str, Code] = {d.id: c for d, c in zip(down, combo, strict=True)}
        chosen.update({d.id: d.codes[0] for d in fixed})
        cells = []
        for code in across.codes:
            key = tuple((code if d is across else chosen[d.id]).code for d in cube.dimensions)
            cells.append(_fmt(cube.values[key]))
        if shown and all(c == "0" for c in cells):
            continue
        grid.add_row(*(c.text for c in combo), *cells)
        shown += 1
        if shown >= max_rows:
            break
    console.print(grid)
    if shown >= max_rows:
        console.print(f"(højst {max_rows} rækker vist; hele tabellen: --format csv)")
