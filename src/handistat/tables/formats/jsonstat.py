"""JSONSTAT: the Statbank API's JSON-stat 1.0 bundle (statbank_api.md §5.7).

``{"dataset": {"dimension": {..., "id", "size", "role"}, "label", "source", "updated",
"value"}}``, with a one-category ``ContentsCode`` dimension (the table) just before time.
Suppressed cells are ``null`` as in Statbank; the 2.0 dataset (`jsonstat2`) also marks them
in ``status``. The dimension builders here serve both versions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handistat.publisher import DEFAULT_PUBLISHER, Publisher
from handistat.tables.cube import Cube, CubeDimension

from ._common import (
    CONTENTS_ID,
    CONTENTS_TEXT,
    FormatError,
    code_text,
    dimension_text,
    geo_dimension_ids,
    parse_lang,
    parse_value_layout,
    table_label,
    table_text,
    unit_text,
)

JsonObject = dict[str, Any]

_RESERVED_1_0 = frozenset({"id", "size", "role", CONTENTS_ID})


def dimension_ids(cube: Cube) -> list[str]:
    """The dimension ids in value order: the cube's, with ``ContentsCode`` before time."""
    ids = [d.id for d in cube.dimensions]
    at = next((i for i, d in enumerate(cube.dimensions) if d.time), len(ids))
    return [*ids[:at], CONTENTS_ID, *ids[at:]]


def category(dim: CubeDimension, lang: str) -> JsonObject:
    return {
        "index": {c.code: i for i, c in enumerate(dim.codes)},
        "label": {c.code: code_text(c, lang) for c in dim.codes},
    }


def contents_dimension(cube: Cube, lang: str) -> JsonObject:
    table = cube.table_id.upper()
    return {
        "label": CONTENTS_TEXT[lang],
        "category": {
            "index": {table: 0},
            "label": {table: table_text(cube, lang)},
            "unit": {table: {"label": unit_text(cube, lang), "decimals": 0}},
        },
    }


def dimensions(cube: Cube, lang: str) -> dict[str, JsonObject]:
    by_id = {
        d.id: {"label": dimension_text(d, lang), "category": category(d, lang)}
        for d in cube.dimensions
    }
    by_id[CONTENTS_ID] = contents_dimension(cube, lang)
    return {dim_id: by_id[dim_id] for dim_id in dimension_ids(cube)}


def sizes(cube: Cube) -> list[int]:
    size = {d.id: len(d.codes) for d in cube.dimensions} | {CONTENTS_ID: 1}
    return [size[dim_id] for dim_id in dimension_ids(cube)]


def roles(cube: Cube) -> dict[str, list[str]]:
    role: dict[str, list[str]] = {}
    if geo := geo_dimension_ids(cube):
        role["geo"] = geo
    role["metric"] = [CONTENTS_ID]
    if time := [d.id for d in cube.dimensions if d.time]:
        role["time"] = time
    return role


def values(cube: Cube) -> list[int | None]:
    """Row-major over `dimension_ids` (ContentsCode has one category, so the cube's order)."""
    return [value for _, value in cube.cells()]


def updated_text(updated: datetime) -> str:
    """UTC with a ``Z`` (Statbank's form); a naive time is taken as UTC."""
    if updated.tzinfo is not None:
        updated = updated.astimezone(UTC)
    return updated.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_dimension_ids(cube: Cube, reserved: frozenset[str]) -> None:
    clash = [d.id for d in cube.dimensions if d.id in reserved]
    if clash:
        raise FormatError(f"dimension id(s) {', '.join(clash)} cannot be written as JSON-stat")


def to_json_bytes(document: JsonObject) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class JsonStat1Format:
    """Statbank's ``JSONSTAT``; ``updated`` (when the table was published) is optional."""

    name: str = "JSONSTAT"
    media_type: str = "text/json; charset=utf-8"
    extension: str = "json"
    updated: datetime | None = None
    publisher: Publisher = DEFAULT_PUBLISHER

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "code") -> bytes:
        """Codes and texts are both in JSON-stat, so `value_layout` changes nothing."""
        lang = parse_lang(lang)
        parse_value_layout(value_layout)
        check_dimension_ids(cube, _RESERVED_1_0)
        dimension: JsonObject = dimensions(cube, lang)
        dimension["id"] = dimension_ids(cube)
        dimension["size"] = sizes(cube)
        dimension["role"] = roles(cube)
        dataset: JsonObject = {
            "dimension": dimension,
            "label": table_label(cube, lang),  # as Statbank: no "Indhold" in the sentence
            "source": self.publisher.source(lang),
        }
        if self.updated is not None:
            dataset["updated"] = updated_text(self.updated)
        dataset["value"] = values(cube)
        if cube.notes:
            dataset["note"] = list(cube.notes)
        return to_json_bytes({"dataset": dataset})


JSONSTAT = JsonStat1Format()
