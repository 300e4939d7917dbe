"""The audit log in words (issue 11 item 6): each stored action code and its details as a
Danish sentence for the staff log page. The codes stay in the store (others filter on them);
only the page translates. An unknown code is shown as "anden handling" with its details in
words, never as JSON.
"""

from __future__ import annotations

from typing import Any

from handistat.web.danish import dato, tal, tidspunkt

ACTIONS = {
    "approval.sent": "sendte lister til kommunerne",
    "approval.approved": "godkendte tallene",
    "approval.rejected": "afviste tallene",
    "approval.stale": "tallene blev ændret; godkendelsen er forældet",
    "approval.updated": "tallene blev opdateret",
    "approval.deadline": "flyttede fristen",
    "reminder.paamindelse_1": "1. skriftlige påmindelse",
    "reminder.paamindelse_2": "2. skriftlige påmindelse",
    "reminder.telefon": "telefonisk påmindelse",
    "reminder.eskalering": "eskalering til ministeriet",
    "delivery.received": "modtog en leverance",
    "delivery.repeated": "modtog en leverance igen (samme bytes)",
    "delivery.downloaded": "hentede en leverance",
    "portal.upload": "sendte en fil i portalen",
    "portal.record": "indberettede en enkeltsag",
    "portal.report.viewed": "så en fejlliste",
    "portal.data.downloaded": "hentede kommunens data",
    "portal.cpr.confirmed": "bekræftede et CPR-nummer",
    "staff.report.viewed": "så CPR-fejllisten",
    "api.data.viewed": "hentede data over API'et",
    "api.report.viewed": "hentede en rapport over API'et",
    "processing.run": "kørte behandlingen",
    "release.create": "dannede en udgivelse",
    "release.publish": "godkendte en udgivelse",
    "release.article": "redigerede Nyt-artiklen",
    "release.decision": "besluttede en kommunes status ved udgivelsen",
    "release.withdraw": "trak en udgivelse tilbage",
    "release.reschedule": "flyttede en udgivelses tidspunkt",
    "login.ok": "loggede ind",
    "login.failed": "forsøgte at logge ind (forkert adgangskode)",
    "login.blocked": "blev blokeret efter for mange forsøg",
    "user.created": "oprettede en bruger",
    "token.created": "oprettede et API-token",
    "token.revoked": "tilbagekaldte et API-token",
    "microdata.extract": "dannede et forskerudtræk",
    "genbrug.systemskifte": "registrerede et systemskifte",
}

KEYS = {
    "antal": "antal",
    "frist": "frist",
    "fra": "fra",
    "til": "til",
    "version": "version",
    "kommentar": "kommentar",
    "udsendt": "udsendt",
    "udfald": "udfald",
    "leverance": "leverance",
    "indsats_id": "sags-id",
    "status": "status",
    "statistik": "statistik",
    "leverancer": "leverancer",
    "years": "år",
    "tidspunkt": "tidspunkt",
    "sprunget_over": "sprunget over",
}
OUTCOMES = {"accepted": "modtaget", "partially_accepted": "delvist modtaget", "rejected": "afvist"}


def _key(key: str) -> str:
    return KEYS.get(key, key.replace("_", " "))


def action_text(action: str) -> str:
    return ACTIONS.get(action, "anden handling")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return tal(value)
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_key(k)} {_value(v)}" for k, v in value.items())
    text = str(value)
    if len(text) >= 16 and text[4:5] == "-" and text[10:11] == "T":
        try:
            return tidspunkt(text)
        except ValueError:
            return text
    return OUTCOMES.get(text, text)


def details_text(details: dict[str, Any]) -> str:
    """`{"antal": 98, "frist": "2026-03-23"}` → `antal 98 · frist 23. marts 2026`."""
    parts = []
    for key, value in details.items():
        if value in (None, "", [], {}):
            continue
        shown = _value(value)
        if key == "frist" and isinstance(value, str) and len(value) == 10:
            shown = dato(value)
        parts.append(f"{_key(key)} {shown}")
    return " · ".join(parts)


def event_view(event: dict[str, Any]) -> dict[str, str]:
    return {
        "tidspunkt": tidspunkt(event["at"]),
        "hvem": event["actor"],
        "handling": action_text(event["action"]),
        "emne": event["subject"],
        "detaljer": details_text(event.get("details") or {}),
    }
