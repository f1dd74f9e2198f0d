"""Deputies 人大代表: the registry, their mandates at five levels, professional groups
and the activities of their performance record 履职档案.

A deputy's ``region`` is the region whose secretary keeps the record (usually the
township or county of the home station); it decides who sees the record and who may
see the full phone number.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from congress_portal.import_jobs import ImportJob
from organisation.access import bound_region, has_role, region_q
from organisation.congresses import CongressLevel
from organisation.models import Region
from organisation.roles import Role


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits, for lists and most readers."""
    digits = phone.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class ProfessionalGroup(models.Model):
    """代表专业小组: deputies grouped by field (agriculture, law, education…)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("professional group")
        verbose_name_plural = _("professional groups")

    def __str__(self) -> str:
        return self.name


class DeputyQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeputyQuerySet:
        q = region_q(user, "region")
        if user.is_authenticated and user.role == Role.DEPUTY:
            q |= Q(user_id=user.pk)
        return self.filter(q)


class Deputy(models.Model):
    class Gender(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")

    name = models.CharField(_("name"), max_length=40, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    party = models.CharField(_("party"), max_length=30, blank=True)
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    photo = models.ImageField(_("photo"), upload_to="deputies/photos/", blank=True)
    # Personal data: stored once, masked in lists, shown in full only to staff and the
    # responsible secretary, each full view recorded in the history.
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="deputies",
        help_text=_("The region whose congress secretary keeps this record."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_record",
    )
    groups = models.ManyToManyField(
        ProfessionalGroup,
        verbose_name=_("professional groups"),
        blank=True,
        related_name="deputies",
    )
    # The secret part of the deputy's iCalendar feed address; a phone calendar cannot sign in.
    calendar_token = models.CharField(
        max_length=40, unique=True, default=new_calendar_token, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The phone is personal data, stored once: the history records who viewed or changed
    # it (see deputy_phone_reveal), never the number itself.
    history = HistoricalRecords(excluded_fields=["calendar_token", "phone"])

    objects = DeputyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        indexes = [models.Index(fields=["region", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def phone_visible_to(self, user) -> bool:
        """Administrators, staff (a city's office within its region) and the secretary
        whose region holds the record."""
        if not user.is_authenticated:
            return False
        if has_role(user, Role.STAFF):
            office = bound_region(user)  # None for administrators and an office naming none
            return office is None or self.region.path.startswith(office.path)
        if user.role == Role.SECRETARY and user.region_id:
            return self.region.path.startswith(user.region.path)
        return False


class MandateQuerySet(models.QuerySet):
    def active(self) -> MandateQuerySet:
        return self.filter(ended_on__isnull=True)

    def active_on(self, day: dt.date) -> MandateQuerySet:
        """The seats held on ``day``: started on or before it (or with no start date
        recorded) and not ended by it (``ended_on`` is the first day without the seat)."""
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=day),
            Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        )


# The region a mandate's seat belongs to, by level: the city's tree has no province or
# nation, so national and provincial seats (elected through the city's delegation) sit
# with the city.
REGION_LEVEL_OF: dict[str, Region.Level] = {
    Level.NATIONAL: Region.Level.CITY,
    Level.PROVINCIAL: Region.Level.CITY,
    Level.CITY: Region.Level.CITY,
    Level.COUNTY: Region.Level.COUNTY,
    Level.TOWNSHIP: Region.Level.TOWNSHIP,
}


class Mandate(models.Model):
    """One seat: a deputy may hold several levels at once (e.g. county and township),
    but never two seats of one level at the same time."""

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="mandates"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    congress = models.CharField(
        _("congress and term"), max_length=80, help_text=_("e.g. 溆浦县第十八届人民代表大会")
    )
    term_start = models.PositiveSmallIntegerField(_("term starts (year)"), null=True, blank=True)
    term_end = models.PositiveSmallIntegerField(_("term ends (year)"), null=True, blank=True)
    district = models.CharField(_("electoral district or delegation"), max_length=80, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="mandates"
    )
    # The day the seat was taken (the election's day); empty for records kept before it
    # was asked, which count as held since ever. A congress session's roll is the seats
    # of its level and region held on its day (ballots/).
    started_on = models.DateField(_("started on"), null=True, blank=True)
    # The day the seat actually ended (resignation, removal, a new term); the term years
    # above are the planned term and say nothing about whether the seat is still held.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["deputy", "level"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        indexes = [models.Index(fields=["level", "deputy"])]
        constraints = [
            # Also holds when two editors add a seat at the same moment.
            models.UniqueConstraint(
                fields=["deputy", "level"],
                condition=Q(ended_on__isnull=True),
                name="mandate_one_active_per_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_level_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class CommitteeMembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitteeMembershipQuerySet:
        """The office: every committee's; a secretary: their region's; a deputy: their own."""
        q = region_q(user, "region")
        if user.is_authenticated and user.role == Role.DEPUTY:
            q |= Q(deputy__user=user.pk)
        return self.filter(q)

    def active_on(self, day: dt.date) -> CommitteeMembershipQuerySet:
        """Members on ``day``: started on or before it and not ended by it (``ended_on``
        is the first day without the seat)."""
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def of_congress(self, region: Region, level: str) -> CommitteeMembershipQuerySet:
        """The standing committee of the congress of ``level`` in ``region``."""
        return self.filter(region=region, level=level)


class CommitteeMembership(models.Model):
    """常委会组成人员: a deputy's seat on the standing committee of a city's or county's
    congress, per term (主任, 副主任, 秘书长, 委员). Who may move an interpellation and who
    votes at a standing-committee meeting are the members on its day."""

    class Position(models.TextChoices):
        DIRECTOR = "director", _("Director")
        DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
        SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
        MEMBER = "member", _("Member")

    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("congress region"),
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    level = models.CharField(_("congress level"), max_length=10, choices=CongressLevel.choices)
    term = models.CharField(
        _("standing committee and term"),
        max_length=80,
        help_text=_("e.g. 怀化市第六届人民代表大会常务委员会"),
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    started_on = models.DateField(_("started on"))
    # The first day without the seat (the next term, resignation); empty while held.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CommitteeMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["level", "region", "started_on", "pk"]
        verbose_name = _("standing committee member")
        verbose_name_plural = _("standing committee members")
        indexes = [models.Index(fields=["region", "level", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "region", "level"],
                condition=Q(ended_on__isnull=True),
                name="committee_membership_one_active",
            ),
            models.CheckConstraint(
                name="committee_membership_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_position_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        """The office's every entry, a secretary's region's deputies', a deputy's own."""
        q = region_q(user, "deputy__region")
        if user.is_authenticated and user.role == Role.DEPUTY:
            q |= Q(deputy__user_id=user.pk)
        return self.filter(q)


class Activity(models.Model):
    """One entry of a deputy's performance record 履职档案.

    Entries made by other modules carry a ``source_key`` ("duty_log:42") so recording
    the same event twice keeps one entry; entries no module makes (a meeting attended,
    training) are recorded by staff or the region's secretary with ``evidence``.
    ``points`` are those of the points table's rule 积分 valid on the entry's ``date``
    (``deputies.services.points_apply``); yearly caps are applied when a year is summed.
    """

    #: The kinds staff and secretaries record by hand (no module makes them).
    MANUAL_KINDS = ("meeting", "training", "visit", "research", "other")

    class Kind(models.TextChoices):
        STATION_DUTY = "station_duty", _("Station duty")
        VISIT = "visit", _("Visit to constituents")
        INSPECTION = "inspection", _("Inspection")
        RESEARCH = "research", _("Research")
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        SUGGESTION = "suggestion", _("Suggestion")
        RECEPTION = "reception", _("Constituent received")
        SESSION = "session", _("Congress session attended")
        DELIBERATION = "deliberation", _("Livelihood project deliberation")
        OVERSIGHT = "oversight", _("Oversight participation")
        VOTER_REPORT = "voter_report", _("Report to voters")
        OTHER = "other", _("Other")

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1, null=True, blank=True)
    source_key = models.CharField(max_length=60, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="deputies/evidence/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["deputy", "-date"]), models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "source_key"],
                condition=~Q(source_key=""),
                name="activity_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.title}"


class PointRuleQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> PointRuleQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class PointRule(models.Model):
    """One line of the points table 积分: what an activity of ``kind`` dated within
    ``valid_from``–``valid_to`` (inclusive; open-ended when empty) earns, and at most how
    many points that kind gives a deputy in a year. A new rule from next year leaves this
    year's points as they are; rules of one kind never overlap."""

    kind = models.CharField(_("kind"), max_length=20, choices=Activity.Kind.choices)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    yearly_cap = models.DecimalField(
        _("yearly cap"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The most points this kind gives one deputy in a year; empty for no cap."),
    )
    history = HistoricalRecords()

    objects = PointRuleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("points rule")
        verbose_name_plural = _("points table")
        indexes = [models.Index(fields=["kind", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.points}"

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A rule ends on or after the day it starts.")})
        others = PointRule.objects.filter(kind=self.kind).exclude(pk=self.pk)
        if self.valid_to:
            others = others.filter(valid_from__lte=self.valid_to)
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if others.exists():
            raise ValidationError(
                {"valid_from": _("Another rule of this kind is valid in the same period.")}
            )


class VoterReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> VoterReportQuerySet:
        q = region_q(user, "region")
        if user.is_authenticated and user.role == Role.DEPUTY:
            q |= Q(deputy__user_id=user.pk)
        return self.filter(q)


class VoterReport(models.Model):
    """述职评议: a deputy named in a region's yearly plan reports to the voters who
    elected them (``level``/``region``: the seat's congress); once held, the report has
    its text, the meeting, the voters present and their rating counts. Each deputy
    reports at least once in a term."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("voter report", "Planned")
        HELD = "held", pgettext_lazy("voter report", "Held")

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="voter_reports"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    meeting = models.CharField(_("meeting"), max_length=120, blank=True)
    text = models.TextField(_("report"), blank=True)
    voters_present = models.PositiveIntegerField(_("voters present"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basic = models.PositiveIntegerField(_("basically satisfied"), default=0)
    unsatisfied = models.PositiveIntegerField(_("unsatisfied"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = VoterReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region", "deputy__name", "pk"]
        verbose_name = _("report to voters")
        verbose_name_plural = _("reports to voters")
        indexes = [models.Index(fields=["region", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "level", "year"], name="voter_report_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.year}"

    @property
    def rated(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied


class DeputyImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeputyImportJobQuerySet:
        # Imports are the staff's (the pages are role-checked too).
        return self if user.is_authenticated and has_role(user, Role.STAFF) else self.none()


class DeputyImportJob(ImportJob):
    """A deputies import too long for a request, run by a worker
    (congress_portal/import_jobs.py)."""

    objects = DeputyImportJobQuerySet.as_manager()

    class Meta(ImportJob.Meta):
        verbose_name = _("deputies import")
        verbose_name_plural = _("deputies imports")
