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
    hidden_checked: tuple[Choice, ...]
    """Ticked values the search filters out: still chosen, and shown as such."""
    count: int
    chosen_count: int

    @property
    def status(self) -> str:
        """``3 af 99 valgt`` (issue 12 item 2)."""
        return f"{self.chosen_count} af {self.count} valgt"

    @property
    def rows_given(self) -> int:
        """How many values this variable contributes to the table (none chosen: the latest
        period or the total, else nothing can be shown)."""
        if self.chosen_count:
            return self.chosen_count
        return 1 if self.time or self.eliminable else 0

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
        known = {c.code for c in dim.codes} & ticked
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
                hidden_checked=tuple(
                    Choice(c.code, c.text, True)
                    for c in dim.codes
                    if c.code in ticked and c.code not in shown_codes
                ),
                count=len(dim.codes),
                chosen_count=len(dim.codes) if "*" in ticked else len(known),
            )
        )
    return variables


def cell_count(variables: Sequence[VariableChoice]) -> int:
    """The number of cells the table view will show for the current choice."""
    cells = 1
    for variable in variables:
        cells *= variable.rows_given
    return cells


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
    header: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Rows under one combination of the outer row variables (PxWeb's grouped labels): the
    label is written once above its rows instead of repeated on every row."""

    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class HtmlTable:
    caption: str
    stub: str
    """The heading of the row-label column (the innermost row variable)."""
    outer: tuple[str, ...]
    """The row variables the group labels name, outermost first."""
    columns: tuple[str, ...]
    groups: tuple[Group, ...]
    suppressed: bool

    @property
    def width(self) -> int:
        return 1 + len(self.columns)


def _split(cube: Cube) -> tuple[list[CubeDimension], CubeDimension | None]:
    head = next((d for d in cube.dimensions if d.time), None)
    return [d for d in cube.dimensions if d is not head], head


def _cells(
    cube: Cube, key_of: dict[str, str], head: CubeDimension | None, columns: Sequence[Code]
) -> list[int | None]:
    at = {d.id: i for i, d in enumerate(cube.dimensions)}
    values = []
    for column in columns:
        key = [""] * len(cube.dimensions)
        for dim_id, code in key_of.items():
            key[at[dim_id]] = code
        if head is not None:
            key[at[head.id]] = column.code
        values.append(cube.values[tuple(key)])
    return values


def pivot(cube: Cube) -> HtmlTable | None:
    """The cube as rows × periods, rows grouped by the outer row variables; None when it is
    too large to show (offer files instead)."""
    if len(cube.values) > MAX_VIEW_CELLS:
        return None
    stub, head = _split(cube)
    columns = head.codes if head else (Code("", cube.unit),)
    outer, inner = stub[:-1], stub[-1:]
    groups, suppressed = [], False
    for group_codes in itertools.product(*(d.codes for d in outer)):
        rows = []
        for inner_codes in itertools.product(*(d.codes for d in inner)):
            key_of = {d.id: c.code for d, c in zip(outer, group_codes, strict=True)}
            key_of |= {d.id: c.code for d, c in zip(inner, inner_codes, strict=True)}
            values = _cells(cube, key_of, head, columns)
            suppressed |= any(v is None for v in values)
            header = inner_codes[0].text if inner_codes else cube.unit
            rows.append(Row(header, tuple(danish(v) for v in values)))
        label = ", ".join(c.text for c in group_codes)
        groups.append(Group(label, tuple(rows)))
    return HtmlTable(
        caption=f"{cube.table_id}: {table_label(cube, 'da')}",
        stub=inner[0].text if inner else "",
        outer=tuple(d.text for d in outer),
        columns=tuple(c.text for c in columns),
        groups=tuple(groups),
        suppressed=suppressed,
    )
