"""Reminder sweeps of the liaison stations: duty tomorrow, and the deadlines of referrals.

Same mechanism as ``tasks/reminders.py``: set-based inserts through
:mod:`notifications.sweeps`, keyed by what is reminded about and its date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone, translation

from liaison_stations.models import DutyShift, Reception
from notifications.models import Kind
from notifications.sweeps import (
    column,
    iso_date,
    long_date,
    on_day,
    record,
    text,
    url,
    window_days,
)
from organisation.roles import Role


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


def _to_referred_unit(receptions: QuerySet) -> QuerySet:
    return receptions.annotate(
        n_user=F("referred_unit__contacts__pk"),
        r_role=F("referred_unit__contacts__role"),
        r_active=F("referred_unit__contacts__is_active"),
    ).filter(r_role=Role.UNIT, r_active=True)


def referral_deadlines(today: dt.date) -> int:
    """Open referrals 7 days and 1 day before their deadline, and once when overdue."""
    open_referrals = Reception.objects.filter(
        referred_unit__isnull=False, closed_on__isnull=True, referral_due__isnull=False
    )
    sent = 0
    for stage in ("7", "1"):
        days = window_days(today, stage)
        candidates = _to_referred_unit(open_referrals.filter(referral_due__in=days)).annotate(
            n_key=text(
                f"referral-due-{stage}:",
                column("pk"),
                ":",
                on_day("referral_due", days, iso_date),
            ),
            n_title=text(
                "交办件到期提醒：",
                column("station__name"),
                "转交的群众诉求将于",
                on_day("referral_due", days, long_date),
                "到期",
            ),
            n_body=text(Substr("content", 1, 200)),
            n_url=url("liaison_stations:index"),
        )
        sent += record(Kind.REFERRAL_DUE, candidates)
    overdue = _to_referred_unit(open_referrals.filter(referral_due__lt=today)).annotate(
        n_key=text("referral-overdue:", column("pk"), ":", column("referral_due")),
        n_title=text("交办件逾期：", column("station__name"), "转交的群众诉求已超过办理期限"),
        n_body=text(Substr("content", 1, 200)),
        n_url=url("liaison_stations:index"),
    )
    return sent + record(Kind.REFERRAL_DUE, overdue)


def sweep(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {"duty": duty_tomorrow(today), "referrals": referral_deadlines(today)}
