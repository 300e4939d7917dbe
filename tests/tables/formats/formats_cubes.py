"""Cubes for the format tests: hand-written examples and a hypothesis strategy."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

from handistat.tables.cube import Code, Cube, CubeDimension

KOMMUNE = CubeDimension(
    "KOMMUNEDK",
    "kommune",
    (Code("000", "Hele landet", "All Denmark"), Code("101", "København", "Copenhagen")),
    eliminable=True,
    text_en="municipality",
)
TID = CubeDimension(
    "Tid", "tid", (Code("2022", "2022"), Code("2023", "2023")), time=True, text_en="time"
)


def two_by_two() -> Cube:
    """KOMMUNEDK × Tid, one suppressed cell: the CSV known-answer cube."""
    values = {
        ("000", "2022"): 12345,
        ("000", "2023"): None,
        ("101", "2022"): 0,
        ("101", "2023"): 7,
    }
    return Cube(
        table_id="HANDBU01",
        title="Handicapindsatser til børn og unge mellem 0-17 år efter kommune og tid",
        unit="Antal",
        dimensions=(KOMMUNE, TID),
        values=values,
        notes=("Celler med færre end 3 børn vises som '..'.",),
        title_en="Disability interventions for children aged 0-17 by municipality and time",
    )


def handbu04_like() -> Cube:
    """Three variables with Danish texts (INDSATSER, KØN, Tid); two suppressed cells."""
    indsats = CubeDimension(
        "INDSATSER",
        "indsats",
        (
            Code("100", "Handicapindsatser i alt", "Disability interventions, total"),
            Code("1", "Særlige dagtilbud til børn (SEL § 32 / BL § 82.1)"),
        ),
        eliminable=True,
    )
    køn = CubeDimension(
        "KØN",
        "køn",
        (Code("0", "I alt", "Total"), Code("D", "Drenge", "Boys"), Code("P", "Piger", "Girls")),
        eliminable=True,
        text_en="sex",
    )
    keys = list(itertools.product(indsats.code_ids(), køn.code_ids(), TID.code_ids()))
    values: dict[tuple[str, ...], int | None] = {key: 10 * i for i, key in enumerate(keys)}
    values[("1", "P", "2023")] = None
    values[("1", "D", "2023")] = None
    return Cube(
        "HANDBU04",
        "Handicapindsatser til børn og unge mellem 0-17 år efter indsats, alder, køn og tid",
        "Antal",
        (indsats, køn, TID),
        values,
        notes=("Særlige dagtilbud: ændret lov i 2024.", "Tal under 3 vises som '..'."),
    )


# Texts as users write them: Danish letters, digits, some punctuation; no leading or trailing
# space (PX readers trim it).
DANISH_TEXT = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 -,.()§/é'"
texts = st.text(alphabet=DANISH_TEXT, min_size=1, max_size=25).map(str.strip).filter(bool)
CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"
codes = st.text(alphabet=CODE_CHARS, min_size=1, max_size=5)
DIMENSION_IDS = ("KOMMUNEDK", "KØN", "ALDER", "INDSATSER", "LANDSDEL", "ALERAMS", "KONAMS")
cell_values = st.one_of(st.none(), st.integers(min_value=0, max_value=10**7))


@st.composite
def code_lists(draw: st.DrawFn, time: bool) -> tuple[Code, ...]:
    if time:
        years = draw(st.lists(st.integers(2015, 2030), min_size=1, max_size=3, unique=True))
        return tuple(Code(str(y), str(y)) for y in sorted(years))
    ids = draw(st.lists(codes, min_size=1, max_size=4, unique=True))
    names = draw(st.lists(texts, min_size=len(ids), max_size=len(ids), unique=True))
    english = draw(st.lists(st.one_of(st.just(""), texts), min_size=len(ids), max_size=len(ids)))
    return tuple(Code(c, t, e) for c, t, e in zip(ids, names, english, strict=True))


@st.composite
def cubes(draw: st.DrawFn, max_dimensions: int = 3) -> Cube:
    """Small random cubes: 1-3 variables, perhaps a time variable anywhere, random suppression."""
    with_time = draw(st.booleans())
    others = draw(
        st.lists(
            st.sampled_from(DIMENSION_IDS),
            min_size=0 if with_time else 1,
            max_size=max_dimensions - with_time,
            unique=True,
        )
    )
    n = len(others) + with_time
    names = draw(
        st.lists(
            texts.filter(lambda t: t != "Antal"),
            min_size=n,
            max_size=n,
            unique_by=str.casefold,
        )
    )
    dims = [
        CubeDimension(dim_id, names[i], draw(code_lists(False)), text_en=draw(texts))
        for i, dim_id in enumerate(others)
    ]
    if with_time:
        at = draw(st.integers(0, len(dims)))
        dims.insert(at, CubeDimension("Tid", names[-1], draw(code_lists(True)), time=True))
    keys = list(itertools.product(*(d.code_ids() for d in dims)))
    values = draw(st.lists(cell_values, min_size=len(keys), max_size=len(keys)))
    return Cube(
        table_id=draw(st.sampled_from(["HANDBU01", "HANDBU03", "HJALP1", "HJALP2"])),
        title=draw(texts),
        unit="Antal",
        dimensions=tuple(dims),
        values=dict(zip(keys, values, strict=True)),
        notes=tuple(draw(st.lists(texts, max_size=2))),
        title_en=draw(st.one_of(st.just(""), texts)),
    )


def expected_cells(cube: Cube) -> list[tuple[tuple[str, ...], int | None]]:
    return list(cube.cells())
