"""The entry form's checks (issue 11 item 8): a keyed record is checked against the HANDBU
delivery rules *before* it is sent, so a failed try shows its errors next to the fields, keeps
what was typed and is never stored as a rejected delivery. Only a record that passes is sent
through the normal intake (R-IN-1 c, R-IN-3); the rules are the intake's own declarations, run
by the intake's own validator on a private scratch file, so the form cannot disagree with it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from handistat.clock import today_copenhagen
from handistat.errors import DeliveryRejected
from handistat.intake.parse import parse_json
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.validate import validate_to_parquet
from handistat.reference import handbu_paragraffer
from handistat.tables.handbu import TYPES
from handistat.web.report_texts import TITLES, expected

if TYPE_CHECKING:
    from handistat.app import App

FIELDS = ("indsats_id", "cpr", "paragraf", "startdato", "slutdato", "status")


def paragraphs() -> list[tuple[str, str]]:
    """Each paragraph with the name of its intervention first, then the law reference."""
    names = {t.code: t.text.split(" (")[0] for t in TYPES}
    return [
        (p.paragraf, f"{names.get(p.indsats_kode, 'indsats')} ({p.lov} {p.bestemmelse})")
        for p in handbu_paragraffer()
    ]


def _message(code: str, column: str, message: str) -> str:
    hint = expected(column)
    text = f"{TITLES.get(code, 'Fejl')}: {message}"
    return f"{text}. Forventet: {hint}" if hint else text


def field_errors(application: App, kommune: str, record: dict[str, str]) -> dict[str, str]:
    """Field → the Danish error for it; empty when the record would be accepted. The
    municipality is fixed by the form, so a scope error cannot arise here."""
    body = {"kommune": kommune, "records": [record]}
    fmt = HANDBU_POLICY.fmt
    with tempfile.TemporaryDirectory(dir=application.settings.data_dir) as tmp:
        source = Path(tmp) / "sag.json"
        source.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        try:
            parsed = parse_json(source, fmt.known_columns, inherit=("kommune",))
            checked = validate_to_parquet(
                parsed,
                fmt,
                Path(tmp) / "ok.parquet",
                today=today_copenhagen(application.clock),
                cap=100,
            )
        except DeliveryRejected as exc:
            return {"": exc.message}
    found: dict[str, str] = {}
    for error in checked.errors.kept:
        column = error.column if error.column in FIELDS else ""
        found.setdefault(column, _message(error.code, error.column, error.message))
    return found
