"""Issue 11 items 7 and 13: the upload page's column list and the intake report say what a
field must hold in the same words, from the intake's own rules (one function, `holds`)."""

from __future__ import annotations

from handistat.intake.formats import HANDBU
from handistat.intake.rules import ColumnRule, Kind
from handistat.web.portal_formats import FORMATS, columns
from handistat.web.report_texts import error_view, expected, holds


def test_the_upload_page_and_the_error_report_word_a_date_alike() -> None:
    listed = {c.name: c for c in columns(FORMATS["handbu"])}
    assert listed["startdato"].holds == expected("startdato")
    assert expected("startdato") == "dato på formen ÅÅÅÅ-MM-DD, fx 2025-03-01"
    view = error_view({"code": "BAD_DATE", "column": "startdato", "row": 2}, {})
    assert (view["felt"], view["forventet"]) == ("Startdato", expected("startdato"))
    assert listed["startdato"].label == "Startdato"


def test_code_lists_are_spelled_out_up_to_the_limit_and_counted_beyond() -> None:
    rule = ColumnRule("x", Kind.CODE, codes=frozenset({"b", "a", "c"}))
    assert holds(rule) == "en af a, b, c"
    assert holds(rule, listed=2) == "en af de 3 koder i kodelisten"  # not "3 kode"


def test_a_column_handbu_does_not_have_expects_nothing() -> None:
    assert expected("hmi_nummer") == ""
    assert {c.name for c in HANDBU.columns} >= {"kommune", "cpr", "paragraf"}
