"""The table output formats: a registry of writers from a `Cube` to bytes (sdmx1's split).

``FORMATS`` is keyed by the Statbank API's format names (``CSV``, ``BULK``, ``JSONSTAT``,
``PX``, ``XLSX``) plus ours (``JSONSTAT2``, ``SDMXCSV``, ``PARQUET``). Each entry has
``name``, ``media_type``, ``extension`` and ``write(cube, *, lang, value_layout) -> bytes``;
its other settings are dataclass fields, changed per call through `render`'s options::

    render(cube, "csv")                                   # the CLI's CSV
    render(cube, "CSV", value_layout="CodeAndValue", delimiter="Tab", line_end="\\r\\n")
    render(cube, "jsonstat2", lang="en", updated=published_at)
"""

from __future__ import annotations

from handistat.tables.cube import Cube

from ._common import Format, FormatError, ValueLayout, parse_lang, parse_value_layout, with_options
from .bulk import BULK, BulkFormat
from .jsonstat import JSONSTAT, JsonStat1Format
from .jsonstat2 import JSONSTAT2, JsonStat2Format
from .parquet import PARQUET, ParquetFormat
from .px import PX, PxFormat
from .sdmx_csv import SDMXCSV, SdmxCsvFormat
from .statbank_csv import CSV, CsvFormat
from .xlsx import XLSX, XlsxFormat

FORMATS: dict[str, Format] = {
    fmt.name: fmt for fmt in (CSV, BULK, JSONSTAT, JSONSTAT2, PX, XLSX, SDMXCSV, PARQUET)
}


def get_format(fmt_name: str) -> Format:
    """The format called `fmt_name`, in any letter case (``csv``, ``JsonStat``)."""
    found = FORMATS.get(fmt_name.strip().upper())
    if found is None:
        known = ", ".join(FORMATS)
        raise FormatError(f"unknown table format {fmt_name!r}; use one of {known}")
    return found


def render(
    cube: Cube,
    fmt_name: str,
    *,
    lang: str = "da",
    value_layout: str | None = None,
    **options: object,
) -> bytes:
    """`cube` written in the format `fmt_name`.

    `value_layout` is ``code``, ``text``, ``code_and_text`` or a Statbank
    ``valuePresentation``; left out, each format uses its own default (codes, texts for
    XLSX). Other keyword options set the format's fields (e.g. CSV's ``delimiter``,
    ``bom``, ``line_end``; JSON-stat's ``updated``); an unknown one raises `ValueError`.
    """
    fmt = get_format(fmt_name)
    if options:
        fmt = with_options(fmt, **options)
    if value_layout is None:
        return fmt.write(cube, lang=lang)
    return fmt.write(cube, lang=lang, value_layout=value_layout)


__all__ = [
    "BULK",
    "CSV",
    "FORMATS",
    "JSONSTAT",
    "JSONSTAT2",
    "PARQUET",
    "PX",
    "SDMXCSV",
    "XLSX",
    "BulkFormat",
    "CsvFormat",
    "Format",
    "FormatError",
    "JsonStat1Format",
    "JsonStat2Format",
    "ParquetFormat",
    "PxFormat",
    "SdmxCsvFormat",
    "ValueLayout",
    "XlsxFormat",
    "get_format",
    "parse_lang",
    "parse_value_layout",
    "render",
]
