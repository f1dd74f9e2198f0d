"""Oversight 监督: the annual plan, cases, and the closed loop 反馈—交办—督办—评价.

A **case** belongs to one congress (the city's or a county's, sometimes a township's),
named by a level and a region (organisation/congresses.py): the city's staff keep the
city's cases, a county secretary their county's. A case has a kind (执法检查, 专题调研…),
a lead committee, target units, participants (standing-committee members and deputies,
each one activity in their performance record), stages with dates and documents.

The loop of a problem found 问题清单 (``Problem``), each one a ``handovers.Handover`` of
kind ``rectification`` to its unit::

    found ──hand over──▶ rectifying ──unit answers──▶ reported ──second visit 二次暗访──┐
                                                                                    │
        verified ◀── rectified ─────────────────────────────────────────────────────┤
                                                                                    │
        second_list 二次清单 ◀── partly / not rectified (the handover's round 2) ◀──┘
            │ unit answers
            ▼
        second_reported ──office or another visit verifies──▶ verified
                        └──office closes with a reason──────▶ unresolved

"Rectified and verified" (``verified``) and "closed unresolved" (``unresolved``) are
counted apart. A review opinion 审议意见 is a handover of kind
``review_opinion`` whose answer is the report-back, reviewed at a meeting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from deputies.models import Deputy
from handovers.models import Handover
from organisation.access import region_q, unit_q
from organisation.congresses import CongressLevel
from organisation.models import Region, Unit

Level = CongressLevel


class Kind(models.TextChoices):
    LAW_INSPECTION = "law_inspection", _("Law-enforcement inspection")
    RESEARCH = "research", pgettext_lazy("oversight", "Research")
    WORK_REPORT = "work_report", _("Hearing a work report")
    INQUIRY = "inquiry", _("Special inquiry")
    INTERPELLATION = "interpellation", _("Interpellation")
    APPRAISAL = "appraisal", _("Work appraisal")
    SATISFACTION = "satisfaction", _("Satisfaction test")
    BUDGET = "budget", _("Budget supervision")


# --- The annual plan -------------------------------------------------------------------------


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanQuerySet:
        return self.filter(region_q(user, "region"))


class Plan(models.Model):
    """年度监督工作计划: one congress's oversight plan for one year."""

    region = models.ForeignKey(
        Region, verbose_name=_("congress region"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("congress level"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "level", "region"]
        verbose_name = _("oversight plan")
        verbose_name_plural = _("oversight plans")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "year"], name="oversight_plan_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:index", query={"year": self.year})


class PlanItem(models.Model):
    """One planned case of a plan: its quarter, kind and lead committee."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("oversight plan"), on_delete=models.CASCADE, related_name="items"
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, str(q)) for q in range(1, 5)]
    )
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    lead_committee = models.CharField(_("lead committee"), max_length=60)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "quarter", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.title


# --- Cases -----------------------------------------------------------------------------------


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """The office: every case; a secretary: their region's congresses' cases; anyone
        else: none (a unit sees the items handed to it, ``Problem``/``ReviewOpinion``)."""
        return self.filter(region_q(user, "region"))


class Case(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("case", "Planned")
        RUNNING = "running", pgettext_lazy("case", "Under way")
        FINISHED = "finished", pgettext_lazy("case", "Finished")

    region = models.ForeignKey(
        Region,
        verbose_name=_("congress region"),
        on_delete=models.PROTECT,
        related_name="oversight_cases",
    )
    level = models.CharField(_("congress level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    # A committee of the standing committee (环境与资源保护工作委员会), not a unit work
    # is handed to: kept as its name.
    lead_committee = models.CharField(_("lead committee"), max_length=60)
    #: 执法检查 run jointly with the congresses of these levels (三级联动): a list of
    #: ``CongressLevel`` values, empty when the case's congress runs it alone.
    joint_levels = models.JSONField(_("jointly with"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    target_units = models.ManyToManyField(
        Unit, verbose_name=_("target units"), blank=True, related_name="oversight_cases"
    )
    participants = models.ManyToManyField(
        Deputy,
        verbose_name=_("participants"),
        through="Participant",
        blank=True,
        related_name="oversight_cases",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    # 二次审议: the evaluation at a standing-committee meeting.
    second_review_on = models.DateField(_("second review on"), null=True, blank=True)
    second_review_meeting = models.CharField(_("second review meeting"), max_length=120, blank=True)
    second_review_notes = models.TextField(_("second review conclusion"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[target_units])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("oversight case")
        verbose_name_plural = _("oversight cases")
        indexes = [
            models.Index(fields=["region", "level", "year"]),
            models.Index(fields=["year", "state"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:case", args=[self.pk])


class Participant(models.Model):
    """A standing-committee member or deputy taking part in a case (one activity each)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Group leader")
        MEMBER = "member", _("Standing committee member")
        DEPUTY = "deputy", _("Deputy")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.DEPUTY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "role", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["case", "deputy"], name="participant_once_per_case")
        ]

    def __str__(self) -> str:
        return str(self.deputy)


class CaseStage(models.Model):
    """A stage of a case (方案制定, 实地检查, 听取汇报, 审议, 二次暗访…) with its dates."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("stage"), max_length=60)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "planned_on", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.name


class CaseDocument(models.Model):
    """A document of a case (检查方案, 检查报告, 审议意见…); served through the case's scope."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(_("file"), upload_to="oversight/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["case", "uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


# --- The rectification loop ------------------------------------------------------------------


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProblemQuerySet:
        """The case's office, and the unit it is handed to (once handed over)."""
        handed = unit_q(user, "unit") & Q(handover__isnull=False)
        return self.filter(region_q(user, "case__region") | handed)


class Problem(models.Model):
    """One problem found 问题 on a case's problem list, and its rectification 整改."""

    class State(models.TextChoices):
        FOUND = "found", _("Found, not yet handed over")
        RECTIFYING = "rectifying", _("Being rectified")
        REPORTED = "reported", _("Rectification reported")
        SECOND_LIST = "second_list", _("On the second list")
        SECOND_REPORTED = "second_reported", _("Second list reported")
        VERIFIED = "verified", _("Rectified and verified")
        UNRESOLVED = "unresolved", _("Closed unresolved")

    #: Closed: counted apart, never together.
    CLOSED = (State.VERIFIED, State.UNRESOLVED)
    #: With the unit (rectifying, in either round).
    WITH_UNIT = (State.RECTIFYING, State.SECOND_LIST)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="problems")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("problem"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    measures = models.TextField(_("rectification measures"), blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.FOUND, db_index=True
    )
    handover = models.OneToOneField(
        Handover,
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The second list's deadline, once on it.
    second_due_on = models.DateField(_("second list deadline"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason it was closed unresolved"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="problem_number_once"),
            models.CheckConstraint(
                name="problem_unresolved_has_reason",
                condition=~Q(state="unresolved") | ~Q(close_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:problem", args=[self.pk])

    @property
    def on_second_list(self) -> bool:
        return self.second_due_on is not None

    @property
    def is_closed(self) -> bool:
        return self.state in self.CLOSED


class SecondVisit(models.Model):
    """二次暗访: an unannounced visit that checks the reported rectifications."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(pgettext_lazy("visit", "date"))
    who = models.CharField(_("who went"), max_length=200)
    notes = models.TextField(pgettext_lazy("visit", "notes"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "date", "pk"]
        verbose_name = _("second unannounced visit")
        verbose_name_plural = _("second unannounced visits")

    def __str__(self) -> str:
        return f"{self.case} {self.date}"


class VisitFinding(models.Model):
    """What a visit found of one problem."""

    class Outcome(models.TextChoices):
        RECTIFIED = "rectified", _("Rectified")
        PARTLY = "partly", _("Partly rectified")
        NOT = "not", _("Not rectified")

    visit = models.ForeignKey(SecondVisit, on_delete=models.CASCADE, related_name="findings")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="findings")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    notes = models.TextField(pgettext_lazy("visit", "notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["problem", "visit__date", "pk"]
        verbose_name = _("visit finding")
        verbose_name_plural = _("visit findings")
        constraints = [
            models.UniqueConstraint(fields=["visit", "problem"], name="visit_finding_once")
        ]

    def __str__(self) -> str:
        return f"{self.problem} · {self.get_outcome_display()}"


# --- Review opinions -------------------------------------------------------------------------


class ReviewOpinionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewOpinionQuerySet:
        return self.filter(region_q(user, "case__region") | unit_q(user, "unit"))


class ReviewOpinion(models.Model):
    """审议意见: issued to the government, the supervisory commission, the court or the
    procuratorate, which reports back by a deadline; the report-back is reviewed at a
    meeting, which accepts it or asks for a further report (the handover's round 2)."""

    class State(models.TextChoices):
        ISSUED = "issued", _("Issued, report-back awaited")
        REPORTED = "reported", _("Reported back, to be reviewed")
        FURTHER = "further", _("Further report asked for")
        ACCEPTED = "accepted", _("Report-back accepted")
        UNRESOLVED = "unresolved", _("Closed unresolved")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey(
        Unit, verbose_name=_("issued to"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("opinions"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("report-back deadline"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.ISSUED)
    handover = models.OneToOneField(
        Handover,
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ReviewOpinionQuerySet.as_manager()

    class Meta:
        ordering = ["case", "issued_on", "pk"]
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:opinion", args=[self.pk])


class OpinionReview(models.Model):
    """A meeting's review of a report-back: accepted, or a further report asked for."""

    opinion = models.ForeignKey(ReviewOpinion, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.CharField(_("meeting"), max_length=120)
    date = models.DateField(pgettext_lazy("meeting", "date"))
    accepted = models.BooleanField(_("accepted"))
    notes = models.TextField(_("conclusion"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["opinion", "date", "pk"]
        verbose_name = _("report-back review")
        verbose_name_plural = _("report-back reviews")

    def __str__(self) -> str:
        return f"{self.opinion} · {self.meeting}"


# Inquiries, interpellations and satisfaction votes: their models in their own module.
from oversight.hearing_models import (  # noqa: E402, F401
    Commitment,
    Interpellation,
    Mover,
    Question,
    Respondent,
    SatisfactionResult,
    SatisfactionVote,
)
