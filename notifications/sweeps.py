"""Building blocks of the reminder sweeps (tasks/reminders.py, liaison_stations/reminders.py).

A sweep describes its reminders as querysets (one row per recipient and subject, with
the ``n_*`` columns of :func:`notifications.services.notifications_record`) and hands
them over; it never loads the objects it reminds about. Texts are built in SQL with
:func:`text` so 100,000 deadlines stay one statement; dates that appear in a text are
formatted in Python by sweeping each date of a short window separately.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat

from notifications.services import dispatch_on_commit, notifications_record

# Reminders "7 days and 1 day away": the first sweep that finds a deadline 2–7 days
# away sends the 7-day one, the first that finds it 0–1 day away the 1-day one. A day
# without a sweep therefore delays a reminder, never loses it.
WINDOWS = {"7": range(2, 8), "1": range(0, 2)}


def text(*parts) -> Concat | Value:
    """Concatenate literal strings and column names (``F``/expressions) in SQL."""
    expressions = []
    for part in parts:
        if isinstance(part, str):
            expressions.append(Value(part))
        else:
            expressions.append(Cast(part, output_field=CharField()))
    if len(expressions) == 1:
        return expressions[0]
    return Concat(*expressions, output_field=CharField())


def column(name: str) -> F:
    return F(name)


def window_days(today: dt.date, stage: str) -> Iterable[dt.date]:
    return [today + dt.timedelta(days=n) for n in WINDOWS[stage]]


def long_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def record(kind: str, candidates: QuerySet) -> int:
    """Record the candidates' notifications and deliver, after commit, those this call added."""
    recorded = notifications_record(kind=kind, candidates=candidates)
    if recorded.count:
        dispatch_on_commit(recorded.batch)
    return recorded.count
