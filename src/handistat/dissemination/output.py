"""Writing an extracted cube in a requested format, with the options each format takes from
the request and from the release (when it was published, under which subject)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from handistat.dissemination.errors import REQUEST_MISSING, ApiError
from handistat.dissemination.metadata import subject_of
from handistat.dissemination.notes import with_applicable_notes
from handistat.publisher import DEFAULT_PUBLISHER, Publisher
from handistat.release.vintages import PublicTable
from handistat.tables.cube import Cube
from handistat.tables.formats import BULK, FormatError, get_format, parse_value_layout, render
from handistat.tables.formats._common import with_options

API_FORMATS = ("CSV", "BULK", "JSONSTAT", "JSONSTAT2", "PX", "XLSX", "SDMXCSV", "PARQUET")
DOWNLOADS = {
    "CSV": "csv",
    "XLSX": "xlsx",
    "PX": "px",
    "JSONSTAT": "json",
    "JSONSTAT2": "json",
    "SDMXCSV": "csv",
    "PARQUET": "parquet",
}
"""Formats offered as files in the web statbank, with their file extension."""
CRLF = "\r\n"


@dataclass(frozen=True)
class Output:
    """How to write: format name (upper case), language, Statbank options."""

    format: str
    lang: str = "da"
    value_presentation: str | None = None
    delimiter: str = "Semicolon"
    code_override: bool = False
    bom: bool = False
    """The API leaves the BOM out (docs/decisions/api-csv-without-bom.md); files keep it."""
    publisher: Publisher = DEFAULT_PUBLISHER
    """The one publisher setting (source, contact) for the formats that name it."""


def parse_format(name: str | None) -> str:
    wanted = (name or "").strip().upper()
    if wanted not in API_FORMATS:
        raise ApiError(
            REQUEST_MISSING,
            "Format ikke angivet, eller ikke gyldigt",
            "Format not found or not valid.",
        )
    return wanted


def media_type(fmt: str) -> str:
    return get_format(fmt).media_type


def _options(output: Output, table: PublicTable) -> dict[str, object]:
    fmt = output.format
    if fmt in {"CSV", "BULK"}:
        return {
            "delimiter": output.delimiter,
            "line_end": CRLF,
            "bom": output.bom,
            "code_override_in_column_names": output.code_override,
        }
    if fmt in {"JSONSTAT", "JSONSTAT2", "XLSX"}:
        return {"updated": table.updated, "publisher": output.publisher}
    if fmt == "PX":
        subject = subject_of(table.table.statistic)
        return {
            "updated": table.updated,
            "publisher": output.publisher,
            "subject_code": subject.id if subject else "",
            "subject_area": subject.text if subject else "",
        }
    return {}


def _layout(output: Output) -> str | None:
    if output.value_presentation is not None:
        return output.value_presentation
    return "Default" if output.format in {"CSV", "BULK"} else None


def write(cube: Cube, table: PublicTable, output: Output) -> bytes:
    """The cube in the asked format, with only the notes about the periods it holds."""
    try:
        return render(
            with_applicable_notes(cube),
            output.format,
            lang=output.lang,
            value_layout=_layout(output),
            **_options(output, table),
        )
    except FormatError as exc:
        raise ApiError(REQUEST_MISSING, str(exc), str(exc)) from None


def stream(cube: Cube, table: PublicTable, output: Output) -> Iterator[bytes]:
    """BULK in chunks (a chunked HTTP response); options are checked before the first chunk."""
    layout = _layout(output) or "Default"
    try:
        parse_value_layout(layout)
        fmt = with_options(BULK, **_options(output, table))
    except FormatError as exc:
        raise ApiError(REQUEST_MISSING, str(exc), str(exc)) from None
    return fmt.stream(with_applicable_notes(cube), lang=output.lang, value_layout=layout)
