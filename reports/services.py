"""Writes of the reports module: asking for a report, making it, storing it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress_portal.errors import DomainError
from notifications.models import Kind
from notifications.services import notification_send, notifications_send
from organisation.roles import Role
from reports.document import render_monthly
from reports.models import GeneratedReport, monthly_filename

logger = logging.getLogger(__name__)

# A "running" report older than this belongs to a worker that died: it may be taken over.
STALE_AFTER = dt.timedelta(minutes=20)


class ReportError(DomainError):
    """A rule about reports was broken; the message is safe to show."""


def previous_month(today: dt.date) -> dt.date:
    """The first day of the month before ``today``'s (a local date, Asia/Shanghai)."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _enqueue(report: GeneratedReport) -> None:
    from reports.jobs import generate_report

    transaction.on_commit(lambda: generate_report.delay(report.pk))


def _open_reports(month: dt.date):
    """The month's report being made (at most one: ``report_one_open_per_month``)."""
    return GeneratedReport.objects.filter(
        kind=GeneratedReport.Kind.MONTHLY,
        month=month,
        status__in=[GeneratedReport.Status.PENDING, GeneratedReport.Status.RUNNING],
    ).exclude(trigger=GeneratedReport.Trigger.COMMAND)


def official_report(month: dt.date) -> GeneratedReport | None:
    """The month's official report: its latest version made (earlier ones are kept)."""
    return (
        GeneratedReport.objects.filter(
            kind=GeneratedReport.Kind.MONTHLY,
            month=month.replace(day=1),
            status=GeneratedReport.Status.DONE,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def report_request(*, month: dt.date, user=None, regenerate: bool = False) -> GeneratedReport:
    """Ask for the month's report. One official report per month: when the month has one,
    it is returned unless ``regenerate`` asks for a new version (the earlier ones are
    kept). A report already queued or being made is returned, never queued twice."""
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ReportError(_("There is no report for a month that has not begun."), field="month")
    open_reports = _open_reports(month)
    existing = open_reports.first()
    if existing is not None:
        return existing
    if not regenerate:
        official = official_report(month)
        if official is not None:
            return official
    try:
        with transaction.atomic():
            report = GeneratedReport.objects.create(
                kind=GeneratedReport.Kind.MONTHLY,
                month=month,
                trigger=GeneratedReport.Trigger.ON_DEMAND,
                requested_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:  # a second click won the race: show its report
        return open_reports.get()
    _enqueue(report)
    return report


def report_schedule_monthly(*, today: dt.date | None = None) -> GeneratedReport:
    """The monthly job: the previous month's report, made once however often it runs."""
    month = previous_month(today or timezone.localdate())
    try:
        with transaction.atomic():
            report, created = GeneratedReport.objects.get_or_create(
                kind=GeneratedReport.Kind.MONTHLY,
                month=month,
                trigger=GeneratedReport.Trigger.SCHEDULED,
            )
    except IntegrityError:  # someone is making the month's report on demand right now
        return _open_reports(month).get()
    if created or report.status == GeneratedReport.Status.PENDING:
        _enqueue(report)
    return report


def _claim(report_id: int) -> bool:
    """Take the report for this worker: queued, or running but abandoned by a dead worker."""
    now = timezone.now()
    return bool(
        GeneratedReport.objects.filter(
            Q(status=GeneratedReport.Status.PENDING)
            | Q(status=GeneratedReport.Status.RUNNING, started_at__lt=now - STALE_AFTER),
            pk=report_id,
        ).update(status=GeneratedReport.Status.RUNNING, started_at=now, attempts=F("attempts") + 1)
    )


def report_generate(*, report_id: int) -> GeneratedReport:
    """Render the report, store the PDF under its content hash, mark it done.

    Safe to call twice (a redelivered task): the second call finds the row taken or
    done and does nothing.
    """
    if not _claim(report_id):
        return GeneratedReport.objects.get(pk=report_id)
    report = GeneratedReport.objects.get(pk=report_id)
    try:
        rendered = render_monthly(report.month)
    except Exception as error:
        GeneratedReport.objects.filter(pk=report_id).update(
            status=GeneratedReport.Status.FAILED,
            error=str(error)[:300],
            finished_at=timezone.now(),
        )
        raise
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    name = f"reports/{report.month:%Y-%m}/{digest}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(rendered.pdf))
    GeneratedReport.objects.filter(pk=report_id).update(
        status=GeneratedReport.Status.DONE,
        file=name,
        sha256=digest,
        size=len(rendered.pdf),
        pages=rendered.pages,
        render_ms=rendered.render_ms,
        finished_at=timezone.now(),
        error="",
    )
    report.refresh_from_db()
    if report.trigger == GeneratedReport.Trigger.SCHEDULED:
        _tell_leaders(report)
    if report.requested_by_id:
        notification_send(
            user=report.requested_by,
            kind=Kind.REPORT_READY,
            title=str(
                _("Your report is ready: %(name)s") % {"name": monthly_filename(report.month)}
            ),
            url=reverse("reports:status", args=[report.pk]),
            key=f"report-ready:{report.pk}",
        )
    return report


def _tell_leaders(report: GeneratedReport) -> None:
    """The report made on the 1st: each leader is told, with the link to download it
    (once a month, however often the job runs)."""
    User = get_user_model()
    notifications_send(
        users=User.objects.filter(role=Role.LEADER, is_active=True),
        kind=Kind.REPORT_READY,
        title=str(
            _("This month's progress report is ready: %(name)s")
            % {"name": monthly_filename(report.month)}
        ),
        url=reverse("reports:download", args=[report.pk]),
        key=f"report-monthly:{report.month:%Y-%m}",
    )


def report_write_to(*, month: dt.date, path) -> GeneratedReport:
    """The ``monthly_report`` command: request and make the report in this process."""
    report = GeneratedReport.objects.create(
        kind=GeneratedReport.Kind.MONTHLY,
        month=month.replace(day=1),
        trigger=GeneratedReport.Trigger.COMMAND,
    )
    report = report_generate(report_id=report.pk)
    if path is not None:
        with report.file.open("rb") as source, open(path, "wb") as target:
            target.write(source.read())
    return report
