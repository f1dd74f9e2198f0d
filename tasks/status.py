"""The derived status of a task — the one place where it is computed.

The rule (also in the README), as of a given day ``today``:

1. **已完成 done** — staff accepted a report of 100 % (``Task.completed_on``) by today.
2. **逾期 overdue** — otherwise, the task has a deadline (it is not long-term 常态化)
   and the deadline is before today.
3. **滞后 lagging** — otherwise, a milestone is past its due date and not done, *or*
   the lead unit's report for the month now due is missing. Reports are due on the
   25th (:data:`REPORT_DUE_DAY`): after the 25th the current month's report is due,
   up to the 25th the previous month's. A report counts when it is submitted or
   accepted (a returned report is missing until it is sent again) and was sent by
   today. Months before the list's "reports due from" month are not counted. A
   milestone done after today was not done on today.
4. **未启动 not started** — otherwise, no report had been sent (submitted or accepted)
   and no milestone was done by today.
5. **正常推进 on track** — everything else.

The rule is one SQL expression (:func:`status_expression`), so the task list, its
filters, the counts on the home page and the monthly PDF all filter, count and show
the same thing; ``Task.objects.with_status(today)`` annotates it as ``status``.

Only the month now due counts: a report for a later month does not stand in for it
(December's report leaves a task lagging while November's is missing), and a gap
before the month now due no longer makes a task lag (it shows as an empty month in the
task's history, :func:`missing_report_months`). Why a task has its status is read
from the same conditions (:func:`reason_annotations`, :func:`status_reason`); the unit's
to-do list asks :func:`report_in` whether its report for the month now due is in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Value, When
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REPORT_DUE_DAY = 25


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    LAGGING = "lagging", _("Lagging")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")


# Badge colours of the stylesheet (static/css/portal.css, .badge--*).
STATUS_BADGE = {
    TaskStatus.NOT_STARTED: "muted",
    TaskStatus.ON_TRACK: "info",
    TaskStatus.LAGGING: "warn",
    TaskStatus.OVERDUE: "bad",
    TaskStatus.DONE: "ok",
}


def due_report_month(today: datetime.date) -> datetime.date:
    """The first day of the month whose report must be in by ``today``."""
    this_month = today.replace(day=1)
    if today.day > REPORT_DUE_DAY:
        return this_month
    return (this_month - datetime.timedelta(days=1)).replace(day=1)


def report_deadline(month: datetime.date) -> datetime.date:
    """The last day on which ``month``'s report is on time (the 25th of that month):
    from the next day on, :func:`due_report_month` is that month or a later one."""
    return month.replace(day=REPORT_DUE_DAY)


def next_report_day(today: datetime.date) -> datetime.date:
    """The first report day (the 25th) after ``today``: when a leader's instruction is
    answered unless the leader sets another day."""
    if today.day < REPORT_DUE_DAY:
        return today.replace(day=REPORT_DUE_DAY)
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return next_month.replace(day=REPORT_DUE_DAY)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the portal's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def _sent_by(today: datetime.date) -> Q:
    """A report that counts on ``today``: submitted or accepted (a returned one is missing
    again), sent by then, for a month that had begun."""
    from tasks.models import ProgressReport

    counted = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
    return Q(status__in=counted, month__lte=today.replace(day=1)) & (
        Q(submitted_at__lt=_end_of(today)) | Q(submitted_at__isnull=True)
    )


def report_in(today: datetime.date, *, unit: Any = None, month: datetime.date | None = None):
    """Whether ``unit``'s report on the task (``OuterRef("pk")``) for ``month`` (the month
    due on ``today`` unless given) was sent by ``today``. ``unit`` is the lead unit
    (``OuterRef("lead_unit")``) for the status rule, the contact's unit for their to-do list."""
    from tasks.models import ProgressReport

    return Exists(
        ProgressReport.objects.filter(
            _sent_by(today),
            task=OuterRef("pk"),
            unit=OuterRef("lead_unit") if unit is None else unit,
            month=due_report_month(today) if month is None else month,
        )
    )


@dataclass(frozen=True)
class _Conditions:
    """The parts of the rule, built once per day for the status and for its reason."""

    done: Q
    overdue: Q
    late_milestones: models.QuerySet
    report_missing: Q
    started: Q


def _conditions(today: datetime.date) -> _Conditions:
    from tasks.models import Milestone, ProgressReport

    not_done_then = Q(done_on__isnull=True) | Q(done_on__gt=today)
    late_milestones = Milestone.objects.filter(
        not_done_then, task=OuterRef("pk"), due_date__lt=today
    )
    any_report = Exists(ProgressReport.objects.filter(_sent_by(today), task=OuterRef("pk")))
    any_milestone_done = Exists(Milestone.objects.filter(task=OuterRef("pk"), done_on__lte=today))
    report_required = Q(task_list__reports_start__lte=due_report_month(today))
    return _Conditions(
        done=Q(completed_on__lte=today),
        overdue=Q(is_long_term=False, deadline__lt=today),
        late_milestones=late_milestones,
        report_missing=report_required & ~Q(report_in(today)),
        started=Q(any_report) | Q(any_milestone_done),
    )


def open_on(today: datetime.date) -> Q:
    """The tasks not finished by ``today``: the only ones whose status takes the rule's
    subqueries (a task finished by then is done, whatever else is true). A page that
    shows or counts the late tasks filters on this first, so the years of finished lists
    cost an index condition, not the rule (``Task.objects.open_on(today)``)."""
    return Q(completed_on__isnull=True) | Q(completed_on__gt=today)


def status_expression(today: datetime.date) -> Case:
    """The rule of this module's docstring as a database expression on ``Task``.

    Everything is as known on ``today``, so a past day (the monthly PDF's month end)
    shows the status of that day: a task finished later is not done yet, a report sent
    later is missing, a milestone done later was not done then.
    """
    rule = _conditions(today)
    return Case(
        When(rule.done, then=Value(TaskStatus.DONE.value)),
        When(rule.overdue, then=Value(TaskStatus.OVERDUE.value)),
        When(
            Q(Exists(rule.late_milestones)) | rule.report_missing,
            then=Value(TaskStatus.LAGGING.value),
        ),
        When(~rule.started, then=Value(TaskStatus.NOT_STARTED.value)),
        default=Value(TaskStatus.ON_TRACK.value),
        output_field=models.CharField(max_length=12),
    )


def reason_annotations(today: datetime.date) -> dict[str, Any]:
    """What :func:`status_reason` reads, from the rule's own conditions: the earliest
    late milestone (title and due date) and whether the month now due is missing."""
    rule = _conditions(today)
    late = rule.late_milestones.order_by("due_date", "pk")
    return {
        "late_milestone": Subquery(late.values("title")[:1]),
        "late_milestone_due": Subquery(late.values("due_date")[:1]),
        "due_report_missing": ExpressionWrapper(
            rule.report_missing, output_field=models.BooleanField()
        ),
    }


def status_reason(task, today: datetime.date) -> str:
    """Why a lagging or overdue task has its status ("滞后原因：2026年11月进度未报送"), for a
    task annotated by ``with_status(today, reasons=True)``; "" for the other statuses."""
    status = TaskStatus(task.status)
    if status == TaskStatus.OVERDUE:
        return gettext("Why overdue: the deadline, %(date)s, has passed") % {
            "date": format_date(task.deadline, "DATE_FORMAT")
        }
    if status != TaskStatus.LAGGING:
        return ""
    parts = []
    if task.due_report_missing:
        parts.append(
            gettext("the report for %(month)s is missing")
            % {"month": format_date(due_report_month(today), "YEAR_MONTH_FORMAT")}
        )
    if task.late_milestone:
        parts.append(
            gettext("the milestone “%(title)s” was due on %(date)s")
            % {
                "title": task.late_milestone,
                "date": format_date(task.late_milestone_due, "DATE_FORMAT"),
            }
        )
    return gettext("Why lagging: %(reasons)s") % {"reasons": gettext("; ").join(parts)}


def months_due(task_list, today: datetime.date) -> list[datetime.date]:
    """Every month whose report is due by ``today`` under the rule (from the list's
    "reports due from" month to the month now due), oldest first; none without a start."""
    start, last = task_list.reports_start, due_report_month(today)
    if start is None:
        return []
    months, month = [], start.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def missing_report_months(task, reports: Iterable, today: datetime.date) -> list[datetime.date]:
    """The months due by ``today`` (up to the month the task was finished) for which the
    lead unit has no report at all, newest first: the empty slots of the task's history.
    A returned report is not an empty slot (it shows, returned); it is missing to the rule."""
    reported = {r.month for r in reports if r.unit_id == task.lead_unit_id}
    until = task.completed_on.replace(day=1) if task.completed_on else None
    return [
        m
        for m in reversed(months_due(task.task_list, today))
        if m not in reported and (until is None or m <= until)
    ]


def task_status(task, today: datetime.date) -> TaskStatus:
    """The status of one task: the annotated value when the row carries it, else one query."""
    from tasks.models import Task

    value = getattr(task, "status", None)
    if value is None:
        value = Task.objects.with_status(today).values_list("status", flat=True).get(pk=task.pk)
    return TaskStatus(value)
