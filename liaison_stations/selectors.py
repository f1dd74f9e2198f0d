"""Reads of the liaison stations, with their joins applied.

The statistics functions (``reception_counts_by_*``, ``resolved_share``,
``duty_days_held_vs_scheduled``) are also what the monthly progress PDF uses: they
take a date range ``[start, end)``, an optional region and an optional user (None for
a system job that sees everything).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from deputies.models import Deputy, Mandate
from deputies.selectors import activity_count_expression, points_expression, yearly_caps
from handovers.models import Handover
from liaison_stations.models import (
    DutyLog,
    DutyPhoto,
    DutyShift,
    Reception,
    StandardCriterion,
    StandardRating,
    Station,
    StationMembership,
)
from organisation.models import Region, User
from organisation.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class StationCounts(TypedDict):
    deputy_count: int
    met_count: int


# --- Stations -------------------------------------------------------------------------------


def stations_for(user: User) -> QuerySet[WithAnnotations[Station, StationCounts]]:
    """The stations a user may see, each with its deputy count and the number of 十有
    criteria it meets (``met_count``), as correlated subqueries rather than joins: a
    join over deputies × ratings grouped over every station cost 170 ms at city scale,
    the subqueries run only for the page shown."""
    deputies = (
        StationMembership.objects.filter(station=OuterRef("pk"))
        .order_by()
        .values("station")
        .annotate(n=Count("pk"))
        .values("n")
    )
    met = (
        StandardRating.objects.filter(station=OuterRef("pk"), met=True, criterion__is_active=True)
        .order_by()
        .values("station")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Station.objects.visible_to(user)
        .select_related("region", "region__parent")
        .annotate(
            deputy_count=Coalesce(Subquery(deputies), 0),
            met_count=Coalesce(Subquery(met), 0),
        )
        .order_by("region__path", "code")
    )


def criteria_count() -> int:
    return StandardCriterion.objects.filter(is_active=True).count()


def station_ratings(station: Station) -> list[dict]:
    """Every active criterion with this station's rating (or None)."""
    ratings = {
        r.criterion_id: r
        for r in StandardRating.objects.filter(station=station).select_related("rated_by")
    }
    return [
        {"criterion": c, "rating": ratings.get(c.pk)}
        for c in StandardCriterion.objects.filter(is_active=True).order_by("number")
    ]


def latest_duty_photos(user: User, station: Station, limit: int = 6) -> list[DutyPhoto]:
    """The station's most recent duty-day photos the user may see (none for a deputy)."""
    return list(
        DutyPhoto.objects.visible_to(user)
        .filter(log__shift__station=station)
        .select_related("log__shift")
        .order_by("-log__shift__date", "-pk")[:limit]
    )


def below_standard(
    stations: QuerySet[WithAnnotations[Station, StationCounts]], needed: int
) -> QuerySet[WithAnnotations[Station, StationCounts]]:
    """The stations (of ``stations_for``) that do not meet 十有: fewer active criteria rated
    met than there are. With no active criterion there is no standard, and no station
    meets it — as the list's badge and the per-county counts say."""
    return stations.filter(met_count__lt=needed) if needed else stations


def stations_below_standard(user: User) -> QuerySet[WithAnnotations[Station, StationCounts]]:
    return below_standard(stations_for(user), criteria_count())


def standard_counts_by_county(user: User) -> list[dict]:
    """Per county: stations, stations meeting all of 十有, stations below."""
    needed = criteria_count()
    counties: dict[int, dict] = {}
    for station in stations_for(user):
        region = station.region
        township = region.level == Region.Level.TOWNSHIP
        county = region.parent if township and region.parent is not None else region
        row = counties.setdefault(
            county.pk, {"county": county, "stations": 0, "meeting": 0, "below": 0}
        )
        row["stations"] += 1
        if needed and station.met_count >= needed:
            row["meeting"] += 1
        else:
            row["below"] += 1
    return sorted(counties.values(), key=lambda r: r["county"].path)


def station_deputies(station: Station) -> QuerySet[Deputy]:
    return (
        station.deputies.filter(is_active=True)
        .prefetch_related(Prefetch("mandates", queryset=Mandate.objects.active().order_by("level")))
        .order_by("name")
    )


# --- Duty rota and logs ---------------------------------------------------------------------


def shifts_for(user: User) -> QuerySet[DutyShift]:
    return (
        DutyShift.objects.visible_to(user)
        .select_related("station", "station__region", "log")
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.order_by("name")))
        .order_by("date", "station__code")
    )


def station_month_shifts(station: Station, year: int, month: int) -> QuerySet[DutyShift]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (
        DutyShift.objects.filter(station=station, date__gte=start, date__lt=end)
        .select_related("log")
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.order_by("name")))
        .order_by("date")
    )


def upcoming_shifts(station: Station, today: dt.date, limit: int = 3) -> list[DutyShift]:
    return list(
        DutyShift.objects.filter(station=station, date__gte=today, is_cancelled=False)
        .prefetch_related(
            Prefetch(
                "deputies",
                queryset=Deputy.objects.filter(is_active=True)
                .prefetch_related(
                    Prefetch("mandates", queryset=Mandate.objects.active().order_by("level"))
                )
                .order_by("name"),
            )
        )
        .order_by("date")[:limit]
    )


def home_station_of(deputy: Deputy) -> Station | None:
    return Station.objects.filter(memberships__deputy=deputy, memberships__is_home=True).first()


def shifts_of_deputy(deputy: Deputy, start: dt.date | None = None) -> QuerySet[DutyShift]:
    qs = deputy.duty_shifts.filter(is_cancelled=False).select_related("station", "station__region")
    if start is not None:
        qs = qs.filter(date__gte=start)
    return qs.order_by("date")


def todays_shifts(user: User, today: dt.date) -> QuerySet[DutyShift]:
    return shifts_for(user).filter(date=today, is_cancelled=False)


def log_of(shift: DutyShift) -> DutyLog | None:
    return (
        DutyLog.objects.filter(shift=shift)
        .select_related("recorded_by")
        .prefetch_related("attendees", "photos")
        .first()
    )


# --- Receptions -------------------------------------------------------------------------------


def receptions_for(user: User) -> QuerySet[Reception]:
    return (
        Reception.objects.visible_to(user)
        .select_related("station", "station__region", "referred_unit")
        .order_by("-received_at", "-pk")
    )


def station_reception_count(station: Station) -> int:
    """How many constituents the station has received, for those who may not read them."""
    return Reception.objects.filter(station=station).count()


def inbox_for(user: User) -> QuerySet[Reception]:
    """Online opinions from the public page that nobody has handled yet."""
    return receptions_for(user).filter(
        channel=Reception.Channel.ONLINE,
        handling=Reception.Handling.PENDING,
        closed_on__isnull=True,
    )


#: The handover kind of a reception referred to a unit (registered in apps.py).
REFERRAL = "referral"


def referral_handovers() -> QuerySet[Handover]:
    """Every handover of a referral, withdrawn ones included."""
    return Handover.objects.filter(
        kind=REFERRAL, subject_type=ContentType.objects.get_for_model(Reception)
    )


def referral_of(reception: Reception) -> Handover | None:
    """The reception's referral: the handover that carries it to its unit (the latest
    one not withdrawn), None when it was never handed over."""
    return (
        referral_handovers()
        .filter(subject_id=reception.pk)
        .exclude(closure=Handover.Closure.WITHDRAWN)
        .select_related("unit")
        .order_by("-pk")
        .first()
    )


def with_referral(receptions: QuerySet[Reception]) -> QuerySet[Reception]:
    """Annotate ``handover_id`` and ``handover_state`` of each reception's referral."""
    current = (
        referral_handovers()
        .filter(subject_id=OuterRef("pk"))
        .exclude(closure=Handover.Closure.WITHDRAWN)
        .order_by("-pk")
    )
    return receptions.annotate(
        handover_id=Subquery(current.values("pk")[:1]),
        handover_state=Subquery(current.values("state")[:1]),
    )


def open_referrals(user: User) -> QuerySet[Reception]:
    """Referred receptions still open, the oldest first, each with its handover."""
    return with_referral(
        receptions_for(user)
        .filter(handling=Reception.Handling.REFERRED, closed_on__isnull=True)
        .order_by("received_at", "pk")
    )


# --- Statistics (also used by the monthly progress PDF) --------------------------------------


def _receptions(
    *, start: dt.date, end: dt.date, region: Region | None = None, user: User | None = None
) -> QuerySet[Reception]:
    tz = timezone.get_current_timezone()
    qs = Reception.objects.visible_to(user) if user is not None else Reception.objects.all()
    qs = qs.filter(
        received_at__gte=dt.datetime.combine(start, dt.time.min, tz),
        received_at__lt=dt.datetime.combine(end, dt.time.min, tz),
    )
    if region is not None:
        qs = qs.filter(station__region__path__startswith=region.path)
    return qs


def reception_counts_by_station(
    *,
    start: dt.date,
    end: dt.date,
    region: Region | None = None,
    user: User | None = None,
    limit: int | None = 20,
) -> list[dict]:
    """[{station__code, station__name, total, resolved}] with the station's region
    (``station__region__name``, ``__level``, ``__parent__name``), busiest first."""
    rows = (
        _receptions(start=start, end=end, region=region, user=user)
        .values(
            "station__code",
            "station__name",
            "station__region__name",
            "station__region__level",
            "station__region__parent__name",
        )
        .annotate(total=Count("pk"), resolved=Count("pk", filter=Q(closed_on__isnull=False)))
        .order_by("-total", "station__code")
    )
    return list(rows[:limit] if limit else rows)


def reception_counts_by_month(
    *, start: dt.date, end: dt.date, region: Region | None = None, user: User | None = None
) -> list[dict]:
    """[{month: date, total, resolved}] in calendar order."""
    rows = (
        _receptions(start=start, end=end, region=region, user=user)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(total=Count("pk"), resolved=Count("pk", filter=Q(closed_on__isnull=False)))
        .order_by("month")
    )
    return [
        {**r, "month": r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"]}
        for r in rows
    ]


def reception_counts_by_category(
    *, start: dt.date, end: dt.date, region: Region | None = None, user: User | None = None
) -> list[dict]:
    """[{category, label, total}], largest first."""
    labels = dict(Reception.Category.choices)
    rows = (
        _receptions(start=start, end=end, region=region, user=user)
        .values("category")
        .annotate(total=Count("pk"))
        .order_by("-total", "category")
    )
    return [{**r, "label": labels.get(r["category"], r["category"])} for r in rows]


@dataclass
class Share:
    total: int
    resolved: int

    @property
    def percent(self) -> float:
        return round(100 * self.resolved / self.total, 1) if self.total else 0.0


def resolved_share(
    *, start: dt.date, end: dt.date, region: Region | None = None, user: User | None = None
) -> Share:
    """Receptions received in the range and how many of them are closed."""
    counts = _receptions(start=start, end=end, region=region, user=user).aggregate(
        total=Count("pk"), resolved=Count("pk", filter=Q(closed_on__isnull=False))
    )
    return Share(total=counts["total"], resolved=counts["resolved"])


@dataclass
class DutyDays:
    scheduled: int
    held: int

    @property
    def percent(self) -> float:
        return round(100 * self.held / self.scheduled, 1) if self.scheduled else 0.0


def duty_days_held_vs_scheduled(
    *,
    start: dt.date,
    end: dt.date,
    region: Region | None = None,
    user: User | None = None,
) -> DutyDays:
    """Duty days scheduled in ``[start, end)`` (not cancelled) and how many were logged."""
    qs = DutyShift.objects.visible_to(user) if user is not None else DutyShift.objects.all()
    qs = qs.filter(date__gte=start, date__lt=end, is_cancelled=False)
    if region is not None:
        qs = qs.filter(station__region__path__startswith=region.path)
    counts = qs.aggregate(
        scheduled=Count("pk"),
        held=Count("log"),
    )
    return DutyDays(scheduled=counts["scheduled"], held=counts["held"])


def duty_days_by_county(*, start: dt.date, end: dt.date, user: User | None = None) -> list[dict]:
    """Scheduled and held duty days per county-level area."""
    qs = DutyShift.objects.visible_to(user) if user is not None else DutyShift.objects.all()
    rows = (
        qs.filter(date__gte=start, date__lt=end, is_cancelled=False)
        .values("station__region__parent__name", "station__region__parent__path")
        .annotate(scheduled=Count("pk"), held=Count("log"))
        .order_by("station__region__parent__path")
    )
    return [
        {
            "county": r["station__region__parent__name"],
            "scheduled": r["scheduled"],
            "held": r["held"],
            "percent": round(100 * r["held"] / r["scheduled"], 1) if r["scheduled"] else 0.0,
        }
        for r in rows
    ]


# --- The public page --------------------------------------------------------------------------


def public_station(code: str) -> QuerySet[Station]:
    return Station.objects.filter(code=code, is_active=True).select_related(
        "region", "region__parent"
    )


# --- Who keeps a station ---------------------------------------------------------------------


def station_keepers(station: Station) -> QuerySet[User]:
    """The secretaries who keep a station: the active secretaries of its own region, or,
    when that region has none, of the nearest region around it that has some.

    A county secretary sees every township's stations in the inbox, but is told of an
    opinion only when no township secretary keeps the station."""
    region = station.region
    # "/4312/431224/431224102/" → the paths of the region and of each region around it.
    codes = region.path.strip("/").split("/")
    paths = ["/" + "/".join(codes[:n]) + "/" for n in range(len(codes), 0, -1)]
    secretaries = User.objects.filter(role=Role.SECRETARY, is_active=True)
    found = set(secretaries.filter(region__path__in=paths).values_list("region__path", flat=True))
    nearest = next((path for path in paths if path in found), None)
    if nearest is None:
        return secretaries.none()
    return secretaries.filter(region__path=nearest)


# --- Home station counts: the deputies' activity this year ---------------------------------


def stations_by_attendance(
    user: User, *, year: int, region: Region | None = None, never_came_only: bool = False
) -> QuerySet[Station]:
    """The stations the user may see, each with its attached deputies, how many of them
    never came to a duty day there in ``year`` and their activities that year; stations
    with a deputy who never came first."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    # Per station, two counts each read from that station's own rows: its members, and
    # the members who came to one of its duty days in the year (the station's duty days,
    # a few dozen, rather than a NOT EXISTS over every member's duty days: a province's
    # 6,400 stations took seconds). A deputy is a station's member once.
    members = (
        StationMembership.objects.filter(station=OuterRef("pk"))
        .order_by()
        .values(n=Func(F("pk"), function="COUNT"))
    )
    came = (
        DutyLog.attendees.through.objects.filter(
            dutylog__shift__station=OuterRef("pk"),
            dutylog__shift__date__gte=start,
            dutylog__shift__date__lte=end,
            deputy__station_memberships__station=OuterRef("pk"),
        )
        .order_by()
        .values(n=Func(F("deputy"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)"))
    )
    stations = Station.objects.visible_to(user)
    if region is not None:
        stations = stations.filter(region__path__startswith=region.path)
    stations = stations.annotate(n_deputies=Coalesce(Subquery(members), 0)).annotate(
        n_never_came=F("n_deputies") - Coalesce(Subquery(came), 0)
    )
    if never_came_only:
        stations = stations.filter(n_never_came__gt=0)
    return stations.select_related("region").order_by("-n_never_came", "region__path", "code")


class MemberYear(TypedDict):
    points: Decimal
    activities: int
    duty_days: int


def members_year(
    stations: list[Station], *, year: int
) -> QuerySet[WithAnnotations[StationMembership, MemberYear]]:
    """The deputies attached to ``stations``, each with their points (the points table,
    capped per kind) and activities in ``year`` and their duty days at that station:
    one query for the page, sums in SQL."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    duty = (
        DutyLog.objects.filter(
            attendees=OuterRef("deputy"),
            shift__station=OuterRef("station"),
            shift__date__gte=start,
            shift__date__lte=end,
        )
        .order_by()
        .values("shift__station")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    caps = yearly_caps(year)
    return (
        StationMembership.objects.filter(station__in=stations)
        .annotate(
            points=points_expression(year, caps, prefix="deputy__activities__"),
            activities=activity_count_expression(year, prefix="deputy__activities__"),
            duty_days=Coalesce(Subquery(duty), 0),
        )
        .select_related("deputy")
        .order_by("station", "duty_days", "deputy__name")
    )
