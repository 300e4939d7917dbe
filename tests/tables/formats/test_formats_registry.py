"""The registry: Statbank's names plus ours, case-insensitive look-up, options, errors."""

from __future__ import annotations

import pytest
from formats_cubes import two_by_two

from handistat.errors import UsageError
from handistat.tables.formats import FORMATS, FormatError, get_format, parse_value_layout, render


def test_names_media_types_extensions() -> None:
    assert {name: (f.media_type.split(";")[0], f.extension) for name, f in FORMATS.items()} == {
        "CSV": ("text/csv", "csv"),
        "BULK": ("text/csv", "csv"),
        "JSONSTAT": ("text/json", "json"),
        "JSONSTAT2": ("application/json", "json"),
        "PX": ("application/x-pcaxis", "px"),
        "XLSX": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        "SDMXCSV": ("application/vnd.sdmx.data+csv", "csv"),
        "PARQUET": ("application/vnd.apache.parquet", "parquet"),
    }
    assert all(f.name == name for name, f in FORMATS.items())


def test_names_are_case_insensitive() -> None:
    assert get_format("jsonStat") is FORMATS["JSONSTAT"]
    assert render(two_by_two(), " Csv ") == render(two_by_two(), "CSV")


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown table format 'html'.*CSV, BULK") as raised:
        render(two_by_two(), "html")
    assert isinstance(raised.value, FormatError)
    assert isinstance(raised.value, UsageError)  # so the CLI and API report it as a usage error


def test_unknown_option_names_the_accepted_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown option\(s\) colour.*accepted: .*delimiter"):
        render(two_by_two(), "csv", colour="red")
    with pytest.raises(ValueError, match="unknown option"):
        render(two_by_two(), "csv", media_type="text/plain")


def test_options_do_not_change_the_registered_format() -> None:
    render(two_by_two(), "csv", bom=False)
    assert render(two_by_two(), "csv").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_writes_bytes_in_both_languages(name: str) -> None:
    for lang in ("da", "EN"):
        assert render(two_by_two(), name, lang=lang)


def test_value_layout_names() -> None:
    assert parse_value_layout("CODE") == "code"
    assert parse_value_layout("value") == parse_value_layout("Default") == "text"
    assert parse_value_layout("CodeAndValue") == "code_and_text"
    with pytest.raises(ValueError, match="unknown value layout"):
        parse_value_layout("both")
