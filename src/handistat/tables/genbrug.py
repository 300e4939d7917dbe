"""HJALP1-2 as published (reference/dst_tables.md) and our HJALP3-5 by device class and
paragraph (R-TAB-3). The fact table is `genbrug_enheder` (one row per active loan and year);
HJALP2 is counted from `genbrug_personer_aar` and HJALP3-5 from `genbrug_laan_aar`, views of the
same loans, to the same cells."""

from __future__ import annotations

from handistat.reference import genbrug_paragraffer, iso_klasser
from handistat.register.genbrug import MASK_BASE_YEAR
from handistat.tables.common import kommunedk
from handistat.tables.spec import ENHEDER, PERSONER, DimCode, Dimension, TableSpec

FACT = "genbrug_enheder"
BY_LOAN = "genbrug_laan_aar"
BY_PERSON = "genbrug_personer_aar"
SUBJECT = "Genbrugshjælpemidler"

KONAMS = Dimension(
    "KONAMS",
    "køn",
    (
        DimCode("0", "I alt", "Total", total=True),
        DimCode("1", "Mænd", "Men"),
        DimCode("2", "Kvinder", "Women"),
        DimCode("9", "Uoplyst køn", "Sex not stated"),  # as HANDBU's KØN (docs/methodology.md)
    ),
    column="koen",
    text_en="sex",
    person_attribute=True,
)

_AGES = (
    ("0024", "Under 25 år", 0, 24),
    ("2549", "25-49 år", 25, 49),
    ("5059", "50-59 år", 50, 59),
    ("6064", "60-64 år", 60, 64),
    ("6569", "65-69 år", 65, 69),
    ("7074", "70-74 år", 70, 74),
    ("7579", "75-79 år", 75, 79),
    ("8084", "80-84 år", 80, 84),
    ("8589", "85-89 år", 85, 89),
)
ALERAMS = Dimension(
    "ALERAMS",
    "alder",
    (
        DimCode("TOT", "Alder i alt", "Age, total", total=True),
        *(
            DimCode(
                code,
                text,
                text.replace("år", "years").replace("Under", "Under"),
                where=f"alder BETWEEN {lo} AND {hi}",
            )
            for code, text, lo, hi in _AGES
        ),
        DimCode("90-", "90 år og derover", "90 years and over", where="alder >= 90"),
        DimCode("999", "Uoplyst alder", "Age not stated", where="alder IS NULL"),
    ),
    text_en="age",
    person_attribute=True,
)

ENHED = Dimension(
    "ENHED",
    "enhed",
    (
        DimCode("UDLAAN", "Udlån", "Loans", total=True, measure=ENHEDER),
        DimCode("MODTAGERE", "Modtagere", "Recipients", total=True, measure=PERSONER),
    ),
    text_en="unit",
)


def _iso(level: int, column: str, dim_id: str, other: str) -> Dimension:
    listed = [k for k in iso_klasser() if k.niveau == level and k.iso_kode != "UKENDT"]
    codes = [DimCode("TOT", "Alle hjælpemidler", "All assistive products", total=True)]
    codes += [
        DimCode(k.iso_kode, f"{k.iso_kode} {k.tekst_da}", f"{k.iso_kode} {k.tekst_en}")
        for k in listed
    ]
    known = ", ".join(f"'{k.iso_kode}'" for k in listed)
    codes.append(DimCode("ANDRE", other, "Other or unknown", where=f"{column} NOT IN ({known})"))
    return Dimension(
        dim_id,
        "hjælpemiddel (ISO 9999)",
        tuple(codes),
        column=column,
        text_en="assistive product (ISO 9999)",
    )


PARAGRAF = Dimension(
    "PARAGRAF",
    "lovgrundlag",
    (
        DimCode("TOT", "I alt", "Total", total=True),
        *(
            DimCode(p.paragraf, f"{p.lov} {p.bestemmelse} {p.tekst_da}", p.tekst_en)
            for p in genbrug_paragraffer()
        ),
        DimCode("UOPL", "Uoplyst paragraf", "Paragraph not stated"),
        DimCode("ANDEN", "Anden værdi end kodelisten", "Value outside the code list"),
    ),
    column="paragraf",
    text_en="legal basis",
)


TITLES_EN = {
    "HJALP1": "Loans of assistive products by municipality and time",
    "HJALP2": "Recipients of loans of assistive products by municipality, sex, age and time",
    "HJALP3": "Loans and recipients of assistive products by product group, unit and time",
    "HJALP4": "Loans and recipients of assistive products by product class, unit and time",
    "HJALP5": "Loans and recipients of assistive products by legal basis, unit and time",
}
"""English titles, so `lang=en` shows no Danish in titles (issue 12 item 10)."""


def _spec(
    table_id: str,
    title: str,
    measure: str,
    dims: tuple[Dimension, ...],
    *,
    by_loan: bool = False,
    by_person: bool = False,
) -> TableSpec:
    """`by_loan`: counted from `genbrug_laan_aar` (each loan once, its years as bits), for the
    tables whose cells do not change with the year (by device or paragraph, not by age).
    `by_person`: counted from `genbrug_personer_aar` (each recipient once per year), for the
    table of persons by age."""
    return TableSpec(
        id=table_id,
        statistic="genbrug",
        title=title,
        title_en=TITLES_EN[table_id],
        fact=FACT,
        measure=measure,
        dimensions=dims,
        subject=SUBJECT,
        notes=("2022 dækker perioden 1. juli - 31. december 2022.",),
        units_unique_per_year=True,  # one row per loan and year; a loan's id is unique
        fact_by_unit=BY_LOAN if by_loan else None,
        mask_base_year=MASK_BASE_YEAR,
        fact_person_years=BY_PERSON if by_person else None,
    )


GENBRUG_TABLES = (
    _spec("HJALP1", "Udlån af hjælpemidler efter kommune og tid", ENHEDER, (kommunedk(),)),
    _spec(
        "HJALP2",
        "Modtagere af udlån af hjælpemidler efter kommune, køn, alder og tid",
        PERSONER,
        (kommunedk(), KONAMS, ALERAMS),
        by_person=True,
    ),
    _spec(
        "HJALP3",
        "Udlån og modtagere af hjælpemidler efter hjælpemiddelgruppe, enhed og tid",
        ENHEDER,
        (_iso(1, "iso1", "HJAELPEMIDDEL", "Ukendt hjælpemiddel (ikke i Hjælpemiddelbasen)"), ENHED),
        by_loan=True,
    ),
    _spec(
        "HJALP4",
        "Udlån og modtagere af hjælpemidler efter hjælpemiddelklasse, enhed og tid",
        ENHEDER,
        (_iso(2, "iso2", "HJAELPEMIDDEL2", "Andre klasser eller ukendt"), ENHED),
        by_loan=True,
    ),
    _spec(
        "HJALP5",
        "Udlån og modtagere af hjælpemidler efter lovgrundlag, enhed og tid",
        ENHEDER,
        (PARAGRAF, ENHED),
        by_loan=True,
    ),
)
