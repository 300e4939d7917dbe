"""Issue 11 item 4: the Nyt "Kommunerne" paragraph summarises instead of listing 97 names."""

from __future__ import annotations

from handistat.approval.declarations import municipalities
from handistat.release.nyt import municipality_section


def decisions(statuses: dict[str, tuple[str, str]]) -> dict[str, object]:
    kommuner = {
        k.kode: {
            "navn": k.navn,
            "status": statuses.get(k.kode, ("ikke godkendt", ""))[0],
            "note": statuses.get(k.kode, ("", ""))[1],
        }
        for k in municipalities()
    }
    return {"source": "godkendelse", "kommuner": kommuner}


def test_many_not_approved_are_counted_not_listed() -> None:
    text = municipality_section(
        decisions({"101": ("godkendt", ""), "147": ("udeladt", "for få indberetninger")})
    )
    assert text == [
        "1 af 98 kommuner har godkendt tallene. 96 kommuner har ikke godkendt dem; deres tal "
        "indgår som indberettet. Udeladt af tallene: Frederiksberg (for få indberetninger)."
    ]
    assert "(kommunen har ikke godkendt tallene)" not in text[0]


def test_few_not_approved_are_named() -> None:
    statuses = {k.kode: ("godkendt", "") for k in municipalities()}
    statuses["101"] = ("ikke godkendt", "")
    statuses["151"] = ("ikke godkendt", "")
    assert municipality_section(decisions(statuses)) == [
        "96 af 98 kommuner har godkendt tallene. 2 kommuner har ikke godkendt dem: København "
        "og Ballerup; deres tal indgår som indberettet."
    ]


def test_all_approved() -> None:
    statuses = {k.kode: ("godkendt", "") for k in municipalities()}
    assert municipality_section(decisions(statuses)) == ["Alle kommuner har godkendt tallene."]
