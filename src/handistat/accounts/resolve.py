"""Resolve the caller of a request (to be completed by the accounts work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:
    from handistat.api.deps import Principal
    from handistat.app import App


def principal_from_request(application: App, request: Request) -> Principal | None:
    return None
