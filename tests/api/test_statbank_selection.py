"""The value selection syntax of the Statbank API (statbank_api.md §5.2)."""

from __future__ import annotations

import pytest

from handistat.dissemination.errors import ApiError
from handistat.dissemination.params import Params
from handistat.dissemination.selection import nth_places, resolve, split_values
from handistat.tables.cube import Code, CubeDimension

TID = CubeDimension(
    "Tid", "tid", tuple(Code(c, c) for c in ("2022", "2023", "2024K1", "2024K2", "2025")), time=True
)
ALDER = CubeDimension(
    "ALDER",
    "alder",
    tuple(Code(c, t) for c, t in (("IALT", "I alt"), ("0005", "0-5 år"), ("0611", "6-11 år"))),
    eliminable=True,
)


def codes(*items: str, dim: CubeDimension = TID) -> tuple[str, ...]:
    return resolve(dim, items, "IALT" if dim is ALDER else None).codes


def test_plain_codes_any_case_in_table_order() -> None:
    assert codes("2025", "2022") == ("2022", "2025")
    assert codes("2024k1") == ("2024K1",)
    with pytest.raises(ApiError) as found:
        codes("1999")
    assert found.value.code == "EXTRACT-NOTFOUND" and "1999 (Tid)" in found.value.message("en")


def test_wildcards() -> None:
    assert codes("*") == TID.code_ids()
    assert codes("2024*") == ("2024K1", "2024K2")
    assert codes("*K2") == ("2024K2",)
    assert codes("20*K1") == ("2024K1",)
    assert codes("*5") == ("2025",)


def test_ranges_by_position_and_union_of_entries() -> None:
    assert codes(">=2023<=2024K2") == ("2023", "2024K1", "2024K2")
    assert codes(">2024K1") == ("2024K2", "2025")
    assert codes("<2023") == ("2022",)
    assert codes(">=2024K2", "<=2022") == ("2022", "2024K2", "2025")


def test_nth_rules_count_from_the_newest() -> None:
    assert codes("(1)") == ("2025",)
    assert codes("(2)") == ("2024K2",)
    assert codes("(-n+3)") == ("2024K1", "2024K2", "2025")
    assert codes("(-n 3)") == ("2024K1", "2024K2", "2025")  # '+' sent unencoded
    assert codes("-(1)") == ("2022",)
    assert codes("-(-n+2)") == ("2022", "2023")
    assert codes("(2n+1)") == ("2022", "2024K1", "2025")
    assert nth_places("odd", 3, "X") == [1, 3]


def test_sums_with_codes_and_texts() -> None:
    selection = resolve(ALDER, ["sum(0005;0611)"], "IALT")
    (total,) = selection.sums
    assert total.members == ("0005", "0611") and total.text == "0-5 år + 6-11 år"
    named = resolve(ALDER, ["sum(U12|[da Under 12 år][en Under 12]=0005,0611)"], "IALT").sums[0]
    assert (named.code, named.text, named.text_en) == ("U12", "Under 12 år", "Under 12")
    with pytest.raises(ApiError, match="Elimineringsværdien"):
        resolve(ALDER, ["sum(IALT;0005)"], "IALT")
    with pytest.raises(ApiError) as found:
        resolve(ALDER, ["divide(0005;0611)"], "IALT")
    assert found.value.code == "EXTRACT-NOTALLOWED"


def test_get_lists_split_outside_parentheses() -> None:
    assert split_values("000,101, sum(1;2),(-n+3)") == ["000", "101", "sum(1;2)", "(-n+3)"]


def test_parameters_any_case_body_over_query_and_junk_ignored() -> None:
    params = Params(
        [("LANG", "en"), ("pastdays", "NA"), ("KØN", "D,P")],
        {
            "pastDays": None,
            "includeInactive": "True",
            "variables": [{"code": "tid", "values": ["*"]}],
        },
    )
    assert params.text("lang") == "en"
    assert params.integer("pastDays") is None
    assert params.flag("includeinactive") is True
    found = params.selections(frozenset({"lang", "pastdays", "includeinactive", "variables"}))
    assert found == {"køn": ("KØN", ["D", "P"]), "tid": ("tid", ["*"])}
