"""Home-page panels of this module (see ``dashboard.panels``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.panels import Panel
from organisation.roles import Role
from tasks import selectors
from tasks.models import Task
from tasks.status import REPORT_DUE_DAY, STATUS_BADGE, TaskStatus, report_deadline

SHOWN = 8


def home_panels(request) -> list[Panel]:
    user = request.user
    today = timezone.localdate()
    if user.sees_everything:
        return _office_panels(user, today)
    if user.role == Role.UNIT:
        due = selectors.reports_due_for(user, today=today)
        tasks = list(due[:SHOWN])
        return [
            Panel(
                title=_("Monthly reports due"),
                template="tasks/panels/unit.html",
                context={
                    "count": due.count() if len(tasks) == SHOWN else len(tasks),
                    "items": [report_gap(task, today) for task in tasks],
                    "due_day": REPORT_DUE_DAY,
                },
                order=10,
            )
        ]
    return []


@dataclass
class ReportGap:
    """One to-do item of a unit contact: the task, the month to report, what is wrong
    ("2026年11月进度未报送 · 已逾期11天") and the form opened on that month."""

    task: Task
    month: datetime.date
    text: str
    late: bool
    url: str


def report_gap(task: Task, today: datetime.date) -> ReportGap:
    """Name the gap of a task from ``selectors.reports_due_for``."""
    month = task.gap_month
    label = date_format(month, "YEAR_MONTH_FORMAT")
    if task.returned_month == month:
        text = _("The report for %(month)s was returned: send it again") % {"month": label}
    else:
        text = _("The report for %(month)s is missing") % {"month": label}
    days_late = (today - report_deadline(month)).days
    if days_late > 0:
        text += " · " + ngettext("%(days)d day late", "%(days)d days late", days_late) % {
            "days": days_late
        }
    return ReportGap(
        task=task,
        month=month,
        text=text,
        late=days_late > 0,
        url=reverse("tasks:report_submit", args=[task.pk], query={"month": month.isoformat()}),
    )


def _office_panels(user, today) -> list[Panel]:
    by_list = selectors.status_counts_by_list(today=today)
    latest_year = max((task_list.year for task_list, _c in by_list), default=None)
    lists = [
        {
            "task_list": task_list,
            "counts": [(s, counts[s], STATUS_BADGE[s]) for s in TaskStatus],
        }
        for task_list, counts in by_list
        if task_list.year == latest_year
    ]
    overdue = selectors.behind_tasks(today=today).filter(status=TaskStatus.OVERDUE)
    shown = list(overdue[:SHOWN])
    panels = [
        Panel(
            title=_("Task lists by status"),
            template="tasks/panels/office.html",
            context={"lists": lists},
            order=10,
        ),
        Panel(
            title=_("Overdue tasks"),
            template="tasks/panels/overdue.html",
            context={
                "count": overdue.count() if len(shown) == SHOWN else len(shown),
                "tasks": shown,
            },
            order=11,
        ),
    ]
    if user.role == Role.STAFF:
        waiting = selectors.review_queue(user).count()
        panels.append(
            Panel(
                title=_("Reports to review"),
                template="tasks/panels/reviews.html",
                context={"count": waiting},
                order=12,
            )
        )
    return panels
