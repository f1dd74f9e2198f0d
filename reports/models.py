"""Generated documents. Each row is one run of a report: queued, running, done or failed.

The file lives under MEDIA_ROOT at ``reports/<yyyy-mm>/<sha256>.pdf`` and is only ever
served through the download view, which checks the role.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress_portal.calendar_words import month_label


class GeneratedReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> GeneratedReportQuerySet:
        # Leaders and staff (and administrators) only: the page itself is role-checked.
        if user.is_authenticated and user.sees_everything:
            return self
        return self.none()


class GeneratedReport(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly progress report")

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("Monthly job")
        ON_DEMAND = "on_demand", _("On demand")
        COMMAND = "command", _("Command line")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MONTHLY)
    month = models.DateField(_("month"), help_text=_("First day of the month reported on."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    trigger = models.CharField(_("made by"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="reports/", blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("render time (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = GeneratedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-created_at"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            # The monthly job makes one report per month however often beat fires.
            models.UniqueConstraint(
                fields=["kind", "month"],
                condition=models.Q(trigger="scheduled"),
                name="report_one_scheduled_per_month",
            ),
            # A double click on "generate" or "regenerate", or a click while the monthly
            # job is at work, queues one job, not two (the command line makes its own).
            models.UniqueConstraint(
                fields=["kind", "month"],
                condition=models.Q(status__in=["pending", "running"])
                & ~models.Q(trigger="command"),
                name="report_one_open_per_month",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        """The name the file is downloaded under, e.g. 2025年3月工作进展报告.pdf."""
        return monthly_filename(self.month)

    @property
    def made_by(self) -> str:
        """Who made this version: the monthly job, the command line or a person."""
        if self.trigger == self.Trigger.ON_DEMAND and self.requested_by is not None:
            return self.requested_by.display_name
        return str(self.get_trigger_display())

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


def monthly_filename(month: date) -> str:
    # Always Chinese, whatever the interface language: it is the document's own title.
    return f"{month_label(month, language='zh-hans')}工作进展报告.pdf"
