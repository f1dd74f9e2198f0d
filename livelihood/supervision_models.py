"""督 Supervise and 评 Evaluate, the models (imported by ``livelihood.models``).

An inspection visit 视察 of a chosen project by deputies of its congress, its findings
(each one a ``handovers.Handover`` to the responsible unit: the inbox, deadlines,
colours and reminders are the handover mechanism's), and the project's evaluation at a
session of the same congress: an option of a ``ballots`` poll of method "rate" whose
counts and verdict are kept once the tally is published. Keyed on the chosen
``Proposal``; its ``project`` (livelihood/delivery.py) gives the responsible unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ballots.models import Poll
from deputies.models import Deputy
from handovers.models import Handover
from organisation.models import Unit


class Inspection(models.Model):
    """视察: deputies of the project's congress visit it; each gets one activity."""

    proposal = models.ForeignKey(
        "livelihood.Proposal",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    date = models.DateField(pgettext_lazy("inspection", "date"))
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("deputies who took part"), related_name="livelihood_inspections"
    )
    notes = models.TextField(pgettext_lazy("inspection", "notes"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")

    def __str__(self) -> str:
        return f"{self.proposal} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("livelihood:inspection", args=[self.pk])


class Finding(models.Model):
    """A finding of an inspection, handed to the responsible unit."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection visit"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    text = models.TextField(_("finding"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    handover = models.OneToOneField(
        Handover,
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return self.inspection.get_absolute_url()


class Evaluation(models.Model):
    """评: a project rated at a session; the counts and verdict once published."""

    proposal = models.ForeignKey(
        "livelihood.Proposal",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    poll = models.ForeignKey(
        Poll, verbose_name=_("evaluation vote"), on_delete=models.PROTECT, related_name="+"
    )
    roll = models.PositiveIntegerField(_("deputies on the roll"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(
        pgettext_lazy("rating", "Satisfied"), null=True, blank=True
    )
    basic = models.PositiveIntegerField(
        pgettext_lazy("rating", "Basically satisfied"), null=True, blank=True
    )
    unsatisfied = models.PositiveIntegerField(
        pgettext_lazy("rating", "Unsatisfied"), null=True, blank=True
    )
    abstain = models.PositiveIntegerField(pgettext_lazy("rating", "Abstain"), null=True, blank=True)
    #: The satisfaction rule's verdict (ballots.services.unsatisfactory); None until published.
    unsatisfactory = models.BooleanField(_("unsatisfactory"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    #: Rated unsatisfactory: the unit reports on the project again through this handover.
    rereport = models.OneToOneField(
        Handover,
        verbose_name=_("report again"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["poll", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "poll"], name="evaluation_once_per_poll")
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.poll}"
