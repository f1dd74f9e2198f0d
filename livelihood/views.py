"""The livelihood pages: the list, one proposal (comments, screening), the proposal form
(also from a reception), the fund pools."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress_portal.errors import show_error
from liaison_stations.models import Reception
from livelihood import selectors
from livelihood.forms import (
    CommentForm,
    FilterForm,
    PoolForm,
    ProposalForm,
    ScreenForm,
    kept_congresses,
)
from livelihood.models import Proposal
from livelihood.services import (
    LivelihoodError,
    comment_add,
    deputy_of,
    fund_pool_set,
    holds_seat,
    may_keep,
    proposal_create,
    proposal_from_reception,
    proposal_screen,
)
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
        me is not None and proposal.is_open and holds_seat(me, proposal.level, proposal.region)
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
