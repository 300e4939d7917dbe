"""Who is on the other end of a request, for the login rate limit (R-SEC-3).

`X-Forwarded-For` is believed only when the connection comes from a configured proxy
(`trusted_proxies`, default none); then the nearest address that is not a trusted proxy is
the client. Anyone else could rotate the header and never hit the limit. `handistat serve`
runs uvicorn without its own proxy-header handling, so this is the only place it happens.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(trusted: Sequence[str]) -> list[Network]:
    """The settings' addresses and networks (``10.0.0.5``, ``10.0.0.0/8``)."""
    return [ipaddress.ip_network(t.strip(), strict=False) for t in trusted if t.strip()]


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def client_address(request: Request, trusted: Sequence[Network]) -> str:
    peer = request.client.host if request.client else "ukendt"
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:64]
    return peer
