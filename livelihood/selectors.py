"""Reads of the livelihood pages, with their joins applied once."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from ballots.models import CongressSession
from deputies.models import Mandate
from livelihood.models import Candidate, CandidateList, Comment, FundPool, Level, Proposal
from organisation.access import region_q
from organisation.models import User
from organisation.roles import Role


def proposals_for(user: User) -> QuerySet[Proposal]:
    """The list: what this person may see, with what each row shows."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("region", "proposer_deputy")
        .annotate(comment_count=Count("comments"))
        .order_by("-year", "-created_at", "-pk")
    )


def proposal_detail(user: User) -> QuerySet[Proposal]:
    return Proposal.objects.visible_to(user).select_related(
        "region", "proposer", "proposer_deputy", "screened_by", "reception__station"
    )


def comments_of(proposal: Proposal) -> QuerySet[Comment]:
    return proposal.comments.select_related("deputy").order_by("created_at", "pk")


def pools_for(user: User) -> QuerySet[FundPool]:
    return FundPool.objects.visible_to(user).select_related("region", "funded_by")


def reserve_of(*, year: int, level: str, region_path: str) -> QuerySet[Proposal]:
    """The reserve pool 储备库 of a congress (its own region's proposals)."""
    return (
        Proposal.objects.filter(
            year__lte=year, level=level, region__path=region_path, status=Proposal.Status.RESERVE
        )
        .select_related("region")
        .order_by("-beneficiaries", "pk")
    )


def pool_rows(user: User, year: int) -> list[FundPool]:
    """The year's pools in scope, each with ``committed``: what the candidates and chosen
    projects of its region (and the regions inside it) need. Two queries, whatever the
    number of pools."""
    rows = list(pools_for(user).filter(year=year).order_by("region__path", "level"))
    needs = list(
        Proposal.objects.filter(year=year, status__in=Proposal.COMMITTED)
        .values("level", "region__path")
        .annotate(total=Sum("estimated_cost"))
        .order_by()
    )
    for pool in rows:
        pool.committed = sum(  # type: ignore[attr-defined]  # shown beside the amount
            (
                n["total"]
                for n in needs
                if n["level"] == pool.level and n["region__path"].startswith(pool.region.path)
            ),
            Decimal(0),
        )
        pool.left = pool.amount - pool.committed  # type: ignore[attr-defined]
    return rows


def sessions_for(user: User) -> QuerySet[CongressSession]:
    """The sessions of the congresses in this person's scope, with their candidate lists."""
    sessions = CongressSession.objects.filter(level__in=Level.values)
    if not user.sees_everything:
        q = region_q(user, "region")
        if user.role == Role.DEPUTY:
            q |= Q(
                Exists(
                    Mandate.objects.active().filter(
                        deputy__user=user.pk, level=OuterRef("level"), region=OuterRef("region")
                    )
                )
            )
        sessions = sessions.filter(q)
    return (
        sessions.select_related("region", "livelihood_list")
        .annotate(candidate_count=Count("livelihood_list__candidates"))
        .order_by("-date", "region__path")
    )


def candidates_of(candidates: CandidateList) -> list[Candidate]:
    """The list's candidates, chosen first, then by votes."""
    rows = list(candidates.candidates.select_related("proposal__region"))
    rows.sort(key=lambda c: (not c.chosen, -(c.yes or 0), c.pk))
    return rows
