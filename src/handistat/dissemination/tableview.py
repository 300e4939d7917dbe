"""What the web statbank shows (R-WEB-1), as plain data for the templates: the value chooser
per variable and the table view (time across, the other variables down, `..` kept)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from handistat.release.vintages import PublicTable
from handistat.tables.cube import SUPPRESSED, Code, Cube, CubeDimension
from handistat.tables.formats._common import table_label

MAX_VIEW_CELLS = 5000
SEARCH_PREFIX = "soeg_"
PAGE_KEYS = frozenset({"vintage"})


def danish(value: int | None) -> str:
    """``12.345``; ``..`` for a suppressed cell."""
    return SUPPRESSED if value is None else f"{value:,}".replace(",", ".")


@dataclass(frozen=True)
class Choice:
    code: str
    text: str
    checked: bool


@dataclass(frozen=True)
class VariableChoice:
    """One variable of the chooser: the values shown (after a search) and which are ticked."""

    id: str
    text: str
    time: bool
    eliminable: bool
    total: str | None
    all_checked: bool
    search: str
    shown: tuple[Choice, ...]
    hidden_checked: tuple[str, ...]
    count: int

    @property
    def field_id(self) -> str:
        return "v-" + "".join(c if c.isalnum() else "-" for c in self.id.casefold())

    @property
    def rule(self) -> str:
        if self.time:
            return "Vælger du ingen, vises den seneste periode."
        if self.eliminable:
            return f"Vælger du ingen, vises kun totalen ({self.total})."
        return "Vælg mindst én værdi."


def _matches(code: Code, search: str) -> bool:
    needle = search.casefold()
    return needle in code.code.casefold() or needle in code.text.casefold()


def chooser(
    table: PublicTable, chosen: Mapping[str, Sequence[str]], searches: Mapping[str, str]
) -> list[VariableChoice]:
    """`chosen`: variable id → ticked codes (``*`` = all); `searches`: variable id → text."""
    variables = []
    for dim in table.cube.dimensions:
        ticked = set(chosen.get(dim.id, ()))
        search = searches.get(dim.id, "").strip()
        shown = [c for c in dim.codes if not search or _matches(c, search)]
        shown_codes = {c.code for c in shown}
        variables.append(
            VariableChoice(
                id=dim.id,
                text=dim.text,
                time=dim.time,
                eliminable=dim.id in table.table.totals,
                total=table.table.totals.get(dim.id),
                all_checked="*" in ticked,
                search=search,
                shown=tuple(Choice(c.code, c.text, c.code in ticked) for c in shown),
                hidden_checked=tuple(sorted(ticked - shown_codes - {"*"})),
                count=len(dim.codes),
            )
        )
    return variables


def web_selections(
    pairs: Iterable[tuple[str, str]], cube: Cube
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """A GET form's pairs → (variable id → ticked codes, variable id → search text); the
    variable names are matched in any letter case, unknown names are ignored."""
    by_fold = {d.id.casefold(): d.id for d in cube.dimensions}
    chosen: dict[str, list[str]] = {}
    searches: dict[str, str] = {}
    for key, value in pairs:
        if key.casefold().startswith(SEARCH_PREFIX):
            dim_id = by_fold.get(key[len(SEARCH_PREFIX) :].casefold())
            if dim_id:
                searches[dim_id] = value
        elif (dim_id := by_fold.get(key.casefold())) is not None and value.strip():
            chosen.setdefault(dim_id, []).append(value.strip())
    return chosen, searches


def selection_query(chosen: Mapping[str, Sequence[str]], vintage: str | None = None) -> str:
    pairs = [(dim_id, code) for dim_id, codes in chosen.items() for code in codes]
    if vintage:
        pairs.append(("vintage", vintage))
    return urlencode(pairs)


@dataclass(frozen=True)
class Row:
    headers: tuple[str, ...]
    cells: tuple[str, ...]


@dataclass(frozen=True)
class HtmlTable:
    caption: str
    stub: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    suppressed: bool


def _split(cube: Cube) -> tuple[list[CubeDimension], CubeDimension | None]:
    head = next((d for d in cube.dimensions if d.time), None)
    return [d for d in cube.dimensions if d is not head], head


def pivot(cube: Cube) -> HtmlTable | None:
    """The cube as rows × periods; None when it is too large to show (offer files instead)."""
    if len(cube.values) > MAX_VIEW_CELLS:
        return None
    stub, head = _split(cube)
    columns = head.codes if head else (Code("", cube.unit),)
    at = {d.id: i for i, d in enumerate(cube.dimensions)}
    rows, suppressed = [], False
    for combination in itertools.product(*(d.codes for d in stub)):
        cells = []
        for column in columns:
            key = [""] * len(cube.dimensions)
            for dim, code in zip(stub, combination, strict=True):
                key[at[dim.id]] = code.code
            if head is not None:
                key[at[head.id]] = column.code
            value = cube.values[tuple(key)]
            suppressed |= value is None
            cells.append(danish(value))
        rows.append(Row(tuple(c.text for c in combination), tuple(cells)))
    return HtmlTable(
        caption=f"{cube.table_id}: {table_label(cube, 'da')}",
        stub=tuple(d.text for d in stub),
        columns=tuple(c.text for c in columns),
        rows=tuple(rows),
        suppressed=suppressed,
    )
