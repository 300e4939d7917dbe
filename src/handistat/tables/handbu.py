"""HANDBU01-04 as published (reference/dst_tables.md, R-TAB-2) and our split tables HANDBU05-06
(R-HB-6, R-HB-7). The fact table is `handbu_enheder` (one row per counted episode and year)."""

from __future__ import annotations

from handistat.tables.common import kommunedk, landsdel
from handistat.tables.spec import ENHEDER, PERSONER, DimCode, Dimension, TableSpec

FACT = "handbu_enheder"
TITLE = "Handicapindsatser til børn og unge mellem 0-17 år"
TITLE_EN = "Disability-compensating interventions for children and young people aged 0-17"

I_ALT = DimCode(
    "100", "Handicapindsatser i alt", "Interventions, total", total=True, measure=ENHEDER
)
BOERN = DimCode(
    "110",
    "Børn og unge der modtager handicapindsatser i alt",
    "Children and young people receiving interventions, total",
    total=True,
    measure=PERSONER,
)
TYPES = (
    DimCode(
        "1", "Særlige dagtilbud til børn (SEL § 32 / BL § 82.1)", "Special day care for children"
    ),
    DimCode("2", "Hjemmetræning af børn (SEL § 32a / BL § 82.3)", "Home training of children"),
    DimCode(
        "3",
        "Særlige klubtilbud til større børn og unge (SEL § 36 / BL § 82.2)",
        "Special clubs for older children and young people",
    ),
    DimCode(
        "4", "Personlig og praktisk hjælp (SEL § 44/83 / BL § 90.1)", "Personal and practical help"
    ),
    DimCode(
        "5",
        "Afløsning eller aflastning af forældre eller andre nære pårørende "
        "(SEL § 44/84.1 / BL § 90.2)",
        "Relief or respite care for parents or relatives",
    ),
    DimCode(
        "6",
        "Vedligeholdelsestræning, herunder hjælp til at vedligeholde fysiske eller "
        "psykiske færdigheder (SEL § 44/86.2 / BL § 90.3)",
        "Maintenance training",
    ),
    DimCode(
        "7",
        "Ledsageordning til børn og unge mellem 12 og 18 år, som ikke kan færdes alene "
        "(SEL § 45 / BL § 89.1)",
        "Escort scheme for young people aged 12-18",
    ),
    DimCode(
        "8",
        "Andre tilbud efter barnets lov eller dagtilbudsloven (BL § 82.4) (2024-)",
        "Other services under the Children's Act (2024-)",
    ),
)


def indsatser(*codes: DimCode) -> Dimension:
    return Dimension("INDSATSER", "indsats", codes, column="indsats", text_en="intervention")


KOEN = Dimension(
    "KØN",
    "køn",
    (
        DimCode("0", "I alt", "Total", total=True),
        DimCode("D", "Drenge", "Boys"),
        DimCode("P", "Piger", "Girls"),
        DimCode("9", "Uoplyst køn", "Sex not stated"),
    ),
    column="koen",
    text_en="sex",
    person_attribute=True,
)

ALDER = Dimension(
    "ALDER",
    "alder",
    (
        DimCode("IALT", "Alder i alt", "Age, total", total=True),
        DimCode("0005", "0-5 år", "0-5 years", where="alder BETWEEN 0 AND 5"),
        DimCode("0611", "6-11 år", "6-11 years", where="alder BETWEEN 6 AND 11"),
        DimCode("1217", "12-17 år", "12-17 years", where="alder BETWEEN 12 AND 17"),
        DimCode("999", "Uoplyst alder", "Age not stated", where="alder IS NULL"),
    ),
    text_en="age",
    person_attribute=True,
)

FORLOEB = Dimension(
    "FORLOEB",
    "forløb",
    (
        DimCode("TOT", "I alt", "Total", total=True),
        DimCode("NY", "Startet i året", "Started in the year", where="startet_i_aar = 1"),
        DimCode(
            "FORTS",
            "Fortsat fra tidligere år",
            "Continued from earlier years",
            where="startet_i_aar = 0",
        ),
    ),
    text_en="episode",
)

MODTAGER = Dimension(
    "MODTAGER",
    "modtager",
    (
        DimCode("TOT", "I alt", "Total", total=True),
        DimCode("NY", "Første gang", "First time", where="foerste_gang = 1"),
        DimCode("FORTS", "Fortsættende modtager", "Continuing recipient", where="foerste_gang = 0"),
    ),
    text_en="recipient",
    person_attribute=True,
)


def _spec(table_id: str, suffix: str, dims: tuple[Dimension, ...], **kw: object) -> TableSpec:
    return TableSpec(
        id=table_id,
        statistic="handbu",
        title=f"{TITLE} efter {suffix}",
        fact=FACT,
        measure=str(kw.get("measure", ENHEDER)),
        dimensions=dims,
        title_en=TITLE_EN,
        subject="Handicapindsatser til børn og unge",
    )


HANDBU_TABLES = (
    _spec("HANDBU01", "kommune, indsats, køn og tid", (kommunedk(), indsatser(I_ALT, BOERN), KOEN)),
    _spec(
        "HANDBU02", "kommune, indsats, alder og tid", (kommunedk(), indsatser(I_ALT, BOERN), ALDER)
    ),
    _spec("HANDBU03", "landsdel, indsats og tid", (landsdel(), indsatser(I_ALT, BOERN, *TYPES))),
    _spec("HANDBU04", "indsats, alder, køn og tid", (indsatser(I_ALT, BOERN, *TYPES), ALDER, KOEN)),
    _spec(
        "HANDBU05",
        "kommune, indsats, forløb og tid",
        (kommunedk(), indsatser(I_ALT, *TYPES), FORLOEB),
    ),
    _spec("HANDBU06", "kommune, modtager og tid", (kommunedk(), MODTAGER), measure=PERSONER),
)
