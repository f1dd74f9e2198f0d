"""Reads of the deputies registry, with their joins applied."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, Least, Rank
from django.utils import timezone

from deputies.models import Activity, Deputy, Mandate, PointRule, VoterReport
from deputies.station_directory import stations
from organisation.access import region_q
from organisation.models import Region, User
from organisation.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def deputies_for(
    user: User,
    *,
    level: str = "",
    region: Region | None = None,
    group=None,
    station=None,
    query: str = "",
) -> QuerySet[Deputy]:
    """The deputies a user may see, filtered; mandates and groups prefetched so a page
    of the list costs the same number of queries whatever its length."""
    return (
        stations()
        .with_home_station(
            deputies_matching(
                user, level=level, region=region, group=group, station=station, query=query
            )
        )
        .select_related("region")
        .prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.active().order_by("level")), "groups"
        )
        .order_by("name", "pk")
    )


def deputies_matching(
    user: User,
    *,
    level: str = "",
    region: Region | None = None,
    group=None,
    station=None,
    query: str = "",
) -> QuerySet[Deputy]:
    """The rows of :func:`deputies_for` without what they show: what the list counts."""
    qs = Deputy.objects.visible_to(user).filter(is_active=True)
    if level:
        qs = qs.filter(pk__in=Mandate.objects.active().filter(level=level).values("deputy"))
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if group is not None:
        qs = qs.filter(groups=group)
    if station is not None:
        qs = qs.filter(pk__in=stations().deputies_at(station))
    if query:
        qs = qs.filter(name__contains=query)
    return qs


def deputy_detail(user: User) -> QuerySet[Deputy]:
    return (
        stations()
        .with_home_station(Deputy.objects.visible_to(user))
        .select_related("region", "user")
        .prefetch_related(Prefetch("mandates", queryset=_mandates_in_order()), "groups")
    )


def activities_of(deputy: Deputy, limit: int = 50) -> QuerySet[Activity]:
    return deputy.activities.order_by("-date", "-pk")[:limit]


def _mandates_in_order() -> QuerySet[Mandate]:
    # Seats held first, then those that ended, latest first.
    return Mandate.objects.select_related("region").order_by(
        F("ended_on").desc(nulls_first=True), "level", "pk"
    )


def mandates_of(deputy: Deputy) -> QuerySet[Mandate]:
    return _mandates_in_order().filter(deputy=deputy)


def deputy_of(user: User) -> Deputy | None:
    """The active deputy record a signed-in deputy acts as; None for anyone else."""
    if not user.is_authenticated or user.role != Role.DEPUTY:
        return None
    return Deputy.objects.filter(user=user, is_active=True).first()


def holds_seat(deputy: Deputy, *, level: str, region: Region) -> bool:
    """Whether the deputy now holds a seat at the congress of ``level`` in ``region``."""
    return Mandate.objects.active().filter(deputy=deputy, level=level, region=region).exists()


# --- The performance record 履职档案: yearly points and rankings ----------------------------


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def yearly_caps(year: int) -> dict[str, Decimal]:
    """Each kind's yearly cap for ``year``: that of the rule of the kind in force at the
    year's end (or the last one starting in the year). One query."""
    start, end = year_span(year)
    caps: dict[str, Decimal] = {}
    rules = (
        PointRule.objects.filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("kind", "valid_from")
        .values_list("kind", "yearly_cap")
    )
    for kind, cap in rules:  # the latest rule of each kind wins
        if cap is None:
            caps.pop(kind, None)
        else:
            caps[kind] = cap
    return caps


POINTS: DecimalField = DecimalField(max_digits=8, decimal_places=1)
ZERO = Value(Decimal("0"), output_field=POINTS)


def points_expression(year: int, caps: dict[str, Decimal], *, prefix: str = "") -> Any:
    """The SQL expression of a deputy's points in ``year``, over activities reached
    through ``prefix`` ("" on an Activity grouping, "deputy__activities__" on mandates):
    the kinds without a cap summed together, each capped kind summed apart and held to
    its cap with LEAST. The caps are read once (``yearly_caps``), so the expression is
    the same size whatever the number of deputies."""
    start, end = year_span(year)
    in_year = Q(**{f"{prefix}date__gte": start, f"{prefix}date__lte": end})
    points = f"{prefix}points"
    terms: list[Any] = [
        Coalesce(
            Sum(points, filter=in_year & ~Q(**{f"{prefix}kind__in": list(caps)})),
            ZERO,
            output_field=POINTS,
        )
    ]
    for kind, cap in sorted(caps.items()):
        terms.append(
            Least(
                Coalesce(Sum(points, filter=in_year & Q(**{f"{prefix}kind": kind})), ZERO),
                Value(cap, output_field=POINTS),
                output_field=POINTS,
            )
        )
    return Plus(*terms, output_field=POINTS)


class Plus(Func):
    """``(a + b + c …)`` flat: the chain ``a + b`` nests one level per term, and SQLite's
    parser gives up on a dozen capped kinds inside a subquery."""

    arg_joiner = " + "
    template = "(%(expressions)s)"


def activity_count_expression(year: int, *, prefix: str = "") -> Count:
    start, end = year_span(year)
    return Count(
        f"{prefix}pk" if prefix else "pk",
        filter=Q(**{f"{prefix}date__gte": start, f"{prefix}date__lte": end}),
    )


class RankedSeat(TypedDict):
    points: Decimal
    activities: int
    rank: int
    rank_in_congress: int


def _with_points(
    seats: QuerySet[Mandate],
    *,
    year: int,
    caps: dict[str, Decimal],
    congress: Any = None,
    counted: int | None = None,
) -> QuerySet[WithAnnotations[Mandate, RankedSeat]]:
    """``seats`` with their deputy's points and activities in ``year``, ranked by points
    (``rank``) and within the seat's own region (``rank_in_congress``); ``congress`` (an
    expression) ranks the seats of each congress apart; with ``counted``, only that
    deputy's activities are counted (the others' are 0)."""
    start, end = year_span(year)
    # Each seat's deputy's year, summed by correlated subqueries on the (deputy, date)
    # index: no GROUP BY over the seats' and deputies' columns.
    year_of = (
        Activity.objects.filter(deputy=OuterRef("deputy_id"), date__gte=start, date__lte=end)
        .order_by()
        .values("deputy")
    )
    points = year_of.annotate(total=points_expression(year, caps)).values("total")
    count = year_of.annotate(n=Count("pk")).values("n")
    order = [F("points").desc()]
    apart = [congress] if congress is not None else []
    activities: Any = Coalesce(Subquery(count), 0)
    if counted is not None:
        activities = Case(When(deputy_id=counted, then=activities), default=Value(0))
    return seats.annotate(
        points=Coalesce(Subquery(points, output_field=POINTS), ZERO, output_field=POINTS),
        activities=activities,
    ).annotate(
        rank=Window(Rank(), partition_by=apart or None, order_by=order),
        rank_in_congress=Window(Rank(), partition_by=[*apart, F("region_id")], order_by=order),
    )


def _seats_on(year: int, today: dt.date | None) -> QuerySet[Mandate]:
    """The seats held at the end of ``year`` (or today, in the current year)."""
    day = min(today or timezone.localdate(), year_span(year)[1])
    return Mandate.objects.active_on(day).filter(deputy__is_active=True)


def ranking(
    *,
    year: int,
    level: str,
    region: Region | None = None,
    today: dt.date | None = None,
    caps: dict[str, Decimal] | None = None,
) -> QuerySet[WithAnnotations[Mandate, RankedSeat]]:
    """Every seat of ``level`` held in ``region`` (and below) at the end of ``year`` (or
    today, in the current year), its deputy's points and activities that year, the rank
    among them all and within the seat's own congress (RANK() over the region), in one
    query: sums in SQL, no loop over deputies. A deputy with seats at two levels is in
    both rankings with the same activities and points. ``caps``: the year's caps when
    already read (``yearly_caps``)."""
    seats = _seats_on(year, today).filter(level=level)
    if region is not None:
        seats = seats.filter(region__path__startswith=region.path)
    return (
        _with_points(seats, year=year, caps=yearly_caps(year) if caps is None else caps)
        .select_related("deputy", "region")
        .order_by("rank", "deputy__name", "pk")
    )


def rank_of(deputy: Deputy, *, year: int, mandate: Mandate) -> RankedSeat | None:
    """The deputy's place in the ranking of their seat's congress (its level and region)."""
    return ranks_of(deputy, year=year, seats=[mandate])[mandate.pk]


def ranks_of(
    deputy: Deputy,
    *,
    year: int,
    seats: list[Mandate],
    caps: dict[str, Decimal] | None = None,
    today: dt.date | None = None,
) -> dict[int, RankedSeat | None]:
    """The deputy's place in the ranking of each of their ``seats``' congresses (its level
    and region), by seat: the congresses' seats ranked in one query, each congress apart
    (what :func:`ranking` gives for each), and the deputy's rows picked from them (a
    filter on the deputy would rank them alone)."""
    caps = yearly_caps(year) if caps is None else caps
    places: dict[int, RankedSeat | None] = {seat.pk: None for seat in seats}
    # One query for congresses no seat can be in twice: a congress inside another of the
    # same level (never, with seats as the law gives them) is ranked in a query of its own.
    batches: list[list[Mandate]] = []
    for seat in seats:
        batch = next((b for b in batches if not any(_overlap(seat, other) for other in b)), None)
        if batch is None:
            batches.append([seat])
        else:
            batch.append(seat)
    for batch in batches:
        congresses = [
            Q(level=seat.level, region__path__startswith=seat.region.path) for seat in batch
        ]
        congress = Case(
            *[When(q, then=Value(i)) for i, q in enumerate(congresses)],
            output_field=IntegerField(),
        )
        anywhere = Q()
        for q in congresses:
            anywhere |= q
        rows = (
            _with_points(
                _seats_on(year, today).filter(anywhere).annotate(in_congress=congress),
                year=year,
                caps=caps,
                congress=F("in_congress"),
                counted=deputy.pk,  # the others' rows are only ranked
            )
            .order_by()
            .values("deputy_id", "in_congress", "points", "activities", "rank", "rank_in_congress")
        )
        for row in rows:
            seat = batch[row["in_congress"]]
            if row["deputy_id"] == deputy.pk and places[seat.pk] is None:
                places[seat.pk] = RankedSeat(
                    points=row["points"],
                    activities=row["activities"],
                    rank=row["rank"],
                    rank_in_congress=row["rank_in_congress"],
                )
    return places


def _overlap(seat: Mandate, other: Mandate) -> bool:
    """Whether a seat could be in both congresses (same level, one region inside the other)."""
    a, b = seat.region.path, other.region.path
    return seat.level == other.level and (a.startswith(b) or b.startswith(a))


class KindCount(TypedDict):
    kind: str
    label: str
    count: int
    points: Decimal
    counted: Decimal
    cap: Decimal | None


def year_at_a_glance(
    deputy: Deputy, year: int, caps: dict[str, Decimal] | None = None
) -> tuple[list[KindCount], Decimal]:
    """Counts and points by kind in ``year`` (points as earned and as counted under the
    kind's cap), and the year's total: one grouped query and the caps (unless given)."""
    start, end = year_span(year)
    caps = yearly_caps(year) if caps is None else caps
    rows = (
        Activity.objects.filter(deputy=deputy, date__gte=start, date__lte=end)
        .values("kind")
        .annotate(count=Count("pk"), points=Coalesce(Sum("points"), ZERO))
        .order_by("kind")
    )
    labels = dict(Activity.Kind.choices)
    kinds: list[KindCount] = []
    total = Decimal("0")
    for row in rows:
        points = Decimal(row["points"] or 0).quantize(Decimal("0.1"))
        cap = caps.get(row["kind"])
        counted = min(points, cap) if cap is not None else points
        total += counted
        kinds.append(
            KindCount(
                kind=row["kind"],
                label=str(labels.get(row["kind"], row["kind"])),
                count=row["count"],
                points=points,
                counted=counted,
                cap=cap,
            )
        )
    kinds.sort(key=lambda k: (-k["count"], k["label"]))
    return kinds, total


def activities_in(deputy: Deputy, year: int) -> QuerySet[Activity]:
    start, end = year_span(year)
    return deputy.activities.filter(date__gte=start, date__lte=end).order_by("-date", "-pk")


# --- Reports to voters 述职评议 -------------------------------------------------------------


def voter_plan(user: User, *, year: int, region: Region | None = None) -> QuerySet[VoterReport]:
    """The deputies named in the plans of ``year`` the user may see (in ``region``)."""
    reports = VoterReport.objects.visible_to(user).filter(year=year)
    if region is not None:
        reports = reports.filter(region__path__startswith=region.path)
    return reports.select_related("deputy", "region").order_by("region__path", "deputy__name")


def not_yet_reported(
    user: User, *, region: Region | None = None, today: dt.date | None = None
) -> QuerySet[Mandate]:
    """The seats held today (in the user's scope, in ``region``) whose deputy has not
    reported to the voters of that congress in the current term: no held report of that
    level in the term's years (from the seat's start when the term is not recorded)."""
    today = today or timezone.localdate()
    seats = Mandate.objects.active_on(today).filter(
        region_q(user, "region"), deputy__is_active=True
    )
    if region is not None:
        seats = seats.filter(region__path__startswith=region.path)
    held = VoterReport.objects.filter(
        deputy=OuterRef("deputy"),
        level=OuterRef("level"),
        status=VoterReport.Status.HELD,
    ).filter(
        Q(year__gte=Coalesce(OuterRef("term_start"), ExtractYear(OuterRef("started_on")), 0)),
        Q(year__lte=Coalesce(OuterRef("term_end"), 9999)),
    )
    planned = VoterReport.objects.filter(
        deputy=OuterRef("deputy"), level=OuterRef("level"), year=today.year
    ).values("status")[:1]
    return (
        seats.filter(~Exists(held))
        .annotate(planned_this_year=Subquery(planned))
        .select_related("deputy", "region")
        .order_by("region__path", "level", "deputy__name", "pk")
    )
