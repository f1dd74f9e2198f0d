"""Every write to the task lists. Views, imports, the demo and jobs all call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import overload

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from congress_portal.edits import record_history, versioned_update
from congress_portal.errors import DomainError
from organisation.models import Unit, User
from organisation.roles import Role
from tasks.evidence import evidence_check
from tasks.models import (
    Aspect,
    Assessment,
    Evidence,
    FollowUpItem,
    Milestone,
    ProgressReport,
    SupervisionVisit,
    Task,
    TaskList,
)


class TasksError(DomainError):
    """A rule of the task lists was broken; the message is translated and safe to show.

    ``field`` names the input the rule is about, so a form can show the message next to it.
    """


class TasksConflict(TasksError):
    """Someone else changed the record meanwhile: nothing was saved (a 409 for a page)."""

    conflict = True


# --- Lists and tasks ----------------------------------------------------------------------


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
    bulk_create_with_history(new_tasks, Task, default_user=by)
    through = Task.cooperating_units.through
    through.objects.bulk_create(
        [
            through(task_id=new.pk, unit_id=unit.pk)
            for old, new in zip(old_tasks, new_tasks, strict=True)
            for unit in old.cooperating_units.all()
        ]
    )
    bulk_create_with_history(
        [
            Milestone(task=new, title=m.title, due_date=_shift_year(m.due_date, years))
            for old, new in zip(old_tasks, new_tasks, strict=True)
            for m in old.milestones.all()
        ],
        Milestone,
        default_user=by,
    )
    return new_list


TASK_EDITABLE = (
    "content",
    "expected_result",
    "lead_leader",
    "lead_unit",
    "deadline",
    "is_long_term",
    "weight",
    "aspect",
)


def _check_task_fields(fields: dict) -> None:
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
    cooperating_units: Iterable[Unit] = (),
    **fields,
) -> Task:
    """Add one task to a list (the import adds many at once)."""
    unknown = set(fields) - set(TASK_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    fields.setdefault("is_long_term", False)
    _check_task_fields(fields)
    if fields["aspect"].task_list_id != task_list.pk:
        raise TasksError(_("The aspect belongs to another list."), field="aspect")
    if task_list.tasks.filter(number=number).exists():
        raise TasksError(
            _("Number %(n)s is already used in this list.") % {"n": number}, field="number"
        )
    if fields["is_long_term"]:
        fields["deadline"] = None
    task = Task.objects.create(task_list=task_list, number=number, **fields)
    task.cooperating_units.set(list(cooperating_units))
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    version: int,
    cooperating_units: Iterable[Unit] | None = None,
    by: User | None = None,
    **fields,
) -> Task:
    """Save an edit made against ``version`` of the task.

    The UPDATE only matches the row while it still has that version, so when two people
    edit the same task the second save matches nothing and is refused rather than
    silently overwriting the first.
    """
    unknown = set(fields) - set(TASK_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    merged = {name: getattr(task, name) for name in TASK_EDITABLE} | fields
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
        task, version=version, values=fields, error=TasksConflict, message=stale
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


# --- Monthly progress reports --------------------------------------------------------------


def _evidence_attach(
    *,
    task: Task,
    files: Sequence[UploadedFile],
    by: User | None,
    report: ProgressReport | None = None,
    follow_up: FollowUpItem | None = None,
) -> list[Evidence]:
    checked = []
    for upload in files:
        try:
            checked.append((upload, *evidence_check(upload)))
        except ValueError as error:
            raise TasksError(str(error), field="files") from error
    saved = []
    for upload, content_type, name, size in checked:
        evidence = Evidence(
            task=task,
            report=report,
            follow_up=follow_up,
            original_name=name,
            content_type=content_type,
            size=size,
            uploaded_by=by,
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
        saved.append(evidence)
    return saved


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def progress_report_submit(
    *,
    task: Task,
    unit: Unit,
    month: datetime.date,
    text: str,
    percent: int,
    by: User,
    version: int,
    files: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """Submit (or correct, or after a return resubmit) a unit's report on a task for a month.

    ``version`` is the version of the month's report the form was opened on (0 when there
    was none). A report that changed since is not overwritten: the submitter is told. The
    one exception is the same submission arriving twice (a double click): the second is
    answered with the saved report and attaches nothing. Files are attached only once the
    report is saved.
    """
    month = first_of_month(month)
    if unit.pk != task.lead_unit_id and not task.cooperating_units.filter(pk=unit.pk).exists():
        raise TasksError(_("Only the lead unit and the cooperating units report on this task."))
    if not 0 <= percent <= 100:
        raise TasksError(_("The share done must be between 0 and 100 %."), field="percent")
    if month > first_of_month(timezone.localdate()):
        raise TasksError(
            _("A report cannot be made for a month that has not begun."), field="month"
        )
    report = (
        ProgressReport.objects.select_for_update().filter(task=task, unit=unit, month=month).first()
    )
    if report is not None and report.version != version:
        if (
            report.status == ProgressReport.Status.SUBMITTED
            and report.submitted_by_id == by.pk
            and (report.text, report.percent) == (text, percent)
        ):
            return report  # the same submission again: already saved, files included
        raise TasksConflict(
            _(
                "Someone else changed this report while you were writing yours. "
                "Yours was not saved: reload the page to see theirs, then submit again."
            )
        )
    if report is None:
        report = ProgressReport(task=task, unit=unit, month=month)
    elif report.status == ProgressReport.Status.ACCEPTED:
        raise TasksError(_("This month's report was already accepted."))
    report.text = text
    report.percent = percent
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_by = by
    report.submitted_at = timezone.now()
    if report.pk:
        report.version += 1  # the row is locked (select_for_update above)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # two contacts of one unit submitting at the same moment
        raise TasksError(_("This month's report was just submitted by someone else.")) from error
    report.refresh_from_db()
    _evidence_attach(task=task, files=files, by=by, report=report)
    return report


def _report_review(
    *, report: ProgressReport, version: int, by: User, status: str, comment: str
) -> ProgressReport:
    # Conditional on version and status, so two reviewers (or a review racing a
    # resubmission) cannot both act on what they saw.
    updated = ProgressReport.objects.filter(
        pk=report.pk, version=version, status=ProgressReport.Status.SUBMITTED
    ).update(
        status=status,
        reviewed_by=by,
        reviewed_at=timezone.now(),
        review_comment=comment,
        version=F("version") + 1,
    )
    if not updated:
        raise TasksError(
            _("This report changed since you opened it (it was reviewed or resubmitted). Reload.")
        )
    report.refresh_from_db()
    report.save()  # a history entry for the review (``update()`` skips the signals)
    return report


@transaction.atomic
def progress_report_accept(
    *, report: ProgressReport, version: int, by: User, comment: str = ""
) -> ProgressReport:
    report = _report_review(
        report=report,
        version=version,
        by=by,
        status=ProgressReport.Status.ACCEPTED,
        comment=comment,
    )
    if report.unit_id == report.task.lead_unit_id:
        # The lead unit's latest accepted report is the task's progress.
        latest = (
            ProgressReport.objects.filter(
                task=report.task_id,
                unit=report.unit_id,
                status=ProgressReport.Status.ACCEPTED,
            )
            .order_by("-month")
            .values_list("percent", "month")
            .first()
        )
        assert latest is not None, "the report just accepted is one"
        percent, month = latest
        completed_on = timezone.localdate() if percent == 100 else None
        Task.objects.filter(pk=report.task_id).update(
            percent_done=percent, completed_on=completed_on
        )
    return report


@transaction.atomic
def progress_report_return(
    *, report: ProgressReport, version: int, by: User, comment: str
) -> ProgressReport:
    if not comment.strip():
        raise TasksError(_("Say what needs to change when returning a report."))
    return _report_review(
        report=report,
        version=version,
        by=by,
        status=ProgressReport.Status.RETURNED,
        comment=comment.strip(),
    )


# --- Supervision -----------------------------------------------------------------------


@transaction.atomic
def supervision_visit_record(
    *,
    leader: User,
    visited_on: datetime.date,
    places: str,
    tasks: Iterable[Task],
    findings: str = "",
    by: User,
) -> SupervisionVisit:
    if leader.role != Role.LEADER:
        raise TasksError(_("A supervision visit is led by a committee leader."))
    visit = SupervisionVisit.objects.create(
        leader=leader, visited_on=visited_on, places=places, findings=findings, recorded_by=by
    )
    visit.tasks.set(list(tasks))
    return visit


def follow_up_add(
    *,
    visit: SupervisionVisit,
    unit: Unit,
    description: str,
    due_date: datetime.date,
    task: Task | None = None,
) -> FollowUpItem:
    if due_date < visit.visited_on:
        raise TasksError(_("The due date cannot be before the visit."))
    return FollowUpItem.objects.create(
        visit=visit, task=task, unit=unit, description=description, due_date=due_date
    )


@transaction.atomic
def follow_up_close(
    *,
    item: FollowUpItem,
    note: str,
    by: User,
    files: Sequence[UploadedFile] = (),
    closed_on: datetime.date | None = None,
) -> FollowUpItem:
    """Close a follow-up item; it needs a note and at least one evidence file."""
    if item.closed_on:
        raise TasksError(_("This item is already closed."))
    if not files:
        raise TasksError(_("Attach at least one file showing how the item was resolved."))
    if item.task is None:
        raise TasksError(_("This item is not linked to a task; link it before closing."))
    _evidence_attach(task=item.task, files=files, by=by, follow_up=item)
    updated = FollowUpItem.objects.filter(pk=item.pk, closed_on__isnull=True).update(
        closed_on=closed_on or timezone.localdate(), closing_note=note, closed_by=by
    )
    if not updated:
        raise TasksError(_("This item is already closed."))
    item.refresh_from_db()
    item.save()  # a history entry (``update()`` skips the signals)
    return item


# --- Quarterly assessment ----------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    task: Task,
    year: int,
    quarter: int,
    completion: int,
    timeliness: int,
    quality: int,
    evidence_score: int,
    by: User,
    version: int = 0,
    comment: str = "",
) -> Assessment:
    """Score a task for a quarter against ``version`` of its scores (0: none were given).

    The row is locked while it is checked and written, so a scoring racing another one
    or a leader's confirmation waits for it and then sees what it did: scores changed
    meanwhile are not overwritten, and confirmed scores never change (the confirmation
    is never written back as empty).
    """
    parts = (completion, timeliness, quality, evidence_score)
    if not all(0 <= p <= Assessment.PART_MAX for p in parts):
        raise TasksError(_("Each part of the rubric is scored from 0 to 25."))
    if quarter not in (1, 2, 3, 4):
        raise TasksError(_("The quarter is 1, 2, 3 or 4."))
    existing = (
        Assessment.objects.select_for_update().filter(task=task, year=year, quarter=quarter).first()
    )
    if existing and existing.confirmed_at:
        raise TasksError(_("These scores were confirmed by a leader and can no longer change."))
    if (existing.version if existing else 0) != version:
        raise TasksConflict(_scores_changed())
    assessment = existing or Assessment(task=task, year=year, quarter=quarter)
    assessment.unit_id = task.lead_unit_id
    assessment.completion = completion
    assessment.timeliness = timeliness
    assessment.quality = quality
    assessment.evidence_score = evidence_score
    assessment.total = sum(parts)
    assessment.comment = comment
    assessment.assessed_by = by
    if existing is None:
        try:
            # Two first scorings at once: both find no row; the unique constraint stops one.
            with transaction.atomic():
                assessment.save()
        except IntegrityError as error:
            raise TasksConflict(_scores_changed()) from error
        return assessment
    assessment.version = existing.version + 1
    # The confirmation fields are left out: only assessments_confirm writes them.
    assessment.save(
        update_fields=[
            "unit",
            "completion",
            "timeliness",
            "quality",
            "evidence_score",
            "total",
            "comment",
            "assessed_by",
            "version",
        ]
    )
    return assessment


def _scores_changed() -> str:
    return _(
        "Someone else scored this task while you were scoring it. Your scores were not "
        "saved: reload the page to see theirs, then score again."
    )


@transaction.atomic
def assessments_confirm(*, task_list: TaskList, year: int, quarter: int, by: User) -> int:
    """A leader confirms a quarter's scores of a list; returns how many were confirmed."""
    if by.role != Role.LEADER and not by.is_superuser:
        raise TasksError(_("Only a committee leader confirms assessments."))
    pending = Assessment.objects.filter(
        task__task_list=task_list, year=year, quarter=quarter, confirmed_at__isnull=True
    )
    count = 0
    for assessment in pending.select_for_update():
        assessment.confirmed_by = by
        assessment.confirmed_at = timezone.now()
        assessment.save(update_fields=["confirmed_by", "confirmed_at"])
        count += 1
    if not count:
        raise TasksError(_("There are no unconfirmed scores for this quarter."))
    return count


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


@transaction.atomic
def tasklist_import(
    *,
    upload: UploadedFile,
    year: int,
    title: str,
    kind: str,
    by: User,
    issuer: str = "",
    reports_start: datetime.date | None = None,
) -> TaskList:
    """Create a list from an .xlsx file: every row passes, or nothing is saved.

    The file is parsed again here (not trusted from the preview), inside one
    transaction, so what is saved is exactly what passed validation. The history of each
    aspect, task and milestone starts with this import, made by ``by``.
    """
    from tasks.excel import parse_workbook

    parsed = parse_workbook(upload)
    if not parsed.ok:
        raise TasksError(
            _("The file has %(n)s errors; nothing was saved.") % {"n": len(parsed.errors)}
        )
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
    bulk_create_with_history(tasks, Task, default_user=by)
    through = Task.cooperating_units.through
    through.objects.bulk_create(
        [
            through(task_id=task.pk, unit_id=unit.pk)
            for row, task in zip(parsed.tasks, tasks, strict=True)
            for unit in row.cooperating_units
        ]
    )
    bulk_create_with_history(
        [
            Milestone(task=task, title=m.title, due_date=m.due_date)
            for row, task in zip(parsed.tasks, tasks, strict=True)
            for m in row.milestones
        ],
        Milestone,
        default_user=by,
    )
    return task_list
