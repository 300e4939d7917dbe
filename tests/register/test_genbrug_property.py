"""R-GB-5 as a property: which loans are active in which period, and the recipient's age on
31 December, from the production SQL versus a slow reference reading the rule literally."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from handistat.register.genbrug import units_sql
from handistat.stores.warehouse import Warehouse

YEARS = (2022, 2023, 2024)
BASE = dt.date(2021, 1, 1)


def period(year: int) -> tuple[dt.date, dt.date]:
    return (dt.date(2022, 7, 1) if year == 2022 else dt.date(year, 1, 1), dt.date(year, 12, 31))


def reference(loans: list[dict[str, object]]) -> set[tuple[int, str, int]]:
    """(year, loan, age): delivered on or before the period's last day, and not returned
    (or, never returned, the recipient not dead) before its first day."""
    out = set()
    for loan in loans:
        end = loan["indleveringsdato"] or loan["doedsdato"]
        for year in YEARS:
            first, last = period(year)
            delivered = loan["udleveringsdato"]
            assert isinstance(delivered, dt.date)
            if delivered <= last and (end is None or end >= first):  # type: ignore[operator]
                born = loan["foedselsdato"]
                assert isinstance(born, dt.date)
                age = dt.date(year, 12, 31).year - born.year
                key = f"{loan['indberetningskommune']}|{loan['kildesystem']}|{loan['udlaan_id']}"
                out.add((year, key, age))
    return out


def production(loans: list[dict[str, object]]) -> set[tuple[int, str, int]]:
    table = pa.Table.from_pylist(
        loans,
        schema=pa.schema(
            [
                ("indberetningskommune", pa.string()),
                ("kildesystem", pa.string()),
                ("udlaan_id", pa.string()),
                ("person_id", pa.int64()),
                ("statistikkommune", pa.string()),
                ("koen", pa.string()),
                ("foedselsdato", pa.date32()),
                ("doedsdato", pa.date32()),
                ("udleveringsdato", pa.date32()),
                ("indleveringsdato", pa.date32()),
                ("slutdato", pa.date32()),
                ("iso_kode", pa.string()),
                ("paragraf_kode", pa.string()),
            ]
        ),
    )
    rows = (
        Warehouse(":memory:")
        .run(
            [units_sql(YEARS)],
            "SELECT aar, enhed_id, alder FROM genbrug_enheder",
            {"genbrug_udlaan": table},
        )
        .to_pylist()
    )
    return {(r["aar"], r["enhed_id"], r["alder"]) for r in rows}


day = st.integers(0, 5 * 365)


@st.composite
def loan(draw: st.DrawFn, i: int) -> dict[str, object]:
    delivered = BASE + dt.timedelta(draw(day))
    returned = draw(st.one_of(st.none(), st.integers(0, 900)))
    died = draw(st.one_of(st.none(), st.integers(0, 900)))
    indlevering = None if returned is None else delivered + dt.timedelta(returned)
    doed = None if died is None else delivered + dt.timedelta(died)
    return {
        "indberetningskommune": "101",
        "kildesystem": "A",
        "udlaan_id": f"l{i}",
        "person_id": i,
        "statistikkommune": "101",
        "koen": "M",
        "foedselsdato": dt.date(draw(st.integers(1920, 2020)), draw(st.integers(1, 12)), 1),
        "doedsdato": doed,
        "udleveringsdato": delivered,
        "indleveringsdato": indlevering,
        "slutdato": indlevering or doed,
        "iso_kode": "122203",
        "paragraf_kode": "UOPL",
    }


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 10).flatmap(lambda n: st.tuples(*(loan(i) for i in range(n)))))
def test_active_in_period_and_age(loans: tuple[dict[str, object], ...]) -> None:
    assert production(list(loans)) == reference(list(loans))
