"""Responsibility task lists: 清单式定责 → 项目式压责 → 联动式督责 → 成果式考责.

A :class:`TaskList` (one per issuer and year) has ordered :class:`Aspect` s and
numbered :class:`Task` s. Tasks are run as projects (:class:`Milestone`, monthly
:class:`ProgressReport` with :class:`Evidence`), supervised (:class:`SupervisionVisit`
and its :class:`FollowUpItem` s) and assessed each quarter (:class:`Assessment`).

The derived status of a task (未启动 / 正常推进 / 滞后 / 逾期 / 已完成) is computed in
one place, :mod:`tasks.status`; ``Task.objects.with_status(today)`` annotates it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress_portal.import_jobs import ImportJob
from organisation.access import has_role, unit_q
from organisation.roles import Role


def _scoped_to_unit(
    queryset: models.QuerySet, user, *fields: str, within: Q | None = None
) -> models.QuerySet:
    """Rows handed to the user's unit through any of ``fields`` (FK or M2M), without duplicates.

    An OR across a many-to-many join repeats a row once per matching partner, so the
    filter runs in a subquery on primary keys instead of with ``distinct()`` (which
    would break the annotations and ordering of the list pages). ``within`` narrows both
    the rows and that subquery (a list's tasks, a year's, the open ones), so the scope
    looks at those rows only, not at every row of every year and city; it must not hold
    an ``OuterRef`` (the subquery would take it as its own).
    """
    if within is not None:
        queryset = queryset.filter(within)
    if not user.is_authenticated:
        return queryset.none()
    if user.sees_everything:
        return queryset
    keys = queryset.model._default_manager.filter(within or Q(), unit_q(user, *fields))
    return queryset.filter(pk__in=keys.values("pk"))


class TaskListQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskListQuerySet:
        """A list is visible with any of its tasks (office roles see every list)."""
        if user.is_authenticated and user.sees_everything:
            return self
        return self.filter(tasks__in=Task.objects.visible_to(user).values("pk")).distinct()


class TaskList(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Standing committee list")
        PARTY = "party", _("City party committee list")
        OTHER = "other", _("Other list")

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    issuer = models.CharField(_("issuer"), max_length=80, blank=True)
    # Monthly reports are due from this month on (first day of the month); before it
    # a missing report does not make a task lag.
    reports_start = models.DateField(_("reports due from"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TaskListQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "title"]
        verbose_name = _("task list")
        verbose_name_plural = _("task lists")
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="tasklist_unique_title_per_year")
        ]

    def __str__(self) -> str:
        return self.title


class Aspect(models.Model):
    task_list = models.ForeignKey(
        TaskList, verbose_name=_("task list"), on_delete=models.CASCADE, related_name="aspects"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task_list", "number"]
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        constraints = [
            models.UniqueConstraint(fields=["task_list", "number"], name="aspect_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user, *, within: Q | None = None) -> TaskQuerySet:
        """Office roles see every task; a unit contact the tasks their unit leads or helps
        with; a region's office the tasks of its region's units. ``within``: see
        :func:`_scoped_to_unit`."""
        return _scoped_to_unit(self, user, "lead_unit", "cooperating_units", within=within)

    def open_on(self, today: datetime.date) -> TaskQuerySet:
        """The tasks not finished by ``today`` (``tasks.status.open_on``)."""
        from tasks.status import open_on

        return self.filter(open_on(today))

    def with_status(self, today: datetime.date, *, reasons: bool = False) -> TaskQuerySet:
        """Annotate ``status`` (a :class:`tasks.status.TaskStatus` value) as of ``today``;
        with ``reasons``, also what ``tasks.status.status_reason`` reads."""
        from tasks.status import reason_annotations, status_expression

        tasks = self.annotate(status=status_expression(today))
        return tasks.annotate(**reason_annotations(today)) if reasons else tasks


class Task(models.Model):
    task_list = models.ForeignKey(
        TaskList, verbose_name=_("task list"), on_delete=models.CASCADE, related_name="tasks"
    )
    aspect = models.ForeignKey(
        # RESTRICT, not PROTECT: an aspect with tasks cannot be deleted on its own, but a
        # whole list (aspects and tasks together) can.
        Aspect,
        verbose_name=_("aspect"),
        on_delete=models.RESTRICT,
        related_name="tasks",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    content = models.TextField(_("content"))
    expected_result = models.TextField(_("expected result"), blank=True)
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        limit_choices_to={"role": Role.LEADER},
    )
    lead_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    cooperating_units = models.ManyToManyField(
        "organisation.Unit",
        verbose_name=_("cooperating units"),
        blank=True,
        related_name="cooperating_tasks",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_long_term = models.BooleanField(_("long-term"), default=False)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # Written by the services when staff accept a report: the share done and the day
    # the task was finished (an accepted report of 100 %).
    percent_done = models.PositiveSmallIntegerField(_("Percent done"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Bumped by every edit of the fields above; an edit made against an older version
    # is refused (see tasks.services.lists.task_update).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[cooperating_units])

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["task_list", "aspect__number", "number"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["task_list", "number"], name="task_unique_number"),
            models.CheckConstraint(
                name="task_deadline_or_long_term",
                condition=Q(is_long_term=True) | Q(deadline__isnull=False),
            ),
            models.CheckConstraint(name="task_percent_range", condition=Q(percent_done__lte=100)),
        ]
        indexes = [models.Index(fields=["lead_unit", "task_list"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:40]}"

    @property
    def deadline_label(self) -> str:
        return str(_("Long-term")) if self.is_long_term else ""


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user) -> MilestoneQuerySet:
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class Milestone(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["task", "due_date"])]

    def __str__(self) -> str:
        return self.title


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user, *, within: Q | None = None) -> ProgressReportQuerySet:
        """The reports on the tasks the user sees; ``within`` (on ``Task``) narrows those
        tasks first."""
        return self.filter(task__in=Task.objects.visible_to(user, within=within).values("pk"))


class ProgressReport(models.Model):
    """One unit's report on one task for one month.

    The lead unit's report is the task's report; a cooperating unit's report records its
    contribution separately. A returned report is corrected and submitted again in the
    same row; its history keeps every submission and review.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(
        _("Percent done"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "task"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "month"], name="report_one_per_unit_and_month"
            ),
            models.CheckConstraint(name="report_percent_range", condition=Q(percent__lte=100)),
        ]
        indexes = [models.Index(fields=["status", "month"])]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit} · {self.month:%Y-%m}"

    @property
    def is_lead_report(self) -> bool:
        return self.unit_id == self.task.lead_unit_id


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: the original name is kept in a field, and a guessable
    # path must never be a way around the access-checked download view.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    today = datetime.date.today()
    return f"tasks/evidence/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> EvidenceQuerySet:
        """Who may see the task may see its files; a follow-up's unit may see the files of
        the item it closed."""
        return self.filter(
            Q(task__in=Task.objects.visible_to(user).values("pk"))
            | Q(follow_up__in=FollowUpItem.objects.visible_to(user).values("pk"))
        )


class Evidence(models.Model):
    """A file backing a progress report or the closing of a follow-up item."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="evidence"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    follow_up = models.ForeignKey(
        "FollowUpItem",
        verbose_name=_("follow-up item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class SupervisionVisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> SupervisionVisitQuerySet:
        if user.is_authenticated and user.sees_everything:
            return self
        return self.none()


class SupervisionVisit(models.Model):
    """督导调研: a leader's visit, the places, the tasks covered and what was found."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="supervision_visits",
        limit_choices_to={"role": Role.LEADER},
    )
    visited_on = models.DateField(_("date"))
    places = models.CharField(_("places"), max_length=300)
    tasks = models.ManyToManyField(
        Task, verbose_name=_("tasks covered"), blank=True, related_name="supervision_visits"
    )
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[tasks])

    objects = SupervisionVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")

    def __str__(self) -> str:
        return f"{self.visited_on} {self.places}"


class FollowUpItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> FollowUpItemQuerySet:
        return _scoped_to_unit(self, user, "unit")

    def open(self) -> FollowUpItemQuerySet:
        return self.filter(closed_on__isnull=True)


class FollowUpItem(models.Model):
    """One finding of a supervision visit, handed to a unit: an item of the 督导工作清单."""

    visit = models.ForeignKey(
        SupervisionVisit,
        verbose_name=_("supervision visit"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="follow_up_items",
    )
    description = models.TextField(_("finding"))
    due_date = models.DateField(_("due date"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("how it was resolved"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = FollowUpItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        indexes = [models.Index(fields=["closed_on", "due_date"])]

    def __str__(self) -> str:
        return self.description[:40]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.closed_on is None and self.due_date < today


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class Assessment(models.Model):
    """季考评: one task's scores for one quarter on the rubric (each part out of 25)."""

    RUBRIC = ("completion", "timeliness", "quality", "evidence_score")
    PART_MAX = 25

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assessments"
    )
    # The unit assessed: the lead unit when the scores were given (kept, because the
    # lead unit of a task may change later in the year).
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    completion = models.PositiveSmallIntegerField(
        _("completion"), validators=[MaxValueValidator(PART_MAX)]
    )
    timeliness = models.PositiveSmallIntegerField(
        _("timeliness"), validators=[MaxValueValidator(PART_MAX)]
    )
    quality = models.PositiveSmallIntegerField(
        _("quality"), validators=[MaxValueValidator(PART_MAX)]
    )
    evidence_score = models.PositiveSmallIntegerField(
        _("evidence"), validators=[MaxValueValidator(PART_MAX)]
    )
    total = models.PositiveSmallIntegerField(_("total"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Bumped by every scoring; a scoring made against an older version is refused (see
    # tasks.services.assessment.assessment_record).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["year", "quarter", "task"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "year", "quarter"], name="assessment_one_per_quarter"
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "unit"])]

    def __str__(self) -> str:
        return f"{self.task} · {self.year}Q{self.quarter}"


class InstructionQuerySet(models.QuerySet):
    def visible_to(self, user) -> InstructionQuerySet:
        """Who may see the task may see the instructions written on it."""
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class Instruction(models.Model):
    """批示 / 督办: a leader's instruction on a task, handed to the task's lead unit as a
    handover of kind "instruction" (``handover``): the unit answers it from its inbox by
    the next report day (or the day the leader set) and the leader rates the answer."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="instructions"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="instructions_written",
    )
    text = models.TextField(_("instruction"))
    written_on = models.DateField(_("written on"))
    # Set in the transaction that writes the instruction (tasks.services.instructions).
    handover = models.OneToOneField(
        "handovers.Handover",
        verbose_name=_("handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = InstructionQuerySet.as_manager()

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        indexes = [models.Index(fields=["task", "written_on"])]

    def __str__(self) -> str:
        return self.text[:40]


class TaskImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskImportJobQuerySet:
        # Imports are the staff's (the pages are role-checked too).
        return self if user.is_authenticated and has_role(user, Role.STAFF) else self.none()


class TaskImportJob(ImportJob):
    """A task-list import too long for a request, run by a worker
    (congress_portal/import_jobs.py): the list's title, year, kind, issuer and first
    report month as the confirmation gave them, and the list it made."""

    details = models.JSONField(_("list"), default=dict)
    task_list = models.ForeignKey(
        TaskList,
        verbose_name=_("task list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TaskImportJobQuerySet.as_manager()

    @property
    def result_url(self) -> str:
        """The imported list's page."""
        return reverse("tasks:index", query={"list": self.task_list_id})

    class Meta(ImportJob.Meta):
        verbose_name = _("task-list import")
        verbose_name_plural = _("task-list imports")
