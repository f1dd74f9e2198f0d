"""The task lists' sections of the monthly progress report (contributed in apps.py).

Texts are Chinese literals, not translated msgids: the report is always the
committee's Chinese document, whatever the language of the person who asks for it.

Everything is "as of" the last day of the month reported on: the derived status is
computed for that day, each aspect's progress comes from the reports accepted by then,
follow-ups count as open when they were open that day, and the appendix shows each
task's latest report up to that month.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import translation

from reports.sections import KeyFigure, ReportPeriod, Section
from tasks.models import FollowUpItem, TaskList
from tasks.selectors import (
    aspect_progress_as_of,
    behind_tasks,
    latest_reports,
    status_counts_by_list,
)
from tasks.status import TaskStatus


def status_labels() -> dict[str, str]:
    """The statuses' own labels (tasks.status.TaskStatus), in Chinese whatever the
    language of the person who asked for the document."""
    with translation.override("zh-hans"):
        return {status.value: str(status.label) for status in TaskStatus}


def lists_of(period: ReportPeriod) -> list[TaskList]:
    """The lists of the report's year (the latest year's when that year has none)."""
    lists = list(TaskList.objects.filter(year=period.month.year).order_by("kind", "title"))
    if lists:
        return lists
    latest = TaskList.objects.filter(year__lt=period.month.year).order_by("-year").first()
    return list(TaskList.objects.filter(year=latest.year)) if latest else []


def follow_ups_open_on(period: ReportPeriod):
    """Follow-up items found by the month's end and not closed by then."""
    return (
        FollowUpItem.objects.filter(visit__visited_on__lte=period.as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=period.as_of))
        .select_related("visit__leader", "unit", "task__task_list")
        .order_by("due_date", "pk")
    )


def sections(period: ReportPeriod) -> list[Section]:
    lists = lists_of(period)
    if not lists:
        return []
    list_ids = {task_list.pk for task_list in lists}
    counts = [(tl, c) for tl, c in status_counts_by_list(today=period.as_of) if tl.pk in list_ids]
    totals = dict.fromkeys(TaskStatus.values, 0)
    for _list, list_counts in counts:
        for status, n in list_counts.items():
            totals[status] += n
    task_total = sum(totals.values())
    labels = status_labels()
    status_rows = [
        {
            "task_list": task_list,
            "counts": [list_counts[s] for s in TaskStatus.values],
            "total": sum(list_counts.values()),
        }
        for task_list, list_counts in counts
    ]
    aspects = [
        {"task_list": task_list, "aspects": aspect_progress_as_of(task_list, period.as_of)}
        for task_list in lists
    ]
    behind = list(behind_tasks(today=period.as_of).filter(task_list__in=lists))
    follow_ups = list(follow_ups_open_on(period))
    overdue_follow_ups = sum(1 for item in follow_ups if item.due_date < period.as_of)
    appendix = [
        {"task_list": task_list, "reports": list(latest_reports(task_list, until=period.month))}
        for task_list in lists
    ]
    return [
        Section(
            slug="task-overview",
            title="任务清单总体情况",
            template="tasks/report/task_overview.html",
            context={
                "rows": status_rows,
                "statuses": [labels[s] for s in TaskStatus.values],
                "as_of": period.as_of,
            },
            key_figures=[
                KeyFigure("项清单任务", str(task_total), f"{len(lists)}份清单"),
                *(
                    KeyFigure(labels[status], str(totals[status]))
                    for status in (
                        TaskStatus.DONE,
                        TaskStatus.ON_TRACK,
                        TaskStatus.LAGGING,
                        TaskStatus.OVERDUE,
                        TaskStatus.NOT_STARTED,
                    )
                ),
            ],
            order=10,
        ),
        Section(
            slug="aspects",
            title="各方面工作进展",
            template="tasks/report/aspects.html",
            context={"lists": aspects},
            order=20,
        ),
        Section(
            slug="behind",
            title="逾期和滞后任务",
            template="tasks/report/behind.html",
            context={"tasks": behind, "labels": labels},
            order=30,
        ),
        Section(
            slug="follow-ups",
            title="督导发现问题整改",
            template="tasks/report/follow_ups.html",
            context={"items": follow_ups, "as_of": period.as_of},
            key_figures=[
                KeyFigure(
                    "个督导问题待整改",
                    str(len(follow_ups)),
                    f"其中{overdue_follow_ups}个已超过整改期限",
                )
            ],
            order=40,
        ),
        Section(
            slug="appendix",
            title="附件：各项任务最新进展",
            template="tasks/report/appendix.html",
            context={"lists": appendix},
            order=900,
        ),
    ]
