"""How many wrong codes /vote/ takes: per device (a random id in a cookie, or the
address when there is none) and per address, each per clock hour, as the public opinion
form of the stations counts (one atomic ``incr`` in the shared cache per limit).

Only failures count: a deputy with a good code is never slowed down, and a script
trying codes is stopped long before its chance of a hit (50 bits a code) is anything
but nil. The first wrong code of a device without a cookie counts against its address.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

DEVICE_COOKIE = "portal_voter"
DEVICE_COOKIE_AGE = 24 * 3600


def new_device_id() -> str:
    return secrets.token_urlsafe(16)


def device_of(cookie: str | None, address: str) -> str:
    if cookie and 16 <= len(cookie) <= 40 and cookie.replace("-", "").replace("_", "").isalnum():
        return f"id:{cookie}"
    return f"address:{address}"


@dataclass(frozen=True)
class Blocked:
    until: dt.datetime  # when to try again


def _keys(device: str, address: str) -> list[tuple[str, int]]:
    stamp = f"{timezone.localtime():%Y%m%d%H}"
    return [
        (f"ballot-fail:device:{device}:{stamp}", settings.BALLOT_CODE_FAILURES_PER_DEVICE),
        (f"ballot-fail:address:{address}:{stamp}", settings.BALLOT_CODE_FAILURES_PER_ADDRESS),
    ]


def _next_hour() -> dt.datetime:
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def blocked(*, device: str, address: str) -> Blocked | None:
    """Whether this device or address has used up its wrong codes for the hour."""
    for key, allowed in _keys(device, address):
        if (cache.get(key) or 0) >= allowed:
            return Blocked(until=_next_hour())
    return None


def failure_count(*, device: str, address: str) -> None:
    """Count one wrong code against the device and the address."""
    for key, _allowed in _keys(device, address):
        cache.add(key, 0, 3700)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 3700)
