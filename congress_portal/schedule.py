"""Periodic jobs run by ``celery beat``, in the portal's time zone (Asia/Shanghai).

Each module declares its periodic jobs on its ``AppConfig`` (``Contribution(beat={...})``,
see :mod:`congress_portal.contributions`); this module collects them into the one
schedule beat runs.

Every job there is safe to run twice: the reminder sweeps record each reminder
before sending it, under a uniqueness rule, and the monthly report is made once
per month. Two beat processes by mistake therefore cost nothing but work.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from congress_portal.contributions import contributions


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The installed modules' periodic jobs, in ``INSTALLED_APPS`` order."""
    schedule: dict[str, dict[str, Any]] = {}
    for contribution in contributions():
        for key, entry in contribution.beat.items():
            if key in schedule:
                raise ImproperlyConfigured(f"Two modules schedule a beat job named {key!r}.")
            schedule[key] = entry
    return schedule


class CollectedSchedule(Mapping[str, dict[str, Any]]):
    """``app.conf.beat_schedule``, read from the modules' declarations when it is read.

    The Celery app is made before Django has loaded the apps; beat reads its schedule
    after (``celery beat`` sets Django up first), so the schedule is collected then.
    """

    def __getitem__(self, key: str) -> dict[str, Any]:
        return beat_schedule()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(beat_schedule())

    def __len__(self) -> int:
        return len(beat_schedule())
