"""Reads of the task lists, with their joins applied so a page's query count never grows
with the size of the list. The monthly PDF (reports app) reuses the ones marked "PDF"."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator

from handovers.models import Handover
from organisation.models import Unit, User
from organisation.roles import Role
from tasks.models import (
    Aspect,
    Assessment,
    Evidence,
    FollowUpItem,
    Instruction,
    Milestone,
    ProgressReport,
    SupervisionVisit,
    Task,
    TaskList,
    TaskQuerySet,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations
from tasks.status import TaskStatus, due_report_month, open_on, report_in, status_expression


def task_lists_for(user: User) -> QuerySet[TaskList]:
    """The lists with at least one task the user may see (office roles: every list)."""
    lists = TaskList.objects.order_by("-year", "kind", "title")
    if user.sees_everything:
        return lists
    return lists.filter(pk__in=Task.objects.visible_to(user).values("task_list"))


def tasks_for(
    user: User,
    *,
    today: datetime.date,
    task_list: TaskList | None = None,
    aspect: Aspect | None = None,
    unit: Unit | None = None,
    status: str = "",
    leader: User | None = None,
    text: str = "",
) -> QuerySet[Task]:
    """Tasks the user may see, filtered, with their status and everything a row shows."""
    within = None if task_list is None else Q(task_list=task_list)
    tasks = (
        Task.objects.visible_to(user, within=within)
        .with_status(today)
        .select_related("task_list", "aspect", "lead_unit", "lead_leader")
        .prefetch_related(Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")))
        .order_by("task_list", "aspect__number", "number")
    )
    if aspect is not None:
        tasks = tasks.filter(aspect=aspect)
    if unit is not None:
        tasks = tasks.filter(
            Q(lead_unit=unit)
            | Q(pk__in=Task.cooperating_units.through.objects.filter(unit=unit).values("task_id"))
        )
    if status:
        tasks = tasks.filter(status=status)
    if leader is not None:
        tasks = tasks.filter(lead_leader=leader)
    if text:
        tasks = tasks.filter(Q(content__icontains=text) | Q(expected_result__icontains=text))
    return tasks


@dataclass(slots=True)
class TaskRow:
    """One row of /tasks/, read as values: the list shows 84 to 218 tasks, and building
    each as five model instances (the task, its list, aspect, lead unit and leader) cost
    the page more than its queries did. The view adds what only it knows (addresses,
    labels)."""

    pk: int
    number: int
    aspect_id: int
    content: str  # cut at 90 characters, as the row shows it
    lead_unit: str
    leader: str  # the lead leader's display name, "" without one
    deadline: datetime.date | None
    is_long_term: bool
    percent_done: int
    status: str
    coop: str = ""  # the cooperating units, named as a unit is everywhere (short name first)
    # The view's: the addresses, the status's label and badge, the deadline as a date.
    url: str = ""
    report_url: str = ""
    status_label: str = ""
    badge: str = ""
    due_label: str = ""


def task_rows(tasks: TaskQuerySet) -> list[TaskRow]:
    """The rows of ``tasks`` (a :func:`tasks_for` queryset) in its order: one query for the
    rows and one for the cooperating units."""
    rows = [
        TaskRow(
            pk=pk,
            number=number,
            aspect_id=aspect_id,
            content=Truncator(content).chars(90),
            lead_unit=lead_unit,
            leader=User.name_from(*leader) if leader[3] else "",
            deadline=deadline,
            is_long_term=long_term,
            percent_done=percent,
            status=status,
        )
        for (
            pk,
            number,
            aspect_id,
            content,
            lead_unit,
            *leader,
            deadline,
            long_term,
            percent,
            status,
        ) in tasks.prefetch_related(None).values_list(
            "pk",
            "number",
            "aspect_id",
            "content",
            Unit.label("lead_unit__"),
            "lead_leader__full_name",
            "lead_leader__first_name",
            "lead_leader__last_name",
            "lead_leader__username",
            "deadline",
            "is_long_term",
            "percent_done",
            "status",
        )
    ]
    by_pk = {row.pk: row for row in rows}
    if by_pk:
        helpers: dict[int, list[str]] = {}
        through = Task.cooperating_units.through.objects.filter(task_id__in=list(by_pk))
        for task_id, name in through.order_by("unit__name").values_list(
            "task_id", Unit.label("unit__")
        ):
            helpers.setdefault(task_id, []).append(name)
        for task_id, names in helpers.items():
            by_pk[task_id].coop = "、".join(names)
    return rows


@dataclass
class AspectGroup:
    aspect: Aspect
    tasks: list[TaskRow] = field(default_factory=list)
    progress: int = 0  # weighted % done of every task of the aspect (not only those shown)
    task_count: int = 0


class AspectTotals(TypedDict):
    task_count: int
    progress: int | None  # None: no task of the aspect has a weight


def group_by_aspect(
    tasks: list[TaskRow], aspects: Iterable[WithAnnotations[Aspect, AspectTotals]]
) -> list[AspectGroup]:
    groups: OrderedDict[int, AspectGroup] = OrderedDict()
    for aspect in aspects:
        groups[aspect.pk] = AspectGroup(
            aspect=aspect, progress=aspect.progress or 0, task_count=aspect.task_count
        )
    for task in tasks:
        if task.aspect_id in groups:
            groups[task.aspect_id].tasks.append(task)
    return [g for g in groups.values() if g.tasks]


def aspect_progress(
    task_list: TaskList, user: User | None = None
) -> QuerySet[WithAnnotations[Aspect, AspectTotals]]:
    """PDF. Each aspect with ``task_count`` and ``progress`` (% done weighted by task weight)."""
    scope = Q()
    if user is not None and not user.sees_everything:
        # The visible tasks of this list only: a subquery over the list's own tasks, not
        # over every task the person may see in every year.
        visible = Task.objects.visible_to(user, within=Q(task_list=task_list))
        scope = Q(tasks__in=visible.values("pk"))
    return (
        Aspect.objects.filter(task_list=task_list)
        .annotate(
            task_count=Count("tasks", filter=scope),
            weighted=Sum(F("tasks__percent_done") * F("tasks__weight"), filter=scope),
            weights=Sum("tasks__weight", filter=scope),
        )
        .annotate(progress=F("weighted") / F("weights"))
        .order_by("number")
    )


def share_as_of(as_of: datetime.date) -> Coalesce:
    """A task's share done (%) as known at the end of ``as_of``, an expression on ``Task``:
    its lead unit's latest report accepted by then (of that month or before), 0 without
    one — not today's ``Task.percent_done``."""
    end = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    )
    accepted = (
        ProgressReport.objects.filter(
            task=OuterRef("pk"),
            unit=OuterRef("lead_unit"),
            status=ProgressReport.Status.ACCEPTED,
            month__lte=as_of.replace(day=1),
        )
        .filter(Q(reviewed_at__lt=end) | Q(reviewed_at__isnull=True))
        .order_by("-month")
    )
    return Coalesce(Subquery(accepted.values("percent")[:1]), 0)


def aspect_progress_as_of(
    task_list: TaskList, as_of: datetime.date
) -> list[WithAnnotations[Aspect, AspectTotals]]:
    """PDF. Each aspect with ``task_count`` and ``progress`` as known at the end of ``as_of``.

    A task's share done is its lead unit's latest report accepted by then (of that month
    or before), not today's ``Task.percent_done``: March's report shows March's progress
    even when it is made again in May. Two queries, whatever the size of the list.
    """
    rows = (
        Task.objects.filter(task_list=task_list)
        .annotate(share=share_as_of(as_of))
        .values_list("aspect_id", "weight", "share")
    )
    totals: dict[int, list[int]] = {}
    for aspect_id, weight, share in rows:
        count, weighted, weights = totals.get(aspect_id, [0, 0, 0])
        totals[aspect_id] = [count + 1, weighted + share * weight, weights + weight]
    aspects = cast(
        "list[WithAnnotations[Aspect, AspectTotals]]",
        list(Aspect.objects.filter(task_list=task_list).order_by("number")),
    )
    for aspect in aspects:  # given the two attributes here
        count, weighted, weights = totals.get(aspect.pk, [0, 0, 0])
        aspect.task_count = count
        aspect.progress = weighted // weights if weights else None
    return aspects


def status_counts(
    *, today: datetime.date, task_list: TaskList | None = None, user: User | None = None
) -> dict[str, int]:
    """PDF. How many tasks have each status (every status present, zeros included)."""
    within = Q() if task_list is None else Q(task_list=task_list)
    tasks = (
        Task.objects.filter(within)
        if user is None
        else Task.objects.visible_to(user, within=within)
    )
    rows = (
        tasks.with_status(today)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(TaskStatus.values, 0)
    counts.update(dict(rows))
    return counts


def status_counts_by_list(
    *,
    today: datetime.date,
    task_lists: Iterable[TaskList] | None = None,
    user: User | None = None,
) -> list[tuple[TaskList, dict[str, int]]]:
    """PDF and home page. The status counts of each of ``task_lists`` (every list of the
    latest year unless given; of the tasks ``user`` sees, when given), in one query: the
    rule runs over those lists' tasks only, however many years are kept."""
    tasks = Task.objects.all() if user is None else Task.objects.visible_to(user)
    if task_lists is None:
        # MAX as a plain function (no GROUP BY): one pass over the tasks seen, where
        # ORDER BY … LIMIT 1 let the planner try list after list (70 ms in a province).
        latest = tasks.order_by().values(year=Func(F("task_list__year"), function="MAX"))
        within = Q(task_list__year=Subquery(latest))
    else:
        within = Q(task_list__in=list(task_lists))
    # The lists chosen first: the scope and the rule look at their tasks only.
    tasks = (
        Task.objects.filter(within)
        if user is None
        else Task.objects.visible_to(user, within=within)
    )
    # The lists' own columns ride along, so the lists need no query of their own.
    columns = [f.attname for f in TaskList._meta.concrete_fields]
    rows = (
        tasks.with_status(today)
        .order_by()
        .values(*[f"task_list__{name}" for name in columns], "status")
        .annotate(n=Count("pk"))
    )
    lists: dict[int, TaskList] = {}
    by_list: dict[int, dict[str, int]] = {}
    for row in rows:
        pk = row["task_list__id"]
        if pk not in lists:
            lists[pk] = TaskList(**{name: row[f"task_list__{name}"] for name in columns})
            by_list[pk] = dict.fromkeys(TaskStatus.values, 0)
        by_list[pk][row["status"]] = row["n"]
    ordered = sorted(lists.values(), key=lambda tl: (-tl.year, tl.kind, tl.title))
    return [(task_list, by_list[task_list.pk]) for task_list in ordered]


def behind_tasks(
    *, today: datetime.date, task_list: TaskList | None = None, user: User | None = None
) -> QuerySet[Task]:
    """PDF and home page. Overdue and lagging tasks with their units and leader; the rule
    runs over the tasks not finished by ``today`` only (a finished task is never behind)."""
    within = open_on(today) & (Q() if task_list is None else Q(task_list=task_list))
    # The open tasks chosen first: the scope looks at those only.
    tasks = (
        Task.objects.filter(within)
        if user is None
        else Task.objects.visible_to(user, within=within)
    )
    return (
        tasks.with_status(today)
        .filter(status__in=[TaskStatus.OVERDUE, TaskStatus.LAGGING])
        .select_related("task_list", "aspect", "lead_unit", "lead_leader")
        .prefetch_related(Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")))
        .order_by("deadline", "task_list", "number")
    )


def open_follow_ups(user: User | None = None) -> QuerySet[FollowUpItem]:
    """PDF and the supervision work list. Open follow-up items, the earliest due first,
    each with its handover's ``handover_id`` and ``handover_state``."""
    items = FollowUpItem.objects.all() if user is None else FollowUpItem.objects.visible_to(user)
    handover = Handover.objects.filter(
        kind="follow_up",
        subject_type=ContentType.objects.get_for_model(FollowUpItem),
        subject_id=OuterRef("pk"),
    ).order_by("-pk")
    return (
        items.open()
        .select_related("visit__leader", "unit", "task__task_list")
        .annotate(
            handover_id=Subquery(handover.values("pk")[:1]),
            handover_state=Subquery(handover.values("state")[:1]),
        )
        .order_by("due_date", "pk")
    )


def latest_reports(
    task_list: TaskList, until: datetime.date | None = None
) -> QuerySet[ProgressReport]:
    """PDF. Each task's latest report from its lead unit, of the month ``until`` or before
    when given (tasks without one are absent)."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk"), unit=OuterRef("lead_unit"))
    if until is not None:
        latest = latest.filter(month__lte=until)
    ids = (
        Task.objects.filter(task_list=task_list)
        .annotate(report_id=Subquery(latest.order_by("-month", "-pk").values("pk")[:1]))
        .exclude(report_id=None)
        .values("report_id")
    )
    return (
        ProgressReport.objects.filter(pk__in=ids)
        .select_related("task__aspect", "unit", "submitted_by", "reviewed_by")
        .order_by("task__aspect__number", "task__number")
    )


@dataclass(frozen=True)
class ReportThen:
    """A lead unit's report as it stood at the end of a day (from its history)."""

    task_id: int
    unit_id: int
    month: datetime.date
    text: str
    percent: int
    status: str


def reports_as_of(tasks: Iterable[Task], as_of: datetime.date) -> dict[int, list[ReportThen]]:
    """PDF. Each task's lead-unit reports as they stood at the end of ``as_of`` (text,
    percent and review status then), newest month first, for the months up to
    ``as_of``'s; two queries. A report's history says how it stood; a report without
    history by then (written in bulk, or its history kept only from a later edit) is
    read from its own dates as :func:`share_as_of` does: there when sent by then (or
    undated), accepted when reviewed by then (or undated), else still unreviewed."""
    lead = {task.pk: task.lead_unit_id for task in tasks}
    end = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    )
    fields = ("id", "task_id", "unit_id", "month", "text", "percent", "status")
    rows = (
        ProgressReport.history.filter(
            task_id__in=list(lead), history_date__lt=end, month__lte=as_of.replace(day=1)
        )
        .order_by("id", "history_date", "history_id")
        .values_list(*fields, "history_type")
    )
    then: dict[int, tuple] = {}
    for row in rows:  # the last version of each report by then wins
        then[row[0]] = row
    current = ProgressReport.objects.filter(
        task__in=list(lead), month__lte=as_of.replace(day=1)
    ).values_list(*fields, "submitted_at", "reviewed_at")
    for *values, submitted_at, reviewed_at in current:
        if values[0] in then or (submitted_at is not None and submitted_at >= end):
            continue
        status = values[-1]
        if status == ProgressReport.Status.ACCEPTED and reviewed_at and reviewed_at >= end:
            status = ProgressReport.Status.SUBMITTED
        then[values[0]] = (*values[:-1], status, "~")
    by_task: dict[int, list[ReportThen]] = {}
    for _pk, task_id, unit_id, month, text, percent, status, kind in then.values():
        if kind == "-" or unit_id != lead[task_id]:
            continue
        by_task.setdefault(task_id, []).append(
            ReportThen(task_id, unit_id, month, text, percent, status)
        )
    for reports in by_task.values():
        reports.sort(key=lambda r: r.month, reverse=True)
    return by_task


def list_progress_by_month(
    lists: Iterable[TaskList], days: list[datetime.date]
) -> list[dict[int, int]]:
    """PDF. Each list's share done (%, weighted by task weight) as known at the end of
    each of ``days`` (the rule of :func:`share_as_of`: the lead unit's latest report
    accepted by then, of that month or before); two queries however many days."""
    tasks = list(
        Task.objects.filter(task_list__in=list(lists)).values_list(
            "pk", "task_list_id", "weight", "lead_unit_id"
        )
    )
    last = max(days, default=datetime.date.min)
    reports = (
        ProgressReport.objects.filter(
            task__in=[pk for pk, *_rest in tasks],
            status=ProgressReport.Status.ACCEPTED,
            month__lte=last.replace(day=1),
        )
        .order_by("-month")
        .values_list("task_id", "unit_id", "month", "percent", "reviewed_at")
    )
    lead = {pk: unit for pk, _list, _weight, unit in tasks}
    by_task: dict[int, list[tuple]] = {}
    for task_id, unit_id, month, percent, reviewed_at in reports:
        if unit_id == lead[task_id]:
            by_task.setdefault(task_id, []).append((month, percent, reviewed_at))
    result = []
    for day in days:
        end = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        )
        totals: dict[int, list[int]] = {}
        for pk, list_id, weight, _unit in tasks:
            share = next(
                (
                    percent
                    for month, percent, reviewed_at in by_task.get(pk, ())
                    if month <= day.replace(day=1) and (reviewed_at is None or reviewed_at < end)
                ),
                0,
            )
            weighted, weights = totals.get(list_id, [0, 0])
            totals[list_id] = [weighted + share * weight, weights + weight]
        result.append({pk: (w // ws if ws else 0) for pk, (w, ws) in totals.items()})
    return result


def task_page(user: User, pk: int) -> QuerySet[Task]:
    """One task with everything its page shows, for ``get_visible_or_404``."""
    return (
        Task.objects.filter(pk=pk)
        .select_related("task_list", "aspect", "lead_unit", "lead_leader")
        .prefetch_related(
            Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related(
                    "unit", "submitted_by", "reviewed_by"
                )
                .prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
                )
                .order_by("-month", "unit__name"),
            ),
            Prefetch(
                "follow_ups",
                queryset=FollowUpItem.objects.select_related("visit__leader", "unit")
                .prefetch_related("evidence")
                .order_by("due_date"),
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("confirmed_by").order_by(
                    "year", "quarter"
                ),
            ),
        )
    )


def report_timeline(task: Task) -> QuerySet:
    """Every submission and review of the task's reports, oldest first (from their history)."""
    return (
        ProgressReport.history.filter(task_id=task.pk)
        .select_related("history_user", "unit")
        .order_by("history_date")
    )


def reports_of(*, task: Task, unit: Unit) -> QuerySet[ProgressReport]:
    """A unit's reports on a task, the latest month first."""
    return ProgressReport.objects.filter(task=task, unit=unit).order_by("-month")


def review_queue(user: User, *, unit: Unit | None = None) -> QuerySet[ProgressReport]:
    """Submitted reports waiting for staff, the oldest first (of one unit when given), each
    with ``previous_percent``: the unit's latest accepted report on the task before this
    month (None: there is none), so a row shows the step from it to the new figure."""
    previous = ProgressReport.objects.filter(
        task=OuterRef("task"),
        unit=OuterRef("unit"),
        status=ProgressReport.Status.ACCEPTED,
        month__lt=OuterRef("month"),
    ).order_by("-month")
    reports = (
        ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED)
        .visible_to(user)
        .annotate(previous_percent=Subquery(previous.values("percent")[:1]))
        .select_related("task__task_list", "task__lead_unit", "unit", "submitted_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
        .order_by("submitted_at", "pk")
    )
    if unit is not None:
        reports = reports.filter(unit=unit)
    return reports


def review_queue_units(user: User) -> QuerySet[Unit]:
    """The units with a report waiting for review: the choices of the queue's filter."""
    waiting = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).visible_to(user)
    return Unit.objects.filter(pk__in=waiting.values("unit")).order_by("name")


def reviewed_today(user: User, *, today: datetime.date) -> int:
    """How many reports ``user`` reviewed today: the queue's running count."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return ProgressReport.objects.filter(reviewed_by=user, reviewed_at__gte=start).count()


def reports_due_for(user: User, *, today: datetime.date) -> QuerySet[Task]:
    """For a unit contact: unfinished tasks with a report of their unit to make, each with
    ``gap_month``, the month to report (the month now due when it is not in, else the
    earliest month returned to them), and ``returned_month``.

    The month now due and whether it is in are the status rule's (``tasks.status.report_in``
    with the contact's unit): on a task the unit leads, an item here for the month now due
    is exactly the report whose absence makes the task lag. A returned report is due again.
    """
    if user.role != Role.UNIT or not user.unit_id:
        return Task.objects.none()
    month = due_report_month(today)
    returned = ProgressReport.objects.filter(
        task=OuterRef("pk"), unit=user.unit_id, status=ProgressReport.Status.RETURNED
    ).order_by("month")
    due_missing = Q(task_list__reports_start__lte=month) & ~Q(report_in(today, unit=user.unit_id))
    return (
        Task.objects.visible_to(user)
        .filter(completed_on__isnull=True)
        .annotate(
            due_missing=ExpressionWrapper(due_missing, output_field=BooleanField()),
            returned_month=Subquery(returned.values("month")[:1]),
        )
        .filter(Q(due_missing=True) | Q(returned_month__isnull=False))
        .annotate(
            gap_month=Case(
                When(due_missing=True, then=Value(month)),
                default=F("returned_month"),
                output_field=DateField(),
            )
        )
        .select_related("task_list", "lead_unit")
        .order_by("gap_month", "task_list", "number")
    )


def supervision_visits() -> QuerySet[SupervisionVisit]:
    return (
        SupervisionVisit.objects.select_related("leader")
        .annotate(
            item_count=Count("items", distinct=True),
            open_count=Count("items", filter=Q(items__closed_on__isnull=True), distinct=True),
        )
        .order_by("-visited_on", "-pk")
    )


def last_finished_quarter(today: datetime.date) -> tuple[int, int]:
    """The year and quarter that ended last before ``today``: on 6 December 2026 the
    third quarter of 2026, on 15 February 2027 the fourth of 2026."""
    quarter = (today.month - 1) // 3  # the quarter running today is this + 1
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def quarter_end(year: int, quarter: int) -> datetime.date:
    """The last day of a quarter (31 March, 30 June, 30 September, 31 December)."""
    first_of_next = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    )
    return first_of_next - datetime.timedelta(days=1)


def assessments_for(task_list: TaskList, *, year: int, quarter: int) -> QuerySet[Task]:
    """The list's tasks, each with ``quarter_scores`` (a list of at most one Assessment),
    and, as of the quarter's last day, ``status`` (the rule of :mod:`tasks.status`) and
    ``share`` (% done, :func:`share_as_of`): what the scores are about."""
    end = quarter_end(year, quarter)
    return (
        Task.objects.filter(task_list=task_list)
        .with_status(end)
        .annotate(share=share_as_of(end))
        .select_related("aspect", "lead_unit")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(year=year, quarter=quarter).select_related(
                    "confirmed_by"
                ),
                to_attr="quarter_scores",
            )
        )
        .order_by("aspect__number", "number")
    )


def unit_ranking(task_list: TaskList, *, year: int, quarter: int | None = None) -> list[dict]:
    """Units ranked by their scores for a quarter (or the whole year), each task's total
    counted by the task's weight: ``average`` is Σ(total × weight) / Σ weight, so a unit's
    heavy task weighs more than its light one. ``tasks`` counts the unit's scored tasks,
    ``scored`` its scores (a task scored in three quarters counts three times in the year)."""
    scores = Assessment.objects.filter(task__task_list=task_list, year=year)
    if quarter is not None:
        scores = scores.filter(quarter=quarter)
    rows = list(
        scores.values("unit", "unit__name", "unit__short_name")
        .annotate(
            weighted=Sum(F("total") * F("task__weight")),
            weights=Sum("task__weight"),
            tasks=Count("task", distinct=True),
            scored=Count("pk"),
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        )
        .order_by("unit__name")
    )
    for row in rows:
        row["average"] = round(row["weighted"] / row["weights"], 1)
    rows.sort(key=lambda row: -row["average"])  # stable: equal averages stay by name
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["average"] != previous:  # equal averages share a rank
            rank, previous = position, row["average"]
        row["rank"] = rank
    return rows


# --- Leaders' instructions 批示 ------------------------------------------------------------


def _instructions() -> QuerySet[Instruction]:
    return Instruction.objects.select_related("leader", "handover", "task__lead_unit").order_by(
        "task_id", "-written_on", "-pk"
    )


def latest_instructions(
    task_ids: Iterable[int], *, as_of: datetime.date | None = None
) -> dict[int, Instruction]:
    """PDF. The latest instruction written on each task (by ``as_of`` when given), keyed by
    task id, with ``leader`` and ``handover`` (its ``state``, ``answer``, ``answered_on``)
    joined; one query. ``instruction_answer(instruction, as_of)`` says what had been
    answered by then."""
    instructions = _instructions().filter(task__in=list(task_ids))
    if as_of is not None:
        instructions = instructions.filter(written_on__lte=as_of)
    latest: dict[int, Instruction] = {}
    for instruction in instructions:
        latest.setdefault(instruction.task_id, instruction)
    return latest


def instructions_between(start: datetime.date, end: datetime.date) -> list[Instruction]:
    """PDF. The instructions of a month: written from ``start`` to ``end``, or earlier and
    not answered before ``start``; oldest first, each with its leader, handover, task and
    lead unit (one query)."""
    open_then = Q(handover__answered_on__isnull=True) | Q(handover__answered_on__gte=start)
    return list(
        _instructions()
        .filter(Q(written_on__gte=start) | open_then, written_on__lte=end)
        .order_by("written_on", "pk")
    )


def instruction_answer(instruction: Instruction, as_of: datetime.date | None = None) -> str:
    """The unit's answer as it stood on ``as_of`` ("" when not answered by then)."""
    handover = instruction.handover
    if handover is None or not handover.answer or handover.answered_on is None:
        return ""
    if as_of is not None and handover.answered_on > as_of:
        return ""
    return handover.answer


def instructions_of(task: Task) -> list[Instruction]:
    """The task page: every instruction on the task, newest first, with its handover."""
    return list(
        Instruction.objects.filter(task=task)
        .select_related("leader", "handover__unit")
        .order_by("-written_on", "-pk")
    )


# --- A leader's home ----------------------------------------------------------------------


def led_tasks(
    leader: User,
    *,
    today: datetime.date,
    trend_days: Sequence[datetime.date] = (),
) -> list[Task]:
    """The tasks ``leader`` leads 我牵头的任务, in the latest year's lists they lead, with
    their status: overdue first, then lagging, not started, on track, done (one query,
    the year found in it). With ``trend_days``, each task also carries its status on
    each of those days (``trend``, for :func:`trend_of`)."""
    led = Task.objects.filter(lead_leader=leader)
    year = led.order_by("-task_list__year").values("task_list__year")[:1]
    columns = {f"trend_{i}": status_expression(day) for i, day in enumerate(trend_days)}
    rank = Case(
        *(When(status=status, then=Value(i)) for i, status in enumerate(LEADER_ORDER)),
        default=Value(len(LEADER_ORDER)),
    )
    tasks = list(
        led.filter(task_list__year=Subquery(year))
        .with_status(today)
        .select_related("task_list", "lead_unit")
        .annotate(rank=rank, **columns)
        .order_by("rank", "deadline", "task_list", "number")
    )
    for task in tasks:
        task.trend = [getattr(task, name) for name in columns]
    return tasks


def trend_of(tasks: list[Task], days: int) -> list[dict[str, int]]:
    """How many of ``tasks`` (from :func:`led_tasks` with ``trend_days``) had each status
    on each of the days (no query)."""
    counts = [dict.fromkeys(TaskStatus.values, 0) for _day in range(days)]
    for task in tasks:
        for i, status in enumerate(task.trend):  # type: ignore[attr-defined]
            counts[i][status] += 1
    return counts


#: The order of a leader's tasks on their home: what needs them first.
LEADER_ORDER = [
    TaskStatus.OVERDUE,
    TaskStatus.LAGGING,
    TaskStatus.NOT_STARTED,
    TaskStatus.ON_TRACK,
    TaskStatus.DONE,
]


def month_ends(today: datetime.date, months: int) -> list[datetime.date]:
    """The last days of the ``months - 1`` months before this one, oldest first, then today."""
    days = [today]
    first = today.replace(day=1)
    for _i in range(months - 1):
        last = first - datetime.timedelta(days=1)
        days.append(last)
        first = last.replace(day=1)
    return days[::-1]


def status_trend(task_ids: list[int], days: list[datetime.date]) -> list[dict[str, int]]:
    """How many of the tasks had each status on each of ``days`` (one query: one status
    column per day)."""

    if not task_ids:
        return [dict.fromkeys(TaskStatus.values, 0) for _day in days]
    columns = {f"s{i}": status_expression(day) for i, day in enumerate(days)}
    rows = Task.objects.filter(pk__in=task_ids).annotate(**columns).values_list(*columns)
    counts = [dict.fromkeys(TaskStatus.values, 0) for _day in days]
    for row in rows:
        for i, status in enumerate(row):
            counts[i][status] += 1
    return counts


def unconfirmed_quarters() -> list[dict]:
    """What awaits a leader's sign-off in the quarterly assessment: each list and quarter
    with scores not yet confirmed, and how many (one query)."""
    return list(
        Assessment.objects.filter(confirmed_at__isnull=True)
        .values("task__task_list", "task__task_list__title", "year", "quarter")
        .annotate(count=Count("pk"))
        .order_by("year", "quarter", "task__task_list__title")
    )
