"""Who is on the other end of a request, believing forwarded headers only from our proxies.

Anyone can send `X-Forwarded-For`; only a reverse proxy we run can vouch for it.
The socket peer is the client unless it is one of `REPGRAPH_TRUSTED_PROXIES`: then
the client is the right-most `X-Forwarded-For` entry that is not itself a trusted
proxy (entries to its left were written by the client and prove nothing). The same
goes for `X-Forwarded-Proto`. uvicorn's own rewriting of the client address is
switched off (`api.server`), so that this is the only place that decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.requests import HTTPConnection

Network = IPv4Network | IPv6Network


def _address(text: str) -> IPv4Address | IPv6Address | None:
    """An address as proxies write it: bare, or `[v6]:port` / `v4:port`."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return ip_address(text)
    except ValueError:
        return None


def _trusted(text: str, proxies: Sequence[Network]) -> bool:
    address = _address(text)
    if address is None:
        return False
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in proxies)


def _proxies(connection: HTTPConnection) -> Sequence[Network]:
    proxies: Sequence[Network] = connection.app.state.settings.trusted_proxies
    return proxies


def _peer(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"


def _header_values(connection: HTTPConnection, name: str) -> list[str]:
    """Every comma-separated value of every `name` header, in the order received."""
    return [part.strip() for value in connection.headers.getlist(name)
            for part in value.split(",") if part.strip()]


def client_address(request: HTTPConnection) -> str:
    """The client's address: the socket peer, or what our trusted proxies say it was."""
    peer, proxies = _peer(request), _proxies(request)
    if not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = _header_values(request, "x-forwarded-for")
    for entry in reversed(forwarded):
        if not _trusted(entry, proxies):
            address = _address(entry)
            return str(address) if address is not None else entry
    # every hop was one of ours (or the proxy sent nothing): the farthest one we know
    return str(_address(forwarded[0])) if forwarded else peer


def served_over_tls(request: HTTPConnection) -> bool:
    """Whether the client reached us over TLS: our own scheme, or what a trusted proxy says
    (the last `X-Forwarded-Proto` value, the one the proxy next to us wrote)."""
    if request.url.scheme in ("https", "wss"):
        return True
    proxies = _proxies(request)
    if not proxies or not _trusted(_peer(request), proxies):
        return False
    protos = _header_values(request, "x-forwarded-proto")
    return bool(protos) and protos[-1].lower() == "https"
