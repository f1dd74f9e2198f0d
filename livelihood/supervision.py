"""督 Supervise and 评 Evaluate: the services.

Inspections
    ``inspection_record(*, proposal, date, deputies, notes, by)``: a visit of a chosen
    project by deputies holding a seat in its congress; each gets one activity
    (kind INSPECTION, source_key ``inspection:<pk>``) on their performance record.
    Recorded by the congress's office or by a deputy who took part.
Findings
    ``finding_add(*, inspection, text, unit, by, due_on=None)``: a finding is a handover
    of kind ``livelihood_finding`` (民生实事督办) to the responsible unit, checked by the
    office, due a month later by default; the unit answers it in ``/inbox/``.
Evaluations
    ``evaluation_poll_create(*, session, proposals, by)``: the finished projects of the
    session's congress on one poll of method "rate"; the deputies vote at ``/vote/``.
    ``evaluation_record(*, poll)`` once the tally is published: each project's counts
    and the satisfaction rule's verdict (``ballots.services.unsatisfactory``); a project
    rated unsatisfactory is flagged, its unit's contacts are told, and the unit must
    report on it again — a handover of kind ``livelihood_finding`` "report again".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import CongressSession, Poll
from ballots.services import BallotError, may_run, poll_create, poll_result
from deputies.models import Activity, Deputy, Mandate
from deputies.selectors import deputy_of
from deputies.services import activities_withdraw, activity_record
from handovers.services import handover_create
from livelihood.models import Evaluation, Finding, Inspection, Project, Proposal
from livelihood.services import LivelihoodError, may_keep, proposal_key
from notifications.models import Kind as NoticeKind
from notifications.services import notifications_send
from organisation.models import Unit, User
from organisation.roles import Role

FINDING_KIND = "livelihood_finding"


def project_of(proposal: Proposal):
    """The proposal's project (livelihood/delivery.py), or None."""
    return getattr(proposal, "project", None)


def projects_of(proposal_ids) -> dict:
    """The projects of ``proposal_ids`` by proposal id (one query)."""
    return {p.proposal_id: p for p in Project.objects.filter(proposal__in=list(proposal_ids))}


def unit_of(proposal: Proposal) -> Unit | None:
    """The project's responsible unit, when it has one."""
    project = project_of(proposal)
    return getattr(project, "unit", None)


def is_finished(proposal: Proposal) -> bool:
    """A chosen proposal whose project is completed (without a project record: chosen)."""
    if proposal.status != Proposal.Status.CHOSEN:
        return False
    project = project_of(proposal)
    return project is None or getattr(project, "state", "") == "completed"


def seated(proposal: Proposal, day: dt.date):
    """The deputies holding a seat in the proposal's congress on ``day``."""
    return Deputy.objects.filter(
        pk__in=Mandate.objects.active_on(day)
        .filter(level=proposal.level, region=proposal.region)
        .values("deputy")
    )


def may_inspect(user: User, proposal: Proposal) -> bool:
    """The congress's office, or a deputy holding a seat in it."""
    if may_keep(user, proposal.level, proposal.region):
        return True
    deputy = deputy_of(user) if user.is_authenticated else None
    return bool(deputy and seated(proposal, timezone.localdate()).filter(pk=deputy.pk).exists())


# --- 督 Inspections and findings ----------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    proposal: Proposal,
    date: dt.date,
    deputies: Sequence[Deputy],
    notes: str,
    by: User,
) -> Inspection:
    if not may_inspect(by, proposal):
        raise LivelihoodError(
            _("You may not record an inspection of this project."), forbidden=True
        )
    if proposal.status != Proposal.Status.CHOSEN:
        raise LivelihoodError(_("Only a chosen project is inspected."), field="proposal")
    if date > timezone.localdate():
        raise LivelihoodError(_("An inspection is recorded once it has taken place."), field="date")
    if not deputies:
        raise LivelihoodError(_("Name the deputies who took part."), field="deputies")
    ids = {d.pk for d in deputies}
    if seated(proposal, date).filter(pk__in=ids).count() != len(ids):
        raise LivelihoodError(
            _("Only deputies of the project's congress take part."), field="deputies"
        )
    inspection = Inspection.objects.create(proposal=proposal, date=date, notes=notes, by=by)
    inspection.deputies.set(ids)
    title = _("Inspection of the livelihood project %(title)s") % {"title": proposal.title}
    for deputy in deputies:
        activity_record(
            deputy=deputy,
            kind=Activity.Kind.INSPECTION,
            date=date,
            title=title,
            source_key=f"inspection:{inspection.pk}",
        )
    activities_withdraw(source_key=f"inspection:{inspection.pk}", keep=ids)
    return inspection


@transaction.atomic
def finding_add(
    *,
    inspection: Inspection,
    text: str,
    by: User,
    unit: Unit | None = None,
    due_on: dt.date | None = None,
    on: dt.date | None = None,
) -> Finding:
    """A finding, handed to the responsible unit (the project's, unless ``unit``)."""
    proposal = inspection.proposal
    if not may_inspect(by, proposal):
        raise LivelihoodError(_("You may not add findings to this inspection."), forbidden=True)
    if not text.strip():
        raise LivelihoodError(_("Write down the finding."), field="text")
    unit = unit or unit_of(proposal)
    if unit is None:
        raise LivelihoodError(_("Name the unit responsible for the project."), field="unit")
    finding = Finding.objects.create(inspection=inspection, text=text.strip(), unit=unit)
    finding.handover = handover_create(
        kind=FINDING_KIND,
        subject=finding,
        title=_("Inspection finding, %(project)s: %(text)s")
        % {"project": proposal.title, "text": text.strip()[:80]},
        region=proposal.region,
        unit=unit,
        by=by,
        due_on=due_on,
        handed_on=on,
    )
    finding.save(update_fields=["handover"])
    return finding


def subject_url(handover) -> str:
    """The project page of a finding or a re-report (the handover kind's hook): the unit
    contact may open it, where the inspection pages are the congress's."""
    subject = handover.subject
    proposal = subject.inspection.proposal if isinstance(subject, Finding) else subject
    if not isinstance(proposal, Proposal):
        return ""
    project = project_of(proposal)
    return project.get_absolute_url() if project else proposal.get_absolute_url()


# --- 评 Evaluations -----------------------------------------------------------------------


def evaluable(session: CongressSession):
    """The finished projects of the session's congress not yet rated at this session."""
    chosen = Proposal.objects.filter(
        level=session.level, region=session.region, status=Proposal.Status.CHOSEN
    ).exclude(evaluations__poll__session=session)
    return [p for p in chosen.order_by("year", "pk") if is_finished(p)]


@transaction.atomic
def evaluation_poll_create(
    *, session: CongressSession, proposals: Iterable[Proposal], by: User
) -> Poll:
    """One "rate" poll of ``session`` with the finished projects of its congress."""
    if not may_run(by, session):
        raise LivelihoodError(_("You may not run this session."), forbidden=True)
    picked = list(proposals)
    if not picked:
        raise LivelihoodError(_("Pick at least one finished project."), field="proposals")
    open_ = {p.pk for p in evaluable(session)}
    if any(p.pk not in open_ for p in picked):
        raise LivelihoodError(
            _("Only finished projects of this congress not yet rated here are evaluated."),
            field="proposals",
        )
    try:
        poll = poll_create(
            session=session,
            title=_("Evaluation of the livelihood projects, %(session)s")
            % {"session": session.name},
            method=Poll.Method.RATE,
            slots=len(picked),
            options=[(proposal_key(p.pk), p.title) for p in picked],
            by=by,
        )
    except BallotError as error:
        raise LivelihoodError(error.message, field=error.field or "proposals") from error
    Evaluation.objects.bulk_create([Evaluation(proposal=p, poll=poll) for p in picked])
    return poll


@transaction.atomic
def evaluation_record(*, poll: Poll, on: dt.date | None = None) -> list[Evaluation]:
    """Keep the published result of an evaluation poll; safe to run again."""
    if poll.state != Poll.State.PUBLISHED:
        raise LivelihoodError(_("The vote's tally is not published yet."), field="poll")
    rows = list(
        Evaluation.objects.select_for_update()
        .filter(poll=poll)
        .select_related("proposal__region")
        .order_by("pk")
    )
    result = poll_result(poll)
    by_key = {o.key: o for o in result.options}
    on = on or timezone.localdate()
    for row in rows:
        if row.recorded_on is not None:
            continue
        counted = by_key[proposal_key(row.proposal_id)]
        row.roll = result.roll
        row.satisfied, row.basic = counted.satisfied, counted.basic
        row.unsatisfied, row.abstain = counted.unsatisfied, counted.abstain
        row.unsatisfactory = counted.unsatisfactory
        row.recorded_on = on
        if row.unsatisfactory:
            _unsatisfactory(row, poll)
        row.save()
    return rows


def _unsatisfactory(row: Evaluation, poll: Poll) -> None:
    """Tell the unit and have it report on the project again."""
    proposal = row.proposal
    unit = unit_of(proposal)
    title = _("Rated unsatisfactory at %(session)s: %(project)s") % {
        "session": poll.session.name,
        "project": proposal.title,
    }
    if unit is None:
        return
    row.rereport = handover_create(
        kind=FINDING_KIND,
        subject=proposal,
        title=_("Report again on %(project)s: rated unsatisfactory at %(session)s")
        % {"project": proposal.title, "session": poll.session.name},
        region=proposal.region,
        unit=unit,
        by=None,
    )
    notifications_send(
        users=get_user_model().objects.filter(unit=unit, role=Role.UNIT, is_active=True),
        kind=NoticeKind.OTHER,
        title=title,
        body=_(
            "满意 and 基本满意 together were %(count)s of %(roll)s deputies on the roll. "
            "Report on the project again."
        )
        % {"count": (row.satisfied or 0) + (row.basic or 0), "roll": row.roll},
        url=proposal.get_absolute_url(),
        key=f"livelihood-evaluation:{row.pk}:unsatisfactory",
    )


def evaluations_of(session: CongressSession) -> list[Evaluation]:
    """The projects rated at ``session``, recorded or not."""
    return list(
        Evaluation.objects.filter(poll__session=session)
        .select_related("proposal", "poll")
        .order_by("poll", "pk")
    )
