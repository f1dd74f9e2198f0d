"""Deputy suggestions 代表建议: one congress's (by level and region) numbered suggestions.

States of a suggestion::

    draft ──deputy confirms / submits──▶ submitted ──intake──▶ accepted ──hand over──▶ handed
                                              │                                       │
                                              ├──▶ merged (into another, with reason) answered
                                              └──▶ converted (to a letter or an opinion) │
                                                                                      closed

Everything after the hand-over — the answer, the rating, the one re-handling, an
extension, closing — is the handover's (``handovers``); ``status`` only mirrors it
(``suggestions.services.handover_changed``, the kind's ``on_change`` hook).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from deputies.models import Deputy
from handovers.models import Handover
from liaison_stations.models import Reception
from organisation.access import region_q
from organisation.congresses import CongressLevel
from organisation.models import Region
from organisation.roles import Role

#: A suggestion's categories are the receptions' (a reception becomes a suggestion).
Category = Reception.Category


#: A suggestion is raised at one congress (organisation/congresses.py).
Level = CongressLevel


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SuggestionQuerySet:
        """Staff, leaders, admins: all; a secretary: their region's congresses; a deputy:
        those they lead or signed; a unit contact: those handed to their unit (as main or
        helping unit); a leader also those they lead."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        q = region_q(user, "region")
        if user.role == Role.DEPUTY:
            # Both as key lists: an OR across the join to the deputies read all 120,000
            # of a province's.
            q |= Q(lead__in=Deputy.objects.filter(user=user.pk).values("pk")) | Q(
                pk__in=Signature.objects.filter(deputy__user=user.pk).values("suggestion")
            )
        if user.role == Role.UNIT and user.unit_id:
            q |= Q(handover__in=Handover.objects.for_unit(user.unit_id).values("pk"))
        return self.filter(q)


class Suggestion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, waiting for the deputy")
        SUBMITTED = "submitted", pgettext_lazy("suggestion", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("suggestion", "Accepted")
        MERGED = "merged", _("Merged into another")
        CONVERTED = "converted", _("Turned into a letter or an opinion")
        HANDED = "handed", _("Handed over")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class ConvertedTo(models.TextChoices):
        LETTER = "letter", _("A letter from the public")
        OPINION = "opinion", _("A critical opinion")

    #: The states of the intake, before a hand-over.
    WAITING_FOR_INTAKE = (Status.SUBMITTED,)
    ENDED_AT_INTAKE = (Status.MERGED, Status.CONVERTED)

    level = models.CharField(_("congress level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("congress region"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Given on submission (a draft has none): 第12号 of the congress's year.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # Blank: raised between sessions 闭会期间.
    session = models.CharField(_("session"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(pgettext_lazy("suggestion", "content"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    lead = models.ForeignKey(
        Deputy,
        verbose_name=_("lead deputy"),
        on_delete=models.PROTECT,
        related_name="suggestions_led",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reception = models.ForeignKey(
        Reception,
        verbose_name=_("from the reception"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Intake 审查: the reason the deputy sees when it is merged or converted.
    intake_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    converted_to = models.CharField(
        _("turned into"), max_length=10, choices=ConvertedTo.choices, blank=True
    )
    is_key = models.BooleanField(_("key suggestion"), default=False)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions_led",
    )
    handover = models.OneToOneField(
        Handover,
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestion",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number", "-pk"]
        verbose_name = _("deputy suggestion")
        verbose_name_plural = _("deputy suggestions")
        indexes = [
            models.Index(fields=["region", "level", "year"]),
            # The list's order: a page of 50 without sorting a province's suggestions.
            models.Index(fields=["-year", "-number", "-id"], name="suggestion_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "year", "number"], name="suggestion_number_once"
            ),
            models.CheckConstraint(
                name="suggestion_key_has_leader",
                condition=Q(is_key=False) | Q(leader__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("suggestions:detail", args=[self.pk])

    @property
    def number_label(self) -> str:
        return f"{self.number}" if self.number else ""

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Signature(models.Model):
    """A co-signing deputy 附议代表: listed by the lead, counted once they confirm."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="signatures")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="signatures"
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["suggestion", "pk"]
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy"], name="signature_once_per_deputy"
            )
        ]

    def __str__(self) -> str:
        return str(self.deputy)


class Counter(models.Model):
    """The last number given in one congress's year; its row is locked while a number is
    taken, so two submissions at the same moment never get the same one."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "year"], name="suggestion_counter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}·{self.level}·{self.year}: {self.last}"
