"""The task lists' sections of the monthly progress report (contributed in apps.py).

Texts are Chinese literals, not translated msgids: the report is always the
committee's Chinese document, whatever the language of the person who asks for it.

Everything is "as of" the last day of the month reported on: the derived status is
computed for that day (and for the previous month's last day, for the comparison on the
summary page), each aspect's and list's progress comes from the reports accepted by then,
follow-ups count as open when they were open that day, and the appendix shows each
task's latest report accepted by then, as it stood then (from the reports' history).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Prefetch, Q
from django.utils import translation

from organisation.models import Unit
from reports.sections import Attention, Chart, KeyFigure, ReportPeriod, Section, Series
from tasks.models import FollowUpItem, ProgressReport, Task, TaskList
from tasks.selectors import (
    ReportThen,
    aspect_progress_as_of,
    instruction_answer,
    instructions_between,
    latest_instructions,
    list_progress_by_month,
    reports_as_of,
    status_counts_by_list,
)
from tasks.status import TaskStatus, due_report_month, report_deadline, status_reason

BY_UNIT_ROWS = 10
REVIEW_WORDS = {
    ProgressReport.Status.SUBMITTED: "月末尚未审核",
    ProgressReport.Status.RETURNED: "月末已退回修改",
}


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


def short_names(lists: list[TaskList]) -> dict[int, str]:
    """A list's name in a chart: its kind (常委会任务清单), numbered when two share one."""
    with translation.override("zh-hans"):
        kinds = Counter(task_list.kind for task_list in lists)
        names, seen = {}, Counter()
        for task_list in lists:
            seen[task_list.kind] += 1
            name = str(task_list.get_kind_display())
            names[task_list.pk] = (
                name if kinds[task_list.kind] == 1 else f"{name}{seen[task_list.kind]}"
            )
    return names


def follow_ups_open_on(day: dt.date):
    """Follow-up items found by ``day`` and not closed by then."""
    return (
        FollowUpItem.objects.filter(visit__visited_on__lte=day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .select_related("visit__leader", "unit", "task__task_list")
        .order_by("due_date", "pk")
    )


def _totals(counts, list_ids: set[int]) -> dict[str, int]:
    totals = dict.fromkeys(TaskStatus.values, 0)
    for task_list, list_counts in counts:
        if task_list.pk in list_ids:
            for status, n in list_counts.items():
                totals[status] += n
    return totals


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else ("持平" if n == 0 else str(n))


def behind_at(as_of: dt.date, lists: list[TaskList]) -> list[Task]:
    """The overdue and lagging tasks at ``as_of`` with why, how many days past their
    deadline (overdue: the task's; lagging: the earliest late milestone's or the missing
    report's, the 25th), the most days first."""
    tasks = list(
        Task.objects.with_status(as_of, reasons=True)
        .filter(task_list__in=lists, status__in=[TaskStatus.OVERDUE, TaskStatus.LAGGING])
        .select_related("task_list", "lead_unit", "lead_leader")
        .prefetch_related(Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")))
        .order_by("task_list__kind", "number")
    )
    report_due = report_deadline(due_report_month(as_of))
    for task in tasks:
        if task.status == TaskStatus.OVERDUE:
            task.days_late = (as_of - task.deadline).days
        else:
            days = []
            if task.late_milestone_due:
                days.append((as_of - task.late_milestone_due).days)
            if task.due_report_missing:
                days.append((as_of - report_due).days)
            task.days_late = max(days, default=0)
        task.reason = status_reason(task, as_of)
    tasks.sort(key=lambda t: (t.status != TaskStatus.OVERDUE, -t.days_late, -t.weight, t.number))
    return tasks


def sections(period: ReportPeriod) -> list[Section]:
    lists = lists_of(period)
    if not lists:
        return []
    as_of, before = period.as_of, period.previous.as_of
    list_ids = {task_list.pk for task_list in lists}
    names = short_names(lists)
    labels = status_labels()
    counts = [
        (tl, c)
        for tl, c in status_counts_by_list(today=as_of, task_lists=lists)
        if tl.pk in list_ids
    ]
    totals = _totals(counts, list_ids)
    previous = _totals(status_counts_by_list(today=before, task_lists=lists), list_ids)
    task_total = sum(totals.values())
    completed_this_month = Task.objects.filter(
        task_list__in=lists, completed_on__gte=period.first_day, completed_on__lte=as_of
    ).count()

    status_rows = [
        {
            "task_list": task_list,
            "counts": [list_counts[s] for s in TaskStatus.values],
            "total": sum(list_counts.values()),
        }
        for task_list, list_counts in counts
    ]
    aspects = [
        {"task_list": task_list, "aspects": aspect_progress_as_of(task_list, as_of)}
        for task_list in lists
    ]

    # Overdue and lagging tasks: days past, % done and the reason from the lead unit's
    # latest report as they stood at month end, the leader's latest instruction by then.
    behind = behind_at(as_of, lists)
    all_tasks = list(
        Task.objects.filter(task_list__in=lists)
        .select_related("task_list", "lead_unit")
        .order_by("task_list__kind", "task_list__title", "number")
    )
    then = reports_as_of(all_tasks, as_of)
    instructions = latest_instructions([t.pk for t in behind], as_of=as_of)
    for task in behind:
        reports = then.get(task.pk, [])
        sent = [r for r in reports if r.status != ProgressReport.Status.RETURNED]
        accepted = [r for r in reports if r.status == ProgressReport.Status.ACCEPTED]
        task.share = accepted[0].percent if accepted else 0
        task.latest_text = sent[0].text if sent else ""
        task.instruction = instructions.get(task.pk)

    # Follow-up items open at this and last month's end.
    follow_ups = list(follow_ups_open_on(as_of))
    follow_ups_before = follow_ups_open_on(before).count()
    overdue_follow_ups = sum(1 for item in follow_ups if item.due_date < as_of)

    # Appendix: each task's latest report accepted by month end, as it stood then, and
    # the exceptions (a newer report returned or unreviewed then; no accepted report).
    appendix = []
    for task_list in lists:
        rows, exceptions, without = [], [], []
        for task in (t for t in all_tasks if t.task_list_id == task_list.pk):
            reports: list[ReportThen] = then.get(task.pk, [])
            accepted = next(
                (r for r in reports if r.status == ProgressReport.Status.ACCEPTED), None
            )
            newer = [r for r in reports if accepted is None or r.month > accepted.month]
            if newer and newer[0].status in REVIEW_WORDS:
                exceptions.append(
                    {"task": task, "report": newer[0], "why": REVIEW_WORDS[newer[0].status]}
                )
            if accepted is None:
                without.append(task)
            if accepted is not None:
                rows.append({"task": task, "report": accepted})
        appendix.append(
            {"task_list": task_list, "rows": rows, "exceptions": exceptions, "without": without}
        )

    # The summary: sentences, figures against last month, attention candidates.
    change = {s: totals[s] - previous[s] for s in TaskStatus.values}
    sentences = [
        f"截至{as_of:%-m}月{as_of:%-d}日，{len(lists)}份任务清单共{task_total}项任务："
        f"本月新完成{completed_this_month}项，累计完成{totals[TaskStatus.DONE]}项；"
        f"正常推进{totals[TaskStatus.ON_TRACK]}项；"
        f"滞后{totals[TaskStatus.LAGGING]}项（较上月{_signed(change[TaskStatus.LAGGING])}），"
        f"逾期{totals[TaskStatus.OVERDUE]}项（较上月{_signed(change[TaskStatus.OVERDUE])}）；"
        f"未启动{totals[TaskStatus.NOT_STARTED]}项。"
    ]
    if follow_ups:
        sentences.append(
            f"督导发现的问题尚有{len(follow_ups)}个待整改"
            f"（上月末{follow_ups_before}个），其中{overdue_follow_ups}个已超过整改期限。"
        )
    attention = [
        Attention(
            days_late=task.days_late,
            weight=task.weight,
            kind="逾期任务",
            title=task.content,
            unit=task.lead_unit.name,
            ref=f"第{task.number}项",
        )
        for task in behind
        if task.status == TaskStatus.OVERDUE
    ]

    def figure(status: TaskStatus, better: str) -> KeyFigure:
        return KeyFigure(
            f"{labels[status]}任务（项）",
            str(totals[status]),
            previous=str(previous[status]),
            better=better,
        )

    key_figures = [
        KeyFigure("清单任务（项）", str(task_total), f"{len(lists)}份清单"),
        KeyFigure(
            "本月新完成任务（项）",
            str(completed_this_month),
            previous=str(
                Task.objects.filter(
                    task_list__in=lists,
                    completed_on__gte=period.previous.first_day,
                    completed_on__lte=before,
                ).count()
            ),
            better="up",
        ),
        figure(TaskStatus.DONE, "up"),
        figure(TaskStatus.ON_TRACK, "up"),
        figure(TaskStatus.LAGGING, "down"),
        figure(TaskStatus.OVERDUE, "down"),
        figure(TaskStatus.NOT_STARTED, "down"),
    ]

    # Charts.
    shown = [
        TaskStatus.DONE,
        TaskStatus.ON_TRACK,
        TaskStatus.LAGGING,
        TaskStatus.OVERDUE,
        TaskStatus.NOT_STARTED,
    ]
    status_chart = Chart(
        title="各清单任务状态",
        kind="stacked",
        categories=[names[tl.pk] for tl, _c in counts],
        series=[Series(labels[s], [c[s] for _tl, c in counts]) for s in shown],
        unit="项",
        order=10,
    )
    months = period.months_of_year()
    progress = list_progress_by_month(lists, [m.as_of for m in months])
    progress_chart = Chart(
        title=f"{period.month.year}年各月末任务完成进度",
        kind="line",
        categories=[f"{m.month.month}月" for m in months],
        series=[Series(names[tl.pk], [p.get(tl.pk, 0) for p in progress]) for tl in lists],
        unit="%",
        max_value=100,
        note="按已审核的进度报告，以任务权重加权。",
        order=20,
    )
    by_unit: dict[str, list[int]] = {}
    for task in behind:
        row = by_unit.setdefault(task.lead_unit.name, [0, 0])
        row[0 if task.status == TaskStatus.OVERDUE else 1] += 1
    unit_rows = sorted(by_unit.items(), key=lambda kv: (-kv[1][0] - kv[1][1], -kv[1][0], kv[0]))
    more_units = max(0, len(unit_rows) - BY_UNIT_ROWS)
    unit_rows = unit_rows[:BY_UNIT_ROWS]
    charts = [status_chart, progress_chart]
    if unit_rows:
        charts.append(
            Chart(
                title="逾期和滞后任务（按牵头单位）",
                kind="stacked",
                categories=[name for name, _n in unit_rows],
                series=[
                    Series(labels[TaskStatus.OVERDUE], [n[0] for _u, n in unit_rows]),
                    Series(labels[TaskStatus.LAGGING], [n[1] for _u, n in unit_rows]),
                ],
                unit="项",
                note=f"另有{more_units}个单位，略。" if more_units else "",
                order=30,
            )
        )

    return [
        Section(
            slug="task-overview",
            title="任务清单总体情况",
            template="tasks/report/task_overview.html",
            context={
                "rows": status_rows,
                "statuses": [labels[s] for s in TaskStatus.values],
                "as_of": as_of,
                "lists": aspects,
            },
            key_figures=key_figures,
            sentences=sentences,
            attention=attention,
            charts=charts,
            order=10,
        ),
        Section(
            slug="behind",
            title="逾期和滞后任务",
            template="tasks/report/behind.html",
            context={"tasks": behind, "labels": labels, "as_of": as_of},
            order=30,
        ),
        Section(
            slug="follow-ups",
            title="督导发现问题整改",
            template="tasks/report/follow_ups.html",
            context={"items": follow_ups, "as_of": as_of},
            key_figures=[
                KeyFigure(
                    "督导问题待整改（个）",
                    str(len(follow_ups)),
                    f"其中{overdue_follow_ups}个已超过整改期限",
                    previous=str(follow_ups_before),
                    better="down",
                )
            ],
            order=40,
        ),
        Section(
            slug="appendix",
            title="附件：各项任务最新进展",
            template="tasks/report/appendix.html",
            context={"lists": appendix, "as_of": as_of},
            order=900,
        ),
    ] + instruction_sections(period)


def instruction_sections(period: ReportPeriod) -> list[Section]:
    """领导批示: the month's instructions (and earlier ones still unanswered at its start)
    with the units' answers as they stood at the month's end."""
    instructions = instructions_between(period.first_day, period.as_of)
    if not instructions:
        return []
    rows = []
    for instruction in instructions:
        handover = instruction.handover
        answer = instruction_answer(instruction, period.as_of)
        rated = (
            handover is not None
            and handover.rating
            and handover.closed_on is not None
            and handover.closed_on <= period.as_of
        )
        with translation.override("zh-hans"):
            rating = str(handover.get_rating_display()) if rated and handover else ""
        rows.append(
            {
                "instruction": instruction,
                "answer": answer,
                "answered_on": handover.answered_on if answer and handover else None,
                "due_on": handover.due_on if handover else None,
                "late": not answer and handover is not None and handover.due_on < period.as_of,
                "rating": rating,
            }
        )
    written = sum(1 for i in instructions if i.written_on >= period.first_day)
    answered = sum(1 for row in rows if row["answer"])
    return [
        Section(
            slug="instructions",
            title="领导批示",
            template="tasks/report/instructions.html",
            context={"rows": rows, "as_of": period.as_of},
            key_figures=[KeyFigure("本月领导批示（条）", str(written), f"月末已答复{answered}条")],
            order=35,
        )
    ]
