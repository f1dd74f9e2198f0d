"""Reads of the ballot pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ballots.models import Ballot, CheckIn, Code, CongressSession, PaperTally, Poll, RollEntry
from organisation.models import Region
from organisation.roles import Role

if TYPE_CHECKING:
    from organisation.models import User


def _count(queryset: QuerySet) -> Subquery:
    """A correlated count: joining the roll, the check-ins and the polls at once would
    multiply their rows (a city roll of 600 by 600 check-ins)."""
    return Subquery(
        queryset.order_by().values("session").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def sessions_for(user: User) -> QuerySet[CongressSession]:
    session = OuterRef("pk")
    return (
        CongressSession.objects.visible_to(user)
        .select_related("region")
        .annotate(
            n_roll=Coalesce(_count(RollEntry.objects.filter(session=session)), 0),
            n_present=Coalesce(_count(CheckIn.objects.filter(session=session, on_leave=False)), 0),
            n_polls=Coalesce(_count(Poll.objects.filter(session=session)), 0),
        )
    )


def regions_run_by(user: User) -> QuerySet[Region]:
    """The regions whose sessions ``user`` may create."""
    levels = [Region.Level.TOWNSHIP, Region.Level.COUNTY, Region.Level.CITY]
    regions = Region.objects.filter(level__in=levels).order_by("path")
    if user.role == Role.ADMIN:
        return regions
    if user.role == Role.STAFF:
        return regions.filter(level=Region.Level.CITY)
    if user.role == Role.SECRETARY and user.region_id:
        return regions.filter(pk=user.region_id)
    return regions.none()


@dataclass
class RollRow:
    pk: int
    name: str
    state: str  # "present", "leave" or "none"


def roll(session: CongressSession, *, q: str = "") -> list[RollRow]:
    """The session's roll by name, each deputy with their check-in."""
    check_in = CheckIn.objects.filter(session=session, deputy=OuterRef("deputy"))
    rows = (
        RollEntry.objects.filter(session=session)
        .annotate(
            checked=Exists(check_in),
            leave=Subquery(check_in.values("on_leave")[:1]),
        )
        .values("deputy_id", "deputy__name", "checked", "leave")
        .order_by("deputy__name", "deputy_id")
    )
    if q:
        rows = rows.filter(deputy__name__icontains=q)
    return [
        RollRow(
            pk=r["deputy_id"],
            name=r["deputy__name"],
            state="none" if not r["checked"] else ("leave" if r["leave"] else "present"),
        )
        for r in rows
    ]


def roll_row(session: CongressSession, deputy_pk: int) -> RollRow | None:
    entry = (
        RollEntry.objects.filter(session=session, deputy_id=deputy_pk)
        .select_related("deputy")
        .first()
    )
    if entry is None:
        return None
    found = CheckIn.objects.filter(session=session, deputy_id=deputy_pk).first()
    state = "none" if found is None else ("leave" if found.on_leave else "present")
    return RollRow(pk=entry.deputy_id, name=entry.deputy.name, state=state)


def polls_of(session: CongressSession) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(session=session)
        .annotate(
            n_ballots=Count("ballots", distinct=True),
            n_codes=Count("codes", distinct=True),
        )
        .prefetch_related("options")
        .order_by("pk")
    )


@dataclass
class CodeCounts:
    unused: int
    spent: int
    void: int
    spares: int

    @property
    def issued(self) -> int:
        return self.unused + self.spent + self.void


def code_counts(poll: Poll) -> CodeCounts:
    counts = Code.objects.filter(poll=poll).aggregate(
        unused=Count("pk", filter=Q(state=Code.State.UNUSED)),
        spent=Count("pk", filter=Q(state=Code.State.SPENT)),
        void=Count("pk", filter=Q(state=Code.State.VOID)),
        spares=Count("pk", filter=Q(is_spare=True)),
    )
    return CodeCounts(**counts)


def tallies_of(poll: Poll) -> QuerySet[PaperTally]:
    return PaperTally.objects.filter(poll=poll).select_related("teller", "confirmed_by")


def published_polls() -> QuerySet[Poll]:
    return (
        Poll.objects.filter(state=Poll.State.PUBLISHED)
        .select_related("session__region")
        .annotate(n_ballots=Count("ballots"))
        .order_by("-session__date", "-pk")
    )


def ballot_count(poll: Poll) -> int:
    return Ballot.objects.filter(poll=poll).count()
