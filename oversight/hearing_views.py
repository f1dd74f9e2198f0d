"""The pages of a case's inquiry, interpellation and satisfaction vote, and the yearly
department rankings. Each page is read by whoever sees the case (and by the contacts of
the units answering, questioned or rated); its forms are the case office's."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ballots.models import CongressSession
from ballots.services import has_quorum, may_run, present_count, roll_size
from congress_portal.errors import show_error
from organisation.access import role_required
from organisation.models import Unit
from organisation.roles import OVERSIGHT_ITEM_READERS, OVERSIGHT_READERS, Role
from oversight import hearing_selectors as selectors
from oversight.hearing_forms import (
    AnswerForm,
    CommitmentForm,
    MoveForm,
    QuestionForm,
    RankingFilter,
    RespondentForm,
    SatisfactionPollForm,
    VerdictsForm,
)
from oversight.hearing_models import Interpellation, Question, Respondent
from oversight.hearings import (
    commitment_add,
    interpellation_move,
    interpellation_stage,
    interpellation_verdicts_record,
    may_move,
    mover_threshold,
    question_add,
    question_answer,
    respondent_add,
    satisfaction_poll_create,
    satisfaction_record,
)
from oversight.models import Case, Kind
from oversight.services import OversightError, may_keep

MAX_PK = 2**31 - 1


def _case(request: HttpRequest, pk: int, kind: str, involves: Callable[[int, int], bool]) -> Case:
    """The case, to whoever sees it, or to a unit contact whose unit it ``involves``."""
    user = request.user
    if pk > MAX_PK:
        raise Http404
    cases = Case.objects.select_related("region").filter(pk=pk, kind=kind)
    case = cases.filter(pk__in=Case.objects.visible_to(user).values("pk")).first()
    if case is None and user.role == Role.UNIT and user.unit_id and involves(pk, user.unit_id):
        case = cases.first()
    if case is None:
        raise Http404
    return case


def _units_of(case: Case):
    """The units a case's forms offer: its target units, else the active units of its region."""
    targets = case.target_units.filter(is_active=True)
    if targets.exists():
        return targets.order_by("name")
    return Unit.objects.filter(is_active=True, region=case.region).order_by("name")


# --- 专题询问 ---------------------------------------------------------------------------------


@role_required(OVERSIGHT_ITEM_READERS)
def inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Kind.INQUIRY, selectors.inquiry_involves)
    keeps = may_keep(request.user, case)
    respondents = Respondent.objects.filter(case=case).select_related("unit")
    askers = selectors.askers(case)
    forms = {
        "respondent": RespondentForm(units=_units_of(case)),
        "question": QuestionForm(askers=askers, respondents=respondents),
    }
    status = 200
    if request.method == "POST":
        if not keeps:
            return HttpResponse(status=403)
        status = _inquiry_post(request, case, forms, askers, respondents)
        if status == 302:
            return redirect("oversight:inquiry", pk=case.pk)
    questions = selectors.questions_of(case)
    return render(
        request,
        "oversight/hearings/inquiry.html",
        {
            "case": case,
            "keeps": keeps,
            "respondents": list(respondents),
            "questions": questions,
            "forms": forms,
            "answer_form": AnswerForm,
            "commitment_form": CommitmentForm,
            "posted": request.POST if status == 400 else None,
            "today": selectors.today(),
        },
        status=status,
    )


def _inquiry_post(request, case, forms, askers, respondents) -> int:
    which = request.POST.get("form", "")
    data = request.POST
    if which == "respondent":
        form = RespondentForm(data, units=_units_of(case))
        forms["respondent"] = form
        if form.is_valid():
            try:
                respondent_add(
                    case=case,
                    unit=form.cleaned_data["unit"],
                    name=form.cleaned_data["name"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except OversightError as error:
                return show_error(form, error)
            return 302
        return 400
    if which == "question":
        form = QuestionForm(data, askers=askers, respondents=respondents)
        forms["question"] = form
        if form.is_valid():
            try:
                question_add(case=case, by=request.user, **_without_form(form.cleaned_data))
            except OversightError as error:
                return show_error(form, error)
            return 302
        return 400
    if which in ("answer", "commitment"):
        form_class = AnswerForm if which == "answer" else CommitmentForm
        form = form_class(data)
        forms[which] = form
        if not form.is_valid():
            return 400
        question = Question.objects.filter(case=case, pk=form.cleaned_data["question"]).first()
        if question is None:
            raise Http404
        try:
            if which == "answer":
                question_answer(
                    question=question,
                    answer=form.cleaned_data["answer"],
                    answered_on=form.cleaned_data["answered_on"],
                    by=request.user,
                )
            else:
                commitment_add(
                    question=question,
                    text=form.cleaned_data["text"],
                    due_on=form.cleaned_data["due_on"],
                    by=request.user,
                )
        except OversightError as error:
            return show_error(form, error)
        return 302
    return 400


def _without_form(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "form"}


# --- 质询 ------------------------------------------------------------------------------------


@role_required(OVERSIGHT_ITEM_READERS)
def interpellation(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Kind.INTERPELLATION, selectors.interpellation_involves)
    keeps = may_keep(request.user, case)
    posted = request.POST if request.method == "POST" else None
    which = posted.get("form", "") if posted else ""
    target = _int(posted.get("interpellation")) if posted and which != "move" else None
    items = selectors.interpellations_of(case)
    if target is not None and target not in {item.pk for item in items}:
        raise Http404
    steps = selectors.answer_steps(items)
    blocks = []
    for item in items:
        stage = interpellation_stage(item)
        mine = posted if item.pk == target else None
        movers = list(item.movers.all())
        blocks.append(
            {
                "item": item,
                "stage": stage,
                "movers": movers,
                "steps": steps.get(item.pk, []),
                "verdicts_form": VerdictsForm(
                    mine if which == "verdicts" else None,
                    movers=movers,
                    auto_id=f"id_v{item.pk}_%s",
                )
                if keeps and stage in ("answered", "second_answered")
                else None,
                "commitment_form": CommitmentForm(
                    mine if which == "commitment" else None, auto_id=f"id_c{item.pk}_%s"
                )
                if keeps and item.handover and item.handover.answered_on
                else None,
            }
        )
    move_form = _move_form(case, posted if which == "move" else None) if keeps else None
    status = 200
    if posted is not None:
        if not keeps:
            return HttpResponse(status=403)
        status = _interpellation_post(request, case, which, target, blocks, move_form)
        if status == 302:
            return redirect("oversight:interpellation", pk=case.pk)
    return render(
        request,
        "oversight/hearings/interpellation.html",
        {
            "case": case,
            "keeps": keeps,
            "blocks": blocks,
            "needed": {
                setting: mover_threshold(setting=setting, level=case.level)
                for setting in Interpellation.Setting.values
            },
            "move_form": move_form,
            "today": selectors.today(),
        },
        status=status,
    )


def _interpellation_post(request, case, which, target, blocks, move_form) -> int:
    block = next((b for b in blocks if b["item"].pk == target), None)
    if which == "move" and move_form is not None:
        if not move_form.is_valid():
            return 400
        data = move_form.cleaned_data
        try:
            interpellation_move(
                case=case,
                setting=data["setting"],
                unit=data["unit"],
                subject=data["subject"],
                text=data["text"],
                mode=data["mode"],
                movers=list(data["movers"]),
                moved_on=data["moved_on"],
                session=data["session"],
                due_on=data["due_on"],
                by=request.user,
            )
        except OversightError as error:
            return show_error(move_form, error)
        return 302
    if block is None:
        return 400
    form = block["verdicts_form"] if which == "verdicts" else block["commitment_form"]
    if which not in ("verdicts", "commitment") or form is None or not form.is_valid():
        return 400
    try:
        if which == "verdicts":
            interpellation_verdicts_record(
                interpellation=block["item"], satisfied=form.verdicts(), by=request.user
            )
        else:
            commitment_add(
                interpellation=block["item"],
                text=form.cleaned_data["text"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,
            )
    except OversightError as error:
        return show_error(form, error)
    return 302


def _move_form(case: Case, data) -> MoveForm:
    day = selectors.today()
    movers = (
        (
            may_move(case, Interpellation.Setting.STANDING_COMMITTEE, day)
            | may_move(case, Interpellation.Setting.CONGRESS, day)
        )
        .distinct()
        .order_by("name")
    )
    sessions = CongressSession.objects.filter(
        region=case.region, level=case.level, body=CongressSession.Body.CONGRESS
    ).order_by("-date")
    return MoveForm(data, units=_units_of(case), sessions=sessions, movers=movers)


# --- 满意度测评 ------------------------------------------------------------------------------


@role_required(OVERSIGHT_ITEM_READERS)
def satisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Kind.SATISFACTION, selectors.satisfaction_involves)
    keeps = may_keep(request.user, case)
    sessions = CongressSession.objects.filter(
        region=case.region, level=case.level, state__in=["planned", "open"]
    ).order_by("-date")
    form = None
    if keeps:
        form = SatisfactionPollForm(
            request.POST if request.method == "POST" else None,
            sessions=sessions,
            units=_units_of(case),
        )
    status = 200
    if request.method == "POST":
        if not keeps:
            return HttpResponse(status=403)
        which = request.POST.get("form", "")
        status = 400
        if which == "poll" and form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                satisfaction_poll_create(
                    case=case,
                    session=data["session"],
                    subject=data["subject"],
                    year=data["year"],
                    units=list(data["units"]),
                    by=request.user,
                )
            except OversightError as error:
                status = show_error(form, error)
            else:
                return redirect("oversight:satisfaction", pk=case.pk)
        elif which == "record":
            vote = case.satisfaction_votes.filter(pk=_int(request.POST.get("vote"))).first()
            if vote is None:
                raise Http404
            try:
                satisfaction_record(vote=vote, by=request.user)
            except OversightError as error:
                return render(
                    request,
                    "oversight/hearings/satisfaction.html",
                    _satisfaction_context(request, case, keeps, form, error=error.message),
                    status=400,
                )
            return redirect("oversight:satisfaction", pk=case.pk)
    return render(
        request,
        "oversight/hearings/satisfaction.html",
        _satisfaction_context(request, case, keeps, form),
        status=status,
    )


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= MAX_PK:
        raise Http404
    return number


def _satisfaction_context(request, case, keeps, form, error: str = "") -> dict:
    votes = []
    for vote in selectors.votes_of(case):
        session = vote.session
        roll, present = roll_size(session), present_count(session)
        votes.append(
            {
                "vote": vote,
                "roll": roll,
                "present": present,
                "quorum": has_quorum(present=present, roll=roll),
                "runs": may_run(request.user, session),
                "results": selectors.ranked(vote.results.all()),
            }
        )
    return {
        "case": case,
        "keeps": keeps,
        "votes": votes,
        "form": form,
        "error": error,
        "today": selectors.today(),
    }


@role_required(OVERSIGHT_READERS)
def rankings(request: HttpRequest) -> HttpResponse:
    form = RankingFilter(request.GET or None)
    years = selectors.ranking_years(request.user)
    year = None
    if form.is_valid():
        year = form.cleaned_data["year"]
    if year is None and years:
        year = years[0]
    tables = selectors.rankings(request.user, year) if year else []
    return render(
        request,
        "oversight/hearings/rankings.html",
        {"form": form, "years": years, "year": year, "tables": tables},
    )
