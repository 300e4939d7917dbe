"""SDMXCSV: SDMX-CSV 1.0, one comma-separated row per observation (RFC 4180, CRLF, UTF-8).

Columns: ``DATAFLOW`` (``HANDISTAT:<TABLE>(1.0)``), one per dimension, ``TIME_PERIOD``,
``OBS_VALUE`` and the attributes ``OBS_STATUS`` and ``CONF_STATUS``. A suppressed cell has an
empty OBS_VALUE, OBS_STATUS ``Q`` ("missing value; suppressed", SDMX CL_OBS_STATUS) and
CONF_STATUS ``C`` ("confidential statistical information", CL_CONF_STATUS); other cells are
``A`` (normal) and ``F`` (free). SDMX ids are ASCII, so ``KØN`` becomes ``KOEN``; Statbank time
codes become SDMX periods (``2024K1`` → ``2024-Q1``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from handistat.tables.cube import Code, Cube, CubeDimension

from ._common import (
    ValueLayout,
    code_text,
    dimension_text,
    parse_lang,
    parse_value_layout,
    table_text,
)

TIME_PERIOD = "TIME_PERIOD"
OBS_VALUE = "OBS_VALUE"
OBS_STATUS = "OBS_STATUS"
CONF_STATUS = "CONF_STATUS"
NORMAL = ("A", "F")  # OBS_STATUS normal value, CONF_STATUS free
SUPPRESSED_STATUS = ("Q", "C")  # missing value; suppressed / confidential

_TRANSLITERATION = str.maketrans({"Æ": "AE", "Ø": "OE", "Å": "AA", "æ": "ae", "ø": "oe", "å": "aa"})
_NOT_ID = re.compile(r"[^A-Za-z0-9_@$\-]")
_PERIODS = (
    (re.compile(r"^(\d{4})K([1-4])$"), r"\1-Q\2"),
    (re.compile(r"^(\d{4})H([12])$"), r"\1-S\2"),
    (re.compile(r"^(\d{4})M(\d{2})$"), r"\1-\2"),
    (re.compile(r"^(\d{4})U(\d{2})$"), r"\1-W\2"),
)


def sdmx_id(dim_id: str) -> str:
    """An SDMX id (``[A-Za-z0-9_@$-]+``) in upper case: æøå spelled out, others as ``_``."""
    return _NOT_ID.sub("_", dim_id.translate(_TRANSLITERATION)).upper()


def sdmx_period(code: str) -> str:
    """A Statbank time code as an SDMX reporting period; years stay as they are."""
    for pattern, replacement in _PERIODS:
        if pattern.match(code):
            return pattern.sub(replacement, code)
    return code


@dataclass(frozen=True)
class SdmxCsvFormat:
    """SDMX-CSV 1.0; a text layout writes SDMX's ``labels=both`` (``ID: Name``)."""

    name: str = "SDMXCSV"
    media_type: str = "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8"
    extension: str = "csv"
    agency: str = "HANDISTAT"
    version: str = "1.0"

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "code") -> bytes:
        lang = parse_lang(lang)
        both = parse_value_layout(value_layout) is not ValueLayout.CODE
        flow = f"{self.agency}:{cube.table_id.upper()}({self.version})"
        if both:
            flow = f"{flow}: {table_text(cube, lang)}"
        columns = [dimension_column(d, lang, both) for d in cube.dimensions]
        labels = [
            {c.code: dimension_value(d, c, lang, both) for c in d.codes} for d in cube.dimensions
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["DATAFLOW", *columns, OBS_VALUE, OBS_STATUS, CONF_STATUS])
        for key, value in cube.cells():
            status = NORMAL if value is not None else SUPPRESSED_STATUS
            observation = "" if value is None else str(value)
            dims = [labels[i][code] for i, code in enumerate(key)]
            writer.writerow([flow, *dims, observation, *status])
        return buffer.getvalue().encode("utf-8")


def dimension_column(dim: CubeDimension, lang: str, both: bool) -> str:
    if dim.time:
        return TIME_PERIOD
    column = sdmx_id(dim.id)
    return f"{column}:{dimension_text(dim, lang)}" if both else column


def dimension_value(dim: CubeDimension, code: Code, lang: str, both: bool) -> str:
    if dim.time:
        return sdmx_period(code.code)
    return f"{code.code}: {code_text(code, lang)}" if both else code.code


SDMXCSV = SdmxCsvFormat()
