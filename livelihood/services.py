"""Every write to livelihood projects: 提 propose (directly or from a station reception),
议 deliberate (deputies comment, the office screens into the reserve pool or rejects), the
fund pools, and 决 the candidate lists decided through the ``ballots`` module.

Who keeps a congress's proposals: the city staff the city's, the secretary of the county
or township (or of the county around it) theirs; an administrator any.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import CongressSession, Poll
from ballots.services import BallotError, PollResult, may_run, poll_create, poll_result
from congress_portal.edits import record_history, versioned_update
from congress_portal.errors import DomainError
from deputies.models import Activity
from deputies.selectors import deputy_of, holds_seat
from deputies.services import activity_record
from liaison_stations.models import Reception
from liaison_stations.services import reception_became
from livelihood.models import (
    Candidate,
    CandidateList,
    Comment,
    FundPool,
    Level,
    Project,
    Proposal,
)
from notifications.models import Kind as NoticeKind
from notifications.services import notifications_send
from organisation.congresses import REGION_LEVEL, keeps_congress, level_of
from organisation.models import Region, Unit, User

MAX_COST = Decimal("99999999.99")


class LivelihoodError(DomainError):
    """A livelihood-project step was refused; the message is safe to show."""


# --- Who ------------------------------------------------------------------------------------


def may_keep(user: User, level: str, region: Region) -> bool:
    """The office of the congress of ``level`` in ``region``."""
    return keeps_congress(user, level=level, region=region)


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
        if not holds_seat(deputy, level=level, region=region):
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
    reception_became(
        reception=locked,
        record=proposal,
        handling=Reception.Handling.PROJECT,
        by=by,
        reason=_("Turned into a livelihood-project proposal"),
    )
    return proposal


# --- 议 Deliberate --------------------------------------------------------------------------


@transaction.atomic
def comment_add(*, proposal: Proposal, by: User, text: str) -> Comment:
    """A deputy of the proposal's congress comments; the first comment opens the
    deliberation."""
    deputy = deputy_of(by)
    if deputy is None or not holds_seat(deputy, level=proposal.level, region=proposal.region):
        raise LivelihoodError(
            _("Only the deputies of this congress deliberate its proposals."), forbidden=True
        )
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise LivelihoodError(_("This proposal has already been screened."), field="text")
    if not text.strip():
        raise LivelihoodError(_("Write your comment."), field="text")
    comment = Comment.objects.create(proposal=proposal, deputy=deputy, text=text.strip())
    # Deliberating a proposal counts once per proposal in the deputy's record.
    activity_record(
        deputy=deputy,
        kind=Activity.Kind.DELIBERATION,
        date=timezone.localdate(),
        title=_("Deliberated the livelihood proposal %(title)s") % {"title": proposal.title},
        source_key=f"deliberation:{proposal.pk}",
    )
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
    existing = FundPool.objects.filter(year=year, level=level, region=region).first()
    if existing and Decimal(amount) < existing.allocated:
        raise LivelihoodError(
            _("%(allocated)s (10,000 yuan) of this pool is already allocated to projects.")
            % {"allocated": existing.allocated},
            field="amount",
        )
    _total, _left, short = _pool_balance(
        year=year, level=level, region=region, override=Decimal(amount)
    )
    if short > 0:
        raise LivelihoodError(
            _(
                "Candidates and chosen projects already count on this pool: it cannot be "
                "less than %(least)s (10,000 yuan)."
            )
            % {"least": Decimal(amount) + short},
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


def _parent(path: str) -> str:
    return path[: path.rstrip("/").rfind("/") + 1]


def pool_flow(
    amounts: dict[str, Decimal],
    committed: dict[str, Decimal],
    *,
    top: str,
    extra: Sequence[str] = (),
) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, Decimal]]:
    """For the regions (by path) under ``top``: what each pool cannot pay and passes up
    (overflow), what it has spare (slack), and what it is asked for (need: its region's
    own committed projects and its children's overflow)."""
    nodes = {top, *extra}
    for path in [*amounts, *committed]:
        while len(path) >= len(top) and path.startswith(top):
            nodes.add(path)
            path = _parent(path)
    overflow: dict[str, Decimal] = {}
    slack: dict[str, Decimal] = {}
    need: dict[str, Decimal] = defaultdict(Decimal)
    for path in sorted(nodes, key=len, reverse=True):
        need[path] += committed.get(path, Decimal(0))
        spare = amounts.get(path, Decimal(0)) - need[path]
        overflow[path], slack[path] = max(-spare, Decimal(0)), max(spare, Decimal(0))
        if path != top:
            need[_parent(path)] += overflow[path]
    return overflow, slack, need


def _pool_balance(
    *,
    year: int,
    level: str,
    region: Region,
    excluding: Sequence[int] = (),
    override: Decimal | None = None,
) -> tuple[Decimal, Decimal, Decimal]:
    """(the covering pools' total, what is left for a new project in ``region``, what the
    pools already fall short by).

    Each region's committed projects (candidates and chosen) draw on its own pool first;
    what it cannot pay flows to the pool of the region around it (a county's pool for its
    townships), and so on up. What is left for ``region`` is the spare money along its
    chain of pools. ``override`` puts a new amount in ``region``'s own pool."""
    covering = {
        p.region.path: p.amount
        for p in FundPool.objects.covering(year=year, level=level, region=region).select_related(
            "region"
        )
    }
    if override is not None:
        covering[region.path] = override
    if not covering:
        return Decimal(0), Decimal(0), Decimal(0)
    top = min(covering, key=len)
    amounts: dict[str, Decimal] = dict(
        FundPool.objects.filter(year=year, level=level, region__path__startswith=top).values_list(
            "region__path", "amount"
        )
    )
    if override is not None:
        amounts[region.path] = override
    committed: dict[str, Decimal] = {}
    rows = (
        Proposal.objects.filter(
            year=year, level=level, region__path__startswith=top, status__in=Proposal.COMMITTED
        )
        .exclude(pk__in=list(excluding))
        .values("region__path")
        .annotate(total=Sum("estimated_cost"))
        .order_by()
    )
    for row in rows:
        committed[row["region__path"]] = row["total"]
    overflow, slack, _need = pool_flow(amounts, committed, top=top, extra=[region.path])
    left = Decimal(0)
    path = region.path
    while len(path) >= len(top):
        left += slack.get(path, Decimal(0))
        path = _parent(path)
    short = overflow[top]
    return sum(covering.values(), Decimal(0)), left - short, short


def pool_headroom(*, year: int, level: str, region: Region) -> tuple[Decimal, Decimal]:
    """(the covering pools' total, what is left of them for a new project in ``region``)."""
    total, left, _short = _pool_balance(year=year, level=level, region=region)
    return total, left


# --- 办 A chosen proposal becomes a project (the rest in livelihood/delivery.py) --------


def default_unit(proposal: Proposal) -> Unit | None:
    """A township's project is usually carried out by the township government."""
    if proposal.level != Level.TOWNSHIP:
        return None
    return (
        Unit.objects.filter(kind=Unit.Kind.TOWNSHIP, region=proposal.region).order_by("pk").first()
    )


def projects_open(proposal_ids: Iterable[int]) -> int:
    """A project for each chosen proposal that has none yet (safe to run again)."""
    made = 0
    proposals = Proposal.objects.filter(
        pk__in=list(proposal_ids), status=Proposal.Status.CHOSEN, project__isnull=True
    ).select_related("region")
    for proposal in proposals:
        Project.objects.create(
            proposal=proposal, budget=proposal.estimated_cost, unit=default_unit(proposal)
        )
        made += 1
    return made


# --- 决 The candidate list of a session -----------------------------------------------------


def proposal_key(proposal_id: int) -> str:
    return f"proposal:{proposal_id}"


def _require_run(by: User, session: CongressSession) -> None:
    if not may_run(by, session):
        raise LivelihoodError(_("You may not run this session."), forbidden=True)


def _require_draft(candidates: CandidateList) -> None:
    if candidates.state != CandidateList.State.DRAFT:
        raise LivelihoodError(_("The candidate list is already fixed."), conflict=True)


@transaction.atomic
def candidate_list_create(
    *, session: CongressSession, by: User, slots: int, method: str = "each"
) -> CandidateList:
    """The session's candidate list, for ``slots`` projects."""
    _require_run(by, session)
    if session.level not in Level.values:
        raise LivelihoodError(_("This congress does not decide projects here."), field="session")
    if CandidateList.objects.filter(session=session).exists():
        raise LivelihoodError(_("This session already has a candidate list."), field="session")
    if method not in Poll.Method.values:
        raise LivelihoodError(_("Choose how the deputies vote."), field="method")
    if slots < 1 or slots > 50:
        raise LivelihoodError(_("Between 1 and 50 projects are chosen."), field="slots")
    return CandidateList.objects.create(session=session, slots=slots, method=method)


@transaction.atomic
def candidate_add(*, candidates: CandidateList, proposal: Proposal, by: User) -> Candidate:
    """Put a proposal of the reserve pool of the session's congress on the list."""
    session = candidates.session
    _require_run(by, session)
    candidates = CandidateList.objects.select_for_update().get(pk=candidates.pk)
    _require_draft(candidates)
    proposal = Proposal.objects.get(pk=proposal.pk)
    if (proposal.level, proposal.region_id) != (session.level, session.region_id):
        raise LivelihoodError(
            _("The proposal is not of this session's congress."), field="proposal"
        )
    if proposal.status != Proposal.Status.RESERVE:
        raise LivelihoodError(
            _("Only a proposal in the reserve pool can be a candidate."), field="proposal"
        )
    if candidates.candidates.filter(proposal=proposal).exists():
        raise LivelihoodError(_("The proposal is already on the list."), field="proposal")
    return Candidate.objects.create(candidate_list=candidates, proposal=proposal)


@transaction.atomic
def candidate_remove(*, candidates: CandidateList, proposal: Proposal, by: User) -> None:
    _require_run(by, candidates.session)
    candidates = CandidateList.objects.select_for_update().get(pk=candidates.pk)
    _require_draft(candidates)
    candidates.candidates.filter(proposal=proposal).delete()


@transaction.atomic
def candidate_list_fix(
    *, candidates: CandidateList, by: User, version: int, on: dt.date | None = None
) -> Poll:
    """Fix the list: the fund pools of the session's year must cover every candidate's
    estimated cost (beside what is already committed), then the list becomes one poll of
    the session with an option per candidate, and its proposals candidates."""
    session = candidates.session
    _require_run(by, session)
    locked = CandidateList.objects.select_for_update().get(pk=candidates.pk)
    _require_draft(locked)
    if locked.version != version:
        raise LivelihoodError(
            _("Someone else changed this list meanwhile. Look at it again."), conflict=True
        )
    rows = list(locked.candidates.select_related("proposal").order_by("pk"))
    if not rows:
        raise LivelihoodError(_("Put at least one project on the list."), field="candidates")
    if locked.slots > len(rows):
        raise LivelihoodError(
            _(
                "The list has %(count)s candidates for %(slots)s slots: add candidates or fewer slots."
            )
            % {"count": len(rows), "slots": locked.slots},
            field="slots",
        )
    if any(c.proposal.status != Proposal.Status.RESERVE for c in rows):
        raise LivelihoodError(
            _("A candidate is no longer in the reserve pool."), field="candidates"
        )
    year = session.date.year
    needed = sum((c.proposal.estimated_cost for c in rows), Decimal(0))
    _total, left, _short = _pool_balance(
        year=year,
        level=session.level,
        region=session.region,
        excluding=[c.proposal_id for c in rows],
    )
    if needed > left:
        raise LivelihoodError(
            _(
                "The fund pools of %(year)s have %(left)s (10,000 yuan) left; the candidates "
                "need %(needed)s. Raise the pool or take candidates off the list."
            )
            % {"year": year, "left": left, "needed": needed},
            field="candidates",
        )
    try:
        poll = poll_create(
            session=session,
            title=_("Livelihood projects of %(session)s") % {"session": session.name},
            method=locked.method,
            slots=locked.slots,
            options=[(proposal_key(c.proposal_id), c.proposal.title) for c in rows],
            by=by,
        )
    except BallotError as error:
        raise LivelihoodError(error.message, field=error.field or "candidates") from error
    Proposal.objects.filter(pk__in=[c.proposal_id for c in rows]).update(
        status=Proposal.Status.CANDIDATE, year=year, version=F("version") + 1
    )
    fixed = versioned_update(
        locked,
        version=version,
        values={
            "state": CandidateList.State.FIXED,
            "poll": poll,
            "fixed_on": on or timezone.localdate(),
        },
        error=LivelihoodError,
    )
    record_history(fixed, by=by, reason=_("Candidate list fixed"))
    return poll


def candidate_results(candidates: CandidateList) -> tuple[list[Candidate], PollResult]:
    """The list's candidates with their votes and whether each is chosen, read from the
    published vote (and its run-off, when a tie left the last slot open); not saved."""
    if candidates.poll_id is None:
        raise LivelihoodError(_("Fix the candidate list first."), field="candidates")
    poll = Poll.objects.select_related("session").get(pk=candidates.poll_id)
    if poll.state != Poll.State.PUBLISHED:
        raise LivelihoodError(_("The vote's tally is not published yet."), field="poll")
    result = poll_result(poll)
    chosen = {o.key for o in result.chosen}
    if result.tie:
        runoff = poll.runoffs.order_by("pk").first()
        if runoff is None or runoff.state != Poll.State.PUBLISHED:
            raise LivelihoodError(
                _("A tie for the last slot: the run-off's published tally decides it."),
                field="poll",
            )
        chosen |= {o.key for o in poll_result(runoff).chosen}
    by_key = {o.key: o for o in result.options}
    rows = list(candidates.candidates.select_related("proposal__region"))
    for row in rows:
        counted = by_key.get(proposal_key(row.proposal_id))
        row.yes = counted.yes if counted else 0
        row.no = counted.no if counted else 0
        row.abstain = counted.abstain if counted else 0
        row.passes = bool(counted and counted.passes)
        row.chosen = proposal_key(row.proposal_id) in chosen
    return rows, result


@transaction.atomic
def candidate_list_decide(*, candidates: CandidateList) -> CandidateList:
    """Once the vote is published (and its run-off, when a tie left the last slot
    open), mark each candidate chosen or not and keep its votes. Safe to run again:
    it writes the same result."""
    locked = CandidateList.objects.select_for_update().get(pk=candidates.pk)
    rows, result = candidate_results(locked)
    Candidate.objects.bulk_update(rows, ["yes", "no", "abstain", "passes", "chosen"])
    for status, picked in (
        (Proposal.Status.CHOSEN, [r.proposal_id for r in rows if r.chosen]),
        (Proposal.Status.NOT_CHOSEN, [r.proposal_id for r in rows if not r.chosen]),
    ):
        Proposal.objects.filter(pk__in=picked).exclude(status=status).update(
            status=status, version=F("version") + 1
        )
    CandidateList.objects.filter(pk=locked.pk).update(
        state=CandidateList.State.DECIDED,
        roll=result.roll,
        present=result.present,
        version=F("version") + 1,
    )
    projects_open(r.proposal_id for r in rows if r.chosen)
    locked.refresh_from_db()
    return locked
