"""The livelihood pages: the list, one proposal (comments, screening), the proposal form
(also from a reception), the fund pools."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ballots.models import CongressSession, Poll
from ballots.services import may_run
from congress_portal.errors import show_error, show_message
from deputies.selectors import deputy_of, holds_seat
from liaison_stations.models import Reception
from livelihood import selectors
from livelihood.forms import (
    CandidateAddForm,
    CandidateListForm,
    CommentForm,
    FilterForm,
    PoolForm,
    ProposalForm,
    ScreenForm,
    VersionForm,
    kept_congresses,
)
from livelihood.models import CandidateList, Proposal
from livelihood.services import (
    LivelihoodError,
    candidate_add,
    candidate_list_create,
    candidate_list_decide,
    candidate_list_fix,
    candidate_remove,
    candidate_results,
    comment_add,
    fund_pool_set,
    may_keep,
    pool_headroom,
    proposal_create,
    proposal_from_reception,
    proposal_screen,
)
from livelihood.supervision import evaluations_of, projects_of
from organisation.access import get_visible_or_404, has_role, role_required
from organisation.roles import LIVELIHOOD_KEEPERS, LIVELIHOOD_READERS, Role
from organisation.selectors import history_of

PAGE_SIZE = 50


def _nav(user) -> dict[str, bool]:
    return {
        "may_propose": user.role == Role.DEPUTY or has_role(user, LIVELIHOOD_KEEPERS),
        "may_keep_any": has_role(user, LIVELIHOOD_KEEPERS),
    }


@role_required(LIVELIHOOD_READERS)
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = FilterForm(request.GET or None, user=user)
    proposals = selectors.proposals_for(user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            proposals = form.apply(proposals)
        else:
            proposals = proposals.none()
            status = 400
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "livelihood/index.html",
        {"form": form, "page": page, "rows": list(page), "query": query.urlencode(), **_nav(user)},
        status=status,
    )


def _detail_context(request: HttpRequest, proposal: Proposal, **forms) -> dict:
    user = request.user
    keeper = may_keep(user, proposal.level, proposal.region)
    me = deputy_of(user)
    may_comment = (
        me is not None
        and proposal.is_open
        and holds_seat(me, level=proposal.level, region=proposal.region)
    )
    context = {
        **_nav(user),
        "proposal": proposal,
        "comments": list(selectors.comments_of(proposal)),
        "may_comment": may_comment,
        "comment_form": CommentForm() if may_comment else None,
        "screen_form": (
            ScreenForm(initial={"version": proposal.version, "decision": "reserve"})
            if keeper and proposal.is_open
            else None
        ),
        "history": history_of(proposal) if keeper or user.sees_everything else None,
    }
    context.update(forms)
    return context


@role_required(LIVELIHOOD_READERS)
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(selectors.proposal_detail(request.user), request.user, pk=pk)
    return render(request, "livelihood/proposal.html", _detail_context(request, row))


@require_POST
@role_required(Role.DEPUTY)
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(selectors.proposal_detail(request.user), request.user, pk=pk)
    form = CommentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            comment_add(proposal=row, by=request.user, text=form.cleaned_data["text"])
        except LivelihoodError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect(row)
    context = _detail_context(request, row, comment_form=form)
    return render(request, "livelihood/proposal.html", context, status=status)


@require_POST
@role_required(LIVELIHOOD_KEEPERS)
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible_or_404(selectors.proposal_detail(request.user), request.user, pk=pk)
    form = ScreenForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            proposal_screen(
                proposal=row,
                by=request.user,
                version=data["version"],
                accept=data["decision"] == "reserve",
                feasibility=data["feasibility"],
                fund_source=data["fund_source"],
                reason=data["reason"],
            )
        except LivelihoodError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("Screened."))
            return redirect(row)
    context = _detail_context(request, row, screen_form=form)
    return render(request, "livelihood/proposal.html", context, status=status)


@role_required(LIVELIHOOD_READERS)
def propose(request: HttpRequest) -> HttpResponse:
    """A deputy's or the office's proposal; ?reception=<pk>: the office's from a station
    reception, in one step."""
    user = request.user
    raw = request.GET.get("reception", "")
    reception = None
    if raw:
        if not raw.isdigit():
            return HttpResponseBadRequest(_("A reception is named by its number."))
        if not has_role(user, LIVELIHOOD_KEEPERS):
            return HttpResponse(status=403)
        reception = get_visible_or_404(
            Reception.objects.select_related("station__region"), user, pk=int(raw)
        )
    elif user.role != Role.DEPUTY and not has_role(user, LIVELIHOOD_KEEPERS):
        return HttpResponse(status=403)
    initial = {}
    if reception is not None:
        initial = {
            "description": reception.content,
            "place": reception.village,
            "congress": f"township:{reception.station.region_id}",
        }
    form = ProposalForm(
        request.POST or None, user=user, from_reception=reception is not None, initial=initial
    )
    status = 200
    already = reception is not None and reception.follow_up_id is not None
    if already:
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            common = {
                "by": user,
                "level": data["level"],
                "region": data["region"],
                "title": data["title"],
                "place": data["place"],
                "estimated_cost": data["estimated_cost"],
                "beneficiaries": data["beneficiaries"],
                "description": data["description"],
            }
            try:
                if reception is not None:
                    made = proposal_from_reception(reception=reception, **common)
                else:
                    made = proposal_create(
                        source=data.get("source", Proposal.Source.DEPUTY), **common
                    )
            except LivelihoodError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The proposal is recorded."))
                return redirect(made)
    return render(
        request,
        "livelihood/propose.html",
        {
            **_nav(user),
            "form": form,
            "reception": reception,
            "already": already,
            "has_congress": bool(form.fields["congress"].choices),
        },
        status=status,
    )


@role_required(LIVELIHOOD_READERS)
def pools(request: HttpRequest) -> HttpResponse:
    """The fund pools 资金池 in this person's scope; the office sets its own."""
    user = request.user
    may_set = bool(kept_congresses(user))
    form = PoolForm(request.POST or None, user=user) if may_set else None
    status = 200
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                fund_pool_set(
                    by=user,
                    year=data["year"],
                    level=data["level"],
                    region=data["region"],
                    funded_by=data["funded_by"],
                    amount=data["amount"],
                    note=data["note"],
                )
            except LivelihoodError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The fund pool is set."))
                return redirect("livelihood:pools")
    year_raw = request.GET.get("year", "")
    if year_raw and not year_raw.isdigit():
        return HttpResponseBadRequest(_("A year is a number."))
    year = int(year_raw) if year_raw else timezone.localdate().year
    rows = selectors.pool_rows(user, year)
    return render(
        request,
        "livelihood/pools.html",
        {**_nav(user), "form": form, "rows": rows, "year": year},
        status=status,
    )


# --- Sessions and their candidate lists -----------------------------------------------------


@role_required(LIVELIHOOD_READERS)
def sessions(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.sessions_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "livelihood/sessions.html",
        {**_nav(request.user), "page": page, "rows": list(page), "query": ""},
    )


def _session_context(request: HttpRequest, session: CongressSession, **forms) -> dict:
    user = request.user
    runs = may_run(user, session)
    candidates = getattr(session, "livelihood_list", None)
    context: dict = {
        **_nav(user),
        "session": session,
        "candidates": candidates,
        "rows": selectors.candidates_of(candidates) if candidates else [],
        "may_run": runs,
        "create_form": CandidateListForm() if runs and candidates is None else None,
        "add_form": None,
        "fix_form": None,
        "pool": None,
        "needed": None,
    }
    if candidates is not None:
        rows = context["rows"]
        if candidates.state == CandidateList.State.DRAFT:
            total, left = pool_headroom(
                year=session.date.year, level=session.level, region=session.region
            )
            needed = sum((c.proposal.estimated_cost for c in rows), Decimal(0))
            context.update(pool=total, left=left, needed=needed)
        if runs and candidates.state == CandidateList.State.DRAFT:
            reserve = selectors.reserve_of(
                year=session.date.year, level=session.level, region_path=session.region.path
            ).exclude(pk__in=[c.proposal_id for c in rows])
            context["add_form"] = CandidateAddForm(reserve=reserve)
            context["fix_form"] = VersionForm(initial={"version": candidates.version})
        poll = candidates.poll
        context["poll"] = poll
        context["may_decide"] = (
            runs
            and poll is not None
            and poll.state == Poll.State.PUBLISHED
            and candidates.state == CandidateList.State.FIXED
        )
    context.update(forms)
    return context


def _session(request: HttpRequest, pk: int) -> CongressSession:
    # ``sessions_for`` is the scoping here: who reads a session's candidate list, not
    # who runs it (ballots' ``visible_to``).
    return get_object_or_404(
        selectors.sessions_for(request.user).select_related("livelihood_list__poll"), pk=pk
    )


@role_required(LIVELIHOOD_READERS)
def session(request: HttpRequest, pk: int) -> HttpResponse:
    row = _session(request, pk)
    return render(request, "livelihood/session.html", _session_context(request, row))


@require_POST
@role_required(LIVELIHOOD_KEEPERS)
def session_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """create (the list), add, remove, fix, decide: one POST each, back to the page."""
    row = _session(request, pk)
    candidates = getattr(row, "livelihood_list", None)
    forms: dict = {}
    status = 400
    try:
        if action == "create":
            form = CandidateListForm(request.POST)
            forms["create_form"] = form
            if form.is_valid():
                candidate_list_create(
                    session=row,
                    by=request.user,
                    slots=form.cleaned_data["slots"],
                    method=form.cleaned_data["method"],
                )
                return redirect("livelihood:session", pk=row.pk)
        elif candidates is None:
            return HttpResponse(status=404)
        elif action == "add":
            reserve = selectors.reserve_of(
                year=row.date.year, level=row.level, region_path=row.region.path
            )
            form = CandidateAddForm(request.POST, reserve=reserve)
            forms["add_form"] = form
            if form.is_valid():
                candidate_add(
                    candidates=candidates, proposal=form.cleaned_data["proposal"], by=request.user
                )
                return redirect("livelihood:session", pk=row.pk)
        elif action == "remove":
            raw = request.POST.get("proposal", "")
            if not raw.isdigit():
                return HttpResponseBadRequest(_("A proposal is named by its number."))
            proposal = get_visible_or_404(Proposal, request.user, pk=int(raw))
            candidate_remove(candidates=candidates, proposal=proposal, by=request.user)
            return redirect("livelihood:session", pk=row.pk)
        elif action == "fix":
            form = VersionForm(request.POST)
            forms["fix_form"] = form
            if form.is_valid():
                candidate_list_fix(
                    candidates=candidates, by=request.user, version=form.cleaned_data["version"]
                )
                messages.success(request, _("The list is fixed: the vote is ready."))
                return redirect("livelihood:session", pk=row.pk)
        elif action == "decide":
            if not may_run(request.user, row):
                return HttpResponse(status=403)
            candidate_list_decide(candidates=candidates)
            messages.success(request, _("The result is recorded and public."))
            return redirect("livelihood:session", pk=row.pk)
        else:
            return HttpResponse(status=404)
    except LivelihoodError as error:
        form = next(iter(forms.values()), None)
        status = show_error(form, error) if form is not None else show_message(request, error)
    row = _session(request, pk)
    context = _session_context(request, row)
    context.update(
        {k: v for k, v in forms.items() if context.get(k) is not None or k == "create_form"}
    )
    return render(request, "livelihood/session.html", context, status=status)


@login_not_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: a session's livelihood projects as its published vote decided them, with
    their votes, each chosen project's stage and money spent, and the projects rated at
    the session with the satisfaction rule's verdict; nothing about who voted. 404 until
    a tally is published."""
    if pk >= 2**63:  # past the column range: a 404 on SQLite too
        raise Http404
    candidates = (
        CandidateList.objects.filter(
            session__pk=pk,
            state__in=[CandidateList.State.FIXED, CandidateList.State.DECIDED],
        )
        .select_related("session__region")
        .first()
    )
    session = (
        candidates.session
        if candidates
        else get_object_or_404(CongressSession.objects.select_related("region"), pk=pk)
    )
    rows: list = []
    roll = present = None
    if candidates and candidates.state == CandidateList.State.DECIDED:
        rows = selectors.candidates_of(candidates)
        roll, present = candidates.roll, candidates.present
    elif candidates:
        # Published but not yet recorded by the office: read the tally itself.
        try:
            rows, result = candidate_results(candidates)
        except LivelihoodError:
            rows = []
        else:
            rows.sort(key=lambda c: (not c.chosen, -(c.yes or 0), c.pk))
            roll, present = result.roll, result.present
    evaluations = [e for e in evaluations_of(session) if e.recorded_on]
    if not rows and not evaluations:
        raise Http404
    chosen = [c for c in rows if c.chosen]
    projects = projects_of([c.proposal_id for c in chosen] + [e.proposal_id for e in evaluations])
    for row in [*chosen, *evaluations]:
        row.project = projects.get(row.proposal_id)
    return render(
        request,
        "livelihood/results.html",
        {
            "candidates": candidates if rows else None,
            "session": session,
            "roll": roll,
            "present": present,
            "chosen": chosen,
            "others": [c for c in rows if not c.chosen],
            "evaluations": evaluations,
        },
    )
