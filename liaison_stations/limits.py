"""How many opinions the public form at /s/<code>/ takes, so that a script is slowed
down and a village is not shut out.

Three limits, each a setting (``PUBLIC_OPINIONS_PER_DEVICE``, ``…_PER_ADDRESS``,
``…_PER_STATION_DAY``):

- per device (a random id kept in a cookie) and hour: one phone or one script;
- per address and station and hour: everyone on a station's Wi-Fi, or behind a mobile
  operator's shared address, shares one address, so this one is generous;
- per station and day: a ceiling no number of devices or addresses gets past.

A device without the cookie (the first visit, or a script that drops cookies) counts
as the device of its address, so dropping cookies does not escape the device limit.

Counting reserves before the opinion is accepted: one atomic ``incr`` in Django's cache
(Redis in production, shared by every web process) per limit, so twenty posts at the
same moment cannot all pass a check made before any of them was counted. An opinion that
is then not taken (the form was wrong) gives its reservation back. The windows are
clock hours and calendar days, so the person can be told when to try again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

DEVICE_COOKIE = "portal_device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # as long as browsers keep a cookie


def new_device_id() -> str:
    return secrets.token_urlsafe(16)


def device_of(cookie: str | None, address: str) -> str:
    """The device a request counts as: its cookie's id, or its address's."""
    if cookie and 16 <= len(cookie) <= 40 and cookie.replace("-", "").replace("_", "").isalnum():
        return f"id:{cookie}"
    return f"address:{address}"


@dataclass(frozen=True)
class Limit:
    name: str  # "device", "address" or "station"
    key: str
    allowed: int
    until: dt.datetime  # when the window ends: the time to try again


@dataclass
class Reservation:
    """One opinion counted against every limit; ``release()`` gives it back."""

    limits: list[Limit] = field(default_factory=list)

    def release(self) -> None:
        for limit in self.limits:
            # The window may have ended meanwhile: then there is nothing to give back.
            with contextlib.suppress(ValueError):
                cache.decr(limit.key)
        self.limits = []


class LimitReached(Exception):
    def __init__(self, limit: Limit):
        super().__init__(limit.name)
        self.limit = limit


def limits_for(*, station_pk: int, device: str, address: str) -> list[Limit]:
    now = timezone.localtime()
    hour = now.replace(minute=0, second=0, microsecond=0)
    next_hour = hour + dt.timedelta(hours=1)
    tomorrow = timezone.make_aware(
        dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time.min)
    )
    stamp = f"{hour:%Y%m%d%H}"
    return [
        Limit(
            "device",
            f"opinions:device:{device}:{stamp}",
            settings.PUBLIC_OPINIONS_PER_DEVICE,
            next_hour,
        ),
        Limit(
            "address",
            f"opinions:address:{station_pk}:{address}:{stamp}",
            settings.PUBLIC_OPINIONS_PER_ADDRESS,
            next_hour,
        ),
        Limit(
            "station",
            f"opinions:station:{station_pk}:{now:%Y%m%d}",
            settings.PUBLIC_OPINIONS_PER_STATION_DAY,
            tomorrow,
        ),
    ]


def opinion_reserve(*, station_pk: int, device: str, address: str) -> Reservation:
    """Count one opinion against every limit, or raise :class:`LimitReached` (naming the
    first limit that is full) having counted nothing."""
    reservation = Reservation()
    for limit in limits_for(station_pk=station_pk, device=device, address=address):
        seconds = max(int((limit.until - timezone.now()).total_seconds()) + 60, 60)
        cache.add(limit.key, 0, seconds)
        try:
            count = cache.incr(limit.key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(limit.key, 0, seconds)
            count = cache.incr(limit.key)
        reservation.limits.append(limit)
        if count > limit.allowed:
            reservation.release()
            raise LimitReached(limit)
    return reservation
