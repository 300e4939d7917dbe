"""The portal's upload size limit, applied while the body streams in (issue 13 item 8, R-IN-6).

Starlette reads a whole multipart form into temporary files before the route runs, so a limit
checked in the route comes after the work. This ASGI middleware counts the body of
`POST /portal/upload` as it arrives: a declared `Content-Length` over the limit is refused
before a byte is read, and a body that grows past it stops being read. Either way the answer is
413 with a Danish page. The limit is `max_body_bytes` plus a margin for the form's other fields
and boundaries; a file between the two is refused by the raw zone and shown as a rejected
report (see docs/decisions/upload-limits.md).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PATH = "/portal/upload"
MULTIPART_MARGIN = 64 * 1024
"""Room for the form fields and multipart boundaries around the file itself."""


class BodyTooLarge(Exception):
    """Raised into the app's body reading once the limit is passed."""


def megabytes(limit: int) -> str:
    return f"{limit / 1024**2:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def refusal_page(limit: int) -> bytes:
    text = html.escape(
        f"Filen er større end grænsen på {megabytes(limit)} MB og er ikke modtaget. "
        "Del filen op i flere leverancer, eller send den som CSV gennem leverance-API'et."
    )
    return (
        '<!doctype html>\n<html lang="da"><head><meta charset="utf-8">'
        "<title>Filen er for stor – handistat</title></head><body><main>"
        "<h1>Filen er for stor</h1>"
        f"<p>{text}</p>"
        '<p><a href="/portal/upload">Tilbage til upload</a></p>'
        "</main></body></html>\n"
    ).encode()


async def refuse(send: Send, limit: int) -> None:
    body = refusal_page(limit)
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class PortalUploadLimit:
    """ASGI middleware; `limit()` is read per request (settings may change in tests)."""

    def __init__(self, app: ASGIApp, limit: Callable[[], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        limit = self.limit()
        declared = declared_length(scope)
        if declared is not None and declared > limit + MULTIPART_MARGIN:
            await refuse(send, limit)
            return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        state = {"read": 0, "exceeded": False, "started": False}

        async def counting() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit + MULTIPART_MARGIN:
                    state["exceeded"] = True
                    raise BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            if state["exceeded"]:
                return  # the app's answer to a cut-off body is replaced by the refusal
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, guarded)
        except Exception:
            if not state["exceeded"]:
                raise
        if state["exceeded"] and not state["started"]:
            await refuse(send, limit)
