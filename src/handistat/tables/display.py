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
    down = [d for d in cube.dimensions if d is not across]
    grid = Table(title=f"{cube.table_id}: {cube.title}", title_justify="left")
    for d in down:
        grid.add_column(d.text)
    for code in across.codes:
        grid.add_column(code.text[:18], justify="right")
    shown = 0
    for combo in itertools.product(*(d.codes for d in down)):
        chosen: dict[str, Code] = {d.id: c for d, c in zip(down, combo, strict=True)}
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
