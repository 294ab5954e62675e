"""The address of the client behind a request: one answer for everything that counts or
records by address (django-axes' login lockouts, the API's per-address limit, the throttle
on anonymous forms, the access and audit logs).

Behind reverse proxies the peer (REMOTE_ADDR) is the nearest proxy, and gunicorn does not
rewrite it. Each proxy appends the address it received the request from to
X-Forwarded-For, so with PROXY_HOPS trusted proxies in front of the archive the client is
the PROXY_HOPS-th entry from the right; anything further left was written by the client
itself and is ignored, however it reads. With PROXY_HOPS = 0 (no proxy) the header is
ignored altogether.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

_CACHE_ATTRIBUTE = "_archive_client_address"
# The peer as the server saw it, kept after ClientAddressMiddleware rewrites REMOTE_ADDR.
PEER_ADDRESS_KEY = "archive.peer_address"
UNKNOWN = "unknown"


def parse_address(value: str | None) -> str | None:
    """A textual IP address in its canonical form, or None. Takes the forms proxies write:
    `203.0.113.5`, `2001:db8::1`, `203.0.113.5:41234`, `[2001:db8::1]:41234`."""
    text = (value or "").strip()
    if not text or len(text) > 64:
        return None
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


def _from_headers(request: HttpRequest) -> str | None:
    peer = parse_address(request.META.get(PEER_ADDRESS_KEY) or request.META.get("REMOTE_ADDR"))
    hops = int(getattr(settings, "PROXY_HOPS", 0))
    if hops <= 0:
        return peer
    forwarded = [
        entry.strip()
        for entry in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if entry.strip()
    ]
    if not forwarded:
        # Not through the proxy (a health check on the machine itself): the peer is all we know.
        return peer
    # Fewer entries than hops: the request entered past the outermost proxy, and every entry
    # there is was still written by a proxy we trust.
    entry = forwarded[-min(hops, len(forwarded))]
    return parse_address(entry) or peer


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, or None when it cannot be told (computed once per request)."""
    if request is None:
        return None
    if hasattr(request, _CACHE_ATTRIBUTE):
        cached: str | None = getattr(request, _CACHE_ATTRIBUTE)
        return cached
    address = _from_headers(request)
    setattr(request, _CACHE_ATTRIBUTE, address)
    return address


def address_block(address: str | None) -> str:
    """What a limit counts by: the address, or for IPv6 its /64 network, which one client
    usually holds whole (and could otherwise hop through for a fresh allowance)."""
    if address is None:
        return UNKNOWN
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return address


class ClientAddressMiddleware:
    """First in MIDDLEWARE: puts the client's address in REMOTE_ADDR, so that whatever reads
    the peer (Django, django-axes, the logs) reads the client; the peer stays under
    PEER_ADDRESS_KEY."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.META.setdefault(PEER_ADDRESS_KEY, request.META.get("REMOTE_ADDR", ""))
        address = client_address(request)
        if address is not None:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
