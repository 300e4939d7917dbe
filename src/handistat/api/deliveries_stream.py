"""Feeding an HTTP request body to the synchronous intake with bounded memory (R-IN-6).

`IntakeService.receive` takes a plain iterable of bytes and does blocking file and database
work, so it runs in a worker thread; the worker pulls the body one chunk at a time from the
event loop (`anyio.from_thread.run`), so at most one chunk is held in memory. The size limit
is enforced on the bytes actually received (a missing or lying Content-Length changes
nothing); a declared length over the limit is refused before reading.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from typing import IO, Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from anyio import from_thread
from fastapi import Path, Request
from starlette.requests import ClientDisconnect

from handistat.errors import HandistatError, PayloadTooLarge
from handistat.reference import kommune_koder

T = TypeVar("T")
RowId = Annotated[int, Path(ge=1, le=2**62, description="the id of a stored row")]
"""An id in a path: bounded, so a huge number is a 4xx and never reaches the database."""
PathYear = Annotated[int, Path(ge=2000, le=2100)]
SPOOL_IN_MEMORY = 1 << 20
READ_SIZE = 1 << 20


class BadRequest(HandistatError):
    http_status = 400
    code = "BAD_REQUEST"


class UnsupportedMediaType(HandistatError):
    http_status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"leverancen er større end grænsen på {limit:,} bytes; del den op eller bed "
        "Danmarks Statistik om at hæve grænsen"
    )


def media_type_of(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def known_kommune(value: str, field: str) -> str:
    if value not in kommune_koder():
        raise BadRequest(f"{field}={value!r} er ikke en kendt kommunekode (tre cifre, fx 101)")
    return value


def check_declared_size(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        return
    if not declared.strip().isdigit():
        raise BadRequest("Content-Length skal være et helt antal bytes")
    if int(declared) > limit:
        raise too_large(limit)


async def receive_streamed(request: Request, receive: Callable[[Iterator[bytes]], T]) -> T:
    """Run `receive(chunks)` in a worker thread over the request body, streamed."""
    body: AsyncIterator[bytes] = request.stream()

    async def next_chunk() -> bytes | None:
        try:
            return await body.__anext__()
        except StopAsyncIteration:
            return None

    def chunks() -> Iterator[bytes]:
        while (chunk := from_thread.run(next_chunk)) is not None:
            if chunk:
                yield chunk

    try:
        return await anyio.to_thread.run_sync(receive, chunks())
    except ClientDisconnect:
        raise BadRequest("forbindelsen blev afbrudt før hele leverancen var modtaget") from None


async def spool(request: Request, limit: int) -> IO[bytes]:
    """The whole body in a temporary file (in memory up to 1 MiB), size-limited."""
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            spooled.write(chunk)
    except ClientDisconnect:
        spooled.close()
        raise BadRequest("forbindelsen blev afbrudt før hele leverancen var modtaget") from None
    except BaseException:
        spooled.close()
        raise
    spooled.seek(0)
    return spooled


def file_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    handle.seek(0)
    while chunk := handle.read(READ_SIZE):
        yield chunk


def json_top_level(handle: IO[bytes], key: str) -> str | None:
    """A top-level string field of a JSON body, or None (bad JSON is the intake's to report)."""
    handle.seek(0)
    try:
        document: Any = json.load(handle)
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested 3,000 deep: the intake's
        return None
    finally:
        handle.seek(0)
    value = document.get(key) if isinstance(document, dict) else None
    return value if isinstance(value, str) else None
