"""Reminders of the ballot module: a congress session tomorrow, to every deputy of its
roll (the seats of its level and region held on its day), sent once.

Same mechanism as ``tasks/reminders.py``: set-based inserts through
:mod:`notifications.sweeps`, keyed by the session, so running the sweep again (or today
and tomorrow) sends nothing twice. One statement per session: a day has few.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from ballots.models import CongressSession
from deputies.models import Mandate
from notifications.models import Kind
from notifications.sweeps import long_date, record, text, url


def sessions_tomorrow(today: dt.date) -> int:
    """Sessions of tomorrow (and today's, should yesterday's sweep have failed)."""
    sent = 0
    sessions = CongressSession.objects.filter(
        date__in=[today, today + dt.timedelta(days=1)],
        state__in=[CongressSession.State.PLANNED, CongressSession.State.OPEN],
    )
    for session in sessions:
        deputies = (
            Mandate.objects.active_on(session.date)
            .filter(
                level=session.level,
                region_id=session.region_id,
                deputy__user__isnull=False,
                deputy__user__is_active=True,
            )
            .annotate(
                n_user=F("deputy__user_id"),
                n_key=text(f"session:{session.pk}"),
                n_title=text(f"会议提醒：{long_date(session.date)}召开{session.name}"),
                n_body=text(
                    "请准时出席并报到；不能出席的，请向人大主席团或常委会请假。"
                    "无记名投票时，凭现场随机抽取的投票码在手机上投票。"
                ),
                n_url=url("vote:index"),
            )
        )
        sent += record(Kind.SESSION_DUE, deputies)
    return sent


def sweep(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {"sessions": sessions_tomorrow(today)}
