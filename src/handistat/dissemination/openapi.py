"""The OpenAPI description of the Statbank API (R-API-2), written out because the routes read
their parameters from the raw request (any letter case, GET and POST merged)."""

from __future__ import annotations

from typing import Any

from handistat.dissemination.output import API_FORMATS

_STRING = {"type": "string"}
_BOOL = {"type": "boolean"}
_LANG = {"type": "string", "enum": ["da", "en"]}

PARAMETERS: dict[str, dict[str, tuple[dict[str, Any], str]]] = {
    "subjects": {
        "subjects": (_STRING, "comma-separated subject ids; each returns its children"),
        "includeTables": (_BOOL, "list each subject's tables"),
        "recursive": (_BOOL, "walk the whole hierarchy"),
        "omitSubjectsWithoutTables": (_BOOL, "leave out subjects without published tables"),
    },
    "tables": {
        "subjects": (_STRING, "comma-separated subject ids"),
        "pastDays": ({"type": "integer"}, "only tables updated within this many days"),
        "includeInactive": (_BOOL, "accepted; every table is active"),
    },
    "tableinfo": {
        "table": (_STRING, "table id, e.g. HANDBU01 (also `id`)"),
    },
    "data": {
        "table": (_STRING, "table id, e.g. HANDBU01"),
        "format": ({"type": "string", "enum": list(API_FORMATS)}, "output format"),
        "valuePresentation": (
            {"type": "string", "enum": ["Default", "Code", "Value", "CodeAndValue"]},
            "how values are shown in CSV, BULK, XLSX",
        ),
        "timeOrder": ({"type": "string", "enum": ["Ascending", "Descending"]}, "time order"),
        "delimiter": ({"type": "string", "enum": ["Semicolon", "Tab"]}, "CSV delimiter"),
        "allowCodeOverrideInColumnNames": (_BOOL, "CSV header shows texts with Value"),
        "vintage": (_STRING, "a release id: the table as that release published it"),
    },
}

_DESCRIPTIONS = {
    "subjects": "Subjects and their tables (Statbank API v1).",
    "tables": "Published tables (Statbank API v1).",
    "tableinfo": "Variables and values of a published table (Statbank API v1).",
    "data": (
        "Figures of a published table. Variables are selected with query keys named by the "
        "variable code (`KØN=D,P`, `Tid=*`, `Tid=(-n+3)`, `ALDER=sum(0005;0611)`) or with "
        "`variables` in a POST body. Variables left out are eliminated where possible."
    ),
}

_ERROR = {
    "description": "Statbank error: errorTypeCode and message",
    "content": {
        "text/json": {
            "schema": {
                "type": "object",
                "properties": {"errorTypeCode": _STRING, "message": _STRING},
            }
        }
    },
}


def _param(name: str, schema: dict[str, Any], text: str, where: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": text,
    }


def operation(kind: str, method: str, path_names: list[str]) -> dict[str, Any]:
    """`openapi_extra` for one route: parameters (GET) or a JSON body (POST)."""
    params = [_param(n, _STRING, f"{n} (path form)", "path") for n in path_names]
    params.append(_param("lang", _LANG, "language of texts: da (default) or en", "query"))
    fields = PARAMETERS[kind]
    doc: dict[str, Any] = {"description": _DESCRIPTIONS[kind], "responses": {"400": _ERROR}}
    if method == "GET":
        params += [_param(n, s, t, "query") for n, (s, t) in fields.items() if n not in path_names]
    else:
        properties: dict[str, Any] = {n: {**s, "description": t} for n, (s, t) in fields.items()}
        properties["lang"] = _LANG
        if kind == "data":
            properties["variables"] = {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"code": _STRING, "values": {"type": "array", "items": _STRING}},
                },
            }
        doc["requestBody"] = {
            "required": False,
            "content": {
                "application/json": {"schema": {"type": "object", "properties": properties}}
            },
        }
    doc["parameters"] = params
    return doc
