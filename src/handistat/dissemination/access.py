"""What a request may see: the one `ReleaseService` of the running app, and whether the
caller is staff (who alone see a release before its time, R-PUB-2)."""

from __future__ import annotations

import threading

from fastapi import Request

from handistat.api.deps import current_principal, get_app
from handistat.release.service import ReleaseService
from handistat.release.vintages import VintageView

_LOCK = threading.Lock()


def release_service(request: Request) -> ReleaseService:
    """The app's release service, made on first use (its caches live as long as the app)."""
    state = request.app.state
    service: ReleaseService | None = getattr(state, "releases", None)
    if service is None:
        with _LOCK:
            service = getattr(state, "releases", None)
            if service is None:
                service = ReleaseService(get_app(request))
                state.releases = service
    return service


def is_staff(request: Request) -> bool:
    principal = current_principal(request)
    return principal is not None and principal.is_staff


def view_for(request: Request, vintage: str | None = None) -> VintageView:
    """The public view now, or one release's vintage (staff: also before it is public)."""
    service = release_service(request)
    now = get_app(request).clock()
    if vintage:
        return service.vintage_view(vintage, now, staff=is_staff(request))
    return service.public_view(now)
