"""Reminder sweeps of the task lists (DESIGN.md, "Jobs"): monthly progress due on the 25th,
milestones and deadlines 7 days and 1 day away, overdue escalation to the lead leader,
and the Monday weekly dispatch digest 周调度.

Each reminder is one ``INSERT ... SELECT`` through :mod:`notifications.sweeps`; keys name
what is reminded about (and the date it is about), so any number of sweeps, beat
processes or retries records and sends each reminder once. The texts are Chinese:
they are the committee's messages, sent in the portal's language.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone, translation

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
from organisation.roles import OFFICE, Role
from tasks.models import Milestone, ProgressReport, Task
from tasks.selectors import status_counts
from tasks.status import REPORT_DUE_DAY, TaskStatus

# Monthly progress reminders go out from this day of the month until the 25th.
PROGRESS_REMINDER_FROM_DAY = 20
COUNTED = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]


def _open_tasks() -> QuerySet[Task]:
    return Task.objects.filter(completed_on__isnull=True)


def _to_unit_contacts(queryset: QuerySet, unit_path: str) -> QuerySet:
    """One row per (object, active contact of the unit at ``unit_path``).

    Every ``n_*`` column and the role filter go through annotations so Django reuses
    one join to the contacts instead of adding a second.
    """
    return queryset.annotate(
        n_user=F(f"{unit_path}__contacts__pk"),
        r_role=F(f"{unit_path}__contacts__role"),
        r_active=F(f"{unit_path}__contacts__is_active"),
    ).filter(r_role=Role.UNIT, r_active=True)


def progress_due(today: dt.date) -> int:
    """From the 20th to the 25th: units whose month's report is missing for an open task."""
    if not PROGRESS_REMINDER_FROM_DAY <= today.day <= REPORT_DUE_DAY:
        return 0
    month = today.replace(day=1)
    report_in = ProgressReport.objects.filter(
        task=OuterRef("pk"), unit=OuterRef(OuterRef("unit")), month=month, status__in=COUNTED
    )
    owes = (
        _open_tasks()
        .filter(task_list__reports_start__lte=month)
        .filter(
            Q(lead_unit=OuterRef("unit"))
            | Q(
                pk__in=Task.cooperating_units.through.objects.filter(
                    unit=OuterRef(OuterRef("unit"))
                ).values("task")
            )
        )
        .filter(~Exists(report_in))
    )
    users = get_user_model().objects.filter(role=Role.UNIT, is_active=True, unit__isnull=False)
    candidates = users.filter(Exists(owes)).annotate(
        n_user=F("pk"),
        n_key=text(f"progress-due:{month:%Y-%m}"),
        n_title=text(f"请于{month.month}月{REPORT_DUE_DAY}日前报送{month.month}月工作进度"),
        n_body=text(
            f"本单位牵头或配合的任务中，仍有{month.month}月进度未报送。"
            f"请在{month.month}月{REPORT_DUE_DAY}日前登录平台填报完成情况并上传佐证材料。"
        ),
        n_url=url("tasks:index"),
    )
    return record(Kind.PROGRESS_DUE, candidates)


def deadlines_due(today: dt.date) -> int:
    """Deadlines and milestones 7 days and 1 day away: one statement per stage and kind."""
    sent = 0
    for stage in ("7", "1"):
        days = window_days(today, stage)
        tasks = _to_unit_contacts(
            _open_tasks().filter(is_long_term=False, deadline__in=days), "lead_unit"
        ).annotate(
            n_key=text(
                f"deadline-due-{stage}:", column("pk"), ":", on_day("deadline", days, iso_date)
            ),
            n_title=text(
                "任务到期提醒：第",
                column("number"),
                "项将于",
                on_day("deadline", days, long_date),
                "到期",
            ),
            n_body=text(Substr("content", 1, 200)),
            n_url=url("tasks:task", "pk"),
        )
        sent += record(Kind.DEADLINE_DUE, tasks)
        milestones = _to_unit_contacts(
            Milestone.objects.filter(
                done_on__isnull=True, due_date__in=days, task__completed_on__isnull=True
            ),
            "task__lead_unit",
        ).annotate(
            n_key=text(
                f"milestone-due-{stage}:", column("pk"), ":", on_day("due_date", days, iso_date)
            ),
            n_title=text(
                "节点到期提醒：第",
                column("task__number"),
                "项任务的节点将于",
                on_day("due_date", days, long_date),
                "到期",
            ),
            n_body=text(column("title")),
            n_url=url("tasks:task", "task_id"),
        )
        sent += record(Kind.MILESTONE_DUE, milestones)
    return sent


def overdue_escalation(today: dt.date) -> int:
    """Tasks past their deadline and not done, escalated once (per deadline) to the lead leader."""
    candidates = (
        _open_tasks()
        .filter(is_long_term=False, deadline__lt=today, lead_leader__is_active=True)
        .annotate(
            n_user=F("lead_leader_id"),
            n_key=text("overdue:", column("pk"), ":", column("deadline")),
            n_title=text("逾期督办：第", column("number"), "项任务已超过完成期限"),
            n_body=text(
                "牵头单位：", column("lead_unit__name"), "。任务内容：", Substr("content", 1, 200)
            ),
            n_url=url("tasks:task", "pk"),
        )
    )
    return record(Kind.OVERDUE, candidates)


def weekly_digest(today: dt.date) -> int:
    """周调度: every Monday (or the first sweep of the ISO week), to staff and leaders."""
    year, week, _ = today.isocalendar()
    counts = status_counts(today=today)
    labels = dict(TaskStatus.choices)
    summary = "；".join(f"{labels[s]}{counts[s]}项" for s in TaskStatus.values)
    monday = today - dt.timedelta(days=today.weekday())
    candidates = (
        get_user_model()
        .objects.filter(role__in=OFFICE, is_active=True)
        .annotate(
            n_user=F("pk"),
            n_key=text(f"weekly-digest:{year}-W{week:02d}"),
            n_title=text(f"周调度：{long_date(monday)}当周任务推进情况"),
            n_body=text(f"截至{long_date(today)}，{summary}。请关注逾期和滞后任务。"),
            n_url=url("tasks:index"),
        )
    )
    return record(Kind.WEEKLY_DIGEST, candidates)


def sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Every task-list reminder due on ``today`` (a local date in Asia/Shanghai)."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "progress_due": progress_due(today),
            "deadlines": deadlines_due(today),
            "overdue": overdue_escalation(today),
            "weekly_digest": weekly_digest(today),
        }
