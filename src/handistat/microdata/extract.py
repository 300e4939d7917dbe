"""Research extracts: the HANDBU episode register (R-HB-9) and the GENBRUG loan register as
Parquet with a pseudonymous person key per project, plus a codebook; every extract is logged.

No CPR number, birth date or free-text id that could carry one leaves in an extract.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from handistat.app import App
from handistat.errors import NotFound, UsageError
from handistat.microdata.pseudonym import master_key, person_keys, project_key
from handistat.register.cpr import cpr_text_sql
from handistat.stores.catalogue import AuditEvent


@dataclass(frozen=True)
class Variable:
    name: str
    description: str


@dataclass(frozen=True)
class ExtractSpec:
    statistic: str
    table: str
    query: str
    variables: tuple[Variable, ...]


EXTRACTS = {
    "handbu": ExtractSpec(
        "handbu",
        "handbu_forloeb",
        "SELECT cpr, indsats, kommune, startdato, slutdato, antal_indberetninger, "
        "indsats_ids, YEAR(p.foedselsdato) AS foedselsaar, p.koen "
        "FROM handbu_forloeb JOIN personer AS p USING (cpr) "
        "ORDER BY kommune, indsats, startdato, cpr",
        (
            Variable("person_noegle", "pseudonym for barnet (gælder kun i dette projekt)"),
            Variable("indsats", "indsatstype 1-8 (INDSATSER)"),
            Variable("kommune", "handlekommune (KOMMUNEDK)"),
            Variable("startdato", "forløbets første dag"),
            Variable("slutdato", "forløbets sidste dag; tom = igangværende"),
            Variable("antal_indberetninger", "antal indberetninger slået sammen til forløbet"),
            Variable(
                "indsats_ids",
                "kommunens id'er (indsats_id) for de indberetninger, der er slået sammen til "
                "forløbet, sorteret; cifferfølger på 6 eller flere cifre er erstattet af X, "
                "da de kan rumme et CPR-nummer",
            ),
            Variable("foedselsaar", "barnets fødselsår"),
            Variable("koen", "køn fra CPR (M/K)"),
        ),
    ),
    "genbrug": ExtractSpec(
        "genbrug",
        "genbrug_udlaan",
        f"SELECT {cpr_text_sql('u')} AS cpr, statistikkommune, indberetningskommune, "
        "hmi_nummer, iso_kode, paragraf_kode, udleveringsdato, indleveringsdato, "
        "YEAR(foedselsdato) AS foedselsaar, koen FROM genbrug_udlaan AS u "
        "ORDER BY statistikkommune, udleveringsdato, person_id",
        (
            Variable("person_noegle", "pseudonym for modtageren (gælder kun i dette projekt)"),
            Variable("statistikkommune", "statistikbankkommune (R-GB-4)"),
            Variable("indberetningskommune", "den indberettende kommune"),
            Variable("hmi_nummer", "hjælpemidlets nummer i Hjælpemiddelbasen"),
            Variable("iso_kode", "ISO 9999-klasse; UKENDT hvis ikke i kataloget"),
            Variable("paragraf_kode", "lovgrundlag; UOPL = uoplyst, ANDEN = uden for kodelisten"),
            Variable("udleveringsdato", "udleveret til borgeren"),
            Variable("indleveringsdato", "returneret; tom = stadig udlånt"),
            Variable("foedselsaar", "modtagerens fødselsår"),
            Variable("koen", "køn fra CPR (M/K)"),
        ),
    ),
}

_PROJECT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_LONG_DIGITS = re.compile(r"\d{6,}")


def _redacted(record_id: str) -> str:
    """A municipality's record id as it may leave: a run of 6 or more digits (a CPR number,
    a birth date) is replaced by X's of the same length (R-CPR-5)."""
    return _LONG_DIGITS.sub(lambda m: "X" * len(m.group()), record_id)


def write_extract(app: App, statistic: str, project: str, out: Path, actor: str) -> Path:
    """Write `<statistic>_<project>.parquet` and a codebook to `out`; returns the Parquet path."""
    if not _PROJECT.fullmatch(project):
        raise UsageError("projektnavnet må kun have bogstaver, cifre, punktum, - og _")
    spec = EXTRACTS[statistic]
    if not app.warehouse.has_table(spec.table):
        raise NotFound(f"{statistic}-registret er ikke dannet; kør `handistat process` først")
    table = app.warehouse.query(spec.query)
    keys = person_keys(
        project_key(master_key(app.settings.data_dir), project), table["cpr"].to_pylist()
    )
    table = table.drop_columns(["cpr"]).add_column(0, "person_noegle", pa.array(keys))
    if "indsats_ids" in table.column_names:
        table = table.set_column(
            table.schema.get_field_index("indsats_ids"),
            "indsats_ids",
            pa.array(
                [[_redacted(i) for i in ids or []] for ids in table["indsats_ids"].to_pylist()],
                pa.list_(pa.string()),
            ),
        )
    table = table.set_column(
        table.schema.get_field_index("koen"), "koen", pc.cast(table["koen"], pa.string())
    )
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{statistic}_{project}.parquet"
    tmp = target.with_suffix(".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, target)
    _write_codebook(spec, project, table.num_rows, out / f"{statistic}_{project}_kodebog.md")
    _log(app, actor, statistic, project, table.num_rows)
    return target


def _write_codebook(spec: ExtractSpec, project: str, rows: int, path: Path) -> None:
    lines = [
        f"# Kodebog: {spec.statistic} til projekt {project}",
        "",
        f"{rows} rækker. Personnøglen er pseudonym og kan kun kobles inden for projektet.",
        "",
        "| variabel | beskrivelse |",
        "|---|---|",
        *(f"| `{v.name}` | {v.description} |" for v in spec.variables),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _log(app: App, actor: str, statistic: str, project: str, rows: int) -> None:
    with app.catalogue.session() as s:
        s.add(
            AuditEvent(
                at=app.clock(),
                actor=actor,
                action="microdata.extract",
                subject=statistic,
                delivery_id=None,
                details={
                    "projekt": project,
                    "rows": rows,
                    "variables": json.dumps([v.name for v in EXTRACTS[statistic].variables]),
                },
            )
        )
