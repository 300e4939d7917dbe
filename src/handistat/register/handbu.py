"""HANDBU register steps (R-HB-1..9), in the order of the seed's §3.5.

Each function returns one SQL step; `handbu_steps` lists them. Inputs, made visible by the
pipeline: `indberetninger` (every accepted row of every delivery with `delivery_id`, `_row`),
`personer`, `ref_paragraf(paragraf, indsats)`, `ref_kommune(kommune, landsdel)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from handistat.register.sql import OPEN_END, Step

PARTITION = "cpr, indsats, kommune"
ORDER = f"startdato NULLS LAST, COALESCE(slutdato, {OPEN_END}) NULLS LAST, indsats_id NULLS LAST"


def current_records_sql() -> Step:
    """R-HB-1: the latest version of every (kommune, indsats_id); later deliveries win."""
    return Step(
        "records_current",
        """
SELECT kommune, indsats_id, cpr, paragraf, startdato, slutdato, status, delivery_id
FROM (
  SELECT *, ROW_NUMBER() OVER (
    PARTITION BY kommune, indsats_id
    ORDER BY delivery_id DESC NULLS LAST, _row DESC NULLS LAST) AS version_rank
  FROM indberetninger
) AS ranked
WHERE version_rank = 1""",
    )


def typed_records_sql() -> Step:
    """Annulled records drop out; paragraph → intervention type (R-HB-2)."""
    return Step(
        "records_typed",
        """
SELECT r.kommune, r.indsats_id, r.cpr, r.paragraf, p.indsats, r.startdato, r.slutdato
FROM records_current AS r JOIN ref_paragraf AS p ON p.paragraf = r.paragraf
WHERE r.status = 'aktiv'""",
    )


def cpr_error_list_sql() -> Step:
    """R-CPR-3: valid in form but not in the population register → the municipality's list."""
    return Step(
        "handbu_cpr_fejl",
        """
SELECT r.kommune, r.indsats_id, r.cpr, r.paragraf, r.startdato, r.slutdato,
       'UKENDT_CPR' AS fejlkode
FROM records_typed AS r
WHERE NOT EXISTS (SELECT 1 FROM personer AS p WHERE p.cpr = r.cpr)""",
    )


def known_records_sql() -> Step:
    return Step(
        "records_known",
        """
SELECT r.*
FROM records_typed AS r
WHERE EXISTS (SELECT 1 FROM personer AS p WHERE p.cpr = r.cpr)""",
    )


def exact_duplicates_sql() -> Step:
    """R-HB-3: same content under different ids (they merge into one episode anyway)."""
    return Step(
        "handbu_dubletter",
        """
SELECT kommune, cpr, paragraf, startdato, slutdato,
       COUNT(*) AS antal, MIN(indsats_id) AS foerste_id, MAX(indsats_id) AS sidste_id
FROM records_known
GROUP BY kommune, cpr, paragraf, startdato, slutdato
HAVING COUNT(*) > 1""",
    )


def episode_starts_sql(gap_days: int) -> Step:
    """R-HB-4: a record starts a new episode unless it overlaps or follows within `gap_days`.

    The gap is the number of whole days between an end and the next start, so records merge
    when start − (latest earlier end) ≤ gap_days + 1. The latest earlier end is a running MAX
    over all earlier rows (nested spells), and an open end is compared, never shifted.
    """
    return Step(
        "records_marked",
        f"""
SELECT *,
  CASE WHEN latest_end IS NULL THEN 1
       WHEN DATEDIFF('day', latest_end, startdato) > {gap_days + 1} THEN 1
       ELSE 0 END AS starts_episode
FROM (
  SELECT *, MAX(COALESCE(slutdato, {OPEN_END})) OVER (
    PARTITION BY {PARTITION} ORDER BY {ORDER}
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_end
  FROM records_known
) AS with_latest_end""",
    )


def episode_numbers_sql() -> Step:
    return Step(
        "records_numbered",
        f"""
SELECT *, SUM(starts_episode) OVER (
  PARTITION BY {PARTITION} ORDER BY {ORDER}
  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode_no
FROM records_marked""",
    )


def episodes_sql() -> Step:
    """R-HB-4/9: one row per episode, first start to latest end; an open end dominates."""
    return Step(
        "handbu_forloeb",
        """
SELECT cpr, indsats, kommune, episode_no,
  cpr || '|' || indsats || '|' || kommune || '|' || CAST(MIN(startdato) AS VARCHAR) AS forloeb_id,
  MIN(startdato) AS startdato,
  CASE WHEN COUNT(*) > COUNT(slutdato) THEN NULL ELSE MAX(slutdato) END AS slutdato,
  COUNT(*) AS antal_indberetninger,
  LIST_SORT(ARRAY_AGG(indsats_id)) AS indsats_ids
FROM records_numbered
GROUP BY cpr, indsats, kommune, episode_no""",
    )


def years_sql(years: Sequence[int]) -> Step:
    rows = ", ".join(f"({y})" for y in years)
    return Step("aar", f"SELECT aar FROM (VALUES {rows}) AS t(aar)")


def units_sql() -> Step:
    """R-HB-5..8: the counted episodes of each year with the person's characteristics.

    Counted in Y: active in Y, age on 31 Dec Y in 0-17 (unknown birth date counts as `999`),
    and the child not dead before Y (decision: docs/decisions/handbu-deaths.md).
    """
    return Step(
        "handbu_enheder",
        """
SELECT a.aar, f.forloeb_id AS enhed_id, f.cpr AS person_id, f.kommune, k.landsdel,
  f.indsats,
  CASE p.koen WHEN 'M' THEN 'D' WHEN 'K' THEN 'P' ELSE '9' END AS koen,
  a.aar - YEAR(p.foedselsdato) AS alder,
  CASE WHEN f.startdato >= MAKE_DATE(a.aar, 1, 1) THEN 1 ELSE 0 END AS startet_i_aar,
  CASE WHEN EXISTS (
    SELECT 1 FROM handbu_forloeb AS e
    WHERE e.cpr = f.cpr AND e.startdato < MAKE_DATE(a.aar, 1, 1)) THEN 0 ELSE 1 END
    AS foerste_gang
FROM handbu_forloeb AS f
CROSS JOIN aar AS a
JOIN personer AS p ON p.cpr = f.cpr
JOIN ref_kommune AS k ON k.kommune = f.kommune
WHERE f.startdato <= MAKE_DATE(a.aar, 12, 31)
  AND (f.slutdato IS NULL OR f.slutdato >= MAKE_DATE(a.aar, 1, 1))
  AND (p.foedselsdato IS NULL OR a.aar - YEAR(p.foedselsdato) BETWEEN 0 AND 17)
  AND (p.doedsdato IS NULL OR p.doedsdato >= MAKE_DATE(a.aar, 1, 1))""",
    )


def handbu_steps(years: Sequence[int], gap_days: int = 14) -> list[Step]:
    """The HANDBU methodology as a list of named steps (seed 000 §3.5)."""
    return [
        current_records_sql(),
        typed_records_sql(),
        cpr_error_list_sql(),
        known_records_sql(),
        exact_duplicates_sql(),
        episode_starts_sql(gap_days),
        episode_numbers_sql(),
        episodes_sql(),
        years_sql(years),
        units_sql(),
    ]


KEEP = ("handbu_cpr_fejl", "handbu_dubletter", "handbu_forloeb", "handbu_enheder")
