"""Task lists, their tasks and milestones: create, import, copy into a year, edit."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, TypedDict, Unpack, overload

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from congress_portal.edits import record_history, versioned_update
from congress_portal.import_jobs import RowsRefused, import_job_queue, import_job_run
from congress_portal.spreadsheets import count_rows
from organisation.models import Unit, User
from organisation.roles import Role
from tasks.models import Aspect, Milestone, Task, TaskImportJob, TaskList
from tasks.services import TasksConflict, TasksError

if TYPE_CHECKING:
    from tasks.excel import ParseResult


def tasklist_create(
    *,
    year: int,
    title: str,
    kind: str,
    issuer: str = "",
    reports_start: datetime.date | None = None,
) -> TaskList:
    taken = TasksError(
        _("A list with this title already exists for %(year)s.") % {"year": year}, field="title"
    )
    if TaskList.objects.filter(year=year, title=title).exists():
        raise taken
    try:
        # A savepoint: two confirmations of one import can both pass the check above;
        # the unique constraint stops the second, which gets the same message.
        with transaction.atomic():
            return TaskList.objects.create(
                year=year, title=title, kind=kind, issuer=issuer, reports_start=reports_start
            )
    except IntegrityError as error:
        raise taken from error


@overload
def _shift_year(day: datetime.date, years: int) -> datetime.date: ...
@overload
def _shift_year(day: None, years: int) -> None: ...
def _shift_year(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def _tasks_save(
    tasks: list[Task],
    *,
    units: list[list[int]],
    milestones: list[list[tuple[str, datetime.date]]],
    by: User | None,
) -> None:
    """Save new ``tasks`` with, for each, its cooperating units' ids and its milestones
    (title, due date), in a few statements; their history starts here, made by ``by``."""
    bulk_create_with_history(tasks, Task, default_user=by)
    through = Task.cooperating_units.through
    through.objects.bulk_create(
        [
            through(task_id=task.pk, unit_id=unit_id)
            for task, unit_ids in zip(tasks, units, strict=True)
            for unit_id in unit_ids
        ]
    )
    bulk_create_with_history(
        [
            Milestone(task=task, title=title, due_date=due_date)
            for task, pairs in zip(tasks, milestones, strict=True)
            for title, due_date in pairs
        ],
        Milestone,
        default_user=by,
    )


@transaction.atomic
def tasklist_copy(*, task_list: TaskList, year: int, by: User, title: str = "") -> TaskList:
    """Copy a list into another year: aspects, tasks, owners and milestones, dates shifted.

    Progress, reports, supervision and scores stay with the old list: the new year starts
    from zero. The copies' history starts here, with ``by`` as the one who made them.
    """
    years = year - task_list.year
    new_title = title or task_list.title.replace(str(task_list.year), str(year))
    if new_title == task_list.title and years:
        new_title = f"{task_list.title}（{year}）"
    new_list = tasklist_create(
        year=year,
        title=new_title,
        kind=task_list.kind,
        issuer=task_list.issuer,
        reports_start=_shift_year(task_list.reports_start, years),
    )
    new_list.copied_from = task_list
    new_list.save(update_fields=["copied_from"])
    aspects = {
        a.pk: Aspect(task_list=new_list, number=a.number, title=a.title)
        for a in task_list.aspects.all()
    }
    bulk_create_with_history(list(aspects.values()), Aspect, default_user=by)
    old_tasks = list(
        task_list.tasks.prefetch_related("cooperating_units", "milestones").order_by("number")
    )
    new_tasks = [
        Task(
            task_list=new_list,
            aspect=aspects[t.aspect_id],
            number=t.number,
            content=t.content,
            expected_result=t.expected_result,
            lead_leader_id=t.lead_leader_id,
            lead_unit_id=t.lead_unit_id,
            deadline=_shift_year(t.deadline, years),
            is_long_term=t.is_long_term,
            weight=t.weight,
        )
        for t in old_tasks
    ]
    _tasks_save(
        new_tasks,
        units=[[u.pk for u in old.cooperating_units.all()] for old in old_tasks],
        milestones=[
            [(m.title, _shift_year(m.due_date, years)) for m in old.milestones.all()]
            for old in old_tasks
        ],
        by=by,
    )
    return new_list


class TaskFields(TypedDict, total=False):
    """What staff may change on a task; ``task_update`` takes any of them."""

    content: str
    expected_result: str
    lead_leader: User | None
    lead_unit: Unit
    deadline: datetime.date | None
    is_long_term: bool
    weight: int
    aspect: Aspect


TASK_EDITABLE = tuple(TaskFields.__annotations__)


def _check_task_fields(fields: TaskFields) -> None:
    leader = fields.get("lead_leader")
    if leader is not None and leader.role != Role.LEADER:
        raise TasksError(_("The lead leader must be a committee leader."), field="lead_leader")
    if not fields.get("is_long_term") and not fields.get("deadline"):
        raise TasksError(_("Give a deadline, or mark the task as long-term."), field="deadline")


@transaction.atomic
def task_create(
    *,
    task_list: TaskList,
    number: int,
    aspect: Aspect,
    content: str,
    lead_unit: Unit,
    weight: int = 1,
    expected_result: str = "",
    lead_leader: User | None = None,
    deadline: datetime.date | None = None,
    is_long_term: bool = False,
    cooperating_units: Iterable[Unit] = (),
) -> Task:
    """Add one task to a list (the import adds many at once)."""
    fields = TaskFields(
        content=content,
        expected_result=expected_result,
        lead_leader=lead_leader,
        lead_unit=lead_unit,
        deadline=None if is_long_term else deadline,
        is_long_term=is_long_term,
        weight=weight,
        aspect=aspect,
    )
    _check_task_fields(fields | {"deadline": deadline})
    if aspect.task_list_id != task_list.pk:
        raise TasksError(_("The aspect belongs to another list."), field="aspect")
    if task_list.tasks.filter(number=number).exists():
        raise TasksError(
            _("Number %(n)s is already used in this list.") % {"n": number}, field="number"
        )
    task = Task.objects.create(task_list=task_list, number=number, **fields)
    task.cooperating_units.set(list(cooperating_units))
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    version: int,
    by: User | None,
    cooperating_units: Iterable[Unit] | None = None,
    **fields: Unpack[TaskFields],
) -> Task:
    """Save an edit made against ``version`` of the task: the ``fields`` given change.

    The UPDATE only matches the row while it still has that version, so when two people
    edit the same task the second save matches nothing and is refused rather than
    silently overwriting the first.
    """
    merged = TaskFields(**{name: getattr(task, name) for name in TASK_EDITABLE}) | fields  # type: ignore[typeddict-item]
    _check_task_fields(merged)
    if merged["is_long_term"]:
        fields["deadline"] = None
    if "aspect" in fields and fields["aspect"].task_list_id != task.task_list_id:
        raise TasksError(_("The aspect belongs to another list."), field="aspect")
    stale = _(
        "Someone else changed this task while you were editing it. "
        "Your changes were not saved: reload the page to see theirs, then edit again."
    )
    task = versioned_update(
        task, version=version, values=dict(fields), error=TasksConflict, message=stale
    )
    if cooperating_units is not None:
        task.cooperating_units.set(list(cooperating_units))
    record_history(task, by=by)
    return task


def milestone_add(*, task: Task, title: str, due_date: datetime.date) -> Milestone:
    return Milestone.objects.create(task=task, title=title, due_date=due_date)


def milestone_complete(*, milestone: Milestone, done_on: datetime.date | None = None) -> Milestone:
    if milestone.done_on:
        raise TasksError(_("This milestone is already done."))
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return milestone


# --- Import from the staff's spreadsheet ------------------------------------------------------

# An uploaded workbook waits here, under MEDIA_ROOT, between the preview and the
# confirmation (see tasks.views.import_upload).
IMPORT_DIR = "tasks/imports"
# How long a previewed workbook waits for its confirmation before it is purged.
IMPORT_KEPT = datetime.timedelta(days=1)


def import_path(token: str) -> str:
    return f"{IMPORT_DIR}/{token}.xlsx"


def import_files_purge(
    *, older_than: datetime.timedelta = IMPORT_KEPT, now: datetime.datetime | None = None
) -> int:
    """Delete the workbooks previewed but never confirmed, once older than ``older_than``.

    A confirmed import deletes its file; one that was only previewed would otherwise stay
    in MEDIA_ROOT for ever. Returns how many files were deleted.
    """
    now = now or timezone.now()
    try:
        _folders, names = default_storage.listdir(IMPORT_DIR)
    except FileNotFoundError:  # nothing was ever uploaded
        return 0
    deleted = 0
    for name in names:
        path = f"{IMPORT_DIR}/{name}"
        try:
            if now - default_storage.get_modified_time(path) <= older_than:
                continue
            default_storage.delete(path)
        except FileNotFoundError:  # confirmed (and so deleted) meanwhile
            continue
        deleted += 1
    return deleted


def tasklist_import(
    *,
    upload: UploadedFile | IO[bytes],
    year: int,
    title: str,
    kind: str,
    by: User | None,
    issuer: str = "",
    reports_start: datetime.date | None = None,
) -> TaskList:
    """Create a list from an .xlsx file: every row passes, or nothing is saved.

    The file is parsed again here (not trusted from the preview), and what passed is
    saved in one transaction. The history of each aspect, task and milestone starts
    with this import, made by ``by``.
    """
    from tasks.excel import parse_workbook

    parsed = parse_workbook(upload)
    if not parsed.ok:
        raise TasksError(
            _("The file has %(n)s errors; nothing was saved.") % {"n": len(parsed.errors)}
        )
    return _tasklist_save(
        parsed,
        year=year,
        title=title,
        kind=kind,
        by=by,
        issuer=issuer,
        reports_start=reports_start,
    )


@transaction.atomic
def _tasklist_save(
    parsed: ParseResult,
    *,
    year: int,
    title: str,
    kind: str,
    by: User | None,
    issuer: str = "",
    reports_start: datetime.date | None = None,
) -> TaskList:
    task_list = tasklist_create(
        year=year, title=title, kind=kind, issuer=issuer, reports_start=reports_start
    )
    aspects = {
        number: Aspect(task_list=task_list, number=number, title=aspect_title)
        for number, aspect_title, _count in parsed.aspects
    }
    bulk_create_with_history(list(aspects.values()), Aspect, default_user=by)
    tasks = [
        Task(
            task_list=task_list,
            aspect=aspects[row.aspect_number],
            number=row.number,
            content=row.content,
            expected_result=row.expected_result,
            lead_leader=row.lead_leader,
            lead_unit=row.lead_unit,
            deadline=row.deadline,
            is_long_term=row.is_long_term,
            weight=row.weight,
        )
        for row in parsed.tasks
    ]
    _tasks_save(
        tasks,
        units=[[u.pk for u in row.cooperating_units] for row in parsed.tasks],
        milestones=[[(m.title, m.due_date) for m in row.milestones] for row in parsed.tasks],
        by=by,
    )
    return task_list


def tasklist_import_queue(
    *,
    upload: IO[bytes],
    year: int,
    title: str,
    kind: str,
    by: User,
    issuer: str = "",
    reports_start: datetime.date | None = None,
) -> TaskImportJob | None:
    """Queue the import of ``upload`` as a job when it has more rows than a request
    should read (``IMPORT_IN_BACKGROUND_ROWS``); ``None`` when it has not."""
    from tasks.excel import import_columns
    from tasks.jobs import import_task_list

    rows = count_rows(upload, import_columns())
    if rows <= settings.IMPORT_IN_BACKGROUND_ROWS:
        return None
    details = {
        "year": year,
        "title": title,
        "kind": kind,
        "issuer": issuer,
        "reports_start": reports_start.isoformat() if reports_start else None,
    }
    return import_job_queue(
        model=TaskImportJob,
        file=upload,
        total=rows,
        by=by,
        job=import_task_list,
        details=details,
    )


def tasklist_import_run(*, job_id: int) -> TaskImportJob | None:
    """The import job's body: check every row, then save the list, or nothing."""
    from tasks.excel import parse_workbook

    def check(job: TaskImportJob, file: IO[bytes], progress: Callable[[int], None]) -> ParseResult:
        parsed = parse_workbook(file, progress=progress)
        if not parsed.ok:
            raise RowsRefused(
                _("The file has %(n)s errors; nothing was saved.") % {"n": len(parsed.errors)},
                parsed.errors,
            )
        return parsed

    def save(job: TaskImportJob, parsed: ParseResult) -> str:
        details = job.details
        start = details.get("reports_start")
        task_list = _tasklist_save(
            parsed,
            year=details["year"],
            title=details["title"],
            kind=details["kind"],
            issuer=details.get("issuer", ""),
            reports_start=datetime.date.fromisoformat(start) if start else None,
            by=job.started_by,
        )
        TaskImportJob.objects.filter(pk=job.pk).update(task_list=task_list)
        job.task_list = task_list
        return _("Imported %(title)s: %(n)s tasks.") % {
            "title": task_list.title,
            "n": len(parsed.tasks),
        }

    return import_job_run(model=TaskImportJob, pk=job_id, check=check, save=save)
