"""Reminder sweeps of the liaison stations: duty tomorrow. (A referral's deadline is
reminded by the handovers' sweep, as every handover's, linked to its page in /inbox/.)

Same mechanism as ``tasks/reminders.py``: set-based inserts through
:mod:`notifications.sweeps`, keyed by what is reminded about and its date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from liaison_stations.models import DutyShift
from notifications.models import Kind
from notifications.sweeps import (
    column,
    long_date,
    record,
    text,
    url,
)


def duty_tomorrow(today: dt.date) -> int:
    """Deputies on tomorrow's rota (and today's, should yesterday's sweep have failed)."""
    sent = 0
    for day in (today, today + dt.timedelta(days=1)):
        rota = DutyShift.deputies.through.objects.filter(
            dutyshift__date=day,
            dutyshift__is_cancelled=False,
            dutyshift__station__is_active=True,
            deputy__user__is_active=True,
        ).annotate(
            n_user=F("deputy__user_id"),
            n_key=text("duty:", column("dutyshift_id"), f":{day:%Y-%m-%d}"),
            n_title=text(
                f"值班提醒：{long_date(day)}到", column("dutyshift__station__name"), "进站履职"
            ),
            n_body=text(
                "接待时间：",
                column("dutyshift__station__opening_hours"),
                "。地址：",
                column("dutyshift__station__address"),
            ),
            n_url=url("liaison_stations:index"),
        )
        sent += record(Kind.DUTY_TOMORROW, rota)
    return sent


def sweep(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {"duty": duty_tomorrow(today)}
