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
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, Mandate
from liaison_stations.models import Reception
from organisation.access import region_q, unit_q
from organisation.congresses import CongressLevel, level_of
from organisation.models import Region, Unit
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
            # One key list, the union of three, rather than an OR across the join to a
            # province's 120,000 deputies and an EXISTS asked of each of its 22,000
            # proposals: PostgreSQL joins to a single IN by the keys. The proposals of
            # the congresses where the deputy holds an active seat are found from the
            # seats (their region's proposals of their level).
            keys = Proposal.objects.order_by().values("pk")
            own = keys.filter(proposer=user.pk).union(
                keys.filter(proposer_deputy__user=user.pk),
                keys.filter(
                    region__mandates__deputy__user=user.pk,
                    region__mandates__ended_on__isnull=True,
                    region__mandates__level=F("level"),
                ),
            )
            q |= Q(pk__in=own)
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
            # The list's order: a page without sorting a province's proposals.
            models.Index(fields=["-year", "-created_at", "-id"], name="proposal_list_order"),
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
    # The sum of its allocations, kept by one conditional UPDATE (livelihood/delivery.py)
    # and held below ``amount`` by the database itself.
    allocated = models.DecimalField(
        _("allocated (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        editable=False,
    )
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
            models.CheckConstraint(
                name="fund_pool_never_over_allocated",
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"

    @property
    def unallocated(self):
        return self.amount - self.allocated


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


# --- 办 Implement (livelihood/delivery.py) ---------------------------------------------------


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """Staff, leaders, admins: all; a secretary: their region's; a unit contact: their
        unit's; a deputy: those of the congresses they sit in."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        q = region_q(user, "proposal__region") | unit_q(user, "unit")
        if user.role == Role.DEPUTY:
            seat = Mandate.objects.active().filter(
                deputy__user=user.pk,
                level=OuterRef("proposal__level"),
                region=OuterRef("proposal__region"),
            )
            q |= Exists(seat) | Q(proposal__proposer=user.pk)
        return self.filter(q)

    def late(self, today=None) -> ProjectQuerySet:
        """Not completed, with a milestone past its day and not done."""
        today = today or timezone.localdate()
        overdue = Milestone.objects.filter(
            project=OuterRef("pk"), done_on__isnull=True, due__lt=today
        )
        return self.exclude(state=Project.State.COMPLETED).filter(Exists(overdue))


class Project(models.Model):
    """A chosen proposal being carried out 政府办: a responsible unit, a budget, money
    allocated from the fund pools and spent, milestones, progress reports, a completion
    record. ``allocated`` and ``spent`` are kept by conditional UPDATEs; the database holds
    0 ≤ spent ≤ allocated."""

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("project", "Planned")
        UNDER_WAY = "under_way", pgettext_lazy("project", "Under way")
        COMPLETED = "completed", pgettext_lazy("project", "Completed")

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="project"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
    )
    budget = models.DecimalField(_("budget (10,000 yuan)"), max_digits=10, decimal_places=2)
    state = models.CharField(
        _("stage"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_note = models.TextField(_("completion record"), blank=True)
    allocated = models.DecimalField(
        _("allocated (10,000 yuan)"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    spent = models.DecimalField(
        _("spent (10,000 yuan)"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-proposal__year", "proposal__region__path", "pk"]
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        indexes = [models.Index(fields=["unit", "state"])]
        constraints = [
            models.CheckConstraint(name="project_budget_positive", condition=Q(budget__gt=0)),
            models.CheckConstraint(
                name="project_spent_within_allocation",
                condition=Q(spent__gte=0) & Q(spent__lte=F("allocated")),
            ),
            models.CheckConstraint(
                name="project_completed_has_day",
                condition=~Q(state="completed") | Q(completed_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.proposal)

    def get_absolute_url(self) -> str:
        return reverse("livelihood:project", args=[self.pk])


class Allocation(models.Model):
    """Money put on a project from a fund pool; never more than the pool has left."""

    pool = models.ForeignKey(
        FundPool, verbose_name=_("fund pool"), on_delete=models.PROTECT, related_name="allocations"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=12, decimal_places=2)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("allocated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on = models.DateField(_("allocated on"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(name="allocation_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.amount}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=80)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "due", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["done_on", "due"])]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today=None) -> bool:
        return self.done_on is None and self.due < (today or timezone.localdate())


class ProgressReport(models.Model):
    """The unit's word on a project, often from a phone at the site: what was done, the
    money spent since the last report, photos; the last one may complete it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("progress"))
    spent = models.DecimalField(
        _("spent since the last report (10,000 yuan)"), max_digits=12, decimal_places=2, default=0
    )
    completes = models.BooleanField(_("completes the project"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on = models.DateField(_("reported on"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["project", "-on", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(name="progress_spent_not_negative", condition=Q(spent__gte=0))
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.on}"


class ProgressPhotoQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgressPhotoQuerySet:
        return self.filter(report__project__in=Project.objects.visible_to(user))


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="livelihood/progress/")
    name = models.CharField(_("file name"), max_length=200, blank=True)

    objects = ProgressPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self) -> str:
        return self.name


# 督 Supervise and 评 Evaluate: inspections, findings and evaluations.
from livelihood.supervision_models import Evaluation, Finding, Inspection  # noqa: E402, F401
