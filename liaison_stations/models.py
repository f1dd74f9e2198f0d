"""Liaison stations 代表联络站: the registry, the 十有 standard, the duty rota, duty logs
and the constituents received.

Scope: a secretary sees the stations of their region (a county secretary every
township of the county) and everything recorded at them; a deputy sees the stations
they are attached to and their own shifts; a unit contact sees the receptions
referred to their unit.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisation.access import region_q, unit_q
from organisation.models import Region, Unit
from organisation.roles import Role


class StationQuerySet(models.QuerySet):
    def visible_to(self, user) -> StationQuerySet:
        q = region_q(user, "region")
        if user.is_authenticated and user.role == Role.DEPUTY:
            q |= Q(pk__in=StationMembership.objects.filter(deputy__user=user).values("station"))
        return self.filter(q)


class Station(models.Model):
    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("Township")
        STREET = "street", _("Street")
        BORDER = "border", _("Provincial border")
        INDUSTRIAL = "industrial", _("Industrial chain or park")
        PROFESSIONAL = "professional", _("Professional")

    class Rule(models.TextChoices):
        MONTH_DAYS = "month_days", _("Days of the month")
        WEEKDAYS = "weekdays", _("Days of the week")

    # Letters, digits and "-": it appears in the public address /s/<code>/ and on posters.
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stations"
    )
    address = models.CharField(_("address"), max_length=120, blank=True)
    # The opening rule: "month_days" + "6,16,26" is 逢6进站; "weekdays" + "2,5" is every
    # Tuesday and Friday (ISO weekday numbers, Monday = 1).
    rule = models.CharField(
        _("opening rule"), max_length=10, choices=Rule.choices, default=Rule.MONTH_DAYS
    )
    rule_days = models.CharField(
        _("opening days"),
        max_length=60,
        default="6,16,26",
        help_text=_("Days of the month (6,16,26) or of the week (1 = Monday … 7 = Sunday)."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=40, default="9:00–12:00")
    deputies_per_shift = models.PositiveSmallIntegerField(_("deputies per duty day"), default=2)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # Who is attached, and which station is each deputy's home: see StationMembership.
    deputies = models.ManyToManyField(
        "deputies.Deputy",
        verbose_name=_("attached deputies"),
        blank=True,
        related_name="stations",
        through="StationMembership",
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = StationQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "code"]
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")

    def __str__(self) -> str:
        return self.name

    @property
    def rule_day_numbers(self) -> list[int]:
        return sorted({int(d) for d in self.rule_days.replace("，", ",").split(",") if d.strip()})

    def opening_dates(self, year: int, month: int) -> list[dt.date]:
        """The days of ``month`` the station opens on. A day the month lacks (31 in
        April, 29–31 in most Februaries) is skipped, not moved."""
        last = calendar.monthrange(year, month)[1]
        days = self.rule_day_numbers
        if self.rule == self.Rule.MONTH_DAYS:
            return [dt.date(year, month, d) for d in days if 1 <= d <= last]
        return [
            dt.date(year, month, d)
            for d in range(1, last + 1)
            if dt.date(year, month, d).isoweekday() in days
        ]


class StationMembership(models.Model):
    """A deputy attached to a station; ``is_home`` marks the one station that is the
    deputy's home station 所属联络站 (at most one per deputy). The deputies registry does
    not know stations: it asks ``deputies.station_directory``, which
    ``liaison_stations.deputy_stations`` answers from these rows."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="memberships"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("deputy"),
        on_delete=models.CASCADE,
        related_name="station_memberships",
    )
    is_home = models.BooleanField(_("home station"), default=False)

    class Meta:
        verbose_name = _("station membership")
        verbose_name_plural = _("station memberships")
        constraints = [
            models.UniqueConstraint(fields=["deputy", "station"], name="station_membership_once"),
            # Also holds when two editors choose a home station at the same moment.
            models.UniqueConstraint(
                fields=["deputy"], condition=Q(is_home=True), name="station_membership_one_home"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} @ {self.station_id}{' (home)' if self.is_home else ''}"


class StandardCriterion(models.Model):
    """One of the ten items of the 十有 standard; the list is kept in the admin."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("十有 criterion")
        verbose_name_plural = _("十有 criteria")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class StandardRatingQuerySet(models.QuerySet):
    def visible_to(self, user) -> StandardRatingQuerySet:
        # The evidence photos: the secretaries of the region and the office, nobody else.
        return self.filter(region_q(user, "station__region"))


class StandardRating(models.Model):
    """The current rating of one station against one criterion; earlier ratings live in
    the history."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="ratings"
    )
    criterion = models.ForeignKey(
        StandardCriterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    met = models.BooleanField(_("met"), default=False)
    rated_on = models.DateField(_("rated on"))
    evidence = models.ImageField(_("evidence photo"), upload_to="stations/evidence/", blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = StandardRatingQuerySet.as_manager()

    class Meta:
        ordering = ["station", "criterion__number"]
        verbose_name = _("十有 rating")
        verbose_name_plural = _("十有 ratings")
        constraints = [
            models.UniqueConstraint(fields=["station", "criterion"], name="one_rating_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.criterion}"


class DutyShiftQuerySet(models.QuerySet):
    def visible_to(self, user) -> DutyShiftQuerySet:
        q = region_q(user, "station__region")
        if user.is_authenticated and user.role == Role.DEPUTY:
            q |= Q(
                pk__in=DutyShift.deputies.through.objects.filter(deputy__user=user).values(
                    "dutyshift"
                )
            )
        return self.filter(q)


class DutyShift(models.Model):
    """One duty day of a station 轮值 and the deputies on the rota for it."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("date"))
    deputies = models.ManyToManyField(
        "deputies.Deputy",
        verbose_name=_("deputies on duty"),
        blank=True,
        related_name="duty_shifts",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        ordering = ["date", "station"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="one_shift_per_station_day")
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.station} · {self.date:%Y-%m-%d}"


class DutyLog(models.Model):
    """值班记录: what happened on a duty day, recorded by the secretary."""

    shift = models.OneToOneField(
        DutyShift, verbose_name=_("duty shift"), on_delete=models.CASCADE, related_name="log"
    )
    attendees = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("deputies who came"), blank=True, related_name="duty_logs"
    )
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=3)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-shift__date"]
        verbose_name = _("duty log")
        verbose_name_plural = _("duty logs")

    def __str__(self) -> str:
        return str(self.shift)


class DutyPhotoQuerySet(models.QuerySet):
    def visible_to(self, user) -> DutyPhotoQuerySet:
        # Photos of a duty day show constituents: the secretaries of the region and the
        # office see them, deputies and units do not.
        return self.filter(region_q(user, "log__shift__station__region"))


class DutyPhoto(models.Model):
    log = models.ForeignKey(DutyLog, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="stations/duty/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DutyPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("duty photo")
        verbose_name_plural = _("duty photos")

    def __str__(self) -> str:
        return self.image.name


class ReceptionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReceptionQuerySet:
        return self.filter(region_q(user, "station__region") | unit_q(user, "referred_unit"))

    def open(self) -> ReceptionQuerySet:
        return self.filter(closed_on__isnull=True)


class Reception(models.Model):
    """One constituent received 接待群众, and what became of their request."""

    class Channel(models.TextChoices):
        STATION = "station", _("At the station")
        ONLINE = "online", _("QR code online")
        HOME_VISIT = "home_visit", _("Home visit")
        PHONE = "phone", _("Phone")

    class Category(models.TextChoices):
        ROADS = "roads", _("Roads and transport")
        WATER = "water", _("Water and irrigation")
        AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
        SOCIAL = "social", _("Social security and welfare")
        HEALTH = "health", _("Health care")
        EDUCATION = "education", _("Education")
        ENVIRONMENT = "environment", _("Environment and sanitation")
        EMPLOYMENT = "employment", _("Employment and wages")
        DISPUTES = "disputes", _("Disputes and public order")
        OTHER = "other", _("Other")

    class Handling(models.TextChoices):
        PENDING = "pending", _("Not yet handled")
        ANSWERED = "answered", _("Answered on the spot")
        REFERRED = "referred", _("Referred to a unit")
        SUGGESTION = "suggestion", _("Turned into a deputy suggestion")
        PROJECT = "project", _("Turned into a livelihood-project proposal")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="receptions"
    )
    shift = models.ForeignKey(
        DutyShift,
        verbose_name=_("duty shift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="receptions",
    )
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    visitor_name = models.CharField(_("name"), max_length=40, blank=True)
    visitor_phone = models.CharField(_("phone"), max_length=20, blank=True)
    village = models.CharField(_("village or community"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    content = models.TextField(_("content"))
    handling = models.CharField(
        _("handling"), max_length=12, choices=Handling.choices, default=Handling.PENDING
    )
    answer = models.TextField(_("answer given"), blank=True)
    referred_unit = models.ForeignKey(
        Unit,
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_receptions",
    )
    referral_due = models.DateField(_("referral deadline"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    feedback = models.TextField(_("feedback from the constituent"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    consent = models.BooleanField(_("consent to the use of personal data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The deputy suggestion or livelihood-project proposal this reception became (later
    # issues); a generic link so neither app has to exist for this one to work.
    follow_up_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_id = models.PositiveBigIntegerField(null=True, blank=True)
    follow_up = GenericForeignKey("follow_up_type", "follow_up_id")
    version = models.PositiveIntegerField(default=1, editable=False)
    # The id of the public form an online opinion came from (a new one each time the page
    # is shown): the same form sent twice, by a double tap or a resend, is kept once.
    submission = models.CharField(max_length=32, blank=True, default="", editable=False)
    # The constituent's phone is personal data: kept once, on the reception, never copied
    # into the history table with every edit.
    history = HistoricalRecords(excluded_fields=["visitor_phone", "submission"])

    objects = ReceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        indexes = [
            models.Index(fields=["station", "-received_at"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["handling", "closed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_has_unit",
                condition=~Q(handling="referred") | Q(referred_unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["station", "submission"],
                condition=~Q(submission=""),
                name="reception_submission_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {timezone.localdate(self.received_at):%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def age_days(self, today: dt.date) -> int:
        # The day it was received where the station is: 00:30 in Shanghai is still the
        # day before in UTC, the zone the datetime is stored in.
        return (today - timezone.localdate(self.received_at)).days

    def referral_overdue(self, today: dt.date) -> bool:
        return bool(self.is_open and self.referral_due and self.referral_due < today)
