"""JSONSTAT2: a JSON-stat 2.0 dataset (SPEC R-API-2), our addition to Statbank's formats.

``version``/``class``/``id``/``size``/``role`` at the top level, the same dimensions as
Statbank's 1.0 bundle (``ContentsCode`` before time), ``value`` row-major over ``id`` with
``null`` for a suppressed cell and ``status`` marking it ``..``, the table's notes in ``note``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handistat.publisher import DEFAULT_PUBLISHER, Publisher
from handistat.tables.cube import SUPPRESSED, Cube

from ._common import CONTENTS_ID, parse_lang, parse_value_layout, table_label
from .jsonstat import (
    JsonObject,
    check_dimension_ids,
    dimension_ids,
    dimensions,
    roles,
    sizes,
    to_json_bytes,
    updated_text,
    values,
)


def status(cube: Cube) -> dict[str, str]:
    """``{"<value index>": ".."}`` for each suppressed cell."""
    return {str(i): SUPPRESSED for i, (_, value) in enumerate(cube.cells()) if value is None}


@dataclass(frozen=True)
class JsonStat2Format:
    name: str = "JSONSTAT2"
    media_type: str = "application/json; charset=utf-8"
    extension: str = "json"
    updated: datetime | None = None
    publisher: Publisher = DEFAULT_PUBLISHER

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "code") -> bytes:
        """Codes and texts are both in JSON-stat, so `value_layout` changes nothing."""
        lang = parse_lang(lang)
        parse_value_layout(value_layout)
        check_dimension_ids(cube, frozenset({CONTENTS_ID}))
        dataset: JsonObject = {
            "version": "2.0",
            "class": "dataset",
            "label": table_label(cube, lang),  # as Statbank: no "Indhold" in the sentence
            "source": self.publisher.source(lang),
        }
        if self.updated is not None:
            dataset["updated"] = updated_text(self.updated)
        dataset |= {
            "id": dimension_ids(cube),
            "size": sizes(cube),
            "role": roles(cube),
            "dimension": dimensions(cube, lang),
            "value": values(cube),
        }
        if suppressed := status(cube):
            dataset["status"] = suppressed
        if cube.notes:
            dataset["note"] = list(cube.notes)
        dataset["extension"] = {
            "table": cube.table_id.upper(),
            "contact": self.publisher.contact_line(),
        }
        return to_json_bytes(dataset)


JSONSTAT2 = JsonStat2Format()
