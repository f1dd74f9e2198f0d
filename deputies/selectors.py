"""Reads of the deputies registry, with their joins applied."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from deputies.models import Activity, Deputy, Mandate
from deputies.station_directory import stations
from organisation.models import Region, User
from organisation.roles import Role


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
    return (
        stations()
        .with_home_station(qs)
        .select_related("region")
        .prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.active().order_by("level")), "groups"
        )
        .order_by("name", "pk")
    )


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
