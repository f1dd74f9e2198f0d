"""Every write to livelihood projects: 提 propose (directly or from a station reception),
议 deliberate (deputies comment, the office screens into the reserve pool or rejects), the
fund pools, and 决 the candidate lists decided through the ``ballots`` module.

Who keeps a congress's proposals: the city staff the city's, the secretary of the county
or township (or of the county around it) theirs; an administrator any.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congress_portal.edits import record_history, versioned_update
from congress_portal.errors import DomainError
from deputies.models import Deputy, Mandate
from liaison_stations.models import Reception
from livelihood.models import REGION_LEVEL, Comment, FundPool, Level, Proposal
from notifications.models import Kind as NoticeKind
from notifications.services import notifications_send
from organisation.access import has_role
from organisation.models import Region, User
from organisation.roles import Role

MAX_COST = Decimal("99999999.99")


class LivelihoodError(DomainError):
    """A livelihood-project step was refused; the message is safe to show."""


# --- Who ------------------------------------------------------------------------------------


def may_keep(user: User, level: str, region: Region) -> bool:
    """The office of the congress of ``level`` in ``region``."""
    if not user.is_authenticated:
        return False
    if has_role(user, Role.ADMIN):
        return True
    if level == Level.CITY:
        return user.role == Role.STAFF
    return (
        user.role == Role.SECRETARY
        and user.region is not None
        and region.path.startswith(user.region.path)
    )


def deputy_of(user: User) -> Deputy | None:
    if not user.is_authenticated or user.role != Role.DEPUTY:
        return None
    return Deputy.objects.filter(user=user, is_active=True).first()


def holds_seat(deputy: Deputy, level: str, region: Region) -> bool:
    return Mandate.objects.active().filter(deputy=deputy, level=level, region=region).exists()


def level_of(region: Region) -> str:
    """The congress level of a region (a city's congress, a county's, a township's)."""
    by_region_level: dict[str, str] = {v: k for k, v in REGION_LEVEL.items()}
    return by_region_level[region.level]


# --- 提 Propose -----------------------------------------------------------------------------


def _check(
    *, level: str, region: Region, title: str, place: str, estimated_cost, beneficiaries
) -> None:
    if level not in Level.values:
        raise LivelihoodError(_("Choose the congress."), field="congress")
    if region.level != REGION_LEVEL[Level(level)]:
        raise LivelihoodError(_("This region has no congress of that level."), field="congress")
    if not title.strip():
        raise LivelihoodError(_("Give the project a title."), field="title")
    if not place.strip():
        raise LivelihoodError(_("Say where the project is."), field="place")
    if estimated_cost is None or not 0 < Decimal(estimated_cost) <= MAX_COST:
        raise LivelihoodError(
            _("Give the estimated cost in 10,000 yuan, more than zero."), field="estimated_cost"
        )
    if beneficiaries is None or int(beneficiaries) < 1:
        raise LivelihoodError(
            _("Say how many people the project serves, at least one."), field="beneficiaries"
        )


@transaction.atomic
def proposal_create(
    *,
    by: User,
    level: str,
    region: Region,
    title: str,
    place: str,
    estimated_cost: Decimal,
    beneficiaries: int,
    source: str,
    description: str = "",
    year: int | None = None,
) -> Proposal:
    """A deputy proposes to a congress they sit in (source: a deputy); the office of that
    congress proposes for constituents or the government."""
    deputy = deputy_of(by)
    if deputy is not None:
        if not holds_seat(deputy, level, region):
            raise LivelihoodError(
                _("You can propose only to a congress you are a deputy of."), field="congress"
            )
        source = Proposal.Source.DEPUTY
    elif not may_keep(by, level, region):
        raise LivelihoodError(
            _("Only the deputies and the office of this congress propose to it."),
            field="congress",
        )
    if source not in Proposal.Source.values:
        raise LivelihoodError(_("Choose where the proposal comes from."), field="source")
    _check(
        level=level,
        region=region,
        title=title,
        place=place,
        estimated_cost=estimated_cost,
        beneficiaries=beneficiaries,
    )
    proposal = Proposal.objects.create(
        level=level,
        region=region,
        year=year or timezone.localdate().year,
        title=title.strip(),
        place=place.strip(),
        description=description.strip(),
        estimated_cost=estimated_cost,
        beneficiaries=beneficiaries,
        source=source,
        proposer=by,
        proposer_deputy=deputy,
    )
    return proposal


@transaction.atomic
def proposal_from_reception(
    *,
    by: User,
    reception: Reception,
    level: str,
    region: Region,
    title: str,
    place: str,
    estimated_cost: Decimal,
    beneficiaries: int,
    description: str = "",
) -> Proposal:
    """The office turns a station reception into a proposal in one step (source:
    constituents); the reception then links to it through its generic ``follow_up``
    (handling: turned into a livelihood-project proposal), as a drafted suggestion does."""
    if not may_keep(by, level, region):
        raise LivelihoodError(
            _("Only the office of this congress proposes to it."), field="congress"
        )
    locked = Reception.objects.visible_to(by).select_for_update().filter(pk=reception.pk).first()
    if locked is None:
        raise LivelihoodError(_("This reception is not yours to propose from."), field="reception")
    if locked.follow_up_id is not None:
        raise LivelihoodError(
            _("This reception has already become a suggestion or a proposal."), field="reception"
        )
    _check(
        level=level,
        region=region,
        title=title,
        place=place,
        estimated_cost=estimated_cost,
        beneficiaries=beneficiaries,
    )
    proposal = Proposal.objects.create(
        level=level,
        region=region,
        year=timezone.localdate().year,
        title=title.strip(),
        place=place.strip(),
        description=(description.strip() or locked.content),
        estimated_cost=estimated_cost,
        beneficiaries=beneficiaries,
        source=Proposal.Source.CONSTITUENT,
        proposer=by,
        reception=locked,
    )
    Reception.objects.filter(pk=locked.pk).update(
        handling=Reception.Handling.PROJECT,
        follow_up_type=ContentType.objects.get_for_model(Proposal),
        follow_up_id=proposal.pk,
        version=F("version") + 1,
    )
    locked.refresh_from_db()
    record_history(locked, by=by, reason=_("Turned into a livelihood-project proposal"))
    return proposal


# --- 议 Deliberate --------------------------------------------------------------------------


@transaction.atomic
def comment_add(*, proposal: Proposal, by: User, text: str) -> Comment:
    """A deputy of the proposal's congress comments; the first comment opens the
    deliberation."""
    deputy = deputy_of(by)
    if deputy is None or not holds_seat(deputy, proposal.level, proposal.region):
        raise LivelihoodError(
            _("Only the deputies of this congress deliberate its proposals."), forbidden=True
        )
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise LivelihoodError(_("This proposal has already been screened."), field="text")
    if not text.strip():
        raise LivelihoodError(_("Write your comment."), field="text")
    comment = Comment.objects.create(proposal=proposal, deputy=deputy, text=text.strip())
    if proposal.status == Proposal.Status.PROPOSED:
        Proposal.objects.filter(pk=proposal.pk).update(
            status=Proposal.Status.DELIBERATING, version=F("version") + 1
        )
    return comment


@transaction.atomic
def proposal_screen(
    *,
    proposal: Proposal,
    by: User,
    version: int,
    accept: bool,
    feasibility: str = "",
    fund_source: str = "",
    reason: str = "",
    on: dt.date | None = None,
) -> Proposal:
    """The office screens an open proposal: into the reserve pool 储备库 with its
    feasibility and fund source, or rejected with a reason the proposer sees."""
    if not may_keep(by, proposal.level, proposal.region):
        raise LivelihoodError(_("Only the office of this congress screens it."), forbidden=True)
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not current.is_open:
        raise LivelihoodError(_("This proposal has already been screened."), field="decision")
    on = on or timezone.localdate()
    if accept:
        if not feasibility.strip():
            raise LivelihoodError(_("Say why the project is feasible."), field="feasibility")
        if not fund_source.strip():
            raise LivelihoodError(_("Name the fund source."), field="fund_source")
        values: dict[str, object] = {
            "status": Proposal.Status.RESERVE,
            "feasibility": feasibility.strip(),
            "fund_source": fund_source.strip(),
            "reject_reason": "",
        }
    else:
        if not reason.strip():
            raise LivelihoodError(_("Give the reason the proposer will read."), field="reason")
        values = {"status": Proposal.Status.REJECTED, "reject_reason": reason.strip()}
    values |= {"screened_by": by, "screened_on": on}
    screened = versioned_update(current, version=version, values=values, error=LivelihoodError)
    record_history(
        screened,
        by=by,
        reason=_("Into the reserve pool") if accept else _("Rejected"),
    )
    if screened.proposer_id and screened.proposer_id != by.pk:
        title = (
            _("Your proposal is in the reserve pool: %(title)s")
            if accept
            else _("Your proposal was not taken up: %(title)s")
        ) % {"title": screened.title}
        notifications_send(
            users=get_user_model().objects.filter(pk=screened.proposer_id, is_active=True),
            kind=NoticeKind.OTHER,
            title=title,
            body=screened.reject_reason or screened.feasibility,
            url=screened.get_absolute_url(),
            key=f"livelihood:{screened.pk}:screened",
        )
    return screened


# --- 资金池 Fund pools ----------------------------------------------------------------------


@transaction.atomic
def fund_pool_set(
    *,
    by: User,
    year: int,
    level: str,
    region: Region,
    funded_by: Region,
    amount: Decimal,
    note: str = "",
) -> FundPool:
    """Set a year's pool for ``level``'s projects in ``region`` (and the regions inside
    it), paid by ``region`` itself or a region around it; kept by the payer's office."""
    if level not in Level.values:
        raise LivelihoodError(_("Choose the congress."), field="level")
    if not funded_by.contains(region):
        raise LivelihoodError(
            _("A pool is paid by its own region or by one around it."), field="funded_by"
        )
    if not may_keep(by, level_of(funded_by), funded_by):
        raise LivelihoodError(
            _("Only the office of the paying region sets its pool."), field="funded_by"
        )
    if amount is None or not 0 <= Decimal(amount) <= MAX_COST:
        raise LivelihoodError(_("Give the amount in 10,000 yuan."), field="amount")
    if year < 2000 or year > 2100:
        raise LivelihoodError(_("Give the year."), field="year")
    committed = committed_cost(year=year, level=level, region=region)
    pools = FundPool.objects.covering(year=year, level=level, region=region).exclude(region=region)
    others = pools.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if Decimal(amount) + others < committed:
        raise LivelihoodError(
            _(
                "Candidates and chosen projects already need %(committed)s (10,000 yuan); "
                "the pool cannot be less."
            )
            % {"committed": committed},
            field="amount",
        )
    pool, _created = FundPool.objects.update_or_create(
        year=year,
        level=level,
        region=region,
        defaults={
            "funded_by": funded_by,
            "amount": amount,
            "note": note.strip(),
            "version": F("version") + 1,
        },
        create_defaults={"funded_by": funded_by, "amount": amount, "note": note.strip()},
    )
    pool.refresh_from_db()
    record_history(pool, by=by, reason=_("Fund pool set"))
    return pool


def committed_cost(
    *, year: int, level: str, region: Region, excluding: list[int] | None = None
) -> Decimal:
    """What candidates and chosen projects already need from the pools covering
    ``region``: those of the broadest covering pool's region (a county's pool for its
    townships counts every township's), so a pool is never promised twice."""
    pools = list(
        FundPool.objects.covering(year=year, level=level, region=region).select_related("region")
    )
    widest = min((p.region for p in pools), key=lambda r: len(r.path), default=region)
    committed = Proposal.objects.filter(
        year=year,
        level=level,
        region__path__startswith=widest.path,
        status__in=Proposal.COMMITTED,
    )
    if excluding:
        committed = committed.exclude(pk__in=excluding)
    return committed.aggregate(total=Sum("estimated_cost"))["total"] or Decimal(0)


def pool_headroom(*, year: int, level: str, region: Region) -> tuple[Decimal, Decimal]:
    """(total of the covering pools, what is already committed against them)."""
    total = FundPool.objects.covering(year=year, level=level, region=region).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    return total, committed_cost(year=year, level=level, region=region)
