"""A handover 交办: work handed to a main unit (and sometimes helping units) with a
deadline, answered by the unit, then verified by the office or rated by the person it
concerns, and closed or sent back once.

States::

    handed ──answer──▶ answered ──verify / rate (accepted)──▶ closed
       ▲                  │  └──rate 不满意 / verify refused (round 1)──▶ returned
       │                  │                                               │
       └──────────────────┼──────────────── answer (round 2, final) ◀─────┘
                          └── office closes "代表未反馈" after the rating wait

The one history of a handover is its :class:`Step` rows (who did what, when, with
which text, class or rating, in which round); ``HistoricalRecords`` keeps every
version of the row besides.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from handovers.kinds import CheckedBy
from organisation.access import region_q
from organisation.models import Region, Unit
from organisation.roles import Role


class Colour(models.TextChoices):
    """督办单 colours of work still with a unit; answered and closed work has none."""

    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")
    NONE = "none", _("With the office or closed")


def with_unit_first() -> Case:
    """0 for work still with a unit (handed over or sent back), 1 for the rest: the
    inbox's first order, and the first column of the index that keeps it (the index
    matches the query's expression only if both are written as this one)."""
    return Case(
        When(state__in=("handed", "returned"), then=Value(0)),
        default=Value(1),
        output_field=models.IntegerField(),
    )


class HandoverQuerySet(models.QuerySet):
    def visible_to(self, user) -> HandoverQuerySet:
        """Staff, leaders and admins: all; a secretary: their region's; a unit contact:
        what is handed to their unit, as main or helping unit; anyone: what they rate
        or lead."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        q = region_q(user, "region") | Q(rater=user) | Q(leader=user)
        if user.role == Role.UNIT and user.unit_id:
            q |= Q(unit=user.unit_id) | Q(assists__unit=user.unit_id)
            return self.filter(pk__in=self.filter(q).values("pk"))
        return self.filter(q)

    def for_unit(self, unit_id: int) -> HandoverQuerySet:
        """Handed to the unit as main or helping unit: the keys of both, one UNION, so
        that PostgreSQL reads the unit's rows by index (``unit = … OR pk IN (subquery)``
        made it read every handover)."""
        main = Handover.objects.filter(unit=unit_id).order_by().values("pk")
        helped = Assist.objects.filter(unit=unit_id).order_by().values("handover")
        return self.filter(pk__in=main.union(helped))

    def open(self) -> HandoverQuerySet:
        return self.exclude(state=Handover.State.CLOSED)

    def with_unit(self) -> HandoverQuerySet:
        """Still with the unit: handed over or sent back, not yet answered."""
        return self.filter(state__in=Handover.WITH_UNIT)

    def with_colour(self, today: dt.date) -> HandoverQuerySet:
        """Annotate ``colour`` (:class:`Colour`) and ``age`` is left to Python: the
        colour is one CASE over the deadline, so lists filter and sort on it in SQL."""
        yellow_from = today + dt.timedelta(days=settings.HANDOVER_YELLOW_DAYS)
        return self.annotate(
            colour=Case(
                When(~Q(state__in=Handover.WITH_UNIT), then=Value(Colour.NONE)),
                When(due_on__lt=today, then=Value(Colour.RED)),
                When(due_on__lte=yellow_from, then=Value(Colour.YELLOW)),
                default=Value(Colour.GREEN),
                output_field=models.CharField(),
            )
        )

    def of_colour(self, colour: str, today: dt.date) -> HandoverQuerySet:
        yellow_from = today + dt.timedelta(days=settings.HANDOVER_YELLOW_DAYS)
        with_unit = self.with_unit()
        if colour == Colour.RED:
            return with_unit.filter(due_on__lt=today)
        if colour == Colour.YELLOW:
            return with_unit.filter(due_on__gte=today, due_on__lte=yellow_from)
        if colour == Colour.GREEN:
            return with_unit.filter(due_on__gt=yellow_from)
        return self.exclude(state__in=Handover.WITH_UNIT)


class Handover(models.Model):
    class State(models.TextChoices):
        HANDED = "handed", _("Handed over")
        ANSWERED = "answered", _("Answered")
        RETURNED = "returned", _("Sent back for re-handling")
        CLOSED = "closed", _("Closed")

    class AnswerClass(models.TextChoices):
        A = "A", _("A: solved or basically solved")
        B = "B", _("B: being solved or planned")
        C = "C", _("C: kept for reference")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    class Closure(models.TextChoices):
        VERIFIED = "verified", _("Verified by the office")
        RATED = "rated", _("Rated")
        NO_FEEDBACK = "no_feedback", _("Closed without feedback")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNRESOLVED = "unresolved", _("Closed unresolved")

    WITH_UNIT = (State.HANDED, State.RETURNED)

    kind = models.CharField(_("kind"), max_length=20, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(_("title"), max_length=200)
    # The region whose office keeps the work (a secretary sees and checks it); the city
    # for the city office's work.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("main unit"), on_delete=models.PROTECT, related_name="handovers"
    )
    checked_by = models.CharField(_("checked by"), max_length=10, choices=CheckedBy.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handovers_to_rate",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handovers_led",
    )
    handed_on = models.DateField(_("handed over on"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_due_on = models.DateField(_("first deadline"))
    due_on = models.DateField(_("deadline"))
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.HANDED)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    answer = models.TextField(_("answer"), blank=True)
    answer_class = models.CharField(
        _("result class"), max_length=1, choices=AnswerClass.choices, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure = models.CharField(_("closure"), max_length=12, choices=Closure.choices, blank=True)
    # A B answer stays followed until the unit reports it solved.
    solved_on = models.DateField(_("reported solved on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = HandoverQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        indexes = [
            models.Index(fields=["unit", "state", "due_on"]),
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["subject_type", "subject_id"]),
            # The inbox's open work in its order (with a unit first, by deadline): its
            # first page reads 50 entries rather than sorting every open row, and its
            # counts read the open rows only (a quarter of ten years' work).
            models.Index(
                with_unit_first(),
                "due_on",
                "id",
                condition=~Q(state="closed"),
                name="handover_open_inbox_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(name="handover_round_1_or_2", condition=Q(round__in=[1, 2])),
            models.CheckConstraint(
                name="handover_due_after_handed", condition=Q(due_on__gte=F("handed_on"))
            ),
            models.CheckConstraint(
                name="handover_closed_has_date",
                condition=~Q(state="closed") | Q(closed_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("handovers:detail", args=[self.pk])

    @property
    def is_with_unit(self) -> bool:
        return self.state in self.WITH_UNIT

    @property
    def is_final_round(self) -> bool:
        return self.round >= 2

    def colour(self, today: dt.date) -> str:
        if not self.is_with_unit:
            return Colour.NONE
        if self.due_on < today:
            return Colour.RED
        if self.due_on <= today + dt.timedelta(days=settings.HANDOVER_YELLOW_DAYS):
            return Colour.YELLOW
        return Colour.GREEN

    def age(self, today: dt.date) -> int:
        """Days since the handover, in local days (the day of the handover is day 0)."""
        return ((self.closed_on or today) - self.handed_on).days

    def days_late(self, today: dt.date) -> int:
        return max(0, ((self.answered_on if not self.is_with_unit else today) - self.due_on).days)

    @property
    def is_solved(self) -> bool:
        return self.answer_class == self.AnswerClass.A or self.solved_on is not None


class Assist(models.Model):
    """A helping unit 协办单位: sends its opinion to the main unit within a month."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="assists")
    unit = models.ForeignKey(
        Unit, verbose_name=_("helping unit"), on_delete=models.PROTECT, related_name="assists"
    )
    due_on = models.DateField(_("opinion due"))
    opinion = models.TextField(_("opinion"), blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["handover", "pk"]
        verbose_name = _("helping unit")
        verbose_name_plural = _("helping units")
        constraints = [
            models.UniqueConstraint(fields=["handover", "unit"], name="assist_once_per_unit")
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Step(models.Model):
    """One step of a handover's history, shown as its timeline."""

    class Action(models.TextChoices):
        HANDED = "handed", _("Handed over")
        ASSISTED = "assisted", _("Helping unit's opinion")
        ANSWERED = "answered", _("Answered")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Answer not accepted")
        RATED = "rated", _("Rated")
        RETURNED = "returned", _("Sent back for re-handling")
        EXTENDED = "extended", _("Deadline extended")
        CLOSED = "closed", _("Closed")
        SOLVED = "solved", _("Reported solved")

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    answer_class = models.CharField(
        _("result class"), max_length=1, choices=Handover.AnswerClass.choices, blank=True
    )
    rating = models.CharField(
        _("rating"), max_length=12, choices=Handover.Rating.choices, blank=True
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.get_action_display()


class HandoverFile(models.Model):
    """Evidence attached to an answer or an opinion; served only through the app's checks."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="handovers/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name
