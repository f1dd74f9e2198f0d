"""The units' monthly progress reports and the staff's review of them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from congress_portal.calendar_words import month_label
from notifications.models import Kind
from notifications.services import notifications_send
from organisation.models import Unit, User
from organisation.roles import Role
from tasks.evidence import evidence_attach
from tasks.models import ProgressReport, Task
from tasks.services import TasksConflict, TasksError


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
    evidence_attach(task=task, files=files, by=by, report=report)
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
        raise TasksConflict(
            _("This report changed since you opened it (it was reviewed or resubmitted). Reload.")
        )
    report.refresh_from_db()
    report.save()  # a history entry for the review (``update()`` skips the signals)
    _announce_review(report)
    return report


def _announce_review(report: ProgressReport) -> None:
    """Tell the unit that sent the report how it was reviewed: one notice to each of its
    active contacts, linked to the task.

    Called inside the review's transaction, so the notice exists exactly when the review
    does. The key names the review by the version it left (every review bumps it): a
    repeated review is refused above and adds nothing, while a report returned, then
    resubmitted and reviewed again, gets a notice for each review.
    """
    task = report.task
    returned = report.status == ProgressReport.Status.RETURNED
    # The committee's message, in the portal's language whatever the reviewer's.
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "month": month_label(report.month),
            "task": Truncator(task.content).chars(40),
        }
        if returned:
            title = _("Progress for %(month)s returned: %(task)s") % names
            body = _("Reason: %(reason)s\nCorrect the report and submit it again.") % {
                "reason": report.review_comment
            }
        else:
            title = _("Progress for %(month)s accepted: %(task)s") % names
            body = _("Recorded as %(percent)s%% done.") % {"percent": report.percent}
            if report.review_comment:
                body += "\n" + _("Comment: %(comment)s") % {"comment": report.review_comment}
    notifications_send(
        users=User.objects.filter(role=Role.UNIT, unit=report.unit_id, is_active=True),
        kind=Kind.PROGRESS_REVIEWED,
        title=title,
        body=body,
        url=reverse("tasks:task", args=[task.pk]),
        key=f"progress-reviewed:{report.pk}:{report.version}",
    )


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
        # Never None: the report just accepted is one of them.
        percent, month = latest or (report.percent, report.month)
        completed_on = timezone.localdate() if percent == 100 else None
        Task.objects.filter(pk=report.task_id).update(
            percent_done=percent, completed_on=completed_on
        )
    return report


@dataclass
class BulkAcceptResult:
    accepted: list[ProgressReport] = field(default_factory=list)
    # Each report left as it was, with why (translated, safe to show).
    refused: list[tuple[ProgressReport, str]] = field(default_factory=list)


def progress_reports_accept(
    *, selections: Sequence[tuple[ProgressReport, int]], by: User
) -> BulkAcceptResult:
    """Accept the reports a reviewer selected, each at the version the reviewer saw.

    All or nothing per report, not for the batch: each is accepted in its own transaction
    by :func:`progress_report_accept` (so each is recorded, notified and counted as one
    review). A report that changed meanwhile (reviewed by someone else, or resubmitted
    with other figures) is left as it is and returned with the reason, so the reviewer is
    told which ones to look at again; the others are accepted.
    """
    result = BulkAcceptResult()
    for report, version in selections:
        try:
            result.accepted.append(progress_report_accept(report=report, version=version, by=by))
        except TasksError as error:
            result.refused.append((report, error.message))
    return result


@transaction.atomic
def progress_report_return(
    *, report: ProgressReport, version: int, by: User, comment: str
) -> ProgressReport:
    if not comment.strip():
        raise TasksError(_("Say what needs to change when returning a report."), field="comment")
    return _report_review(
        report=report,
        version=version,
        by=by,
        status=ProgressReport.Status.RETURNED,
        comment=comment.strip(),
    )
