"""The client's address, as every throttle and lockout must read it.

`X-Forwarded-For` is written by whoever sends the request: it is believed only for the hops added by
the proxies we run ourselves (`PORTAL_NUM_PROXIES`, 0 by default: the socket's address). Behind one
nginx, the client is the last address of the header; behind two, the one before it.
"""

from django.conf import settings


def client_address(request) -> str:
    """The address of the client that reached our first trusted proxy (or us)."""
    meta = getattr(request, "META", request)
    remote = meta.get("REMOTE_ADDR", "")
    proxies = settings.PORTAL_NUM_PROXIES
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]
