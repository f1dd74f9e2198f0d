"""The suggestion pages: the list, one suggestion (its intake and hand-over; the rest is
the handover page's), the deputy's form, the secretary's draft from a reception, the
statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress_portal.errors import show_error, show_message
from deputies.models import Deputy
from deputies.selectors import deputy_of
from handovers.models import Handover
from handovers.services import may_keep as may_keep_handover
from liaison_stations.models import Reception
from organisation.access import get_visible_or_404, has_role, role_required
from organisation.models import Unit
from organisation.roles import EVERYONE, REGION_READERS, SUGGESTION_KEEPERS, Role
from organisation.selectors import history_of
from suggestions import selectors
from suggestions.forms import DraftForm, FilterForm, HandOverForm, IntakeForm, SuggestionForm
from suggestions.models import Suggestion
from suggestions.services import (
    SuggestionError,
    congresses_of,
    may_keep,
    signature_confirm,
    suggestion_accept,
    suggestion_confirm,
    suggestion_convert,
    suggestion_draft_from_reception,
    suggestion_hand_over,
    suggestion_merge,
    suggestion_submit,
)

PAGE_SIZE = 50


def _nav(user) -> dict[str, bool]:
    """Which tabs of the suggestion pages this person has."""
    return {
        "may_submit": user.role == Role.DEPUTY,
        "may_draft": has_role(user, SUGGESTION_KEEPERS),
        "may_count": has_role(user, REGION_READERS),
    }


def _units_for_filter(user) -> QuerySet[Unit]:
    """The units the suggestions this person sees were handed to (a unit contact's
    filter is dropped; a city's office, not the province's other cities'); by the key
    list rather than a DISTINCT over the join (4,400 units of a province)."""
    if user.sees_everything:
        handed = Handover.objects.filter(kind="suggestion").values("unit_id")
    else:
        handed = selectors.suggestions_for(user).order_by().values("handover__unit")
    return Unit.objects.filter(pk__in=handed).order_by("name")


@role_required(EVERYONE)
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = FilterForm(request.GET or None, user=user, units=_units_for_filter(user))
    suggestions = selectors.suggestions_for(user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            suggestions = form.apply(suggestions)
        else:
            suggestions = suggestions.none()
            status = 400
    page = Paginator(suggestions.order_by("-year", "-number", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "suggestions/index.html",
        {
            "form": form,
            "page": page,
            "rows": list(page),
            "query": query.urlencode(),
            "today": timezone.localdate(),
            **_nav(user),
        },
        status=status,
    )


def _detail_context(request: HttpRequest, suggestion: Suggestion) -> dict:
    user = request.user
    keeper = may_keep(user, suggestion)
    me = deputy_of(user)
    handover: Handover | None = suggestion.handover
    signatures = list(suggestion.signatures.all())
    my_signature = next((s for s in signatures if me and s.deputy_id == me.pk), None)
    context = {
        **_nav(user),
        "suggestion": suggestion,
        "signatures": signatures,
        "handover": handover,
        "today": timezone.localdate(),
        "history": history_of(suggestion),
        "may_confirm": me is not None and me.pk == suggestion.lead_id and suggestion.is_draft,
        "may_sign": my_signature is not None and my_signature.confirmed_on is None,
        "may_keep": keeper,
        "may_keep_handover": handover is not None and may_keep_handover(user, handover),
        "intake_form": None,
        "hand_over_form": None,
    }
    if keeper and suggestion.status == Suggestion.Status.SUBMITTED:
        context["intake_form"] = IntakeForm(
            initial={"version": suggestion.version, "action": "accept"},
            targets=selectors.merge_targets(suggestion),
        )
    if keeper and suggestion.status == Suggestion.Status.ACCEPTED:
        context["hand_over_form"] = HandOverForm(
            initial={"version": suggestion.version},
            units=selectors.units_for_hand_over(suggestion),
        )
    return context


@role_required(EVERYONE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_visible_or_404(selectors.suggestion_detail(request.user, pk), request.user)
    return render(request, "suggestions/detail.html", _detail_context(request, suggestion))


def _rerender(request: HttpRequest, suggestion: Suggestion, status: int, **forms) -> HttpResponse:
    context = _detail_context(request, suggestion)
    context.update(forms)
    return render(request, "suggestions/detail.html", context, status=status)


@require_POST
@role_required(Role.DEPUTY)
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead deputy confirms a draft, or a co-signer their signature."""
    suggestion = get_visible_or_404(selectors.suggestion_detail(request.user, pk), request.user)
    try:
        if suggestion.lead.user_id == request.user.pk:
            version = request.POST.get("version", "")
            suggestion_confirm(
                suggestion=suggestion,
                by=request.user,
                version=int(version) if version.isdigit() else -1,
            )
            messages.success(request, _("Submitted. It has its number now."))
        else:
            signature_confirm(suggestion=suggestion, by=request.user)
            messages.success(request, _("Your signature is confirmed."))
    except SuggestionError as error:
        status = show_message(request, error)
        return _rerender(request, suggestion, status)
    return redirect(suggestion)


@require_POST
@role_required(SUGGESTION_KEEPERS)
def intake(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_visible_or_404(selectors.suggestion_detail(request.user, pk), request.user)
    form = IntakeForm(request.POST, targets=selectors.merge_targets(suggestion))
    if not form.is_valid():
        return _rerender(request, suggestion, 400, intake_form=form)
    data = form.cleaned_data
    try:
        if data["action"] == "accept":
            suggestion_accept(suggestion=suggestion, by=request.user, version=data["version"])
            messages.success(request, _("Accepted. Hand it over to a unit now."))
        elif data["action"] == "merge":
            suggestion_merge(
                suggestion=suggestion,
                by=request.user,
                into=data["into"],
                reason=data["reason"],
                version=data["version"],
            )
            messages.success(request, _("Merged."))
        else:
            suggestion_convert(
                suggestion=suggestion,
                by=request.user,
                to=data["converted_to"],
                reason=data["reason"],
                version=data["version"],
            )
            messages.success(request, _("Turned into a letter or an opinion."))
    except SuggestionError as error:
        status = show_error(form, error)
        return _rerender(request, suggestion, status, intake_form=form)
    return redirect(suggestion)


@require_POST
@role_required(SUGGESTION_KEEPERS)
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_visible_or_404(selectors.suggestion_detail(request.user, pk), request.user)
    form = HandOverForm(request.POST, units=selectors.units_for_hand_over(suggestion))
    if not form.is_valid():
        return _rerender(request, suggestion, 400, hand_over_form=form)
    data = form.cleaned_data
    try:
        suggestion = suggestion_hand_over(
            suggestion=suggestion,
            by=request.user,
            unit=data["unit"],
            helping_units=list(data["helping_units"]),
            due_on=data["due_on"],
            is_key=data["is_key"],
            leader=data["leader"],
            version=data["version"],
        )
    except SuggestionError as error:
        status = show_error(form, error)
        return _rerender(request, suggestion, status, hand_over_form=form)
    messages.success(request, _("Handed over to %(unit)s.") % {"unit": data["unit"]})
    return redirect(suggestion)


@role_required(Role.DEPUTY)
def submit(request: HttpRequest) -> HttpResponse:
    deputy = deputy_of(request.user)
    mandates = congresses_of(deputy) if deputy else congresses_of(Deputy(pk=0))
    form = SuggestionForm(request.POST or None, mandates=mandates)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = suggestion_submit(
                    by=request.user,
                    level=data["level"],
                    region=data["region"],
                    title=data["title"],
                    content=data["content"],
                    category=data["category"],
                    session=data["session"],
                    co_signers=data["co_signer_list"],
                )
            except SuggestionError as error:
                status = show_error(form, error)
            else:
                messages.success(
                    request,
                    _("Submitted as No. %(number)s.") % {"number": suggestion.number},
                )
                return redirect(suggestion)
    return render(
        request,
        "suggestions/submit.html",
        {"form": form, "has_seat": bool(form.seats), **_nav(request.user)},
        status=status,
    )


@role_required(SUGGESTION_KEEPERS)
def draft(request: HttpRequest) -> HttpResponse:
    """?reception=<pk>: a secretary drafts a suggestion from a reception for a deputy to
    confirm; without one, the receptions marked "turned into a suggestion" still waiting."""
    raw = request.GET.get("reception", "")
    if not raw:
        waiting = (
            Reception.objects.visible_to(request.user)
            .filter(handling=Reception.Handling.SUGGESTION, follow_up_id__isnull=True)
            .select_related("station")
            .order_by("-received_at", "-pk")
        )
        page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request, "suggestions/waiting.html", {"page": page, "query": "", **_nav(request.user)}
        )
    if not raw.isdigit():
        return HttpResponseBadRequest(_("A reception is named by its number."))
    reception = get_visible_or_404(
        Reception.objects.select_related("station__region"), request.user, pk=int(raw)
    )
    station = reception.station
    # The station's deputies and those of its township.
    deputies = Deputy.objects.filter(
        Q(pk__in=station.deputies.values("pk")) | Q(region=station.region), is_active=True
    ).order_by("name", "pk")
    form = DraftForm(
        request.POST or None,
        region=station.region,
        deputies=deputies,
        initial={"content": reception.content, "category": reception.category},
    )
    status = 200
    already = reception.follow_up_id is not None
    if already:
        # Its page shows the suggestion it became; a second draft is refused.
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = suggestion_draft_from_reception(
                    by=request.user,
                    reception=reception,
                    lead=data["lead"],
                    level=data["level"],
                    region=data["region"],
                    title=data["title"],
                    content=data["content"],
                    category=data["category"],
                    session=data["session"],
                )
            except SuggestionError as error:
                status = show_error(form, error)
            else:
                messages.success(
                    request, _("Drafted. %(name)s confirms it.") % {"name": data["lead"]}
                )
                return redirect(suggestion)
    return render(
        request,
        "suggestions/draft.html",
        {
            "form": form,
            "reception": reception,
            "already": reception.follow_up if already else None,
            **_nav(request.user),
        },
        status=status,
    )


@role_required(REGION_READERS)
def statistics(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = FilterForm(request.GET or None, user=user, units=_units_for_filter(user))
    suggestions = selectors.suggestions_for(user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            suggestions = form.apply(suggestions)
        else:
            suggestions = suggestions.none()
            status = 400
    today = timezone.localdate()
    return render(
        request,
        "suggestions/statistics.html",
        {
            **_nav(user),
            "form": form,
            "total": selectors.rates_total(suggestions, today, _("All")),
            "by_congress": selectors.rates_by_congress(suggestions, today),
            "by_unit": selectors.rates_by_unit(suggestions, today),
            "by_class": selectors.rates_by_class(suggestions, today),
            "statuses": selectors.status_counts(suggestions),
        },
        status=status,
    )
