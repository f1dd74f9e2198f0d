"""The address a request comes from, as far as it can be trusted: what the public form's
rate limit and the sign-in lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) count."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the rate limit counts.

    X-Forwarded-For is written by the client first and each proxy appends the address
    it received the request from, so only the last ``TRUSTED_PROXY_HOPS`` entries come
    from proxies we run; anything further left may be forged. Without trusted proxies
    the header is ignored and the connection's own address counts.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the first one was still written by a proxy of ours.
    return forwarded[max(len(forwarded) - hops, 0)]
