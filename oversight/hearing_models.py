"""Inquiries 专题询问, interpellations 质询 and satisfaction votes 满意度测评: the models
(imported by ``oversight.models``), each hung on an oversight ``Case`` of its kind.

- An **inquiry**: the units that answer (``Respondent``: a unit and the person who
  answers for it), the questions put by standing-committee members or deputies, each
  answered by a respondent; each ``Commitment`` made in an answer is a
  ``handovers.Handover`` of kind ``oversight_commitment`` to the unit, due on the day
  promised, checked by the office.
- An **interpellation** (a case may hold several, one per body questioned): moved jointly by enough members of the standing committee (5 of
  a city's, 3 of a county's) or by 10 deputies at a congress session (``Mover``), naming
  the body questioned; its answer is a handover of kind ``interpellation`` to that body.
  Each mover records satisfied or dissatisfied; more than half dissatisfied sends the
  handover back for its one second answer (the handover's round 2).
- A **satisfaction vote**: the departments' reports, or their year, rated by secret
  ballot (a ``ballots`` poll of method "rate" at a congress session or a standing
  committee meeting, one option per unit ``unit:<pk>``); the counts are kept per unit
  once the tally is published (``SatisfactionResult``), and a unit rated 不满意 reports
  again through a handover of kind ``satisfaction_report``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ballots.models import CongressSession, Poll
from deputies.models import Deputy
from handovers.models import Handover
from organisation.models import Unit
from organisation.roles import Role

COMMITMENT_KIND = "oversight_commitment"
INTERPELLATION_KIND = "interpellation"
REREPORT_KIND = "satisfaction_report"


def _case_scope(user, prefix: str) -> Q:
    """What the case's office sees (``Case.objects.visible_to``), through ``prefix``."""
    from oversight.models import Case

    return Q(**{f"{prefix}__in": Case.objects.visible_to(user).values("pk")})


# --- 专题询问 Inquiries -------------------------------------------------------------------------


class Respondent(models.Model):
    """应询人: a unit answering at an inquiry and the person who answers for it."""

    case = models.ForeignKey("oversight.Case", on_delete=models.CASCADE, related_name="respondents")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("who answers"), max_length=40)
    title = models.CharField(_("post"), max_length=60, help_text=_("e.g. 局长"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

    def __str__(self) -> str:
        return f"{self.unit.short_name or self.unit.name} {self.title} {self.name}"


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        return self.filter(_case_scope(user, "case"))


class Question(models.Model):
    """One question put at an inquiry, and the respondent's answer."""

    case = models.ForeignKey("oversight.Case", on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("number"))
    asker = models.ForeignKey(
        Deputy, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    #: Whether the asker sat on the standing committee on the day (else a deputy).
    asker_is_member = models.BooleanField(_("standing committee member"), default=False)
    text = models.TextField(_("question"))
    asked_on = models.DateField(_("asked on"))
    respondent = models.ForeignKey(
        Respondent,
        verbose_name=_("put to"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("inquiry question")
        verbose_name_plural = _("inquiry questions")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="question_number_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Commitment(models.Model):
    """承诺: what a unit promised in an answer — to an inquiry's question or to an
    interpellation — tracked to its due date as a handover to the unit."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    interpellation = models.ForeignKey(
        "oversight.Interpellation",
        verbose_name=_("interpellation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    text = models.TextField(_("commitment"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    handover = models.OneToOneField(
        Handover,
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                name="commitment_of_a_question_or_an_interpellation",
                condition=Q(question__isnull=True, interpellation__isnull=False)
                | Q(question__isnull=False, interpellation__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


# --- 质询 Interpellations -------------------------------------------------------------------


class InterpellationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InterpellationQuerySet:
        """The case's office, and the contacts of the body questioned."""
        q = _case_scope(user, "case")
        if user.is_authenticated and user.role == Role.UNIT and user.unit_id:
            q |= Q(unit=user.unit_id)
        return self.filter(q)


class Interpellation(models.Model):
    """质询案: moved by members of the standing committee or deputies at a session,
    answered by the body questioned, the movers' satisfaction recorded."""

    class Setting(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", _("At a standing committee meeting")
        CONGRESS = "congress", _("At a congress session")

    class Mode(models.TextChoices):
        ORAL = "oral", _("Oral answer")
        WRITTEN = "written", _("Written answer")

    case = models.ForeignKey(
        "oversight.Case", on_delete=models.CASCADE, related_name="interpellations"
    )
    setting = models.CharField(_("moved"), max_length=20, choices=Setting.choices)
    session = models.ForeignKey(
        CongressSession,
        verbose_name=pgettext_lazy("congress", "session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_on = models.DateField(_("moved on"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("body questioned"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("what is asked"))
    mode = models.CharField(_("how it is answered"), max_length=10, choices=Mode.choices)
    handover = models.OneToOneField(
        Handover,
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The movers dissatisfied with the first and the second answer, once all recorded.
    dissatisfied_first = models.PositiveSmallIntegerField(null=True, blank=True)
    dissatisfied_second = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    objects = InterpellationQuerySet.as_manager()

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("interpellation")
        verbose_name_plural = _("interpellations")

    def __str__(self) -> str:
        return self.subject


class Mover(models.Model):
    """A member or deputy who moved the interpellation, and their verdict on each answer."""

    interpellation = models.ForeignKey(
        Interpellation, on_delete=models.CASCADE, related_name="movers"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("mover"), on_delete=models.PROTECT, related_name="+"
    )
    satisfied_first = models.BooleanField(_("satisfied with the answer"), null=True, blank=True)
    satisfied_second = models.BooleanField(
        _("satisfied with the second answer"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["interpellation", "pk"]
        verbose_name = _("mover")
        verbose_name_plural = _("movers")
        constraints = [
            models.UniqueConstraint(fields=["interpellation", "deputy"], name="mover_once")
        ]

    def __str__(self) -> str:
        return str(self.deputy)


# --- 满意度测评 Satisfaction votes -----------------------------------------------------------


class SatisfactionVote(models.Model):
    """A satisfaction vote of a case: the units rated on one "rate" poll of a session."""

    class Subject(models.TextChoices):
        REPORT = "report", _("Their report")
        YEAR = "year", _("Their year's work")

    case = models.ForeignKey(
        "oversight.Case", on_delete=models.CASCADE, related_name="satisfaction_votes"
    )
    session = models.ForeignKey(
        CongressSession,
        verbose_name=pgettext_lazy("congress", "session"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    poll = models.OneToOneField(
        Poll, verbose_name=_("vote"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("what is rated"), max_length=10, choices=Subject.choices)
    year = models.PositiveSmallIntegerField(_("year rated"))
    #: Counted once the tally is published: the roll, who was present, the ballots
    #: (electronic and paper) and the paper ballots found invalid, counted apart.
    roll = models.PositiveIntegerField(_("on the roll"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    ballots = models.PositiveIntegerField(_("ballots cast"), null=True, blank=True)
    invalid = models.PositiveIntegerField(_("invalid ballots"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("satisfaction vote")
        verbose_name_plural = _("satisfaction votes")

    def __str__(self) -> str:
        return str(self.poll)


class SatisfactionResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> SatisfactionResultQuerySet:
        q = _case_scope(user, "vote__case")
        if user.is_authenticated and user.role == Role.UNIT and user.unit_id:
            q |= Q(unit=user.unit_id)
        return self.filter(q)


class SatisfactionResult(models.Model):
    """One unit's counts at a satisfaction vote and the rule's verdict."""

    vote = models.ForeignKey(SatisfactionVote, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    satisfied = models.PositiveIntegerField(pgettext_lazy("rating", "Satisfied"), default=0)
    basic = models.PositiveIntegerField(pgettext_lazy("rating", "Basically satisfied"), default=0)
    unsatisfied = models.PositiveIntegerField(pgettext_lazy("rating", "Unsatisfied"), default=0)
    abstain = models.PositiveIntegerField(pgettext_lazy("rating", "Abstain"), default=0)
    unsatisfactory = models.BooleanField(_("unsatisfactory"), default=False)
    #: Rated 不满意: the unit's new report, due by a deadline.
    rereport = models.OneToOneField(
        Handover,
        verbose_name=_("new report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = SatisfactionResultQuerySet.as_manager()

    class Meta:
        ordering = ["vote", "pk"]
        verbose_name = _("satisfaction result")
        verbose_name_plural = _("satisfaction results")
        constraints = [
            models.UniqueConstraint(fields=["vote", "unit"], name="satisfaction_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.vote}"
