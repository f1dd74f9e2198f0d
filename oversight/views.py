"""The oversight pages: the plan against reality and the cases (/oversight/), a case a
leader reads in one screen, its forms, one rectification item and one review opinion
(which the unit they are handed to may open), the plan, the standing committees."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress_portal.errors import show_error, show_message
from deputies.models import CommitteeMembership, Deputy
from handovers.models import Step
from organisation.access import get_visible_or_404, role_required
from organisation.congresses import CongressLevel, keeps_congress, level_of
from organisation.models import Region, User
from organisation.roles import OVERSIGHT_ITEM_READERS, OVERSIGHT_KEEPERS, OVERSIGHT_READERS, Role
from organisation.selectors import history_of
from oversight import forms, selectors, services
from oversight.models import (
    Case,
    CaseDocument,
    CaseStage,
    Participant,
    Plan,
    PlanItem,
    Problem,
    ReviewOpinion,
)
from oversight.services import OversightError

MAX_ID = 2**31 - 1


def own_congress(user: User) -> tuple[Region, str] | None:
    """The congress whose plan and cases ``user``'s office keeps (or a leader reads
    first): the city's for the office and administrators, the secretary's region's."""
    if user.role == Role.SECRETARY and user.region_id:
        return user.region, level_of(user.region)
    city = Region.objects.filter(level=Region.Level.CITY).order_by("pk").first()
    return (city, CongressLevel.CITY) if city else None


def _pk(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) <= MAX_ID else None


# --- /oversight/ -----------------------------------------------------------------------------


@role_required(OVERSIGHT_READERS)
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = forms.IndexFilterForm(request.GET or None, initial={"year": today.year})
    year, kind, state, q = today.year, "", "", ""
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        kind, state, q = (form.cleaned_data[k] for k in ("kind", "state", "q"))
    congress = own_congress(request.user)
    plan = (
        selectors.plan_against_reality(
            request.user, year=year, region_id=congress[0].pk, level=congress[1]
        )
        if congress
        else None
    )
    cases = selectors.cases_for(request.user).filter(year=year)
    if kind:
        cases = cases.filter(kind=kind)
    if state:
        cases = cases.filter(state=state)
    if q:
        cases = cases.filter(Q(title__icontains=q) | Q(lead_committee__icontains=q))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    may_create = bool(congress) and keeps_congress(
        request.user, level=congress[1], region=congress[0]
    )
    return render(
        request,
        "oversight/index.html#results" if request.htmx else "oversight/index.html",
        {
            "form": form,
            "year": year,
            "plan_view": plan,
            "page": page,
            "rows": list(page.object_list),
            "may_create": may_create,
            "congress": congress[0] if congress else None,
        },
    )


def _plan_items(region: Region, level: str):
    return PlanItem.objects.filter(plan__region=region, plan__level=level).order_by(
        "-plan__year", "quarter", "pk"
    )


@role_required(OVERSIGHT_KEEPERS)
def case_new(request: HttpRequest) -> HttpResponse:
    congress = own_congress(request.user)
    if congress is None or not keeps_congress(request.user, level=congress[1], region=congress[0]):
        raise Http404
    region, level = congress
    form = forms.CaseForm(
        request.POST or None,
        plan_items=_plan_items(region, level),
        level=level,
        initial={"year": timezone.localdate().year},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_create(
                    region=region,
                    level=level,
                    kind=data["kind"],
                    title=data["title"],
                    year=data["year"],
                    lead_committee=data["lead_committee"],
                    summary=data["summary"],
                    joint_levels=data["joint_levels"],
                    plan_item=data["plan_item"],
                    target_units=data["target_units"],
                    started_on=data["started_on"],
                    by=request.user,
                )
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The case is recorded."))
                return redirect(case)
    return render(
        request,
        "oversight/case_form.html",
        {"form": form, "region": region, "case": None},
        status=status,
    )


def _case(request: HttpRequest, pk: int) -> Case:
    if pk > MAX_ID:
        raise Http404
    return get_visible_or_404(
        Case.objects.select_related("region", "plan_item"), request.user, pk=pk
    )


def _keeps(request: HttpRequest, case: Case) -> bool:
    return services.may_keep(request.user, case)


@role_required(OVERSIGHT_READERS)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """The case a leader reads in one screen: facts, the timeline of its stages, the
    rectification counts, the problem list, visits, review opinions."""
    found = _case(request, pk)
    data = selectors.case_page(found)
    today = timezone.localdate()
    may_keep = _keeps(request, found)
    context = {
        "case": found,
        **data,
        "stats": selectors.stats_of(data["problems"], today),
        "today": today,
        "may_keep": may_keep,
        "history": history_of(found, limit=10),
        "joint_labels": [CongressLevel(level).label for level in found.joint_levels],
        "found_count": sum(1 for p in data["problems"] if p.state == Problem.State.FOUND),
        "reported_count": sum(
            1
            for p in data["problems"]
            if p.state in (Problem.State.REPORTED, Problem.State.SECOND_REPORTED)
        ),
    }
    if may_keep:
        context["stage_form"] = forms.StageForm()
        context["document_form"] = forms.DocumentForm()
    return render(request, "oversight/case.html", context)


@role_required(OVERSIGHT_KEEPERS)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case(request, pk)
    if not _keeps(request, found):
        raise Http404
    initial = {
        "kind": found.kind,
        "title": found.title,
        "year": found.year,
        "lead_committee": found.lead_committee,
        "plan_item": found.plan_item_id,
        "joint_levels": found.joint_levels,
        "target_units": list(found.target_units.all()),
        "summary": found.summary,
        "started_on": found.started_on,
        "version": found.version,
    }
    form = forms.CaseForm(
        request.POST or None,
        plan_items=_plan_items(found.region, found.level),
        level=found.level,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_update(
                    case=found,
                    by=request.user,
                    version=data["version"] or 0,
                    target_units=data["target_units"],
                    kind=data["kind"],
                    title=data["title"],
                    year=data["year"],
                    lead_committee=data["lead_committee"],
                    plan_item=data["plan_item"],
                    joint_levels=data["joint_levels"],
                    summary=data["summary"],
                    started_on=data["started_on"],
                )
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The case is saved."))
                return redirect(found)
    return render(
        request,
        "oversight/case_form.html",
        {"form": form, "region": found.region, "case": found},
        status=status,
    )


@require_POST
@role_required(OVERSIGHT_KEEPERS)
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """start · finish · hand-over (the problems found, as the rectification list)."""
    found = _case(request, pk)
    version = _pk(request.POST.get("version"))
    try:
        if action == "start":
            services.case_start(case=found, by=request.user, version=version or 0)
            messages.success(request, _("The case is under way."))
        elif action == "finish":
            services.case_finish(case=found, by=request.user, version=version or 0)
            messages.success(request, _("The case is finished."))
        elif action == "hand-over":
            handed = services.problems_hand_over(case=found, by=request.user)
            messages.success(
                request,
                _("%(count)s problems handed to their units as the rectification list.")
                % {"count": len(handed)},
            )
        else:
            raise Http404
    except OversightError as error:
        show_message(request, error)
    return redirect(found)


@require_POST
@role_required(OVERSIGHT_KEEPERS)
def stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case(request, pk)
    form = forms.StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_add(
                case=found,
                name=form.cleaned_data["name"],
                planned_on=form.cleaned_data["planned_on"],
                by=request.user,
            )
        except OversightError as error:
            show_message(request, error)
    else:
        messages.error(request, _("Name the stage."))
    return redirect(found)


@require_POST
@role_required(OVERSIGHT_KEEPERS)
def stage_done(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404
    visible = Case.objects.visible_to(request.user)
    stage = get_object_or_404(
        CaseStage.objects.filter(case__in=visible).select_related("case"),
        pk=pk,
    )
    form = forms.StageDoneForm(request.POST)
    if form.is_valid():
        try:
            services.stage_done(stage=stage, on=form.cleaned_data["on"], by=request.user)
        except OversightError as error:
            show_message(request, error)
    else:
        messages.error(request, _("Give the date it was done."))
    return redirect(stage.case)


@role_required(OVERSIGHT_KEEPERS)
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a standing-committee member or a deputy to the case (one activity each)."""
    found = _case(request, pk)
    if not _keeps(request, found):
        raise Http404
    members = CommitteeMembership.objects.of_congress(found.region, found.level).active_on(
        timezone.localdate()
    )
    pool = Deputy.objects.filter(is_active=True).filter(
        Q(pk__in=members.values("deputy")) | Q(mandates__region=found.region)
    )
    form = forms.ParticipantForm(request.POST or None, deputies=pool.distinct().order_by("name"))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.participant_add(
                    case=found,
                    deputy=form.cleaned_data["deputy"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The participant is added."))
                return redirect("oversight:participants", pk=found.pk)
    rows = selectors.participants_of(found)
    return render(
        request,
        "oversight/participants.html",
        {"case": found, "form": form, "rows": rows},
        status=status,
    )


@require_POST
@role_required(OVERSIGHT_KEEPERS)
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404
    visible = Case.objects.visible_to(request.user)
    row = get_object_or_404(
        Participant.objects.filter(case__in=visible).select_related("case"), pk=pk
    )
    try:
        services.participant_remove(participant=row, by=request.user)
    except OversightError as error:
        show_message(request, error)
    return redirect("oversight:participants", pk=row.case_id)


@require_POST
@role_required(OVERSIGHT_KEEPERS)
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case(request, pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                case=found,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except OversightError as error:
            show_message(request, error)
        else:
            messages.success(request, _("The document is added."))
    else:
        messages.error(request, _("Give the document a title and choose its file."))
    return redirect(found)


@role_required(OVERSIGHT_READERS)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404
    visible = Case.objects.visible_to(request.user)
    row = get_object_or_404(CaseDocument.objects.filter(case__in=visible), pk=pk)
    try:
        file = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(file, as_attachment=True, filename=row.name)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@role_required(OVERSIGHT_KEEPERS)
def problem_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the problems found, one after another (问题清单)."""
    found = _case(request, pk)
    if not _keeps(request, found):
        raise Http404
    form = forms.ProblemForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                problem = services.problem_add(case=found, by=request.user, **form.cleaned_data)
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(
                    request,
                    _("Problem %(number)s is on the list. Add the next one, or hand them over.")
                    % {"number": problem.number},
                )
                return redirect("oversight:problem_new", pk=found.pk)
    listed = Problem.objects.filter(case=found).select_related("unit").order_by("number")
    return render(
        request,
        "oversight/problem_new.html",
        {"case": found, "form": form, "listed": listed},
        status=status,
    )


@role_required(OVERSIGHT_KEEPERS)
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """二次暗访: what the visit found of each reported rectification."""
    found = _case(request, pk)
    if not _keeps(request, found):
        raise Http404
    waiting = (
        Problem.objects.filter(
            case=found, state__in=[Problem.State.REPORTED, Problem.State.SECOND_REPORTED]
        )
        .select_related("unit")
        .order_by("number")
    )
    form = forms.VisitForm(request.POST or None, problems=waiting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.visit_record(
                    case=found,
                    date=form.cleaned_data["date"],
                    who=form.cleaned_data["who"],
                    notes=form.cleaned_data["notes"],
                    outcomes=form.outcomes(),
                    remarks=form.remarks(),
                    by=request.user,
                )
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The second unannounced visit is recorded."))
                return redirect(found)
    return render(request, "oversight/visit.html", {"case": found, "form": form}, status=status)


@role_required(OVERSIGHT_KEEPERS)
def second_review(request: HttpRequest, pk: int) -> HttpResponse:
    """二次审议 at a standing-committee meeting."""
    found = _case(request, pk)
    if not _keeps(request, found):
        raise Http404
    form = forms.ReviewForm(
        request.POST or None,
        initial={
            "version": found.version,
            "meeting": found.second_review_meeting,
            "notes": found.second_review_notes,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.second_review_record(case=found, by=request.user, **form.cleaned_data)
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The second review is recorded."))
                return redirect(found)
    return render(request, "oversight/review.html", {"case": found, "form": form}, status=status)


@role_required(OVERSIGHT_KEEPERS)
def opinion_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _case(request, pk)
    if not _keeps(request, found):
        raise Http404
    form = forms.OpinionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                opinion = services.opinion_issue(case=found, by=request.user, **form.cleaned_data)
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The review opinions are issued."))
                return redirect(opinion)
    return render(
        request, "oversight/opinion_new.html", {"case": found, "form": form}, status=status
    )


# --- One rectification item, one review opinion ----------------------------------------------


def _steps(handover_id: int | None) -> list[Step]:
    if handover_id is None:
        return []
    return list(
        Step.objects.filter(handover=handover_id)
        .select_related("by", "unit")
        .prefetch_related("files")
        .order_by("at", "pk")
    )


@role_required(OVERSIGHT_ITEM_READERS)
def problem(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404
    row = get_visible_or_404(
        Problem.objects.select_related("case__region", "unit", "handover"), request.user, pk=pk
    )
    may_keep = services.may_keep(request.user, row.case)
    status = 200
    verify_form = close_form = None
    if may_keep and row.state == Problem.State.SECOND_REPORTED:
        verify_form = forms.VerifyForm(initial={"version": row.version})
    if may_keep and row.state in (Problem.State.SECOND_LIST, Problem.State.SECOND_REPORTED):
        close_form = forms.CloseForm(initial={"version": row.version})
    if request.method == "POST":
        if not may_keep:
            raise Http404
        status = 400
        action = request.POST.get("action")
        try:
            if action == "verify":
                verify_form = forms.VerifyForm(request.POST)
                if verify_form.is_valid():
                    services.problem_verify(
                        problem=row,
                        by=request.user,
                        notes=verify_form.cleaned_data["notes"],
                        version=verify_form.cleaned_data["version"],
                    )
                    messages.success(request, _("Verified and closed."))
                    return redirect(row)
            elif action == "close":
                close_form = forms.CloseForm(request.POST)
                if close_form.is_valid():
                    services.problem_close_unresolved(
                        problem=row,
                        by=request.user,
                        reason=close_form.cleaned_data["reason"],
                        version=close_form.cleaned_data["version"],
                    )
                    messages.success(request, _("Closed unresolved."))
                    return redirect(row)
            else:
                raise Http404
        except OversightError as error:
            target = close_form if action == "close" else verify_form
            status = (
                show_error(target, error) if target is not None else show_message(request, error)
            )
    findings = list(row.findings.select_related("visit").order_by("visit__date", "pk"))
    return render(
        request,
        "oversight/problem.html",
        {
            "problem": row,
            "case": row.case,
            "may_see_case": Case.objects.visible_to(request.user).filter(pk=row.case_id).exists(),
            "may_keep": may_keep,
            "findings": findings,
            "steps": _steps(row.handover_id),
            "verify_form": verify_form,
            "close_form": close_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@role_required(OVERSIGHT_ITEM_READERS)
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404
    row = get_visible_or_404(
        ReviewOpinion.objects.select_related("case__region", "unit", "handover"),
        request.user,
        pk=pk,
    )
    may_keep = services.may_keep(request.user, row.case)
    form = None
    status = 200
    if may_keep and row.state == ReviewOpinion.State.REPORTED:
        form = forms.OpinionReviewForm(request.POST or None, initial={"version": row.version})
    if request.method == "POST":
        if form is None:
            raise Http404
        status = 400
        if form.is_valid():
            try:
                services.opinion_review(opinion=row, by=request.user, **form.cleaned_data)
            except OversightError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The meeting's review is recorded."))
                return redirect(row)
    return render(
        request,
        "oversight/opinion.html",
        {
            "opinion": row,
            "case": row.case,
            "may_see_case": Case.objects.visible_to(request.user).filter(pk=row.case_id).exists(),
            "reviews": list(row.reviews.order_by("date", "pk")),
            "steps": _steps(row.handover_id),
            "form": form,
        },
        status=status,
    )


# --- The plan, the standing committees -------------------------------------------------------


@role_required(OVERSIGHT_READERS)
def plan(request: HttpRequest) -> HttpResponse:
    """The congress's annual oversight plan: its items by quarter, each with its cases."""
    congress = own_congress(request.user)
    if congress is None:
        raise Http404
    region, level = congress
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    year = year or timezone.localdate().year
    may_keep = keeps_congress(request.user, level=level, region=region)
    found = Plan.objects.visible_to(request.user).filter(region=region, level=level, year=year)
    current = found.first()
    plan_form = item_form = None
    status = 200
    if may_keep:
        plan_form = forms.PlanForm(initial={"year": year}) if current is None else None
        item_form = forms.PlanItemForm() if current is not None else None
    if request.method == "POST":
        if not may_keep:
            raise Http404
        status = 400
        try:
            if current is None:
                plan_form = forms.PlanForm(request.POST)
                if plan_form.is_valid():
                    made = services.plan_create(
                        region=region, level=level, by=request.user, **plan_form.cleaned_data
                    )
                    return redirect(reverse_plan(made.year))
            else:
                item_form = forms.PlanItemForm(request.POST)
                if item_form.is_valid():
                    services.plan_item_add(plan=current, by=request.user, **item_form.cleaned_data)
                    messages.success(request, _("The item is added to the plan."))
                    return redirect(reverse_plan(year))
        except OversightError as error:
            target = plan_form if current is None else item_form
            status = show_error(target, error) if target is not None else 400
    items = (
        PlanItem.objects.filter(plan=current).prefetch_related("cases").order_by("quarter", "pk")
        if current
        else []
    )
    return render(
        request,
        "oversight/plan.html",
        {
            "plan": current,
            "year": year,
            "items": items,
            "region": region,
            "plan_form": plan_form,
            "item_form": item_form,
        },
        status=status,
    )


def reverse_plan(year: int) -> str:
    return reverse("oversight:plan", query={"year": year})


@role_required(OVERSIGHT_READERS)
def members(request: HttpRequest) -> HttpResponse:
    """常委会组成人员: the members of each standing committee today, by congress."""
    today = timezone.localdate()
    rows = (
        CommitteeMembership.objects.visible_to(request.user)
        .active_on(today)
        .select_related("deputy", "region")
        .order_by("region__path", "position", "deputy__name")
    )
    order = {value: i for i, value in enumerate(CommitteeMembership.Position.values)}
    groups: dict[int, dict] = {}
    for row in rows:
        group = groups.setdefault(
            row.region_id, {"region": row.region, "term": row.term, "rows": []}
        )
        group["rows"].append(row)
    for group in groups.values():
        group["rows"].sort(key=lambda r: (order[r.position], r.deputy.name))
    return render(request, "oversight/members.html", {"groups": list(groups.values())})
