"""Every write of the oversight module: the plan, cases, and the closed loop
反馈—交办—督办—评价 as a state machine (see the diagram in ``oversight/models.py``).

The loop is built on the one handover mechanism: a problem handed over is a
``Handover`` of kind ``rectification``, answered by its unit in ``/inbox/``; the
second unannounced visit verifies a rectified problem (the handover closes verified) or
sends it back onto the second list (the handover's round 2, a new deadline); the office
verifies the second answer, or closes the problem unresolved with a reason. The kind's
hook (:func:`rectification_changed`) keeps each problem in step and refuses a step that
would skip the visit, whichever page it comes from. A review opinion is a handover of
kind ``review_opinion``, its report-back reviewed at a meeting.

Each service locks the row it changes, checks its state and the version the form was
opened with, and raises :class:`OversightError` naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congress_portal.edits import record_history, versioned_update
from congress_portal.errors import DomainError
from congress_portal.uploads import KNOWN_TYPES, upload_check
from deputies.models import Activity, Deputy
from deputies.services import activities_withdraw, activity_record
from handovers.kinds import Elsewhere, Offer
from handovers.models import Handover, Step
from handovers.services import (
    HandoverError,
    handover_close_unresolved,
    handover_create,
    handover_verify,
)
from organisation.congresses import REGION_LEVEL, CongressLevel, keeps_congress
from organisation.models import Region, Unit, User
from oversight.models import (
    Case,
    CaseDocument,
    CaseStage,
    Kind,
    OpinionReview,
    Participant,
    Plan,
    PlanItem,
    Problem,
    ReviewOpinion,
    SecondVisit,
    VisitFinding,
)

# Stored on each handover (``Handover.kind`` holds 20 characters).
RECTIFICATION_KIND = "rectification"
OPINION_KIND = "review_opinion"


class OversightError(DomainError):
    """An oversight step was refused; the message is safe to show."""


# --- Who -------------------------------------------------------------------------------------


def may_keep(user: User, case: Case) -> bool:
    """The office of the case's congress: the city's staff, the county's secretary."""
    return keeps_congress(user, level=case.level, region=case.region)


def _keeper(user: User, case: Case) -> None:
    if not may_keep(user, case):
        raise OversightError(_("Only the office of this congress keeps its cases."), forbidden=True)


def _congress(level: str, region: Region) -> None:
    if level not in CongressLevel.values or region.level != REGION_LEVEL[CongressLevel(level)]:
        raise OversightError(_("This region has no congress of that level."), field="congress")


def _locked_case(case: Case, version: int | None = None) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).select_related("region").get(pk=case.pk)
    if version is not None and locked.version != version:
        raise OversightError(
            _("Someone else changed this case while you had it open. Look at it again."),
            conflict=True,
        )
    return locked


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


# --- The annual plan -------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, region: Region, level: str, year: int, title: str, by: User) -> Plan:
    _congress(level, region)
    if not keeps_congress(by, level=level, region=region):
        raise OversightError(_("Only the office of this congress keeps its plan."), forbidden=True)
    if not title.strip():
        raise OversightError(_("Give the plan a title."), field="title")
    if Plan.objects.filter(region=region, level=level, year=year).exists():
        raise OversightError(_("This congress already has a plan for that year."), field="year")
    return Plan.objects.create(region=region, level=level, year=year, title=title.strip())


@transaction.atomic
def plan_item_add(
    *, plan: Plan, quarter: int, title: str, kind: str, lead_committee: str, by: User
) -> PlanItem:
    if not keeps_congress(by, level=plan.level, region=plan.region):
        raise OversightError(_("Only the office of this congress keeps its plan."), forbidden=True)
    if quarter not in (1, 2, 3, 4):
        raise OversightError(_("Choose a quarter."), field="quarter")
    if kind not in Kind.values:
        raise OversightError(_("Choose the kind of oversight."), field="kind")
    if not title.strip():
        raise OversightError(_("Say what is planned."), field="title")
    if not lead_committee.strip():
        raise OversightError(_("Name the lead committee."), field="lead_committee")
    return PlanItem.objects.create(
        plan=plan,
        quarter=quarter,
        title=title.strip(),
        kind=kind,
        lead_committee=lead_committee.strip(),
    )


# --- Cases -----------------------------------------------------------------------------------


class CaseFields(TypedDict, total=False):
    kind: str
    title: str
    year: int
    plan_item: PlanItem | None
    lead_committee: str
    joint_levels: list[str]
    summary: str
    started_on: dt.date | None
    finished_on: dt.date | None


def _check_fields(case_region: Region, case_level: str, fields: Mapping) -> None:
    if "kind" in fields and fields["kind"] not in Kind.values:
        raise OversightError(_("Choose the kind of oversight."), field="kind")
    if "title" in fields and not str(fields["title"]).strip():
        raise OversightError(_("Give the case a title."), field="title")
    if "lead_committee" in fields and not str(fields["lead_committee"]).strip():
        raise OversightError(_("Name the lead committee."), field="lead_committee")
    joint = fields.get("joint_levels") or []
    if any(level not in CongressLevel.values or level == case_level for level in joint):
        raise OversightError(
            _("A joint inspection is run with the congresses of other levels."),
            field="joint_levels",
        )
    if joint and fields.get("kind", Kind.LAW_INSPECTION) != Kind.LAW_INSPECTION:
        raise OversightError(
            _("Only a law-enforcement inspection is run jointly."), field="joint_levels"
        )
    plan_item = fields.get("plan_item")
    if plan_item is not None and (
        plan_item.plan.region_id != case_region.pk or plan_item.plan.level != case_level
    ):
        raise OversightError(_("Choose an item of this congress's plan."), field="plan_item")
    started, finished = fields.get("started_on"), fields.get("finished_on")
    if started and finished and finished < started:
        raise OversightError(_("A case cannot finish before it starts."), field="finished_on")


@transaction.atomic
def case_create(
    *,
    region: Region,
    level: str,
    kind: str,
    title: str,
    year: int,
    lead_committee: str,
    by: User,
    summary: str = "",
    joint_levels: Sequence[str] = (),
    plan_item: PlanItem | None = None,
    target_units: Iterable[Unit] = (),
    started_on: dt.date | None = None,
) -> Case:
    """Record a case of the congress of ``level`` in ``region``; planned, or under way
    when it has started."""
    _congress(level, region)
    if not keeps_congress(by, level=level, region=region):
        raise OversightError(_("Only the office of this congress keeps its cases."), forbidden=True)
    fields = {
        "kind": kind,
        "title": title,
        "lead_committee": lead_committee,
        "joint_levels": list(joint_levels),
        "plan_item": plan_item,
        "started_on": started_on,
    }
    _check_fields(region, level, fields)
    case = Case.objects.create(
        region=region,
        level=level,
        kind=kind,
        title=title.strip(),
        year=year,
        lead_committee=lead_committee.strip(),
        summary=summary.strip(),
        joint_levels=list(joint_levels),
        plan_item=plan_item,
        started_on=started_on,
        state=Case.State.RUNNING if started_on else Case.State.PLANNED,
        created_by=by,
    )
    case.target_units.set(list(target_units))
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    by: User,
    version: int,
    target_units: Iterable[Unit] | None = None,
    **fields: Unpack[CaseFields],
) -> Case:
    case = _locked_case(case)
    _keeper(by, case)
    merged = {"kind": case.kind, **fields}
    _check_fields(case.region, case.level, merged)
    values: dict = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    case = versioned_update(case, version=version, values=values, error=OversightError)
    if target_units is not None:
        case.target_units.set(list(target_units))
    record_history(case, by=by, reason=_("Case edited"))
    return case


@transaction.atomic
def case_start(*, case: Case, by: User, version: int, on: dt.date | None = None) -> Case:
    case = _locked_case(case)
    _keeper(by, case)
    if case.state != Case.State.PLANNED:
        raise OversightError(_("Only a planned case is started."), field="state")
    case = versioned_update(
        case,
        version=version,
        values={"state": Case.State.RUNNING, "started_on": _today(on)},
        error=OversightError,
    )
    record_history(case, by=by, reason=_("Started"))
    _participation_activities(case)
    return case


@transaction.atomic
def case_finish(*, case: Case, by: User, version: int, on: dt.date | None = None) -> Case:
    case = _locked_case(case)
    _keeper(by, case)
    if case.state != Case.State.RUNNING:
        raise OversightError(_("Only a case under way is finished."), field="state")
    if Problem.objects.filter(case=case).exclude(state__in=Problem.CLOSED).exists():
        raise OversightError(
            _("Every problem of the case is verified or closed unresolved before it finishes."),
            field="state",
        )
    case = versioned_update(
        case,
        version=version,
        values={"state": Case.State.FINISHED, "finished_on": _today(on)},
        error=OversightError,
    )
    record_history(case, by=by, reason=_("Finished"))
    return case


@transaction.atomic
def second_review_record(
    *, case: Case, by: User, version: int, on: dt.date, meeting: str, notes: str
) -> Case:
    """二次审议: the standing-committee meeting that evaluates the rectification."""
    case = _locked_case(case)
    _keeper(by, case)
    if not meeting.strip():
        raise OversightError(_("Say which meeting it was."), field="meeting")
    if not notes.strip():
        raise OversightError(_("Record the meeting's conclusion."), field="notes")
    if on > timezone.localdate():
        raise OversightError(_("A review is recorded once it has taken place."), field="on")
    if not Problem.objects.filter(case=case, findings__isnull=False).exists():
        raise OversightError(
            _("The second review follows the second unannounced visit."), field="on"
        )
    case = versioned_update(
        case,
        version=version,
        values={
            "second_review_on": on,
            "second_review_meeting": meeting.strip(),
            "second_review_notes": notes.strip(),
        },
        error=OversightError,
    )
    record_history(case, by=by, reason=_("Second review recorded"))
    return case


# --- Participants, stages, documents ---------------------------------------------------------

ACTIVITY_OF: dict[str, str] = {
    Kind.LAW_INSPECTION: Activity.Kind.INSPECTION,
    Kind.RESEARCH: Activity.Kind.RESEARCH,
    Kind.BUDGET: Activity.Kind.RESEARCH,
}


def source_key(case: Case) -> str:
    return f"oversight_case:{case.pk}"


def _participation_activities(case: Case) -> None:
    """One activity per participant, once the case has started; none before."""
    ids = list(Participant.objects.filter(case=case).values_list("deputy", flat=True))
    if case.started_on is None:
        activities_withdraw(source_key=source_key(case))
        return
    title = _("%(kind)s: %(title)s") % {"kind": case.get_kind_display(), "title": case.title}
    for deputy in Deputy.objects.filter(pk__in=ids):
        activity_record(
            deputy=deputy,
            kind=ACTIVITY_OF.get(case.kind, Activity.Kind.OVERSIGHT),
            date=case.started_on,
            title=title[:120],
            source_key=source_key(case),
        )
    activities_withdraw(source_key=source_key(case), keep=ids)


@transaction.atomic
def participant_add(*, case: Case, deputy: Deputy, role: str, by: User) -> Participant:
    case = _locked_case(case)
    _keeper(by, case)
    if role not in Participant.Role.values:
        raise OversightError(_("Choose the role."), field="role")
    if Participant.objects.filter(case=case, deputy=deputy).exists():
        raise OversightError(_("This deputy already takes part."), field="deputy")
    participant = Participant.objects.create(case=case, deputy=deputy, role=role)
    _participation_activities(case)
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, by: User) -> None:
    case = _locked_case(participant.case)
    _keeper(by, case)
    participant.delete()
    _participation_activities(case)


@transaction.atomic
def stage_add(
    *, case: Case, name: str, by: User, planned_on: dt.date | None = None, notes: str = ""
) -> CaseStage:
    case = _locked_case(case)
    _keeper(by, case)
    if not name.strip():
        raise OversightError(_("Name the stage."), field="name")
    return CaseStage.objects.create(
        case=case, name=name.strip(), planned_on=planned_on, notes=notes.strip()
    )


@transaction.atomic
def stage_done(*, stage: CaseStage, by: User, on: dt.date, notes: str = "") -> CaseStage:
    case = _locked_case(stage.case)
    _keeper(by, case)
    stage = CaseStage.objects.select_for_update(of=("self",)).get(pk=stage.pk)
    if on > timezone.localdate():
        raise OversightError(_("A stage is marked done once it has taken place."), field="on")
    stage.done_on = on
    if notes.strip():
        stage.notes = notes.strip()
    stage.save()
    return stage


@transaction.atomic
def document_add(*, case: Case, title: str, upload: UploadedFile, by: User) -> CaseDocument:
    case = _locked_case(case)
    _keeper(by, case)
    if not title.strip():
        raise OversightError(_("Give the document a title."), field="title")
    try:
        content_type, name, size = upload_check(
            upload,
            suffixes=KNOWN_TYPES,
            refused=_(
                "%(name)s: only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted."
            ),
        )
    except ValueError as error:
        raise OversightError(str(error), field="file") from error
    return CaseDocument.objects.create(
        case=case,
        title=title.strip(),
        file=upload,
        name=name,
        content_type=content_type,
        size=size,
        uploaded_by=by,
    )


# --- The rectification loop ------------------------------------------------------------------


def _locked_problem(problem: Problem, version: int | None = None) -> Problem:
    locked = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("case__region", "handover", "unit")
        .get(pk=problem.pk)
    )
    if version is not None and locked.version != version:
        raise OversightError(
            _("Someone else acted on this problem while you had it open. Look at it again."),
            conflict=True,
        )
    return locked


@transaction.atomic
def problem_add(
    *,
    case: Case,
    title: str,
    unit: Unit,
    by: User,
    measures: str = "",
    due_on: dt.date | None = None,
) -> Problem:
    """A problem found 问题清单, with its unit, measures and deadline (not yet handed over)."""
    case = _locked_case(case)
    _keeper(by, case)
    if case.state == Case.State.FINISHED:
        raise OversightError(_("This case is finished."), field="title")
    if not title.strip():
        raise OversightError(_("Describe the problem."), field="title")
    if not unit.is_active:
        raise OversightError(_("This unit is no longer active."), field="unit")
    number = (Problem.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    return Problem.objects.create(
        case=case,
        number=number,
        title=title.strip()[:200],
        unit=unit,
        measures=measures.strip(),
        due_on=due_on,
    )


def _title(problem: Problem) -> str:
    return (
        _("Rectification %(number)s, %(case)s: %(problem)s")
        % {"number": problem.number, "case": problem.case.title, "problem": problem.title}
    )[:200]


@transaction.atomic
def problems_hand_over(
    *, case: Case, by: User, problems: Iterable[Problem] | None = None, on: dt.date | None = None
) -> list[Problem]:
    """交办: the rectification list 整改清单 — each problem found becomes a handover to its
    unit (``/inbox/``), due by its deadline (two months when none was set)."""
    case = _locked_case(case)
    _keeper(by, case)
    if case.state == Case.State.FINISHED:
        raise OversightError(_("This case is finished."), field="problems")
    chosen = Problem.objects.select_for_update(of=("self",)).filter(
        case=case, state=Problem.State.FOUND
    )
    if problems is not None:
        chosen = chosen.filter(pk__in=[p.pk for p in problems])
    rows = list(chosen.select_related("unit", "case").order_by("number"))
    if not rows:
        raise OversightError(_("There is no problem waiting to be handed over."), field="problems")
    handed_on = _today(on)
    for problem in rows:
        try:
            problem.handover = handover_create(
                kind=RECTIFICATION_KIND,
                subject=problem,
                title=_title(problem),
                region=case.region,
                unit=problem.unit,
                by=by,
                due_on=problem.due_on,
                handed_on=handed_on,
            )
        except HandoverError as error:
            raise OversightError(
                _("Problem %(number)s: %(message)s")
                % {"number": problem.number, "message": error.message},
                field="problems",
            ) from error
        problem.refresh_from_db()
    return rows


@transaction.atomic
def visit_record(
    *,
    case: Case,
    date: dt.date,
    who: str,
    outcomes: Mapping[int, str],
    by: User,
    notes: str = "",
    remarks: Mapping[int, str] | None = None,
) -> SecondVisit:
    """二次暗访: an unannounced visit records each reported problem as rectified, partly
    rectified or not rectified. A rectified problem is verified (its handover closes);
    one partly or not rectified goes onto the second list 二次清单 (the handover's round 2,
    with a new deadline). A visit after the second list's report verifies it when
    rectified, and otherwise leaves it to the office to close unresolved."""
    case = _locked_case(case)
    _keeper(by, case)
    if not who.strip():
        raise OversightError(_("Say who went."), field="who")
    if date > timezone.localdate():
        raise OversightError(_("A visit is recorded once it has taken place."), field="date")
    if not outcomes:
        raise OversightError(_("Record what the visit found of at least one problem."))
    if any(value not in VisitFinding.Outcome.values for value in outcomes.values()):
        raise OversightError(_("Choose rectified, partly or not rectified."))
    rows = {
        p.pk: p
        for p in Problem.objects.select_for_update(of=("self",))
        .select_related("handover", "case")
        .filter(case=case, pk__in=list(outcomes))
    }
    if len(rows) != len(outcomes):
        raise OversightError(_("Only this case's problems are visited."))
    for problem in rows.values():
        if problem.state not in (Problem.State.REPORTED, Problem.State.SECOND_REPORTED):
            raise OversightError(
                _("Problem %(number)s: the visit checks a reported rectification (now: %(state)s).")
                % {"number": problem.number, "state": problem.get_state_display()},
                field=f"problem_{problem.pk}",
            )
    visit = SecondVisit.objects.create(
        case=case, date=date, who=who.strip(), notes=notes.strip(), by=by
    )
    remarks = remarks or {}
    for pk in sorted(rows, key=lambda pk: rows[pk].number):
        problem, outcome = rows[pk], outcomes[pk]
        remark = (remarks.get(pk) or "").strip()
        VisitFinding.objects.create(visit=visit, problem=problem, outcome=outcome, notes=remark)
        said = _("Second unannounced visit on %(date)s: %(outcome)s") % {
            "date": date_format(date),
            "outcome": VisitFinding.Outcome(outcome).label,
        }
        reason = _("%(said)s; %(remark)s") % {"said": said, "remark": remark} if remark else said
        handover = problem.handover
        if handover is None:  # pragma: no cover - a reported problem has its handover
            continue
        if outcome == VisitFinding.Outcome.RECTIFIED:
            handover_verify(handover=handover, by=by, accept=True, reason=reason, on=date)
        elif problem.state == Problem.State.REPORTED:
            handover_verify(handover=handover, by=by, accept=False, reason=reason, on=date)
    return visit


@transaction.atomic
def problem_verify(
    *,
    problem: Problem,
    by: User,
    notes: str = "",
    version: int | None = None,
    on: dt.date | None = None,
) -> Problem:
    """The office verifies a second-list item the unit reported rectified."""
    problem = _locked_problem(problem, version)
    _keeper(by, problem.case)
    if problem.state != Problem.State.SECOND_REPORTED or problem.handover is None:
        raise OversightError(
            _("Only a reported second-list item is verified by the office."), field="verify"
        )
    handover_verify(handover=problem.handover, by=by, accept=True, reason=notes.strip(), on=on)
    problem.refresh_from_db()
    return problem


@transaction.atomic
def problem_close_unresolved(
    *,
    problem: Problem,
    by: User,
    reason: str,
    version: int | None = None,
    on: dt.date | None = None,
) -> Problem:
    """Only the office closes a problem unresolved, with a reason, and only once the
    second visit has recorded it (it is on the second list)."""
    problem = _locked_problem(problem, version)
    _keeper(by, problem.case)
    if not reason.strip():
        raise OversightError(_("Say why it is closed unresolved."), field="reason")
    if not problem.findings.exists():
        raise OversightError(
            _("No problem closes without its second unannounced visit."), field="reason"
        )
    if problem.state not in (Problem.State.SECOND_LIST, Problem.State.SECOND_REPORTED):
        raise OversightError(
            _("Only a problem on the second list is closed unresolved."), field="reason"
        )
    if problem.handover is None:  # pragma: no cover - a problem on the list has its handover
        raise OversightError(_("This problem was never handed over."), field="reason")
    try:
        handover_close_unresolved(handover=problem.handover, by=by, reason=reason.strip(), on=on)
    except HandoverError as error:
        raise OversightError(error.message, field="reason") from error
    problem.refresh_from_db()
    return problem


def _step_text(handover: Handover) -> str:
    step = Step.objects.filter(handover=handover).order_by("-at", "-pk").first()
    return step.text if step else ""


def rectification_changed(handover: Handover, action: str) -> None:
    """The handover kind's hook: keep the problem in step with its handover, and refuse
    (rolling the step back) what would skip the second unannounced visit."""
    problem = Problem.objects.select_for_update(of=("self",)).filter(handover=handover).first()
    if problem is None:
        problem = (
            Problem.objects.select_for_update(of=("self",))
            .filter(pk=handover.subject_id, handover__isnull=True)
            .first()
        )
        if problem is None:
            return
        problem.handover = handover
    visited = problem.findings.exists()
    state = handover.state
    if state == Handover.State.HANDED:
        problem.state = Problem.State.RECTIFYING
        problem.due_on = handover.due_on
    elif state == Handover.State.ANSWERED:
        problem.state = (
            Problem.State.SECOND_REPORTED if handover.round >= 2 else Problem.State.REPORTED
        )
    elif state == Handover.State.RETURNED:
        if not visited:
            raise HandoverError(
                _(
                    "A rectification is sent back by the second unannounced visit: "
                    "record the visit on the case page."
                )
            )
        problem.state = Problem.State.SECOND_LIST
        problem.second_due_on = handover.due_on
    elif state == Handover.State.CLOSED:
        if handover.closure == Handover.Closure.WITHDRAWN:
            problem.state, problem.handover = Problem.State.FOUND, None
        elif not visited:
            raise HandoverError(_("No problem closes without its second unannounced visit."))
        elif handover.closure == Handover.Closure.UNRESOLVED:
            problem.state = Problem.State.UNRESOLVED
            problem.close_reason = _step_text(handover) or _("Closed unresolved")
            problem.closed_on = handover.closed_on
        else:
            problem.state = Problem.State.VERIFIED
            problem.closed_on = handover.closed_on
    if action == Step.Action.EXTENDED:
        if handover.round >= 2:
            problem.second_due_on = handover.due_on
        else:
            problem.due_on = handover.due_on
    problem.version += 1
    problem._change_reason = action  # read by simple-history
    problem.save()


def rectification_offers(handover: Handover) -> Offer:
    """The kind's steps on the handover's page (``HandoverKind.offers``). A first report
    waits for the second unannounced visit, recorded on the case page: it verifies the
    problem or puts it on the second list, and the office has no verification of its own
    to make (the hook would refuse it). A second-list report the office verifies here or
    on the problem's page, where one still not rectified is closed unresolved."""
    if handover.state != Handover.State.ANSWERED:
        return Offer()
    problem = handover.subject
    if not isinstance(problem, Problem):  # pragma: no cover - every rectification has one
        return Offer()
    if handover.round < 2:
        return Offer.without(
            "verify",
            elsewhere=[
                Elsewhere(
                    step="verify",
                    text=_(
                        "This problem is verified by the second unannounced visit: record "
                        "what the visit found on the case page. A problem partly or not "
                        "rectified goes onto the second list."
                    ),
                    url=reverse("oversight:case", args=[problem.case_id]),
                    link=_("Open the case to record the visit"),
                )
            ],
        )
    return Offer(
        elsewhere=(
            Elsewhere(
                step="verify",
                text=_("Still not rectified? Close it unresolved, with the reason, on its page."),
                url=problem.get_absolute_url(),
                link=_("Open the rectification item"),
            ),
        )
    )


def opinion_offers(handover: Handover) -> Offer:
    """The kind's steps on the handover's page: a report-back is accepted or sent back
    only by a meeting's review, recorded on the opinions' page (the hook refuses the
    office's own verification)."""
    if handover.state != Handover.State.ANSWERED:
        return Offer()
    return Offer.without(
        "verify",
        elsewhere=[
            Elsewhere(
                step="verify",
                text=_(
                    "A report-back is reviewed at a meeting: record the meeting's review on "
                    "the review opinions' page; it accepts the report or asks for a further one."
                ),
                url=reverse("oversight:opinion", args=[handover.subject_id]),
                link=_("Open the review opinions"),
            )
        ],
    )


def subject_url(handover: Handover) -> str:
    """The rectification item's or the review opinion's page (the unit may open it)."""
    subject = handover.subject
    if isinstance(subject, Problem | ReviewOpinion):
        return subject.get_absolute_url()
    return ""


# --- Review opinions -------------------------------------------------------------------------


@transaction.atomic
def opinion_issue(
    *,
    case: Case,
    unit: Unit,
    title: str,
    text: str,
    due_on: dt.date,
    by: User,
    issued_on: dt.date | None = None,
) -> ReviewOpinion:
    """审议意见 issued to a unit (the government, the supervisory commission, the court,
    the procuratorate) with a report-back deadline: a handover to it."""
    case = _locked_case(case)
    _keeper(by, case)
    issued_on = _today(issued_on)
    if not title.strip():
        raise OversightError(_("Give the review opinions a title."), field="title")
    if not text.strip():
        raise OversightError(_("Write the review opinions."), field="text")
    if due_on <= issued_on:
        raise OversightError(
            _("The report-back deadline comes after the opinions are issued."), field="due_on"
        )
    opinion = ReviewOpinion.objects.create(
        case=case,
        unit=unit,
        title=title.strip()[:200],
        text=text.strip(),
        issued_on=issued_on,
        due_on=due_on,
    )
    try:
        handover_create(
            kind=OPINION_KIND,
            subject=opinion,
            title=opinion.title,
            region=case.region,
            unit=unit,
            by=by,
            due_on=due_on,
            handed_on=issued_on,
        )
    except HandoverError as error:
        raise OversightError(error.message, field=error.field) from error
    opinion.refresh_from_db()
    return opinion


@transaction.atomic
def opinion_review(
    *,
    opinion: ReviewOpinion,
    by: User,
    meeting: str,
    date: dt.date,
    accepted: bool,
    notes: str = "",
    version: int | None = None,
) -> OpinionReview:
    """The report-back reviewed at a meeting: accepted (closed), or a further report asked
    for (the handover's round 2); a further report not accepted closes unresolved."""
    opinion = (
        ReviewOpinion.objects.select_for_update(of=("self",))
        .select_related("case__region", "handover")
        .get(pk=opinion.pk)
    )
    if version is not None and opinion.version != version:
        raise OversightError(
            _("Someone else acted on these opinions while you had them open. Look again."),
            conflict=True,
        )
    _keeper(by, opinion.case)
    if opinion.state != ReviewOpinion.State.REPORTED or opinion.handover is None:
        raise OversightError(_("There is no report-back waiting to be reviewed."))
    if not meeting.strip():
        raise OversightError(_("Say which meeting it was."), field="meeting")
    if date > timezone.localdate():
        raise OversightError(_("A review is recorded once it has taken place."), field="date")
    if not accepted and not notes.strip():
        raise OversightError(_("Say what the meeting asks for."), field="notes")
    review = OpinionReview.objects.create(
        opinion=opinion,
        meeting=meeting.strip(),
        date=date,
        accepted=accepted,
        notes=notes.strip(),
        by=by,
    )
    said = f"{review.meeting}: {review.notes}" if review.notes else review.meeting
    handover = opinion.handover
    if accepted:
        handover_verify(handover=handover, by=by, accept=True, reason=said, on=date)
    elif handover.is_final_round:
        handover_close_unresolved(handover=handover, by=by, reason=said, on=date)
    else:
        handover_verify(handover=handover, by=by, accept=False, reason=said, on=date)
    return review


def opinion_changed(handover: Handover, action: str) -> None:
    """The review-opinion kind's hook: keep the opinion in step; a report-back is
    accepted or sent back only through a meeting's review."""
    opinion = (
        ReviewOpinion.objects.select_for_update(of=("self",)).filter(pk=handover.subject_id).first()
    )
    if opinion is None:
        return
    opinion.handover = handover
    review = opinion.reviews.order_by("-date", "-pk").first()
    state = handover.state
    if state == Handover.State.HANDED:
        opinion.state = ReviewOpinion.State.ISSUED
    elif state == Handover.State.ANSWERED:
        opinion.state = ReviewOpinion.State.REPORTED
    elif state == Handover.State.RETURNED:
        if review is None or review.accepted:
            raise HandoverError(_("A report-back is reviewed at a meeting: record it there."))
        opinion.state = ReviewOpinion.State.FURTHER
    elif state == Handover.State.CLOSED:
        if (
            handover.closure == Handover.Closure.WITHDRAWN
            or handover.closure == Handover.Closure.UNRESOLVED
        ):
            opinion.state = ReviewOpinion.State.UNRESOLVED
        else:
            if review is None or not review.accepted:
                raise HandoverError(_("A report-back is reviewed at a meeting: record it there."))
            opinion.state = ReviewOpinion.State.ACCEPTED
    opinion.due_on = handover.due_on
    opinion.version += 1
    opinion._change_reason = action  # read by simple-history
    opinion.save()
