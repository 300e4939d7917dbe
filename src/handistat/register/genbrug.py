"""GENBRUG register steps (R-IN-8, R-GB-1..6), in the order of the seed's §3.5.

Inputs made visible by the pipeline: `genbrug_input` (the rows of the current full loads with
`delivery_id`, `kildesystem`, `udtraeksdato`), `systemskifte(kommune, fra, til, dato)`,
`hmi_katalog(hmi_nummer, iso_kode)`, `personer`, `bopael`, `ref_samarbejde`,
`ref_genbrug_paragraf(paragraf)`, `ref_paragraf_iso(paragraf, iso1)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from handistat.register.cpr import (
    cpr_digits_sql,
    cpr_number_parts_sql,
    cpr_text_sql,
    cpr_year_sql,
)
from handistat.register.sql import Step, checked_date_sql

PERIOD_START = "2022-07-01"
"""R-IN-9: the statistics period starts here."""
PERIOD_START_YEAR = int(PERIOD_START[:4])
"""The first year of the statistics, whose period starts on `PERIOD_START`."""


_NORMALISED_COLUMNS = f"""delivery_id, kildesystem, CAST(udtraeksdato AS DATE) AS udtraeksdato,
  _row, indberetningskommune, betalingskommune, udlaan_id,
  CAST(hmi_nummer AS BIGINT) AS hmi_nummer,
  {cpr_digits_sql("cpr")} AS cpr,
  paragraf, udleveringsdato, indleveringsdato"""


_CLEANED_COLUMNS = (
    "l.delivery_id, l.kildesystem, l.indberetningskommune, l.betalingskommune, l.udlaan_id, "
    "l.hmi_nummer, l.paragraf, l.udleveringsdato, l.indleveringsdato"
)


def normalised_sql() -> Step:
    """The staged rows with typed values and a ten-digit CPR (or NULL)."""
    return Step("genbrug_laan", f"SELECT {_NORMALISED_COLUMNS}\nFROM genbrug_input")


def switched_sql() -> Step:
    """R-IN-8 and R-GB-2 in one pass over the staged rows: after a system switch the old
    system counts only for loans before cut-over; each remaining loan gets its recipient
    from `personer` and `fejlkode`, the first reason that removes it (NULL: kept).

    One statement (issue 15): the staged rows are read and written once, not copied once per
    step. The reason does not depend on pairing, so it is computed here, before the pairs are
    known; the paired old-system copies are left out by the readers (`_pairing_sql`).
    Persons are joined on `person_id`, the CPR as an integer, in one join: narrowing
    `personer` first to the 0.7 M of 5.9 M persons with a loan made DuckDB buffer all 8.6 M
    loans to read them twice, which cost more than the larger hash table (issue 15). The
    birth date is computed once per loan, each of its parts once (nested
    SELECTs: as one expression the CPR's year was computed eight times per loan), by
    integer arithmetic on `person_id`, not by cutting and parsing the text. The CPR text is
    not carried on: `person_id` is it (NULL exactly when it is), and the pairs get it back
    for the staff report (`duplicates_sql`)."""
    return Step(
        "genbrug_skiftet",
        f"""
WITH laan AS (
  SELECT a.*, {checked_date_sql("a.cpr_aar", "a.cpr_md", "a.cpr_dag")} AS foedt
  FROM (
    SELECT d.*, {cpr_year_sql("d.cpr_aa", "d.cpr_c7", numeric=True)} AS cpr_aar
    FROM (
      SELECT c.*, {cpr_number_parts_sql("c.person_id")}
      FROM (
        SELECT n.*, CAST(n.cpr AS BIGINT) AS person_id
        FROM (SELECT {_NORMALISED_COLUMNS} FROM genbrug_input) AS n
        LEFT JOIN systemskifte AS s
          ON s.kommune = n.indberetningskommune AND s.fra = n.kildesystem
        WHERE s.kommune IS NULL OR n.udleveringsdato < s.dato
      ) AS c
    ) AS d
  ) AS a
)
SELECT {_CLEANED_COLUMNS}, l.person_id, p.koen, p.foedselsdato, p.doedsdato,
  CASE WHEN l.person_id IS NULL OR l.foedt IS NULL OR l.foedt > l.udtraeksdato THEN 'UGYLDIG_CPR'
       WHEN p.person_id IS NULL THEN 'FIKTIV_CPR'
       WHEN p.doedsdato < l.udleveringsdato THEN 'DOED_VED_UDLEVERING'
       WHEN l.indleveringsdato < DATE '{PERIOD_START}' THEN 'INDLEVERET_FOER_PERIODEN'
       WHEN l.indleveringsdato < l.udleveringsdato THEN 'INDLEVERET_FOER_UDLEVERING'
  END AS fejlkode
FROM laan AS l
LEFT JOIN personer AS p ON p.person_id = l.person_id""",
    )


PAIRING_ROUNDS = 6
"""Rounds of one-to-one pairing (R-IN-8). Each round takes every pair that is the best free
choice of both its loans (exactly the pairs greedy pairing takes next), at least one in every
group of competing loans, so the result is the greedy one whenever no group holds more than
six loans on one side (copies of one device lent to one person within the window). Spark cuts
the lineage after every step (`SparkRunner.view`), so the rounds cost the same on both
engines.

A candidate pair whose two loans have no other candidate is a group of its own, and the
first round takes it; so the rounds see only the competing candidates (`_competing_sql`),
and `genbrug_dubletter` adds the lone pairs back (nationally 72 of 137,944 candidates
compete; issue 15)."""


def candidates_sql(days: int) -> Step:
    """Loans in both the old and the new system: same CPR, device and delivery ±`days`, with
    how many candidates each of the two loans has (`gammel_antal`, `ny_antal`). The same CPR
    is the same `person_id` (the ten-digit CPR as an integer, NULL exactly when `cpr` is):
    hashing the integer instead of the text cut the step's CPU from 1.8 to 0.3 s nationally
    (issue 15). The new system's loans are read only in switching municipalities, said
    outright: without it DuckDB once hashed all 8.6 M loans for the 0.2 M it needed
    (0.2 → 1.3 s when the loans lost their CPR text and its statistics changed)."""
    return Step(
        "genbrug_kandidater",
        f"""
SELECT c.*,
  COUNT(*) OVER ({_old_loan_window()}) AS gammel_antal,
  COUNT(*) OVER ({_new_loan_window()}) AS ny_antal
FROM (
SELECT s.kommune, s.fra, s.til,
  o.delivery_id AS gammel_delivery_id, o.udlaan_id AS gammel_udlaan_id,
  n.delivery_id AS ny_delivery_id, n.udlaan_id AS ny_udlaan_id,
  o.person_id, o.hmi_nummer,
  o.udleveringsdato AS gammel_udleveringsdato, n.udleveringsdato AS ny_udleveringsdato,
  ABS(DATEDIFF('day', o.udleveringsdato, n.udleveringsdato)) AS afstand
FROM genbrug_skiftet AS o
JOIN systemskifte AS s ON s.kommune = o.indberetningskommune AND s.fra = o.kildesystem
JOIN (
  SELECT * FROM genbrug_skiftet
  WHERE indberetningskommune IN (SELECT kommune FROM systemskifte)
) AS n
  ON n.indberetningskommune = s.kommune AND n.kildesystem = s.til
 AND n.person_id = o.person_id AND n.hmi_nummer = o.hmi_nummer
 AND ABS(DATEDIFF('day', o.udleveringsdato, n.udleveringsdato)) <= {days}
) AS c""",
    )


_PAIR_COLUMNS = (
    "kommune, fra, til, gammel_delivery_id, gammel_udlaan_id, ny_delivery_id, ny_udlaan_id, "
    "person_id, hmi_nummer, gammel_udleveringsdato, ny_udleveringsdato, afstand"
)


def _lone_sql() -> str:
    """A candidate pair with no competitor on either side."""
    return "gammel_antal = 1 AND ny_antal = 1"


def _old_loan_window() -> str:
    return "PARTITION BY gammel_delivery_id, gammel_udlaan_id"


def _new_loan_window() -> str:
    return "PARTITION BY ny_delivery_id, ny_udlaan_id"


def pairing_round_sql(round_no: int) -> Step:
    """R-IN-8, one to one, round `round_no`: every candidate pair, with `parret` the round in
    which it was paired (NULL: not paired). A pair is taken when both its loans are still free
    and it is each loan's best free choice (closest dates first, then `udlaan_id`): exactly the
    pairs greedy pairing in that order takes next. Each round reads the previous one once, so
    the plan grows linearly (Spark keeps the whole lineage)."""
    previous = (
        f"genbrug_par_{round_no - 1}"
        if round_no > 1
        else f"(SELECT * FROM genbrug_kandidater WHERE NOT ({_lone_sql()})) AS konkurrerende"
    )
    taken = "parret" if round_no > 1 else "CAST(NULL AS INTEGER)"
    paired = f"CASE WHEN {taken} IS NULL THEN 0 ELSE 1 END"
    return Step(
        f"genbrug_par_{round_no}",
        f"""
SELECT {_PAIR_COLUMNS},
  CASE WHEN parret IS NULL AND ledig = 1 AND valg_gammel = 1 AND valg_ny = 1
       THEN {round_no} ELSE parret END AS parret
FROM (
  SELECT f.*,
    ROW_NUMBER() OVER ({_old_loan_window()}
                       ORDER BY ledig DESC, afstand, ny_udlaan_id, ny_delivery_id) AS valg_gammel,
    ROW_NUMBER() OVER ({_new_loan_window()}
                       ORDER BY ledig DESC, afstand, gammel_udlaan_id, gammel_delivery_id)
      AS valg_ny
  FROM (
    SELECT {_PAIR_COLUMNS}, {taken} AS parret,
      CASE WHEN MAX({paired}) OVER ({_old_loan_window()}) = 0
            AND MAX({paired}) OVER ({_new_loan_window()}) = 0 THEN 1 ELSE 0 END AS ledig
    FROM {previous}
  ) AS f
) AS ranked""",
    )


def duplicates_sql() -> Step:
    """The lone pairs and the pairs of all rounds: each old loan and each new loan in at most
    one pair. The candidates carry the recipient as `person_id`; the pairs, which staff read
    (`register.reports`), show the CPR as delivered, ten digits (`cpr_text_sql`)."""
    columns = (
        "kommune, fra, til, gammel_delivery_id, gammel_udlaan_id, ny_udlaan_id, "
        f"{cpr_text_sql('p')} AS cpr, hmi_nummer, gammel_udleveringsdato, ny_udleveringsdato"
    )
    return Step(
        "genbrug_dubletter",
        f"""
SELECT {columns}
FROM genbrug_kandidater AS p
WHERE {_lone_sql()}
UNION ALL
SELECT {columns}
FROM genbrug_par_{PAIRING_ROUNDS} AS p
WHERE parret IS NOT NULL""",
    )


def pairing_steps(days: int) -> list[Step]:
    rounds = [pairing_round_sql(i) for i in range(1, PAIRING_ROUNDS + 1)]
    return [candidates_sql(days), *rounds, duplicates_sql()]


def _pairing_sql(alias: str) -> str:
    """A LEFT JOIN of the loan `alias` to its pair as the old system's copy, if it has one;
    `_not_a_duplicate_sql` then keeps the loans without. A join, not a NOT EXISTS: DuckDB
    plans the correlated form with a grouping of all 8 M loans by their key (issue 15). Each
    old loan is in at most one pair, so the join repeats no loan."""
    return (
        f"LEFT JOIN genbrug_dubletter AS par ON par.gammel_delivery_id = {alias}.delivery_id"
        f" AND par.gammel_udlaan_id = {alias}.udlaan_id"
    )


def _not_a_duplicate_sql() -> str:
    """The loan is not the old system's copy of a paired loan (R-IN-8); after `_pairing_sql`."""
    return "par.gammel_udlaan_id IS NULL"


def residence_sql() -> Step:
    """The recipient's residence municipality on the delivery day (latest spell wins), for
    kept loans of municipalities in a collaboration (the only ones that need it)."""
    return Step(
        "genbrug_bopael",
        """
SELECT delivery_id, udlaan_id, kommune AS bopaelskommune
FROM (
  SELECT r.delivery_id, r.udlaan_id, b.kommune, ROW_NUMBER() OVER (
    PARTITION BY r.delivery_id, r.udlaan_id
    ORDER BY b.fra DESC NULLS LAST, b.kommune NULLS LAST) AS n
  FROM genbrug_skiftet AS r
  JOIN bopael AS b ON b.person_id = r.person_id AND b.fra <= r.udleveringsdato
   AND (b.til IS NULL OR b.til >= r.udleveringsdato)
  WHERE r.fejlkode IS NULL
    AND r.indberetningskommune IN (SELECT indberetningskommune FROM ref_samarbejde)
) AS ranked
WHERE n = 1""",
    )


def collaboration_day_sql() -> Step:
    """R-GB-4: the kept loans whose reporting municipality is in a collaboration on the loan's
    delivery day. A join of the (few) collaboration loans, read by `genbrug_udlaan` through
    its key: a correlated NOT EXISTS there cost a join over every loan (issue 15)."""
    return Step(
        "genbrug_samarbejde",
        f"""
SELECT DISTINCT r.delivery_id, r.udlaan_id
FROM genbrug_skiftet AS r
JOIN ref_samarbejde AS c ON c.indberetningskommune = r.indberetningskommune
 AND {member_on_delivery_sql("c")}
WHERE r.fejlkode IS NULL""",
    )


def member_on_delivery_sql(alias: str) -> str:
    """R-GB-4: the membership period `alias` covers the loan's `udleveringsdato`."""
    return (
        f"{alias}.gyldig_fra <= r.udleveringsdato"
        f" AND ({alias}.gyldig_til IS NULL OR {alias}.gyldig_til >= r.udleveringsdato)"
    )


def statistics_municipality_sql() -> str:
    """R-GB-4 as an expression over `r` (loan), `c` (`genbrug_samarbejde`: its municipality
    is in a collaboration), `m` (paying member) and `b` (residence); membership is that on
    the loan's delivery day."""
    return """CASE
    WHEN c.udlaan_id IS NULL THEN r.indberetningskommune
    WHEN m.medlemskommune IS NOT NULL THEN r.betalingskommune
    ELSE COALESCE(b.bopaelskommune, r.indberetningskommune)
  END"""


def loan_end_sql() -> str:
    """R-GB-5: a loan ends on its return or the recipient's death, whichever is first."""
    return """CASE WHEN r.doedsdato IS NOT NULL
       AND (r.indleveringsdato IS NULL OR r.doedsdato < r.indleveringsdato)
    THEN r.doedsdato ELSE r.indleveringsdato END"""


def iso_level_sql(alias: str, digits: int) -> str:
    """The ISO 9999 group (`digits` 2) or class (4) of the loan `alias`: the first digits of
    its `iso_kode`, or `UKENDT` for a device not in the catalogue (whose codes are digits
    only, `register.hmi`, so `UKENDT` is never a catalogue code)."""
    return (
        f"CASE WHEN {alias}.iso_kode = 'UKENDT' THEN 'UKENDT' "
        f"ELSE substr({alias}.iso_kode, 1, {digits}) END"
    )


def loans_sql(exclude_unknown_hmi: bool) -> Step:
    """The cleaned loan register with device class, paragraph code and statistics municipality.
    A loan's key is (`indberetningskommune`, `kildesystem`, `udlaan_id`); no text column of
    it is stored (issue 15: `genbrug_enheder` builds one for a reader that asks).

    Nothing derivable is stored either (issue 15): the recipient's CPR is `person_id`, the
    ten digits as an integer (`cpr_text_sql` gives them back), and the ISO group and class
    are the first two and four digits of `iso_kode` (`iso_level_sql`). Persisting the 3.9 M
    national loans cost 4.5-4.7 CPU-s with those three text columns, 3.65-3.78 without."""
    keep = "AND k.hmi_nummer IS NOT NULL" if exclude_unknown_hmi else ""
    return Step(
        "genbrug_udlaan",
        f"""
SELECT r.delivery_id, r.kildesystem, r.indberetningskommune, r.betalingskommune, r.udlaan_id,
  r.hmi_nummer, r.person_id, r.koen, r.foedselsdato, r.doedsdato,
  r.paragraf, r.udleveringsdato, r.indleveringsdato,
  {loan_end_sql()} AS slutdato,
  COALESCE(k.iso_kode, 'UKENDT') AS iso_kode,
  CASE WHEN r.paragraf IS NULL THEN 'UOPL'
       WHEN r.paragraf IN (SELECT paragraf FROM ref_genbrug_paragraf) THEN r.paragraf
       ELSE 'ANDEN' END AS paragraf_kode,
  {statistics_municipality_sql()} AS statistikkommune
FROM genbrug_skiftet AS r
LEFT JOIN hmi_katalog AS k ON k.hmi_nummer = r.hmi_nummer
LEFT JOIN genbrug_samarbejde AS c ON c.delivery_id = r.delivery_id AND c.udlaan_id = r.udlaan_id
LEFT JOIN ref_samarbejde AS m
  ON m.indberetningskommune = r.indberetningskommune AND m.medlemskommune = r.betalingskommune
 AND m.medlemskommune <> r.indberetningskommune AND {member_on_delivery_sql("m")}
LEFT JOIN genbrug_bopael AS b ON b.delivery_id = r.delivery_id AND b.udlaan_id = r.udlaan_id
{_pairing_sql("r")}
WHERE r.fejlkode IS NULL AND {_not_a_duplicate_sql()} {keep}""",
    )


def cleaning_report_sql(exclude_unknown_hmi: bool) -> Step:
    """R-GB-2/R-GB-3: removed loans per municipality and reason, and unknown devices, kept or
    removed as the setting says (`genbrug_udlaan` keeps every kept loan, and a loan with an
    unknown device only when `exclude_unknown_hmi` is off): a constant, not a lookup of
    3.9 M loans (issue 15)."""
    handling = "fjernet" if exclude_unknown_hmi else "beholdt"
    return Step(
        "genbrug_rensning",
        f"""
SELECT r.indberetningskommune AS kommune, r.fejlkode, 'fjernet' AS handling, COUNT(*) AS antal
FROM genbrug_skiftet AS r
{_pairing_sql("r")}
WHERE r.fejlkode IS NOT NULL AND {_not_a_duplicate_sql()}
GROUP BY r.indberetningskommune, r.fejlkode
UNION ALL
SELECT r.indberetningskommune, 'UKENDT_HMI', '{handling}', COUNT(*)
FROM genbrug_skiftet AS r
{_pairing_sql("r")}
LEFT JOIN hmi_katalog AS k ON k.hmi_nummer = r.hmi_nummer
WHERE r.fejlkode IS NULL AND {_not_a_duplicate_sql()} AND k.hmi_nummer IS NULL
GROUP BY r.indberetningskommune""",
    )


def periods(years: Sequence[int]) -> list[tuple[int, str, str]]:
    """R-GB-5: each year's period (`aar`, first day, last day): calendar years, except the
    first (2022), which starts on `PERIOD_START` (1 July)."""
    return [
        (y, PERIOD_START if y == PERIOD_START_YEAR else f"{y}-01-01", f"{y}-12-31") for y in years
    ]


def periods_sql(years: Sequence[int]) -> str:
    """`periods` as a relation `aar, start, slut`, written out so that the view
    `genbrug_enheder` reads no temporary table."""
    rows = ", ".join(f"({y}, DATE '{start}', DATE '{end}')" for y, start, end in periods(years))
    return f"(SELECT * FROM (VALUES {rows}) AS t(aar, start, slut))"


def _active_sql(alias: str, start: str, end: str) -> str:
    """R-GB-5: the loan `alias` counts in the period `start`..`end` (both SQL dates)."""
    return (
        f"{alias}.udleveringsdato <= {end} AND ({alias}.slutdato IS NULL OR "
        f"{alias}.slutdato >= {start})"
    )


def _date(day: str) -> str:
    return f"DATE '{day}'"


def _sex_sql(alias: str) -> str:
    return f"CASE {alias}.koen WHEN 'M' THEN '1' WHEN 'K' THEN '2' ELSE '9' END"


MASK_BASE_YEAR = PERIOD_START_YEAR
"""The year of bit 0 of `aar_maske` in `genbrug_laan_aar`: bit `aar - MASK_BASE_YEAR`."""


def year_bit(year: int) -> int:
    """The bit of `year` in a year mask (`aar_maske`)."""
    return 1 << (year - MASK_BASE_YEAR)


def year_mask_sql(years: Sequence[int], alias: str) -> str:
    """The years of `years` in which the loan `alias` counts, as bits (a sum of distinct
    powers of two, so no bitwise operator is needed to build it)."""
    terms = [
        f"CASE WHEN {_active_sql(alias, _date(start), _date(end))} THEN {year_bit(y)} ELSE 0 END"
        for y, start, end in periods(years)
    ]
    return " + ".join(terms) if terms else "0"


def units_sql(years: Sequence[int]) -> Step:
    """R-GB-5: loans active in each period, with the recipient's sex and age on 31 Dec.

    A view (issue 15): HJALP1-2 count it (HJALP3-5 count `genbrug_laan_aar`), so its 8.8 M
    national rows are computed by each table's query from the 3.9 M loans instead of
    written once and read by every table. `enhed_id` (the loan's key as text) is built
    here, only for a reader that selects it: GENBRUG's tables count loans with `COUNT(*)`
    (one row per loan and year), so none does. `person_id` is the CPR as an integer (a kept
    loan has a valid ten-digit CPR): tables count distinct persons, and that is cheaper on a
    narrow key."""
    return Step(
        "genbrug_enheder",
        f"""
SELECT p.aar, u.indberetningskommune || '|' || u.kildesystem || '|' || u.udlaan_id AS enhed_id,
  u.person_id, u.statistikkommune AS kommune,
  {_sex_sql("u")} AS koen,
  p.aar - YEAR(u.foedselsdato) AS alder, {iso_level_sql("u", 2)} AS iso1,
  {iso_level_sql("u", 4)} AS iso2, u.paragraf_kode AS paragraf,
  CASE WHEN u.udleveringsdato >= p.start THEN 1 ELSE 0 END AS udleveret_i_perioden,
  CASE WHEN u.indleveringsdato <= p.slut THEN 1 ELSE 0 END AS indleveret_i_perioden
FROM genbrug_udlaan AS u
JOIN {periods_sql(years)} AS p ON {_active_sql("u", "p.start", "p.slut")}""",
        view=True,
    )


def loan_years_sql(years: Sequence[int]) -> Step:
    """R-GB-5 by loan: each kept loan once, with the dimensions of `genbrug_enheder` that do
    not change with the year and `aar_maske`, the years it counts in as bits (bit
    `aar - MASK_BASE_YEAR`; the same rule as `genbrug_enheder`).

    A view for the tables that count by device class or paragraph (HJALP3-5): they count
    persons per cell and year from the 3.9 M loans instead of the 8.8 M loan-years, each
    person and cell hashed once (issue 15; `benchmarks/floor.py`)."""
    return Step(
        "genbrug_laan_aar",
        f"""
SELECT u.person_id, u.statistikkommune AS kommune, {_sex_sql("u")} AS koen,
  {iso_level_sql("u", 2)} AS iso1, {iso_level_sql("u", 4)} AS iso2, u.paragraf_kode AS paragraf,
  {year_mask_sql(years, "u")} AS aar_maske
FROM genbrug_udlaan AS u""",
        view=True,
    )


def person_years_sql(years: Sequence[int]) -> Step:
    """R-GB-5 by person: each recipient once per year, statistics municipality and sex, with
    the age of `genbrug_enheder` (`aar` minus the birth year), for the table that counts
    persons by age (HJALP2).

    A view: per person, municipality, sex and birth year the years of their loans as bits
    (`year_mask_sql`, OR-ed), then one row per year with the bit. So the table hashes the
    0.7 M recipients' ~2 M person-years, not the 8.8 M loan-years (HJALP2 1.9 → 1.3 CPU-s
    nationally; issue 15). Sex and birth date are the person's, one per person."""
    bits = ", ".join(f"({y}, {year_bit(y)})" for y, _, _ in periods(years))
    return Step(
        "genbrug_personer_aar",
        f"""
SELECT y.aar, p.person_id, p.kommune, p.koen, y.aar - p.foedselsaar AS alder
FROM (
  SELECT u.person_id, u.statistikkommune AS kommune, {_sex_sql("u")} AS koen,
    YEAR(u.foedselsdato) AS foedselsaar, BIT_OR({year_mask_sql(years, "u")}) AS aar_maske
  FROM genbrug_udlaan AS u
  GROUP BY u.person_id, u.statistikkommune, {_sex_sql("u")}, YEAR(u.foedselsdato)
) AS p
JOIN (SELECT * FROM (VALUES {bits}) AS t(aar, bit)) AS y ON (p.aar_maske & y.bit) <> 0""",
        view=True,
    )


def paragraph_report_sql() -> Step:
    """R-GB-6: per municipality, month and ISO class: loans, without paragraph, outside the
    value set, and implausible for the class."""
    return Step(
        "genbrug_paragraf_rapport",
        f"""
SELECT u.indberetningskommune AS kommune,
  strftime(u.udleveringsdato, '%Y-%m') AS maaned, u.iso1,
  COUNT(*) AS udlaan,
  SUM(CASE WHEN u.paragraf_kode = 'UOPL' THEN 1 ELSE 0 END) AS uden_paragraf,
  SUM(CASE WHEN u.paragraf_kode = 'ANDEN' THEN 1 ELSE 0 END) AS ukendt_paragraf,
  SUM(CASE WHEN u.paragraf_kode NOT IN ('UOPL', 'ANDEN') AND u.iso1 <> 'UKENDT'
            AND NOT EXISTS (SELECT 1 FROM ref_paragraf_iso AS r
                            WHERE r.paragraf = u.paragraf_kode AND r.iso1 = u.iso1)
           THEN 1 ELSE 0 END) AS usandsynlig_paragraf
FROM (
  SELECT l.indberetningskommune, l.udleveringsdato, l.paragraf_kode,
    {iso_level_sql("l", 2)} AS iso1
  FROM genbrug_udlaan AS l
) AS u
WHERE u.udleveringsdato >= {_date(PERIOD_START)}
GROUP BY 1, 2, 3""",
    )


def unknown_paragraphs_sql() -> Step:
    return Step(
        "genbrug_paragraf_ukendte",
        """
SELECT indberetningskommune AS kommune, paragraf, COUNT(*) AS antal
FROM genbrug_udlaan WHERE paragraf_kode = 'ANDEN' GROUP BY 1, 2""",
    )


def genbrug_steps(years: Sequence[int], duplicate_days: int, exclude_unknown: bool) -> list[Step]:
    """The GENBRUG methodology as a list of named steps (seed 004 §3.5)."""
    return [
        switched_sql(),
        *pairing_steps(duplicate_days),
        residence_sql(),
        collaboration_day_sql(),
        loans_sql(exclude_unknown),
        cleaning_report_sql(exclude_unknown),
        units_sql(years),
        loan_years_sql(years),
        person_years_sql(years),
        paragraph_report_sql(),
        unknown_paragraphs_sql(),
    ]


KEEP = (
    "genbrug_dubletter",
    "genbrug_udlaan",
    "genbrug_rensning",
    "genbrug_enheder",
    "genbrug_laan_aar",
    "genbrug_personer_aar",
    "genbrug_paragraf_rapport",
    "genbrug_paragraf_ukendte",
)
