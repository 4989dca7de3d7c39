"""Who is calling, by address: the peer, or behind a trusted reverse proxy (the trusted_proxies setting) the
address that proxy saw. X-Forwarded-For from anyone else is ignored: any client can write that header."""
from __future__ import annotations

import ipaddress

from fastapi import Request


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def is_trusted_proxy(request: Request) -> bool:
    """Whether the peer is one of the trusted_proxies (so its X-Forwarded-* headers are believed)."""
    networks = request.app.state.settings.trusted_proxy_networks
    return bool(networks) and request.client is not None and _trusted(request.client.host, networks)


def client_address(request: Request) -> str:
    """The calling client's address: X-Forwarded-For is read right to left, through trusted proxies only, so the
    first address not a trusted proxy is the one the outermost of ours saw (nothing to its left can be trusted)."""
    peer = request.client.host if request.client else "unknown"
    if not is_trusted_proxy(request):
        return peer
    networks = request.app.state.settings.trusted_proxy_networks
    hops = [hop.strip() for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:  # not an address: our proxy did not write it, so believe no further
                return peer
    return peer
