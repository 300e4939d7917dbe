"""GENBRUG register steps (R-IN-8, R-GB-1..6), in the order of the seed's §3.5.

Inputs made visible by the pipeline: `genbrug_input` (the rows of the current full loads with
`delivery_id`, `kildesystem`, `udtraeksdato`), `systemskifte(kommune, fra, til, dato)`,
`hmi_katalog(hmi_nummer, iso_kode)`, `personer`, `bopael`, `ref_samarbejde`,
`ref_genbrug_paragraf(paragraf)`, `ref_paragraf_iso(paragraf, iso1)`, `perioder(aar, start, slut)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from handistat.register.cpr import cpr_birth_date_sql
from handistat.register.sql import Step

PERIOD_START = "2022-07-01"
"""R-IN-9: the statistics period starts here."""


_NORMALISED_COLUMNS = """delivery_id, kildesystem, CAST(udtraeksdato AS DATE) AS udtraeksdato,
  _row, indberetningskommune, betalingskommune, udlaan_id,
  CAST(hmi_nummer AS BIGINT) AS hmi_nummer,
  CASE WHEN regexp_matches(trim(cpr), '^[0-9]{6}-?[0-9]{4}\\z')
       THEN replace(trim(cpr), '-', '') END AS cpr,
  paragraf, udleveringsdato, indleveringsdato"""


def normalised_sql() -> Step:
    """The staged rows with typed values and a ten-digit CPR (or NULL)."""
    return Step("genbrug_laan", f"SELECT {_NORMALISED_COLUMNS}\nFROM genbrug_input")


def switched_sql() -> Step:
    """R-IN-8: after a system switch the old system counts only for loans before cut-over.

    Normalising and this filter are one statement (issue 15): the staged rows are read and
    written once, not copied once per step."""
    return Step(
        "genbrug_skiftet",
        f"""
SELECT l.*
FROM (SELECT {_NORMALISED_COLUMNS} FROM genbrug_input) AS l
LEFT JOIN systemskifte AS s ON s.kommune = l.indberetningskommune AND s.fra = l.kildesystem
WHERE s.kommune IS NULL OR l.udleveringsdato < s.dato""",
    )


PAIRING_ROUNDS = 6
"""Rounds of one-to-one pairing (R-IN-8). Each round takes every pair that is the best free
choice of both its loans (exactly the pairs greedy pairing takes next), at least one in every
group of competing loans, so the result is the greedy one whenever no group holds more than
six loans on one side (copies of one device lent to one person within the window). Spark cuts
the lineage after every step (`SparkRunner.view`), so the rounds cost the same on both
engines."""


def candidates_sql(days: int) -> Step:
    """Loans in both the old and the new system: same CPR, device and delivery ±`days`."""
    return Step(
        "genbrug_kandidater",
        f"""
SELECT s.kommune, s.fra, s.til,
  o.delivery_id AS gammel_delivery_id, o.udlaan_id AS gammel_udlaan_id,
  n.delivery_id AS ny_delivery_id, n.udlaan_id AS ny_udlaan_id, o.cpr, o.hmi_nummer,
  o.udleveringsdato AS gammel_udleveringsdato, n.udleveringsdato AS ny_udleveringsdato,
  ABS(DATEDIFF('day', o.udleveringsdato, n.udleveringsdato)) AS afstand
FROM genbrug_skiftet AS o
JOIN systemskifte AS s ON s.kommune = o.indberetningskommune AND s.fra = o.kildesystem
JOIN genbrug_skiftet AS n
  ON n.indberetningskommune = s.kommune AND n.kildesystem = s.til
 AND n.cpr = o.cpr AND n.hmi_nummer = o.hmi_nummer
 AND ABS(DATEDIFF('day', o.udleveringsdato, n.udleveringsdato)) <= {days}""",
    )


_PAIR_COLUMNS = (
    "kommune, fra, til, gammel_delivery_id, gammel_udlaan_id, ny_delivery_id, ny_udlaan_id, "
    "cpr, hmi_nummer, gammel_udleveringsdato, ny_udleveringsdato, afstand"
)


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
    previous = f"genbrug_par_{round_no - 1}" if round_no > 1 else "genbrug_kandidater"
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
    """The pairs of all rounds: each old loan and each new loan in at most one pair."""
    return Step(
        "genbrug_dubletter",
        f"""
SELECT kommune, fra, til, gammel_delivery_id, gammel_udlaan_id, ny_udlaan_id, cpr,
  hmi_nummer, gammel_udleveringsdato, ny_udleveringsdato
FROM genbrug_par_{PAIRING_ROUNDS}
WHERE parret IS NOT NULL""",
    )


def pairing_steps(days: int) -> list[Step]:
    rounds = [pairing_round_sql(i) for i in range(1, PAIRING_ROUNDS + 1)]
    return [candidates_sql(days), *rounds, duplicates_sql()]


def _not_a_duplicate_sql(alias: str) -> str:
    """The loan is not the old system's copy of a paired loan (R-IN-8)."""
    return f"""NOT EXISTS (
  SELECT 1 FROM genbrug_dubletter AS d
  WHERE d.gammel_delivery_id = {alias}.delivery_id AND d.gammel_udlaan_id = {alias}.udlaan_id)"""


_CLEANED_COLUMNS = (
    "l.delivery_id, l.kildesystem, l.indberetningskommune, l.betalingskommune, l.udlaan_id, "
    "l.hmi_nummer, l.cpr, l.paragraf, l.udleveringsdato, l.indleveringsdato"
)


def cleaned_sql() -> Step:
    """R-GB-2: the first reason that removes a loan, or NULL for a kept one. Paired old-system
    copies are left out here (once `genbrug_samlet`), and the birth date is computed once per
    loan in the inner query (it is used three times)."""
    born = cpr_birth_date_sql("s.cpr")
    return Step(
        "genbrug_renset",
        f"""
SELECT {_CLEANED_COLUMNS}, p.koen, p.foedselsdato, p.doedsdato,
  CASE WHEN l.cpr IS NULL OR l.foedt IS NULL OR l.foedt > l.udtraeksdato THEN 'UGYLDIG_CPR'
       WHEN p.cpr IS NULL THEN 'FIKTIV_CPR'
       WHEN p.doedsdato < l.udleveringsdato THEN 'DOED_VED_UDLEVERING'
       WHEN l.indleveringsdato < DATE '{PERIOD_START}' THEN 'INDLEVERET_FOER_PERIODEN'
       WHEN l.indleveringsdato < l.udleveringsdato THEN 'INDLEVERET_FOER_UDLEVERING'
  END AS fejlkode
FROM (
  SELECT s.*, {born} AS foedt
  FROM genbrug_skiftet AS s
  WHERE {_not_a_duplicate_sql("s")}
) AS l
LEFT JOIN personer AS p ON p.cpr = l.cpr""",
    )


def residence_sql() -> Step:
    """The recipient's residence municipality on the delivery day (latest spell wins)."""
    return Step(
        "genbrug_bopael",
        """
SELECT delivery_id, udlaan_id, kommune AS bopaelskommune
FROM (
  SELECT r.delivery_id, r.udlaan_id, b.kommune, ROW_NUMBER() OVER (
    PARTITION BY r.delivery_id, r.udlaan_id
    ORDER BY b.fra DESC NULLS LAST, b.kommune NULLS LAST) AS n
  FROM genbrug_renset AS r
  JOIN bopael AS b ON b.cpr = r.cpr AND b.fra <= r.udleveringsdato
   AND (b.til IS NULL OR b.til >= r.udleveringsdato)
  WHERE r.fejlkode IS NULL
    AND r.indberetningskommune IN (SELECT indberetningskommune FROM ref_samarbejde)
) AS ranked
WHERE n = 1""",
    )


def member_on_delivery_sql(alias: str) -> str:
    """R-GB-4: the membership period `alias` covers the loan's `udleveringsdato`."""
    return (
        f"{alias}.gyldig_fra <= r.udleveringsdato"
        f" AND ({alias}.gyldig_til IS NULL OR {alias}.gyldig_til >= r.udleveringsdato)"
    )


def statistics_municipality_sql() -> str:
    """R-GB-4 as an expression over `r` (loan), `m` (paying member) and `b` (residence);
    membership is that on the loan's delivery day."""
    return f"""CASE
    WHEN NOT EXISTS (SELECT 1 FROM ref_samarbejde AS c
                     WHERE c.indberetningskommune = r.indberetningskommune
                       AND {member_on_delivery_sql("c")})
      THEN r.indberetningskommune
    WHEN m.medlemskommune IS NOT NULL THEN r.betalingskommune
    ELSE COALESCE(b.bopaelskommune, r.indberetningskommune)
  END"""


def loan_end_sql() -> str:
    """R-GB-5: a loan ends on its return or the recipient's death, whichever is first."""
    return """CASE WHEN r.doedsdato IS NOT NULL
       AND (r.indleveringsdato IS NULL OR r.doedsdato < r.indleveringsdato)
    THEN r.doedsdato ELSE r.indleveringsdato END"""


def loans_sql(exclude_unknown_hmi: bool) -> Step:
    """The cleaned loan register with device class, paragraph code and statistics municipality."""
    keep = "AND k.hmi_nummer IS NOT NULL" if exclude_unknown_hmi else ""
    return Step(
        "genbrug_udlaan",
        f"""
SELECT r.indberetningskommune || '|' || r.kildesystem || '|' || r.udlaan_id AS enhed_id,
  r.delivery_id, r.kildesystem, r.indberetningskommune, r.betalingskommune, r.udlaan_id,
  r.hmi_nummer, r.cpr, r.koen, r.foedselsdato, r.doedsdato,
  r.paragraf, r.udleveringsdato, r.indleveringsdato,
  {loan_end_sql()} AS slutdato,
  COALESCE(k.iso_kode, 'UKENDT') AS iso_kode,
  CASE WHEN k.iso_kode IS NULL THEN 'UKENDT' ELSE substr(k.iso_kode, 1, 2) END AS iso1,
  CASE WHEN k.iso_kode IS NULL THEN 'UKENDT' ELSE substr(k.iso_kode, 1, 4) END AS iso2,
  CASE WHEN r.paragraf IS NULL THEN 'UOPL'
       WHEN r.paragraf IN (SELECT paragraf FROM ref_genbrug_paragraf) THEN r.paragraf
       ELSE 'ANDEN' END AS paragraf_kode,
  {statistics_municipality_sql()} AS statistikkommune
FROM genbrug_renset AS r
LEFT JOIN hmi_katalog AS k ON k.hmi_nummer = r.hmi_nummer
LEFT JOIN ref_samarbejde AS m
  ON m.indberetningskommune = r.indberetningskommune AND m.medlemskommune = r.betalingskommune
 AND m.medlemskommune <> r.indberetningskommune AND {member_on_delivery_sql("m")}
LEFT JOIN genbrug_bopael AS b ON b.delivery_id = r.delivery_id AND b.udlaan_id = r.udlaan_id
WHERE r.fejlkode IS NULL {keep}""",
    )


def cleaning_report_sql() -> Step:
    """R-GB-2/R-GB-3: removed loans per municipality and reason, and kept unknown devices.

    Whether an unknown device was kept is a join, not a correlated EXISTS grouped on: Spark
    cannot group on a subquery over the outer row (R-PERF-6)."""
    return Step(
        "genbrug_rensning",
        """
SELECT indberetningskommune AS kommune, fejlkode, 'fjernet' AS handling, COUNT(*) AS antal
FROM genbrug_renset WHERE fejlkode IS NOT NULL GROUP BY indberetningskommune, fejlkode
UNION ALL
SELECT kommune, 'UKENDT_HMI', handling, COUNT(*)
FROM (
  SELECT r.indberetningskommune AS kommune,
    CASE WHEN u.udlaan_id IS NULL THEN 'fjernet' ELSE 'beholdt' END AS handling
  FROM genbrug_renset AS r
  LEFT JOIN (SELECT DISTINCT delivery_id, udlaan_id FROM genbrug_udlaan) AS u
    ON u.delivery_id = r.delivery_id AND u.udlaan_id = r.udlaan_id
  WHERE r.fejlkode IS NULL
    AND NOT EXISTS (SELECT 1 FROM hmi_katalog AS k WHERE k.hmi_nummer = r.hmi_nummer)
) AS unknown_devices
GROUP BY kommune, handling""",
    )


def periods_sql(years: Sequence[int]) -> Step:
    """R-GB-5: calendar years, except 2022 which starts on 1 July."""
    rows = ", ".join(
        f"({y}, DATE '{PERIOD_START if y == 2022 else f'{y}-01-01'}', DATE '{y}-12-31')"
        for y in years
    )
    return Step("perioder", f"SELECT * FROM (VALUES {rows}) AS t(aar, start, slut)")


def units_sql() -> Step:
    """R-GB-5: loans active in each period, with the recipient's sex and age on 31 Dec.

    `person_id` is the CPR as an integer (a kept loan has a valid ten-digit CPR): tables
    count distinct persons, and that is cheaper on a narrow key (issue 15)."""
    return Step(
        "genbrug_enheder",
        """
SELECT p.aar, u.enhed_id, CAST(u.cpr AS BIGINT) AS person_id, u.statistikkommune AS kommune,
  CASE u.koen WHEN 'M' THEN '1' WHEN 'K' THEN '2' ELSE '9' END AS koen,
  p.aar - YEAR(u.foedselsdato) AS alder, u.iso1, u.iso2, u.paragraf_kode AS paragraf,
  CASE WHEN u.udleveringsdato >= p.start THEN 1 ELSE 0 END AS udleveret_i_perioden,
  CASE WHEN u.indleveringsdato <= p.slut THEN 1 ELSE 0 END AS indleveret_i_perioden
FROM genbrug_udlaan AS u
JOIN perioder AS p ON u.udleveringsdato <= p.slut
 AND (u.slutdato IS NULL OR u.slutdato >= p.start)""",
    )


def paragraph_report_sql() -> Step:
    """R-GB-6: per municipality, month and ISO class: loans, without paragraph, outside the
    value set, and implausible for the class."""
    return Step(
        "genbrug_paragraf_rapport",
        """
SELECT u.indberetningskommune AS kommune,
  strftime(u.udleveringsdato, '%Y-%m') AS maaned, u.iso1,
  COUNT(*) AS udlaan,
  SUM(CASE WHEN u.paragraf_kode = 'UOPL' THEN 1 ELSE 0 END) AS uden_paragraf,
  SUM(CASE WHEN u.paragraf_kode = 'ANDEN' THEN 1 ELSE 0 END) AS ukendt_paragraf,
  SUM(CASE WHEN u.paragraf_kode NOT IN ('UOPL', 'ANDEN') AND u.iso1 <> 'UKENDT'
            AND NOT EXISTS (SELECT 1 FROM ref_paragraf_iso AS r
                            WHERE r.paragraf = u.paragraf_kode AND r.iso1 = u.iso1)
           THEN 1 ELSE 0 END) AS usandsynlig_paragraf
FROM genbrug_udlaan AS u
WHERE u.udleveringsdato >= DATE '2022-07-01'
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
        cleaned_sql(),
        residence_sql(),
        loans_sql(exclude_unknown),
        cleaning_report_sql(),
        periods_sql(years),
        units_sql(),
        paragraph_report_sql(),
        unknown_paragraphs_sql(),
    ]


KEEP = (
    "genbrug_dubletter",
    "genbrug_udlaan",
    "genbrug_rensning",
    "genbrug_enheder",
    "genbrug_paragraf_rapport",
    "genbrug_paragraf_ukendte",
)
