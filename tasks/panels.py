"""Home-page panels of this module (see ``dashboard.panels``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress_portal.calendar_words import month_label
from dashboard.panels import Panel
from organisation.roles import SEES_EVERYTHING, Role
from tasks import selectors
from tasks.models import Task
from tasks.status import REPORT_DUE_DAY, STATUS_BADGE, TaskStatus, report_deadline

SHOWN = 8


def home_panels(request) -> list[Panel]:
    user = request.user
    today = timezone.localdate()
    if user.sees_everything or user.role in SEES_EVERYTHING:
        leader = _leader_panels(user, today) if user.role == Role.LEADER else []
        return leader + _office_panels(user, today)
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
    by_list = selectors.status_counts_by_list(today=today, user=user)
    latest_year = max((task_list.year for task_list, _c in by_list), default=None)
    lists = [
        {
            "task_list": task_list,
            "counts": [(s, counts[s], STATUS_BADGE[s]) for s in TaskStatus],
        }
        for task_list, counts in by_list
        if task_list.year == latest_year
    ]
    # The panel names the lead unit only: no cooperating units to fetch.
    overdue = (
        selectors.behind_tasks(today=today, user=user)
        .filter(status=TaskStatus.OVERDUE)
        .prefetch_related(None)
    )
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


# --- A leader's home ----------------------------------------------------------------------

#: Months on the sparkline (this one included).
TREND_MONTHS = 6
#: A leader's tasks listed on their home (what is most behind first; the rest one link away).
LED_SHOWN = 5
SPARK_WIDTH, SPARK_HEIGHT = 160, 40


@dataclass
class Sparkline:
    """One line of the month-on-month sparkline, drawn as SVG by the template."""

    label: str
    values: list[int]
    points: str  # "x,y x,y …" of an SVG polyline
    css: str  # the line's colour class
    last: int
    change: int  # this month minus last month


def sparklines(series: list[tuple[str, list[int], str]]) -> list[Sparkline]:
    top = max((v for _l, values, _c in series for v in values), default=0) or 1
    lines = []
    for label, values, css in series:
        step = SPARK_WIDTH / max(len(values) - 1, 1)
        points = " ".join(
            f"{i * step:.1f},{SPARK_HEIGHT - 2 - (value / top) * (SPARK_HEIGHT - 4):.1f}"
            for i, value in enumerate(values)
        )
        change = values[-1] - values[-2] if len(values) > 1 else 0
        lines.append(Sparkline(label, values, points, css, values[-1], change))
    return lines


def _leader_panels(user, today) -> list[Panel]:
    panels = []
    days = selectors.month_ends(today, TREND_MONTHS)
    tasks = selectors.led_tasks(user, today=today, trend_days=days)
    if tasks:
        counts = dict.fromkeys(TaskStatus, 0)
        for task in tasks:
            counts[TaskStatus(task.status)] += 1
        shown = tasks[:LED_SHOWN]
        latest = selectors.latest_instructions([task.pk for task in shown])
        for task in shown:
            task.badge = STATUS_BADGE[task.status]  # type: ignore[attr-defined]
            task.status_label = TaskStatus(task.status).label  # type: ignore[attr-defined]
            task.instruction = latest.get(task.pk)  # type: ignore[attr-defined]
        trend = selectors.trend_of(tasks, len(days))
        behind = [c[TaskStatus.OVERDUE] + c[TaskStatus.LAGGING] for c in trend]
        done = [c[TaskStatus.DONE] for c in trend]
        panels.append(
            Panel(
                title=_("Tasks I lead"),
                template="tasks/panels/leader.html",
                context={
                    "total": len(tasks),
                    "counts": [(s, counts[s], STATUS_BADGE[s]) for s in selectors.LEADER_ORDER],
                    "tasks": shown,
                    "more": len(tasks) - len(shown),
                    "leader": user,
                    "lines": sparklines(
                        [
                            (_("Overdue or lagging"), behind, "spark--bad"),
                            (_("Done"), done, "spark--ok"),
                        ]
                    ),
                    "months": [month_label(day) for day in days],
                    "width": SPARK_WIDTH,
                    "height": SPARK_HEIGHT,
                },
                order=3,
            )
        )
    quarters = selectors.unconfirmed_quarters()
    if quarters:
        for quarter in quarters:
            quarter["url"] = reverse(
                "tasks:assessment",
                query={
                    "list": quarter["task__task_list"],
                    "year": quarter["year"],
                    "quarter": quarter["quarter"],
                },
            )
        panels.append(
            Panel(
                title=_("Quarterly scores to confirm"),
                template="tasks/panels/sign_off.html",
                context={"quarters": quarters},
                order=5,
            )
        )
    return panels
