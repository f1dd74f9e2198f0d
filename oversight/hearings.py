"""Inquiries 专题询问, interpellations 质询 and satisfaction votes 满意度测评: the services.

Each write is kept by the office of the case's congress
(``organisation.congresses.keeps_congress``: the city's staff, a county's secretary,
administrators) and refused with :class:`OversightError` naming its field.

Inquiries
    ``respondent_add``, ``question_add`` (asked by a member of the standing committee or
    a deputy of the congress on the day), ``question_answer``; ``commitment_add``: a
    promise made in an answer, handed to the respondent's unit as a handover of kind
    ``oversight_commitment`` due on the promised day, checked by the office.
Interpellations
    ``interpellation_move``: moved jointly by at least ``mover_threshold`` people who
    may move it on the day — 5 members of a city's standing committee, 3 of a county's
    (``CommitteeMembership.active_on``), or 10 deputies holding seats of the congress at
    its session (``Mandate.active_on``); it names the body questioned and is handed to
    it (kind ``interpellation``), to be answered orally or in writing.
    ``interpellation_verdicts_record``: each mover satisfied or dissatisfied with the
    answer. More than half dissatisfied sends the handover back for its one second
    answer (the handover's round 2, tracked to its own deadline); otherwise, and after
    the second answer, the office's verification closes it. The handover cannot be
    verified or sent back by hand before the movers' verdicts are in (``handover_changed``).
Satisfaction votes
    ``satisfaction_poll_create``: the units on one ballot of method "rate" (options
    ``unit:<pk>``) at a session of the case's congress — its deputies, or its standing
    committee's members (``CongressSession.body``); the quorum (more than two-thirds of
    the roll present) is the ballot module's, checked when the vote opens.
    ``satisfaction_record`` once the tally is published: per unit the counts and the
    satisfaction rule (``ballots.services.unsatisfactory``: 满意 + 基本满意 no more than
    half of all on the roll is 不满意); the paper ballots found invalid are kept apart; a
    unit rated 不满意 gives a new report by a deadline, a handover of kind
    ``satisfaction_report`` in its /inbox/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import CongressSession, Poll
from ballots.services import BallotError, may_run, poll_create, poll_result
from deputies.models import Activity, CommitteeMembership, Deputy, Mandate
from deputies.services import activity_record
from handovers.kinds import Elsewhere, Offer
from handovers.models import Handover
from handovers.services import HandoverError, add_months, handover_create, handover_verify
from organisation.congresses import CongressLevel
from organisation.models import Unit, User
from oversight.hearing_models import (
    COMMITMENT_KIND,
    INTERPELLATION_KIND,
    REREPORT_KIND,
    Commitment,
    Interpellation,
    Mover,
    Question,
    Respondent,
    SatisfactionResult,
    SatisfactionVote,
)
from oversight.models import Case, Kind
from oversight.services import OversightError, may_keep

#: How many must move an interpellation jointly.
CITY_COMMITTEE_MOVERS = 5
COUNTY_COMMITTEE_MOVERS = 3
SESSION_MOVERS = 10
#: A unit rated 不满意 reports again within this many months.
REREPORT_MONTHS = 3


def _require_keep(user: User, case: Case) -> None:
    if not may_keep(user, case):
        raise OversightError(
            _("Only the office of the case's congress records this."), forbidden=True
        )


def _require_kind(case: Case, kind: str) -> None:
    if case.kind != kind:
        raise OversightError(
            _("This case is not of the kind %(kind)s.") % {"kind": Kind(kind).label}, field="case"
        )


def _handover_error(error: HandoverError) -> OversightError:
    return OversightError(error.message, field=error.field, forbidden=error.forbidden)


# --- Who may ask and move ---------------------------------------------------------------------


def committee_members(case: Case, day: dt.date) -> QuerySet[Deputy]:
    """The members of the standing committee of the case's congress on ``day``."""
    members = CommitteeMembership.objects.active_on(day).of_congress(case.region, case.level)
    return Deputy.objects.filter(pk__in=members.values("deputy"))


def seated_deputies(case: Case, day: dt.date) -> QuerySet[Deputy]:
    """The deputies holding a seat of the case's congress on ``day``."""
    seats = Mandate.objects.active_on(day).filter(level=case.level, region=case.region)
    return Deputy.objects.filter(pk__in=seats.values("deputy"))


def mover_threshold(*, setting: str, level: str) -> int:
    """The fewest movers: 10 deputies at a session; 5 members of a city's standing
    committee, 3 of a county's."""
    if setting == Interpellation.Setting.CONGRESS:
        return SESSION_MOVERS
    return CITY_COMMITTEE_MOVERS if level == CongressLevel.CITY else COUNTY_COMMITTEE_MOVERS


def may_move(case: Case, setting: str, day: dt.date) -> QuerySet[Deputy]:
    """Who may move an interpellation of ``case`` on ``day`` in ``setting``."""
    if setting == Interpellation.Setting.CONGRESS:
        return seated_deputies(case, day)
    return committee_members(case, day)


# --- 专题询问 Inquiries -------------------------------------------------------------------------


@transaction.atomic
def respondent_add(*, case: Case, unit: Unit, name: str, title: str, by: User) -> Respondent:
    _require_keep(by, case)
    _require_kind(case, Kind.INQUIRY)
    if not unit.is_active:
        raise OversightError(_("This unit is no longer active."), field="unit")
    if not name.strip():
        raise OversightError(_("Name the person who answers."), field="name")
    if not title.strip():
        raise OversightError(_("Give their post."), field="title")
    return Respondent.objects.create(case=case, unit=unit, name=name.strip(), title=title.strip())


@transaction.atomic
def question_add(
    *,
    case: Case,
    asker: Deputy,
    respondent: Respondent,
    text: str,
    asked_on: dt.date,
    by: User,
) -> Question:
    """A question put at the inquiry by a member of the standing committee or a deputy
    of the congress."""
    _require_keep(by, case)
    _require_kind(case, Kind.INQUIRY)
    if respondent.case_id != case.pk:
        raise OversightError(_("Choose a respondent of this inquiry."), field="respondent")
    if not text.strip():
        raise OversightError(_("Write the question."), field="text")
    if asked_on > timezone.localdate():
        raise OversightError(_("A question is recorded once it has been asked."), field="asked_on")
    is_member = committee_members(case, asked_on).filter(pk=asker.pk).exists()
    if not is_member and not seated_deputies(case, asked_on).filter(pk=asker.pk).exists():
        raise OversightError(
            _(
                "Questions are asked by members of the standing committee or deputies of the congress."
            ),
            field="asker",
        )
    Case.objects.select_for_update().filter(pk=case.pk).first()  # numbers one at a time
    last = Question.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0
    question = Question.objects.create(
        case=case,
        number=last + 1,
        asker=asker,
        asker_is_member=is_member,
        text=text.strip(),
        asked_on=asked_on,
        respondent=respondent,
    )
    # Asking at the inquiry is taking part in it: one entry of the asker's record per
    # inquiry, however many questions they put.
    activity_record(
        deputy=asker,
        kind=Activity.Kind.OVERSIGHT,
        date=asked_on,
        title=(_("Inquiry: %(title)s") % {"title": case.title})[:120],
        source_key=f"oversight_inquiry:{case.pk}",
    )
    return question


@transaction.atomic
def question_answer(*, question: Question, answer: str, answered_on: dt.date, by: User) -> Question:
    _require_keep(by, question.case)
    if not answer.strip():
        raise OversightError(_("Write the answer."), field="answer")
    if answered_on < question.asked_on or answered_on > timezone.localdate():
        raise OversightError(
            _("The answer comes after the question, and not in the future."), field="answered_on"
        )
    question.answer = answer.strip()
    question.answered_on = answered_on
    question.save(update_fields=["answer", "answered_on"])
    return question


@transaction.atomic
def commitment_add(
    *,
    text: str,
    due_on: dt.date,
    by: User,
    question: Question | None = None,
    interpellation: Interpellation | None = None,
) -> Commitment:
    """A promise made in an answer — to an inquiry's ``question`` or to an
    ``interpellation`` — handed to the unit that answered, due when promised."""
    if (question is None) == (interpellation is None):
        raise OversightError(_("A commitment is made in one answer."), field="question")
    if question is not None:
        case, unit, answered_on = question.case, question.respondent.unit, question.answered_on
    else:
        asked = interpellation
        case, unit = asked.case, asked.unit  # type: ignore[union-attr]
        handover = asked.handover  # type: ignore[union-attr]
        answered_on = handover.answered_on if handover is not None else None
    _require_keep(by, case)
    if answered_on is None:
        raise OversightError(_("Record the answer first."), field="question")
    if not text.strip():
        raise OversightError(_("Write what was promised."), field="text")
    if due_on <= answered_on:
        raise OversightError(_("The due date comes after the answer."), field="due_on")
    commitment = Commitment.objects.create(
        question=question,
        interpellation=interpellation,
        text=text.strip(),
        unit=unit,
        due_on=due_on,
    )
    try:
        commitment.handover = handover_create(
            kind=COMMITMENT_KIND,
            subject=commitment,
            title=_("Commitment, %(case)s: %(text)s")
            % {"case": case.title, "text": text.strip()[:80]},
            region=case.region,
            unit=unit,
            by=by,
            due_on=due_on,
            handed_on=answered_on,
        )
    except HandoverError as error:
        raise _handover_error(error) from error
    commitment.save(update_fields=["handover"])
    return commitment


# --- 质询 Interpellations -------------------------------------------------------------------


@transaction.atomic
def interpellation_move(
    *,
    case: Case,
    setting: str,
    unit: Unit,
    subject: str,
    text: str,
    mode: str,
    movers: Sequence[Deputy],
    by: User,
    moved_on: dt.date | None = None,
    session: CongressSession | None = None,
    due_on: dt.date | None = None,
) -> Interpellation:
    """质询案: moved jointly by enough members (or deputies at a session), handed to the
    body questioned."""
    _require_keep(by, case)
    _require_kind(case, Kind.INTERPELLATION)
    if Interpellation.objects.filter(case=case, unit=unit).exists():
        raise OversightError(
            _("This case already has an interpellation of this body."), field="unit"
        )
    if setting not in Interpellation.Setting.values:
        raise OversightError(_("Say where it is moved."), field="setting")
    if setting == Interpellation.Setting.STANDING_COMMITTEE:
        if case.level not in (CongressLevel.CITY, CongressLevel.COUNTY):
            raise OversightError(
                _("Only a city's or a county's congress has a standing committee."), field="setting"
            )
        if moved_on is None:
            raise OversightError(_("Give the day it is moved."), field="moved_on")
        session = None
    else:
        if session is None:
            raise OversightError(_("Choose the congress session."), field="session")
        if (
            session.region_id != case.region_id
            or session.level != case.level
            or session.body != CongressSession.Body.CONGRESS
        ):
            raise OversightError(_("Choose a session of the case's congress."), field="session")
        moved_on = session.date
    if moved_on > timezone.localdate():
        raise OversightError(_("An interpellation is recorded once it is moved."), field="moved_on")
    if mode not in Interpellation.Mode.values:
        raise OversightError(_("Say whether it is answered orally or in writing."), field="mode")
    if not unit.is_active:
        raise OversightError(_("This unit is no longer active."), field="unit")
    if not subject.strip():
        raise OversightError(_("Give the subject."), field="subject")
    if not text.strip():
        raise OversightError(_("Write what is asked."), field="text")
    ids = {deputy.pk for deputy in movers}
    eligible = may_move(case, setting, moved_on).filter(pk__in=ids).count()
    if eligible != len(ids):
        raise OversightError(
            _("Only members of the standing committee on the day may move it.")
            if setting == Interpellation.Setting.STANDING_COMMITTEE
            else _("Only deputies holding a seat of this congress on the day may move it."),
            field="movers",
        )
    needed = mover_threshold(setting=setting, level=case.level)
    if len(ids) < needed:
        raise OversightError(
            _("An interpellation is moved jointly by at least %(needed)s; %(count)s have signed.")
            % {"needed": needed, "count": len(ids)},
            field="movers",
        )
    interpellation = Interpellation.objects.create(
        case=case,
        setting=setting,
        session=session,
        moved_on=moved_on,
        unit=unit,
        subject=subject.strip(),
        text=text.strip(),
        mode=mode,
    )
    Mover.objects.bulk_create(
        [Mover(interpellation=interpellation, deputy_id=pk) for pk in sorted(ids)]
    )
    # Moving it is taking part in the case: one entry of each mover's record per case.
    for mover in movers:
        activity_record(
            deputy=mover,
            kind=Activity.Kind.OVERSIGHT,
            date=moved_on,
            title=(_("Interpellation: %(subject)s") % {"subject": case.title})[:120],
            source_key=f"oversight_interpellation:{case.pk}",
        )
    try:
        interpellation.handover = handover_create(
            kind=INTERPELLATION_KIND,
            subject=interpellation,
            title=_("Interpellation: %(subject)s") % {"subject": subject.strip()},
            region=case.region,
            unit=unit,
            by=by,
            due_on=due_on,
            handed_on=moved_on,
        )
    except HandoverError as error:
        raise _handover_error(error) from error
    interpellation.save(update_fields=["handover"])
    return interpellation


def second_answer_required(*, dissatisfied: int, movers: int) -> bool:
    """More than half of the movers dissatisfied (exactly half is not)."""
    return dissatisfied * 2 > movers


@transaction.atomic
def interpellation_verdicts_record(
    *,
    interpellation: Interpellation,
    satisfied: Mapping[int, bool],
    by: User,
    on: dt.date | None = None,
) -> Interpellation:
    """Each mover's verdict on the answer waiting (``satisfied`` maps a mover's deputy id
    to True or False). More than half dissatisfied with the first answer: a second answer
    is required (the handover goes back to the unit, round 2); otherwise the office's
    verification closes it. The second answer is final."""
    case = interpellation.case
    _require_keep(by, case)
    locked = Interpellation.objects.select_for_update().get(pk=interpellation.pk)
    handover = locked.handover
    if handover is None or handover.state != Handover.State.ANSWERED:
        raise OversightError(
            _("There is no answer waiting for the movers' verdict."), conflict=True
        )
    movers = list(locked.movers.all())
    if set(satisfied) != {m.deputy_id for m in movers}:
        raise OversightError(_("Record every mover's verdict."), field="movers")
    second = handover.round >= 2
    for mover in movers:
        if second:
            mover.satisfied_second = bool(satisfied[mover.deputy_id])
        else:
            mover.satisfied_first = bool(satisfied[mover.deputy_id])
    Mover.objects.bulk_update(movers, ["satisfied_second" if second else "satisfied_first"])
    dissatisfied = sum(1 for m in movers if not satisfied[m.deputy_id])
    if second:
        locked.dissatisfied_second = dissatisfied
    else:
        locked.dissatisfied_first = dissatisfied
    locked.save(update_fields=["dissatisfied_first", "dissatisfied_second"])
    again = not second and second_answer_required(dissatisfied=dissatisfied, movers=len(movers))
    try:
        handover_verify(
            handover=handover,
            by=by,
            accept=not again,
            reason=(
                _(
                    "%(count)s of the %(movers)s movers are dissatisfied: a second answer is required."
                )
                % {"count": dissatisfied, "movers": len(movers)}
                if again
                else _("%(count)s of the %(movers)s movers are dissatisfied.")
                % {"count": dissatisfied, "movers": len(movers)}
            ),
            on=on,
        )
    except HandoverError as error:
        raise _handover_error(error) from error
    locked.refresh_from_db()
    return locked


def handover_changed(handover: Handover, action: str) -> None:
    """The interpellation kind's hook: an answer is verified or sent back only on the
    movers' verdicts (``interpellation_verdicts_record``), never by hand."""
    if action not in ("verified", "returned"):
        return
    found = Interpellation.objects.filter(handover=handover).first()
    if found is None:
        return
    movers = found.movers.count()
    if action == "returned":
        ok = found.dissatisfied_first is not None and second_answer_required(
            dissatisfied=found.dissatisfied_first, movers=movers
        )
    elif handover.round >= 2:
        ok = found.dissatisfied_second is not None
    else:
        ok = found.dissatisfied_first is not None and not second_answer_required(
            dissatisfied=found.dissatisfied_first, movers=movers
        )
    if not ok:
        raise HandoverError(
            _("The movers' verdicts decide this: record them on the interpellation's page."),
            field="accept",
        )


def interpellation_offers(handover: Handover) -> Offer:
    """The kind's steps on the handover's page: an answer waits for the movers' verdicts,
    recorded on the interpellation's page (the hook refuses the office's own
    verification)."""
    if handover.state != Handover.State.ANSWERED:
        return Offer()
    if handover.round >= 2:
        text = _(
            "The movers' verdicts on the second answer conclude the interpellation: record "
            "them on the interpellation's page."
        )
    else:
        text = _(
            "The movers' verdicts decide on the answer: record them on the interpellation's "
            "page. More than half of them dissatisfied asks for a second answer."
        )
    return Offer.without(
        "verify",
        elsewhere=[
            Elsewhere(
                step="verify",
                text=text,
                url=subject_url(handover),
                link=_("Open the interpellation"),
            )
        ],
    )


def subject_url(handover: Handover) -> str:
    """The page of the inquiry, interpellation or satisfaction vote a handover is about."""
    from django.urls import reverse

    subject = handover.subject
    if isinstance(subject, Commitment) and subject.question_id:
        return reverse("oversight:inquiry", args=[subject.question.case_id])  # type: ignore[union-attr]
    if isinstance(subject, Commitment) and subject.interpellation_id:
        return reverse("oversight:interpellation", args=[subject.interpellation.case_id])  # type: ignore[union-attr]
    if isinstance(subject, Interpellation):
        return reverse("oversight:interpellation", args=[subject.case_id])
    if isinstance(subject, SatisfactionResult):
        return reverse("oversight:satisfaction", args=[subject.vote.case_id])
    return ""


def interpellation_stage(interpellation: Interpellation) -> str:
    """Where it stands, for the pages: awaiting the answer, the movers' verdict, a second
    answer, or concluded."""
    handover = interpellation.handover
    if handover is None:
        return "moved"
    if handover.state == Handover.State.CLOSED:
        return "concluded"
    if handover.state == Handover.State.RETURNED:
        return "second_required"
    if handover.state == Handover.State.ANSWERED:
        return "second_answered" if handover.round >= 2 else "answered"
    return "moved"


# --- 满意度测评 Satisfaction votes -----------------------------------------------------------


def unit_key(unit_id: int) -> str:
    return f"unit:{unit_id}"


@transaction.atomic
def satisfaction_poll_create(
    *,
    case: Case,
    session: CongressSession,
    subject: str,
    year: int,
    units: Sequence[Unit],
    by: User,
) -> SatisfactionVote:
    """The units on one secret ballot of method "rate" at a session of the case's
    congress (its deputies) or a meeting of its standing committee (its members)."""
    _require_keep(by, case)
    _require_kind(case, Kind.SATISFACTION)
    if not may_run(by, session):
        raise OversightError(_("You may not run this session."), forbidden=True)
    if session.region_id != case.region_id or session.level != case.level:
        raise OversightError(_("Choose a session of the case's congress."), field="session")
    if subject not in SatisfactionVote.Subject.values:
        raise OversightError(_("Say what is rated."), field="subject")
    picked = list(dict.fromkeys(units))
    if not picked:
        raise OversightError(_("Choose the units to rate."), field="units")
    if SatisfactionVote.objects.filter(case=case, session=session).exists():
        raise OversightError(_("This case already has a vote at this session."), field="session")
    title = (
        _("Satisfaction with the departments' reports, %(case)s")
        if subject == SatisfactionVote.Subject.REPORT
        else _("Satisfaction with the departments' work in %(year)s, %(case)s")
    ) % {"case": case.title, "year": year}
    try:
        poll = poll_create(
            session=session,
            title=title,
            method=Poll.Method.RATE,
            slots=len(picked),
            options=[(unit_key(u.pk), u.name) for u in picked],
            by=by,
        )
    except BallotError as error:
        raise OversightError(error.message, field=error.field or "session") from error
    return SatisfactionVote.objects.create(
        case=case, session=session, poll=poll, subject=subject, year=year
    )


@transaction.atomic
def satisfaction_record(
    *, vote: SatisfactionVote, by: User | None = None, on: dt.date | None = None
) -> list[SatisfactionResult]:
    """Keep the published tally: each unit's counts and verdict; a unit rated 不满意 is
    handed a new report, due ``REREPORT_MONTHS`` later. Safe to run again."""
    if by is not None:
        _require_keep(by, vote.case)
    locked = (
        SatisfactionVote.objects.select_for_update()
        .select_related("poll", "case", "session")
        .get(pk=vote.pk)
    )
    if locked.poll.state != Poll.State.PUBLISHED:
        raise OversightError(_("The vote's tally is not published yet."), field="poll")
    if locked.recorded_on is not None:
        return list(locked.results.select_related("unit", "rereport"))
    on = on or timezone.localdate()
    result = poll_result(locked.poll)
    units = {unit_key(u.pk): u for u in Unit.objects.filter(pk__in=_unit_ids(result.options))}
    rows = []
    for option in result.options:
        unit = units.get(option.key)
        if unit is None:
            continue
        row = SatisfactionResult.objects.create(
            vote=locked,
            unit=unit,
            satisfied=option.satisfied,
            basic=option.basic,
            unsatisfied=option.unsatisfied,
            abstain=option.abstain,
            unsatisfactory=option.unsatisfactory,
        )
        if option.unsatisfactory:
            row.rereport = handover_create(
                kind=REREPORT_KIND,
                subject=row,
                title=_(
                    "New report due: %(unit)s rated unsatisfactory at %(session)s "
                    "(满意 and 基本满意 %(count)s of %(roll)s on the roll)"
                )
                % {
                    "unit": unit.short_name or unit.name,
                    "session": locked.session.name,
                    "count": option.satisfied + option.basic,
                    "roll": result.roll,
                },
                region=locked.case.region,
                unit=unit,
                by=by,
                due_on=add_months(on, REREPORT_MONTHS),
                handed_on=on,
            )
            row.save(update_fields=["rereport"])
        rows.append(row)
    locked.roll = result.roll
    locked.present = result.present
    locked.ballots = result.ballots + result.paper_returned
    locked.invalid = result.paper_invalid
    locked.recorded_on = on
    locked.save(update_fields=["roll", "present", "ballots", "invalid", "recorded_on"])
    return rows


def _unit_ids(options) -> list[int]:
    ids = []
    for option in options:
        prefix, _sep, pk = option.key.partition(":")
        if prefix == "unit" and pk.isdigit():
            ids.append(int(pk))
    return ids
