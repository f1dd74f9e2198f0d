"""Reads of the livelihood pages, with their joins applied once."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from ballots.models import CongressSession
from deputies.models import Mandate
from livelihood.models import (
    Allocation,
    Candidate,
    CandidateList,
    Comment,
    FundPool,
    Level,
    Proposal,
)
from livelihood.services import pool_flow
from organisation.access import region_q
from organisation.models import User
from organisation.roles import Role


def proposals_for(user: User) -> QuerySet[Proposal]:
    """The list: what this person may see, with what each row shows."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("region", "proposer_deputy")
        # A subquery rather than a GROUP BY over the join: the page's 50 rows are
        # counted, and the paginator's count has no comments to join.
        .annotate(
            comment_count=Coalesce(
                Subquery(
                    Comment.objects.filter(proposal=OuterRef("pk"))
                    .order_by()
                    .values("proposal")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
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
    """The year's pools in scope, each with ``used`` (what its region's candidates and
    chosen projects, and those its inner pools cannot pay, take from it) and ``left``.
    Three queries, whatever the number of pools."""
    rows = list(pools_for(user).filter(year=year).order_by("region__path", "level"))
    amounts: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for level, path, amount in FundPool.objects.filter(year=year).values_list(
        "level", "region__path", "amount"
    ):
        amounts[level][path] = amount
    committed: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        Proposal.objects.filter(year=year, status__in=Proposal.COMMITTED)
        .values("level", "region__path")
        .annotate(total=Sum("estimated_cost"))
        .order_by()
    ):
        committed[row["level"]][row["region__path"]] = row["total"]
    flows = {}
    for level in amounts:
        tops = {
            p for p in amounts[level] if not any(p.startswith(q) and p != q for q in amounts[level])
        }
        flows[level] = [pool_flow(amounts[level], committed[level], top=top) for top in tops]
    cent = Decimal("0.01")
    for pool in rows:
        for overflow, slack, need in flows.get(pool.level, []):
            if pool.region.path in slack:
                used = min(pool.amount, need[pool.region.path])
                pool.used = used.quantize(cent)  # type: ignore[attr-defined]
                pool.left = slack[pool.region.path].quantize(cent)  # type: ignore[attr-defined]
                pool.short = overflow[pool.region.path].quantize(cent)  # type: ignore[attr-defined]
    # 办: money allocated (a column) and spent; a project's spending counts against each
    # pool in proportion to what that pool allocated to it. One query.
    spent = dict(
        Allocation.objects.filter(pool__in=[p.pk for p in rows], project__allocated__gt=0)
        .values("pool")
        .annotate(
            total=Sum(
                F("project__spent") * F("amount") / F("project__allocated"),
                output_field=DecimalField(max_digits=14, decimal_places=4),
            )
        )
        .values_list("pool", "total")
        .order_by()
    )
    for pool in rows:
        pool.spent = Decimal(spent.get(pool.pk) or 0).quantize(cent)  # type: ignore[attr-defined]
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
