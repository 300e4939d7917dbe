"""The Statbank API's own errors (statbank_api.md §6): HTTP 400 (404 for an unknown function)
with ``{"errorTypeCode": ..., "message": ...}`` in the request's language.

They differ from handistat's envelope on purpose: existing clients read ``message``. Raised
by the query engine, turned into a response by `handistat.api.statbank` only.
"""

from __future__ import annotations

REQUEST_MISSING = "REQUEST-MISSING"
REQUEST_EMPTY = "REQUEST-EMPTY"
REQUEST_LIMIT = "REQUEST-LIMIT"
REQUEST_NOTFOUND = "REQUEST-NOTFOUND"
EXTRACT_NOTFOUND = "EXTRACT-NOTFOUND"
EXTRACT_NOTALLOWED = "EXTRACT-NOTALLOWED"


class ApiError(Exception):
    """A request the API refuses; `message(lang)` is what the client shows."""

    def __init__(self, code: str, da: str, en: str, status: int = 400) -> None:
        super().__init__(da)
        self.code = code
        self.da = da
        self.en = en
        self.status = status

    def message(self, lang: str | None) -> str:
        if lang == "en":
            return self.en
        if lang == "da":
            return self.da
        return f"{self.da} / {self.en}"  # language not known: both (statbank_api.md §1)

    def body(self, lang: str | None) -> dict[str, str]:
        return {"errorTypeCode": self.code, "message": self.message(lang)}


def table_not_found(table: str) -> ApiError:
    return ApiError(EXTRACT_NOTFOUND, f"Tabel findes ikke: {table}", f"Table not found: {table}")


def value_not_found(value: str, variable: str) -> ApiError:
    return ApiError(
        EXTRACT_NOTFOUND,
        f"Værdien blev ikke fundet: {value} ({variable})",
        f"Can't find value: {value} ({variable})",
    )


def variable_not_found(variable: str) -> ApiError:
    return ApiError(
        EXTRACT_NOTFOUND,
        f"Variablen blev ikke fundet: {variable}",
        f"Can't find variable: {variable}",
    )


def not_allowed(da: str, en: str) -> ApiError:
    return ApiError(EXTRACT_NOTALLOWED, da, en)


def vintage_not_public(vintage: str | None) -> ApiError:
    """An embargoed and an unknown release get the same answer (R-PUB-2, issue 12 item 6)."""
    return ApiError(
        EXTRACT_NOTFOUND,
        f"Udgivelsen er ikke offentlig: {vintage}",
        f"The release is not public: {vintage}",
    )


METADATA_FORMATS = ("JSON",)


def metadata_format(name: str | None) -> str:
    """`subjects`, `tables` and `tableinfo` answer JSON; any other `format` is refused rather
    than silently answered in JSON (issue 12 item 10)."""
    wanted = (name or "JSON").strip().upper()
    if wanted not in METADATA_FORMATS:
        raise ApiError(
            REQUEST_MISSING,
            f"Formatet {wanted} understøttes ikke her; brug format=JSON",
            f"The format {wanted} is not supported here; use format=JSON",
        )
    return wanted
