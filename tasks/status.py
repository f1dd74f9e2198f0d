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
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
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


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the portal's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def status_expression(today: datetime.date) -> Case:
    """The rule of this module's docstring as a database expression on ``Task``.

    Everything is as known on ``today``, so a past day (the monthly PDF's month end)
    shows the status of that day: a task finished later is not done yet, a report sent
    later is missing, a milestone done later was not done then.
    """
    from tasks.models import Milestone, ProgressReport

    counted = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
    due_month = due_report_month(today)
    sent_by_then = Q(status__in=counted, month__lte=today.replace(day=1)) & (
        Q(submitted_at__lt=_end_of(today)) | Q(submitted_at__isnull=True)
    )
    not_done_then = Q(done_on__isnull=True) | Q(done_on__gt=today)
    milestone_late = Exists(
        Milestone.objects.filter(not_done_then, task=OuterRef("pk"), due_date__lt=today)
    )
    due_report_in = Exists(
        ProgressReport.objects.filter(
            sent_by_then, task=OuterRef("pk"), unit=OuterRef("lead_unit"), month=due_month
        )
    )
    any_report = Exists(ProgressReport.objects.filter(sent_by_then, task=OuterRef("pk")))
    any_milestone_done = Exists(Milestone.objects.filter(task=OuterRef("pk"), done_on__lte=today))
    report_required = Q(task_list__reports_start__lte=due_month)
    return Case(
        When(completed_on__lte=today, then=Value(TaskStatus.DONE.value)),
        When(
            Q(is_long_term=False, deadline__lt=today),
            then=Value(TaskStatus.OVERDUE.value),
        ),
        When(
            Q(milestone_late) | (report_required & ~Q(due_report_in)),
            then=Value(TaskStatus.LAGGING.value),
        ),
        When(
            ~Q(any_report) & ~Q(any_milestone_done),
            then=Value(TaskStatus.NOT_STARTED.value),
        ),
        default=Value(TaskStatus.ON_TRACK.value),
        output_field=models.CharField(max_length=12),
    )


def task_status(task, today: datetime.date) -> TaskStatus:
    """The status of one task: the annotated value when the row carries it, else one query."""
    from tasks.models import Task

    value = getattr(task, "status", None)
    if value is None:
        value = Task.objects.with_status(today).values_list("status", flat=True).get(pk=task.pk)
    return TaskStatus(value)
