"""Building blocks of the reminder sweeps (tasks/reminders.py, liaison_stations/reminders.py).

A sweep describes its reminders as querysets (one row per recipient and subject, with
the ``n_*`` columns of :func:`notifications.services.notifications_record`) and hands
them over; it never loads the objects it reminds about. Texts are built in SQL with
:func:`text` so 100,000 deadlines stay one statement; dates that appear in a text are
formatted in Python for each day of the short window and picked in SQL (:func:`on_day`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.urls import reverse

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


# A number no row has, reversed in place of each argument and then replaced by a column.
_ARGUMENT = 987654321


def url(viewname: str, *columns: str) -> Concat | Value:
    """The path of ``viewname`` (from ``reverse()``) for each row, its arguments taken
    from ``columns`` in SQL: ``url("tasks:task", "pk")`` is ``/tasks/<pk>/`` per row."""
    path = reverse(viewname, args=[_ARGUMENT + i for i in range(len(columns))])
    parts: list = []
    for i, name in enumerate(columns):
        before, path = path.split(str(_ARGUMENT + i), 1)
        parts += [before, column(name)]
    return text(*parts, path) if path else text(*parts)


def window_days(today: dt.date, stage: str) -> Iterable[dt.date]:
    return [today + dt.timedelta(days=n) for n in WINDOWS[stage]]


def long_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def iso_date(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}"


def on_day(field: str, days: Iterable[dt.date], formatted: Callable[[dt.date], str]) -> Case:
    """The date in ``field``, formatted in Python for each day of a short window.

    Lets one statement cover a whole window (``field__in=days``) while texts and keys
    still carry the date exactly as Python writes it, whatever the database.
    """
    return Case(
        *(When(**{field: day}, then=Value(formatted(day))) for day in days),
        output_field=CharField(),
    )


def record(kind: str, candidates: QuerySet) -> int:
    """Record the candidates' notifications and deliver, after commit, those this call added."""
    recorded = notifications_record(kind=kind, candidates=candidates)
    dispatch_on_commit(recorded.deliveries)
    return recorded.count
