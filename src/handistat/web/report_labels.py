"""The register's error lists in words (issue 11 item 11): Danish labels for the report names,
column names and error codes, so the portal and staff pages never show a slug or a field name.
The codes stay in the warehouse and the API; only the pages translate. An unknown code or
column is shown as it is stored (never hidden).
"""

from __future__ import annotations

from typing import Any

REPORT_NAMES = {
    "cpr-fejl": "CPR-numre, der ikke findes",
    "handbu-dubletter": "Dubletter (HANDBU)",
    "rensning": "Rensning (GENBRUG)",
    "genbrug-dubletter": "Udlån i både gammelt og nyt system (GENBRUG)",
    "paragraf": "Paragrafvalidering (GENBRUG)",
    "paragraf-ukendte": "Paragraffer uden for kodelisten (GENBRUG)",
}

COLUMNS = {
    "kommune": "Kommune",
    "indsats_id": "Sags-id",
    "cpr": "CPR-nummer",
    "paragraf": "Paragraf",
    "startdato": "Startdato",
    "slutdato": "Slutdato",
    "status": "Status",
    "indberetningskommune": "Indberetningskommune",
    "betalingskommune": "Betalingskommune",
    "udlaan_id": "Udlåns-id",
    "udleveringsdato": "Udleveringsdato",
    "indleveringsdato": "Indleveringsdato",
    "fejlkode": "Fejl",
    "handling": "Handling",
    "antal": "Antal",
    "foerste_id": "Første sags-id",
    "sidste_id": "Sidste sags-id",
    "fra": "Fra system",
    "til": "Til system",
    "gammel_udlaan_id": "Udlåns-id, gammelt system",
    "ny_udlaan_id": "Udlåns-id, nyt system",
    "hmi_nummer": "HMI-nummer",
    "gammel_udleveringsdato": "Udleveret, gammelt system",
    "ny_udleveringsdato": "Udleveret, nyt system",
    "maaned": "Måned",
    "iso1": "ISO-gruppe",
    "udlaan": "Udlån",
    "uden_paragraf": "Uden paragraf",
    "ukendt_paragraf": "Ukendt paragraf",
    "usandsynlig_paragraf": "Usandsynlig paragraf",
}

CODES = {
    "UKENDT_CPR": "CPR-nummeret findes ikke i CPR",
    "UGYLDIG_CPR": "ugyldigt CPR-nummer",
    "FIKTIV_CPR": "CPR-nummeret findes ikke i CPR",
    "DOED_VED_UDLEVERING": "personen var død ved udleveringen",
    "INDLEVERET_FOER_PERIODEN": "indleveret før perioden",
    "INDLEVERET_FOER_UDLEVERING": "indleveret før udleveringen",
    "fjernet": "fjernet",
}


def column_label(column: str) -> str:
    """The Danish name of a column: of a register report, of a delivery file (the upload
    page, the intake report) alike."""
    return COLUMNS.get(column, column)


def cell(column: str, value: Any) -> str:
    """A report cell as shown: error codes and actions in words, empty for a missing value."""
    if value is None:
        return ""
    if column in ("fejlkode", "handling"):
        return CODES.get(str(value), str(value))
    return str(value)


def report_name(name: str) -> str:
    """The Danish name of a report (its slug is only used in addresses)."""
    return REPORT_NAMES.get(name, name)
