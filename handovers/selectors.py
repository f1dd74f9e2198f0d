"""Reads of handovers, scoped through ``Handover.objects.visible_to`` (and, for a unit
contact's inbox, ``for_unit``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Window

from handovers.kinds import CheckedBy
from handovers.models import Assist, Handover, Step, with_unit_first
from organisation.models import Region, Unit, User
from organisation.roles import SEES_EVERYTHING, Role


class Counts(TypedDict):
    open: int
    yellow: int
    red: int


def is_office(user: User) -> bool:
    """Who see every unit's inbox (a secretary: the units' work of their region), with
    the counts by unit, rather than one unit's."""
    return user.is_authenticated and (
        user.sees_everything or user.role in SEES_EVERYTHING or user.role == Role.SECRETARY
    )


def inbox_scope(user: User) -> QuerySet[Handover]:
    """A unit contact: what is handed to their unit, as main or helping unit. The office:
    every unit's (a secretary: their region's)."""
    if not user.is_authenticated:
        return Handover.objects.none()
    if user.role == Role.UNIT:
        if not user.unit_id:
            return Handover.objects.none()
        return Handover.objects.for_unit(user.unit_id)
    return Handover.objects.visible_to(user)


def inbox_for(user: User) -> QuerySet[Handover]:
    """What the user may see, the work still with a unit first, by deadline."""
    return (
        inbox_scope(user)
        .select_related("unit", "region")
        .annotate(with_unit_first=with_unit_first())
        .order_by("with_unit_first", "due_on", "pk")
    )


def filtered(
    handovers: QuerySet[Handover],
    data: dict[str, Any],
    *,
    today: dt.date,
    by_unit: bool = True,
) -> QuerySet[Handover]:
    """The inbox's filters (cleaned ``InboxFilterForm`` data). ``by_unit=False`` leaves
    the unit, colour and state alone: the counts by unit are of the other filters."""
    if data.get("q"):
        handovers = handovers.filter(title__contains=data["q"])
    if data.get("kind"):
        handovers = handovers.filter(kind=data["kind"])
    region: Region | None = data.get("region")
    if region is not None:
        handovers = handovers.filter(region__path__startswith=region.path)
    if not by_unit:
        return handovers
    unit: Unit | None = data.get("unit")
    if unit is not None:
        handovers = handovers.for_unit(unit.pk)  # type: ignore[attr-defined]
    state = data.get("state") or ""
    if state == "":
        handovers = handovers.exclude(state=Handover.State.CLOSED)
    elif state != "all":
        handovers = handovers.filter(state=state)
    if data.get("colour"):
        handovers = handovers.of_colour(data["colour"], today)  # type: ignore[attr-defined]
    return handovers


def _colour_counts(today: dt.date, prefix: str = "") -> dict[str, Count]:
    yellow_from = today + dt.timedelta(days=settings.HANDOVER_YELLOW_DAYS)
    with_unit = Q(state__in=Handover.WITH_UNIT)
    return {
        "open": Count("pk", filter=~Q(state=Handover.State.CLOSED)),
        "yellow": Count("pk", filter=with_unit & Q(due_on__gte=today, due_on__lte=yellow_from)),
        "red": Count("pk", filter=with_unit & Q(due_on__lt=today)),
    }


def counts(handovers: QuerySet[Handover], today: dt.date) -> Counts:
    """Open, yellow and red, in one query."""
    found = handovers.aggregate(**_colour_counts(today))
    return {"open": found["open"] or 0, "yellow": found["yellow"] or 0, "red": found["red"] or 0}


#: The units' order: the latest first (most red, then most yellow), then by name.
LATEST_FIRST = ("-red", "-yellow", "-open", "unit__name")


def _by_unit(handovers: QuerySet[Handover], today: dt.date) -> QuerySet:
    """Each main unit with open work, grouped: its key, name and colour counts."""
    return (
        handovers.exclude(state=Handover.State.CLOSED)
        .order_by()
        .values("unit", "unit__name")
        .annotate(label=Unit.label("unit__"), **_colour_counts(today))
    )


def _unit_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "pk": row["unit"],
        "name": row["label"],
        "open": row["open"],
        "yellow": row["yellow"],
        "red": row["red"],
    }


def counts_by_unit(handovers: QuerySet[Handover], today: dt.date) -> list[dict[str, Any]]:
    """Open, yellow and red work of each main unit that has open work, the latest first,
    in one query."""
    return [_unit_row(row) for row in _by_unit(handovers, today).order_by(*LATEST_FIRST)]


def late_units(handovers: QuerySet[Handover], today: dt.date, shown: int) -> tuple[list, int]:
    """The ``shown`` latest units of :func:`counts_by_unit` that have overdue work, and
    how many have: one query that returns those rows only (a province has thousands of
    late units; the number rides along as a window count over the groups)."""
    late = _by_unit(handovers, today).filter(red__gt=0)
    rows = list(late.annotate(late=Window(Count("*"))).order_by(*LATEST_FIRST)[:shown])
    return [_unit_row(row) for row in rows], rows[0]["late"] if rows else 0


def handover_detail(user, pk: int) -> QuerySet[Handover]:
    return (
        Handover.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("region", "rater", "handed_by", "subject_type")
        # Apart: "unit" and "leader" in one call read as a group of roles to the roles test.
        .select_related("unit")
        .select_related("leader")
        .prefetch_related(
            Prefetch("assists", queryset=Assist.objects.select_related("unit", "sent_by")),
            Prefetch(
                "steps",
                queryset=Step.objects.select_related("by", "unit").prefetch_related("files"),
            ),
        )
    )


def led_by(user: User) -> QuerySet[Handover]:
    """The key work 重点督办 a leader leads, still open."""
    return Handover.objects.filter(leader=user).open().select_related("unit")


def to_rate(user: User) -> QuerySet[Handover]:
    """Answers waiting for this person's rating."""
    return Handover.objects.filter(
        rater=user, state=Handover.State.ANSWERED, checked_by=CheckedBy.RATING
    ).select_related("unit")
