"""PARQUET: one row per cell; a string column per dimension, ``INDHOLD`` and ``STATUS``.

``INDHOLD`` is a nullable int64 (null for a suppressed cell) and ``STATUS`` is ``..`` there and
null elsewhere. The table's metadata (title, unit, notes, the dimensions' texts and code lists)
rides along as JSON under the schema metadata key ``handistat``, so the file is its own
codebook.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from handistat.tables.cube import SUPPRESSED, Cube

from ._common import (
    FormatError,
    cell_labels,
    code_text,
    dimension_text,
    parse_lang,
    parse_value_layout,
    table_label,
    unit_text,
)

VALUE_COLUMN = "INDHOLD"
STATUS_COLUMN = "STATUS"
METADATA_KEY = b"handistat"


def metadata(cube: Cube, lang: str) -> dict[str, Any]:
    return {
        "table_id": cube.table_id.upper(),
        "title": table_label(cube, lang),
        "unit": unit_text(cube, lang),
        "lang": lang,
        "notes": list(cube.notes),
        "dimensions": [
            {
                "id": d.id,
                "text": dimension_text(d, lang),
                "time": d.time,
                "codes": {c.code: code_text(c, lang) for c in d.codes},
            }
            for d in cube.dimensions
        ],
    }


@dataclass(frozen=True)
class ParquetFormat:
    name: str = "PARQUET"
    media_type: str = "application/vnd.apache.parquet"
    extension: str = "parquet"
    compression: str = "zstd"

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "code") -> bytes:
        lang = parse_lang(lang)
        labels = cell_labels(cube, parse_value_layout(value_layout), lang)
        names = [d.id for d in cube.dimensions] + [VALUE_COLUMN, STATUS_COLUMN]
        if len({n.casefold() for n in names}) != len(names):
            raise FormatError(f"column names repeat: {names}")
        cells = list(cube.cells())
        columns = [
            pa.array([labels[i][key[i]] for key, _ in cells], type=pa.string())
            for i in range(len(cube.dimensions))
        ]
        columns.append(pa.array([value for _, value in cells], type=pa.int64()))
        status = [SUPPRESSED if value is None else None for _, value in cells]
        columns.append(pa.array(status, type=pa.string()))
        table = pa.Table.from_arrays(columns, names=names)
        document = json.dumps(metadata(cube, lang), ensure_ascii=False).encode("utf-8")
        table = table.replace_schema_metadata({METADATA_KEY: document})
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression=self.compression)
        return buffer.getvalue()


PARQUET = ParquetFormat()
