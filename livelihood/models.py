"""Livelihood projects 民生实事票决制, part 1: 群众提、代表议、大会决.

A proposal's states::

    proposed ──a deputy comments──▶ deliberating ──screened──▶ reserve 储备库 ──on a fixed list──▶ candidate
        │                               │                                                     │
        └───────────────rejected (with a reason the proposer sees)◀┘                chosen | not chosen

Costs are in 万元 (ten thousand yuan) with two decimals, as the congresses write them.
A fund pool 资金池 of one year covers the projects of one congress level in its region
and every region inside it (a county's pool for township projects covers its townships).
The vote itself is the ``ballots`` module's: a candidate list, once fixed, is one poll.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, Mandate
from liaison_stations.models import Reception
from organisation.access import region_q
from organisation.congresses import CongressLevel, level_of
from organisation.models import Region
from organisation.roles import Role

#: A proposal is decided by one congress (organisation/congresses.py).
Level = CongressLevel


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """Staff, leaders, admins: all; a secretary: their region's congresses'; a deputy:
        the proposals of the congresses they sit in, and their own; a unit contact: none."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        q = region_q(user, "region")
        if user.role == Role.DEPUTY:
            seat = Mandate.objects.active().filter(
                deputy__user=user.pk, level=OuterRef("level"), region=OuterRef("region")
            )
            q |= Q(proposer=user.pk) | Q(proposer_deputy__user=user.pk) | Exists(seat)
        return self.filter(q)


class Proposal(models.Model):
    class Source(models.TextChoices):
        CONSTITUENT = "constituent", _("Constituents")
        DEPUTY = "deputy", _("A deputy")
        GOVERNMENT = "government", _("The government")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("proposal", "Proposed")
        DELIBERATING = "deliberating", _("In deliberation")
        RESERVE = "reserve", _("In the reserve pool")
        REJECTED = "rejected", pgettext_lazy("proposal", "Rejected")
        CANDIDATE = "candidate", _("Candidate")
        CHOSEN = "chosen", _("Chosen by the congress")
        NOT_CHOSEN = "not_chosen", _("Not chosen")

    #: Open to deliberation and screening.
    OPEN = (Status.PROPOSED, Status.DELIBERATING)
    #: Counted against a fund pool.
    COMMITTED = (Status.CANDIDATE, Status.CHOSEN)

    level = models.CharField(_("congress level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("congress region"),
        on_delete=models.PROTECT,
        related_name="livelihood_proposals",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    place = models.CharField(_("place"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    # 万元, e.g. 38.50 is 385,000 yuan.
    estimated_cost = models.DecimalField(
        _("estimated cost (10,000 yuan)"), max_digits=10, decimal_places=2
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries (people)"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livelihood_proposals",
    )
    proposer_deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("proposing deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livelihood_proposals",
    )
    reception = models.ForeignKey(
        Reception,
        verbose_name=_("from the reception"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # Screening 筛选: into the reserve pool with these, or rejected with the reason.
    feasibility = models.TextField(_("feasibility"), blank=True)
    fund_source = models.CharField(_("fund source"), max_length=80, blank=True)
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    screened_on = models.DateField(_("screened on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("livelihood-project proposal")
        verbose_name_plural = _("livelihood-project proposals")
        indexes = [
            models.Index(fields=["region", "level", "year", "status"]),
            models.Index(fields=["status", "year"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="proposal_cost_positive", condition=Q(estimated_cost__gt=0)
            ),
            models.CheckConstraint(
                name="proposal_rejected_has_reason",
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("livelihood:proposal", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Comment(models.Model):
    """A deputy's word in the deliberation 代表议."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        verbose_name = _("deliberation comment")
        verbose_name_plural = _("deliberation comments")

    def __str__(self) -> str:
        return f"{self.deputy}: {self.text[:20]}"


class FundPoolQuerySet(models.QuerySet):
    def visible_to(self, user) -> FundPoolQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        q = region_q(user, "region")
        if user.role == Role.SECRETARY and user.region_id:
            # The pools of the regions around theirs that pay for their projects too.
            around = [code for code in user.region.path.split("/") if code]
            q |= Q(region__code__in=around, level__in=[level_of(user.region), Level.TOWNSHIP])
        return self.filter(q)

    def covering(self, *, year: int, level: str, region: Region) -> FundPoolQuerySet:
        """The pools that pay for a project of ``level`` in ``region``: its own region's and
        those of the regions around it (a county's pool for its townships)."""
        ancestors = [p for p in region.path.split("/") if p]
        return self.filter(year=year, level=level, region__code__in=ancestors)


class FundPool(models.Model):
    """A year's fund pool 资金池 for one congress level's projects in a region (and the
    regions inside it), paid by that region or by the one around it."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("projects of the congress"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="fund_pools"
    )
    funded_by = models.ForeignKey(
        Region, verbose_name=_("funded by"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = FundPoolQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__path", "level"]
        verbose_name = _("fund pool")
        verbose_name_plural = _("fund pools")
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "region"], name="fund_pool_once"),
            models.CheckConstraint(name="fund_pool_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class CandidateListQuerySet(models.QuerySet):
    def visible_to(self, user) -> CandidateListQuerySet:
        """Staff, leaders, admins: all; a secretary: their region's sessions'; a deputy:
        the sessions of the congresses they sit in."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        q = region_q(user, "session__region")
        if user.role == Role.DEPUTY:
            seat = Mandate.objects.active().filter(
                deputy__user=user.pk,
                level=OuterRef("session__level"),
                region=OuterRef("session__region"),
            )
            q |= Exists(seat)
        return self.filter(q)


class CandidateList(models.Model):
    """A session's candidate projects 候选项目 for N slots, usually more candidates than
    slots (差额). Fixed, it is one ``ballots`` poll with an option per candidate
    (key ``proposal:<pk>``); decided, each candidate is chosen or not."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being drawn up")
        FIXED = "fixed", _("Fixed, to be voted on")
        DECIDED = "decided", _("Decided")

    session = models.OneToOneField(
        "ballots.CongressSession",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="livelihood_list",
    )
    slots = models.PositiveSmallIntegerField(_("slots"))
    method = models.CharField(_("how the deputies vote"), max_length=10, default="each")
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    poll = models.OneToOneField(
        "ballots.Poll",
        verbose_name=_("vote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_list",
    )
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    # Figures of the decided vote, as published (nothing about who voted).
    roll = models.PositiveIntegerField(_("deputies on the roll"), null=True, blank=True)
    present = models.PositiveIntegerField(_("deputies present"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = CandidateListQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate list")
        verbose_name_plural = _("candidate lists")

    def __str__(self) -> str:
        return str(self.session)

    def get_absolute_url(self) -> str:
        return reverse("livelihood:session", args=[self.session_id])


class Candidate(models.Model):
    """A proposal on a candidate list, with its votes once decided."""

    candidate_list = models.ForeignKey(
        CandidateList, on_delete=models.CASCADE, related_name="candidates"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="candidacies"
    )
    yes = models.PositiveIntegerField(_("for"), null=True, blank=True)
    no = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("abstain"), null=True, blank=True)
    passes = models.BooleanField(_("passed"), null=True, blank=True)
    chosen = models.BooleanField(_("chosen"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate_list", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate_list", "proposal"], name="candidate_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return str(self.proposal)
