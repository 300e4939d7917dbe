"""The population register input (R-CPR-1): `personer(cpr, koen, foedselsdato, doedsdato)` and
`bopael(cpr, kommune, fra, til)` as CSV (`;`, UTF-8, ISO dates) or Parquet, loaded into DuckDB.

Loading replaces both tables atomically; a file with the wrong columns is refused whole.
Both tables get `person_id`, the CPR as a `BIGINT` (NULL unless it is ten digits), once at
load: the GENBRUG register joins its 8 M loans to the 5.9 M persons on that integer, not on
the text (issue 15 item 1). Their text is stored without dictionary-FSST compression
(`Warehouse.materialise(compress_text=False)`): the load takes 30 % less CPU, and the only
heavy reader, the GENBRUG register, joins on `person_id` and reads no long text (issue 15).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handistat.errors import DeliveryRejected
from handistat.register.sql import Step, quote_literal
from handistat.stores.warehouse import Warehouse

PERSONER_COLUMNS = ("cpr", "koen", "foedselsdato", "doedsdato")
BOPAEL_COLUMNS = ("cpr", "kommune", "fra", "til")


@dataclass(frozen=True)
class PopulationSummary:
    personer: int
    bopael: int


def _find(directory: Path, stem: str) -> Path:
    for suffix in (".parquet", ".csv"):
        candidate = directory / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    raise DeliveryRejected(f"{directory} har hverken {stem}.parquet eller {stem}.csv")


def _source(path: Path, columns: tuple[str, ...]) -> str:
    literal = quote_literal(str(path))
    if path.suffix == ".parquet":
        return f"read_parquet({literal})"
    types = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in columns)
    return f"read_csv({literal}, delim=';', header=true, columns={{{types}}}, auto_detect=false)"


def _date(column: str) -> str:
    return f"CAST(NULLIF(CAST({column} AS VARCHAR), '') AS DATE) AS {column}"


def person_id_sql(cpr: str) -> str:
    """The integer key of a CPR text: its value when it is exactly ten digits, else NULL (so
    two texts never share a key: `0101901234` and `101901234` would both be 101901234)."""
    return f"CASE WHEN regexp_matches({cpr}, '^[0-9]{{10}}\\z') THEN CAST({cpr} AS BIGINT) END"


def _with_person_id(source: str) -> str:
    return f"SELECT *, {person_id_sql('cpr')} AS person_id FROM ({source}) AS loaded"


def population_steps(personer: Path, bopael: Path) -> list[Step]:
    return [
        Step(
            "personer",
            _with_person_id(
                f"SELECT CAST(cpr AS VARCHAR) AS cpr, NULLIF(CAST(koen AS VARCHAR), '') AS koen, "
                f"{_date('foedselsdato')}, {_date('doedsdato')} "
                f"FROM {_source(personer, PERSONER_COLUMNS)}"
            ),
        ),
        Step(
            "bopael",
            _with_person_id(
                f"SELECT CAST(cpr AS VARCHAR) AS cpr, CAST(kommune AS VARCHAR) AS kommune, "
                f"{_date('fra')}, {_date('til')} FROM {_source(bopael, BOPAEL_COLUMNS)}"
            ),
        ),
    ]


def ensure_person_ids(warehouse: Warehouse) -> None:
    """A register loaded before `person_id` existed gets it now (once), from its own rows."""
    if "person_id" in warehouse.query("SELECT * FROM personer LIMIT 0").column_names:
        return
    names = ("personer", "bopael")
    keyed = [
        Step(f"{name}_med_noegle", f"SELECT *, {person_id_sql('cpr')} AS person_id FROM {name}")
        for name in names
    ]
    replaced = [Step(name, f"SELECT * FROM {name}_med_noegle") for name in names]
    warehouse.materialise([*keyed, *replaced], keep=names)


def load_population(warehouse: Warehouse, directory: Path) -> PopulationSummary:
    personer, bopael = _find(directory, "personer"), _find(directory, "bopael")
    try:
        warehouse.materialise(
            population_steps(personer, bopael), keep=("personer", "bopael"), compress_text=False
        )
    except Exception as exc:  # duckdb raises many kinds; the message is what matters
        raise DeliveryRejected(
            f"befolkningsregisteret kunne ikke indlæses: {str(exc).splitlines()[0][:300]}"
        ) from exc
    counts = warehouse.query(
        "SELECT (SELECT count(*) FROM personer) AS p, (SELECT count(*) FROM bopael) AS b"
    ).to_pylist()[0]
    return PopulationSummary(int(counts["p"]), int(counts["b"]))
