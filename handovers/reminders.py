"""Reminder sweeps of the handovers: the 督办单 colours told once each, the red escalation,
the helping units' opinions and the rating left undone.

Same mechanism as ``tasks/reminders.py``: one ``INSERT ... SELECT`` per reminder through
:mod:`notifications.sweeps`, keyed by what is reminded about and the date (or round) it is
about, so any number of sweeps records and sends each reminder once; an extended deadline
is a new date, so its colours are told again. The texts are Chinese: they are the
committee's messages, sent in the portal's language.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone, translation

from handovers.kinds import CheckedBy
from handovers.models import Assist, Handover
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
from organisation.models import Region
from organisation.roles import Role


def _with_unit() -> QuerySet[Handover]:
    return Handover.objects.filter(state__in=Handover.WITH_UNIT)


def _to_contacts(queryset: QuerySet, unit_path: str) -> QuerySet:
    """One row per (row, active contact of the unit at ``unit_path``), one join."""
    return queryset.annotate(
        n_user=F(f"{unit_path}__contacts__pk"),
        r_role=F(f"{unit_path}__contacts__role"),
        r_active=F(f"{unit_path}__contacts__is_active"),
    ).filter(r_role=Role.UNIT, r_active=True)


def turned_yellow(today: dt.date) -> int:
    """Work still with its main unit that entered the yellow days before its deadline."""
    days = [today + dt.timedelta(days=n) for n in range(settings.HANDOVER_YELLOW_DAYS + 1)]
    candidates = _to_contacts(_with_unit().filter(due_on__in=days), "unit").annotate(
        n_key=text("handover-yellow:", column("pk"), ":", on_day("due_on", days, iso_date)),
        n_title=text(
            "交办件临期：",
            column("title"),
            "，请于",
            on_day("due_on", days, long_date),
            "前办结答复",
        ),
        n_body=text("主办单位：", column("unit__name")),
        n_url=url("handovers:detail", "pk"),
    )
    return record(Kind.HANDOVER_DUE, candidates)


def turned_red(today: dt.date) -> int:
    """Work past its deadline: the main unit's contacts, once per deadline."""
    candidates = _to_contacts(_with_unit().filter(due_on__lt=today), "unit").annotate(
        n_key=text("handover-red:", column("pk"), ":", column("due_on")),
        n_title=text("交办件逾期：", column("title"), "，已超过办理期限"),
        n_body=text("主办单位：", column("unit__name"), "。请尽快办理答复。"),
        n_url=url("handovers:detail", "pk"),
    )
    return record(Kind.HANDOVER_DUE, candidates)


def _escalation(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        n_key=text("handover-escalated:", column("pk"), ":", column("due_on")),
        n_title=text("逾期督办：", column("title")),
        n_body=text("主办单位", column("unit__name"), "已超过办理期限，尚未答复。"),
        n_url=url("handovers:detail", "pk"),
    )


def escalated(today: dt.date) -> int:
    """Red work escalated once per deadline: to its lead leader; without one, to the office
    that keeps it (``services.keepers_of``: the region's secretaries for a county's or a
    township's work, the staff for the city's or where the region has none)."""
    red = _with_unit().filter(due_on__lt=today)
    sent = record(
        Kind.HANDOVER_DUE,
        _escalation(red.filter(leader__is_active=True).annotate(n_user=F("leader_id"))),
    )
    unled = red.exclude(leader__is_active=True)
    secretaries = get_user_model().objects.filter(role=Role.SECRETARY, is_active=True)
    kept_below = unled.exclude(region__level=Region.Level.CITY).filter(
        Exists(secretaries.filter(region=OuterRef("region")))
    )
    sent += record(
        Kind.HANDOVER_DUE,
        _escalation(
            kept_below.annotate(
                n_user=F("region__users__pk"),
                r_role=F("region__users__role"),
                r_active=F("region__users__is_active"),
            ).filter(r_role=Role.SECRETARY, r_active=True)
        ),
    )
    # The staff: one statement per staff member (a handful), never one per handover.
    by_staff = unled.filter(
        Q(region__level=Region.Level.CITY) | ~Exists(secretaries.filter(region=OuterRef("region")))
    )
    for staff in (
        get_user_model()
        .objects.filter(role=Role.STAFF, is_active=True)
        .values_list("pk", flat=True)
    ):
        sent += record(Kind.HANDOVER_DUE, _escalation(by_staff.annotate(n_user=Value(staff))))
    return sent


def opinions_due(today: dt.date) -> int:
    """Helping units whose opinion is not sent: 7 days and 1 day before it is due, and once
    when it is overdue, while the main unit has not answered."""
    waiting = Assist.objects.filter(sent_on__isnull=True, handover__state__in=Handover.WITH_UNIT)
    sent = 0
    for stage in ("7", "1"):
        days = window_days(today, stage)
        candidates = _to_contacts(waiting.filter(due_on__in=days), "unit").annotate(
            n_key=text(f"assist-due-{stage}:", column("pk"), ":", on_day("due_on", days, iso_date)),
            n_title=text(
                "协办意见提醒：请于",
                on_day("due_on", days, long_date),
                "前就“",
                column("handover__title"),
                "”向主办单位提出意见",
            ),
            n_body=text("主办单位：", column("handover__unit__name")),
            n_url=url("handovers:detail", "handover_id"),
        )
        sent += record(Kind.HANDOVER_DUE, candidates)
    overdue = _to_contacts(waiting.filter(due_on__lt=today), "unit").annotate(
        n_key=text("assist-overdue:", column("pk"), ":", column("due_on")),
        n_title=text("协办意见逾期：“", column("handover__title"), "”的协办意见尚未提出"),
        n_body=text("主办单位：", column("handover__unit__name")),
        n_url=url("handovers:detail", "handover_id"),
    )
    return sent + record(Kind.HANDOVER_DUE, overdue)


def rating_due(today: dt.date) -> int:
    """An answer its rater has not rated ``HANDOVER_RATING_WAIT_DAYS`` after it came: the
    rater is reminded once (per round); after that the office may close it unrated."""
    waited = today - dt.timedelta(days=settings.HANDOVER_RATING_WAIT_DAYS)
    candidates = Handover.objects.filter(
        state=Handover.State.ANSWERED,
        checked_by=CheckedBy.RATING,
        answered_on__lte=waited,
        rater__is_active=True,
    ).annotate(
        n_user=F("rater_id"),
        n_key=text("handover-rate:", column("pk"), ":", column("round")),
        n_title=text("请评价答复：", column("title")),
        n_body=text(
            column("unit__name"),
            "已于",
            column("answered_on"),
            "答复，请对办理结果作出评价（满意、基本满意或不满意）。",
        ),
        n_url=url("handovers:detail", "pk"),
    )
    return record(Kind.HANDOVER_DUE, candidates)


def sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Every handover reminder due on ``today`` (a local date)."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "yellow": turned_yellow(today),
            "red": turned_red(today),
            "escalated": escalated(today),
            "opinions": opinions_due(today),
            "rating": rating_due(today),
        }
