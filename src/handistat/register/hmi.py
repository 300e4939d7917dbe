"""The HMI catalogue (R-GB-3): an export of Hjælpemiddelbasen as `hmi_nummer;iso_kode`.

Format (docs/formats.md): CSV, `;`, UTF-8, header `hmi_nummer;iso_kode`; `hmi_nummer` 1-9
digits; `iso_kode` the ISO 9999 code as 2, 4 or 6 digits without spaces (`122203`). Loading
replaces the catalogue atomically; a file with any bad row is refused whole.
"""

from __future__ import annotations

from pathlib import Path

from handistat.errors import DeliveryRejected
from handistat.register.sql import Step, quote_literal
from handistat.stores.warehouse import Warehouse


def _source(path: Path) -> str:
    return (
        f"read_csv({quote_literal(str(path))}, delim=';', header=true, auto_detect=false, "
        "columns={'hmi_nummer': 'VARCHAR', 'iso_kode': 'VARCHAR'})"
    )


def load_hmi_catalogue(warehouse: Warehouse, path: Path) -> int:
    if not path.is_file():
        raise DeliveryRejected(f"{path} findes ikke")
    check = warehouse.run(
        [],
        f"SELECT count(*) AS bad, min(hmi_nummer) AS eksempel FROM {_source(path)} "
        "WHERE NOT regexp_full_match(trim(hmi_nummer), '[0-9]{1,9}') "
        "OR NOT regexp_full_match(trim(iso_kode), '([0-9]{2}){1,3}')",
    ).to_pylist()[0]
    if check["bad"]:
        raise DeliveryRejected(
            f"HMI-kataloget har {check['bad']} ugyldige rækker (fx {check['eksempel']!r}); "
            "hmi_nummer skal være 1-9 cifre og iso_kode 2, 4 eller 6 cifre"
        )
    step = Step(
        "hmi_katalog",
        f"SELECT DISTINCT ON (CAST(trim(hmi_nummer) AS BIGINT)) "
        f"CAST(trim(hmi_nummer) AS BIGINT) AS hmi_nummer, trim(iso_kode) AS iso_kode "
        f"FROM {_source(path)} ORDER BY 1, 2",
    )
    warehouse.materialise([step], keep=("hmi_katalog",))
    rows = warehouse.query("SELECT count(*) AS n FROM hmi_katalog").to_pylist()[0]
    return int(rows["n"])
