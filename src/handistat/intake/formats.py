"""The delivery formats of SPEC §2.1 (HANDBU) and §2.2 (GENBRUG) as declarations."""

from __future__ import annotations

from handistat.intake.rules import ColumnRule, DeliveryFormat, Kind, RowRule
from handistat.reference import genbrug_paragraffer, handbu_paragraffer, kommune_koder

_ID = r"[A-Za-z0-9._:-]{1,64}"

HANDBU = DeliveryFormat(
    statistic="handbu",
    columns=(
        ColumnRule("kommune", Kind.CODE, codes=kommune_koder()),
        ColumnRule("indsats_id", pattern=_ID),
        ColumnRule("cpr", Kind.CPR),
        ColumnRule(
            "paragraf",
            Kind.CODE,
            codes=frozenset(p.paragraf for p in handbu_paragraffer()),
            case="upper",
        ),
        ColumnRule("startdato", Kind.DATE),
        ColumnRule("slutdato", Kind.DATE, required=False),
        ColumnRule(
            "status",
            Kind.CODE,
            required=False,
            codes=frozenset({"aktiv", "annulleret"}),
            case="lower",
            default="aktiv",
        ),
    ),
    row_rules=(
        RowRule(
            "END_BEFORE_START",
            "slutdato",
            "slutdato < startdato",
            "slutdatoen ligger før startdatoen",
        ),
        RowRule(
            "START_TOO_EARLY",
            "startdato",
            "startdato < DATE '2000-01-01'",
            "startdatoen ligger før 2000-01-01",
        ),
        RowRule(
            "START_IN_FUTURE",
            "startdato",
            "startdato > {today} + INTERVAL 1 YEAR",
            "startdatoen ligger mere end et år ude i fremtiden",
        ),
    ),
    unique_key=("kommune", "indsats_id"),
    last_row_wins=True,
)

GENBRUG = DeliveryFormat(
    statistic="genbrug",
    columns=(
        ColumnRule("indberetningskommune", Kind.CODE, codes=kommune_koder()),
        ColumnRule("betalingskommune", Kind.CODE, codes=kommune_koder()),
        ColumnRule("udlaan_id", pattern=r".{1,64}"),
        ColumnRule("hmi_nummer", pattern=r"[0-9]{1,9}"),
        # R-GB-2: an empty cpr is an invalid CPR, removed by cleaning; never a structural error
        ColumnRule("cpr", required=True, empty_ok=True),
        ColumnRule("paragraf", required=False, case="upper"),
        ColumnRule("udleveringsdato", Kind.DATE),
        ColumnRule("indleveringsdato", Kind.DATE, required=False),
    ),
    unique_key=("udlaan_id",),
)

GENBRUG_PARAGRAFFER = frozenset(p.paragraf for p in genbrug_paragraffer())
