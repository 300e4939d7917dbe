"""Request parameters as the Statbank API takes them (statbank_api.md §1): from the query string
of a GET and the JSON object of a POST, merged, with names in any letter case; junk such as
``null`` or ``"NA"`` counts as not given; booleans as JSON, ``"true"`` or ``"True"``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from handistat.dissemination.errors import REQUEST_EMPTY, ApiError
from handistat.dissemination.selection import flatten, split_values

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def parse_body(body: bytes) -> dict[str, Any]:
    """A POST body: nothing, or one JSON object."""
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested deep
        raise ApiError(
            REQUEST_EMPTY,
            "Forespørgslen er tom eller ikke gyldig JSON",
            "The request is empty or not valid JSON",
        ) from None
    if not isinstance(parsed, dict):
        raise ApiError(
            REQUEST_EMPTY,
            "Forespørgslen skal være et JSON-objekt",
            "The request must be a JSON object",
        )
    return parsed


class Params:
    """Every parameter of one request by case-folded name; the POST body wins over the query."""

    def __init__(self, query: Iterable[tuple[str, str]], body: Mapping[str, Any]) -> None:
        self.query: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}
        for name, value in query:
            self.query.setdefault(name.casefold(), []).append(value)
            self.names.setdefault(name.casefold(), name)
        self.body = {name.casefold(): value for name, value in body.items()}
        for name in body:
            self.names.setdefault(name.casefold(), name)

    def raw(self, name: str) -> Any:
        key = name.casefold()
        if key in self.body:
            return self.body[key]
        values = self.query.get(key)
        return values[-1] if values else None

    def text(self, *names: str) -> str | None:
        """The first of `names` given with a usable value."""
        for name in names:
            value = self.raw(name)
            if value is None or isinstance(value, (dict, list)):
                continue
            text = str(value).strip()
            if text and text.casefold() not in {"na", "null", "none"}:
                return text
        return None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return default  # not given, null, "NA", junk

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    def id_list(self, name: str) -> list[str]:
        """A list given as a JSON array or comma-separated text (``subjects``)."""
        value = self.raw(name)
        if isinstance(value, list):
            return [str(v).strip() for v in value if v is not None and str(v).strip()]
        if value is None:
            return []
        return [v.strip() for v in str(value).split(",") if v.strip()]

    def selections(self, known: frozenset[str]) -> dict[str, tuple[str, list[str]]]:
        """Variable selections: the body's ``variables`` and every other query key, by
        case-folded code → (the code as sent, its value entries)."""
        found: dict[str, tuple[str, list[str]]] = {}
        for key, values in self.query.items():
            if key in known:
                continue
            items = [item for v in values for item in split_values(v)]
            found[key] = (self.names[key], found.get(key, ("", []))[1] + items)
        for variable in self._body_variables():
            code = str(variable.get("code", "")).strip()
            values = variable.get("values", [])
            items = flatten(values if isinstance(values, list) else [values])
            previous = found.get(code.casefold(), (code, []))[1]
            found[code.casefold()] = (code, previous + items)
        return found

    def _body_variables(self) -> list[Mapping[str, Any]]:
        variables = self.body.get("variables") or []
        if not isinstance(variables, list):
            raise ApiError(
                REQUEST_EMPTY,
                "variables skal være en liste af {code, values}",
                "variables must be a list of {code, values}",
            )
        return [v for v in variables if isinstance(v, Mapping)]
