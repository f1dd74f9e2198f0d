from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error, show_message
from congress_portal.paging import CountedPaginator
from deputies.calendar_feed import duty_calendar
from deputies.forms import (
    DeputyFilterForm,
    DeputyForm,
    DeputyImportForm,
    MandateEndForm,
    MandateForm,
)
from deputies.models import Deputy, DeputyImportJob, Mandate
from deputies.selectors import (
    activities_of,
    deputies_for,
    deputies_matching,
    deputy_detail,
    mandates_of,
)
from deputies.services import (
    DeputyError,
    DeputyImportError,
    deputy_import_queue,
    deputy_import_xlsx,
    deputy_phone_reveal,
    deputy_update,
    import_template,
    mandate_add,
    mandate_end,
    mandate_remove,
)
from deputies.station_directory import stations
from organisation.access import get_visible_or_404, has_role, role_required
from organisation.models import Region
from organisation.roles import RECORD_KEEPERS, RECORD_READERS, REGION_READERS, Role
from organisation.selectors import history_of

PAGE_SIZE = 50


@role_required(RECORD_READERS)
def deputy_list(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.DEPUTY and not request.user.is_superuser:
        return redirect("deputies:me")
    form = DeputyFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(
            request, "deputies/deputy_list.html", {"form": form, "page": None}, status=400
        )
    filters = form.cleaned_data if form.is_bound else {}
    chosen = {
        "level": filters.get("level", ""),
        "region": filters.get("region"),
        "group": filters.get("group"),
        "station": filters.get("station"),
        "query": filters.get("q", ""),
    }
    # Counted without the home station's joins (120,000 deputies of a province).
    page = CountedPaginator(
        deputies_for(request.user, **chosen),
        PAGE_SIZE,
        counted=deputies_matching(request.user, **chosen),
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deputies/deputy_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_import": has_role(request.user, Role.STAFF),
        },
    )


def _detail_context(request: HttpRequest, deputy: Deputy) -> dict:
    today = timezone.localdate()
    return {
        "deputy": deputy,
        "may_see_phone": deputy.phone_visible_to(request.user),
        "upcoming": stations().shifts_of(deputy, today)[:6],
        "activities": activities_of(deputy),
        "history": history_of(deputy),
        "may_edit": has_role(request.user, RECORD_KEEPERS)
        and deputy.phone_visible_to(request.user),
    }


@role_required(RECORD_READERS)
def deputy_page(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_visible_or_404(deputy_detail(request.user), request.user, pk=pk)
    return render(request, "deputies/deputy_detail.html", _detail_context(request, deputy))


@role_required(Role.DEPUTY)
def my_record(request: HttpRequest) -> HttpResponse:
    deputy = deputy_detail(request.user).filter(user=request.user).first()
    if deputy is None:
        raise Http404(_("No deputy record is linked to your account."))
    context = _detail_context(request, deputy)
    context["own"] = True
    address = request.build_absolute_uri(reverse("deputies:calendar", args=[deputy.calendar_token]))
    context["calendar_url"] = address
    # A phone's calendar subscribes (and keeps the duty days current) from a webcal:
    # address; another phone scans the QR code of the same address.
    context["calendar_webcal"] = "webcal://" + address.split("://", 1)[1]
    context["calendar_qr"] = segno.make(address, error="m").svg_data_uri(scale=4, border=2)
    return render(request, "deputies/deputy_detail.html", context)


@require_POST
@never_cache
@role_required(REGION_READERS)
def phone_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The full number, answered in this response only: the htmx fragment, or without
    JavaScript the record page itself. Never a redirect with a flash message — the
    default message storage is a cookie, and a phone number is personal data."""
    deputy = get_visible_or_404(deputy_detail(request.user), request.user, pk=pk)
    try:
        phone = deputy_phone_reveal(deputy=deputy, user=request.user)
    except DeputyError as error:
        status = show_message(request, error)
        return render(
            request, "deputies/deputy_detail.html", _detail_context(request, deputy), status=status
        )
    if request.htmx:
        return render(
            request, "deputies/deputy_detail.html#phone", {"deputy": deputy, "phone": phone}
        )
    context = _detail_context(request, deputy)
    context["phone"] = phone
    return render(request, "deputies/deputy_detail.html", context)


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: a phone calendar subscribes with the secret address alone."""
    deputy = get_object_or_404(Deputy, calendar_token=token, is_active=True)
    start = timezone.localdate().replace(day=1)
    body = duty_calendar(
        name=f"{deputy.name} 代表值班",
        shifts=stations().shifts_of(deputy, start),
        host=request.get_host(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="duty.ics"'
    return response


@role_required(Role.STAFF)
def deputy_import(request: HttpRequest) -> HttpResponse:
    form = DeputyImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        job = deputy_import_queue(file=form.cleaned_data["file"], by=request.user)
        if job is not None:  # too long for the request: a worker imports it
            return redirect("deputies:import_job", pk=job.pk)
        try:
            created = deputy_import_xlsx(file=form.cleaned_data["file"], by=request.user)
        except DeputyImportError as error:
            errors = error.errors
            show_error(form, error)
        except DeputyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("%(count)d deputies imported.") % {"count": len(created)})
            return redirect("deputies:index")
    status = 400 if request.method == "POST" and not form.is_valid() or errors else 200
    return render(
        request, "deputies/deputy_import.html", {"form": form, "errors": errors}, status=status
    )


@role_required(Role.STAFF)
@require_GET
def deputy_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A long import's progress; the page polls its fragment until the job is over."""
    job = get_visible_or_404(
        DeputyImportJob.objects.select_related("started_by"), request.user, pk=pk
    )
    template = "deputies/deputy_import_job.html"
    return render(request, f"{template}#job-status" if request.htmx else template, {"job": job})


@role_required(Role.STAFF)
def import_template_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="deputies-template.xlsx"'
    return response


def _editable_deputy(request: HttpRequest, pk: int) -> Deputy:
    """The record, if it lies in the editor's scope (404 otherwise, as for reading)."""
    deputy = get_visible_or_404(Deputy.objects.select_related("region"), request.user, pk=pk)
    if not deputy.phone_visible_to(request.user):  # the same people, said once more
        raise Http404
    return deputy


def _edit_page(request: HttpRequest, deputy: Deputy, *, status: int = 200, **bound) -> HttpResponse:
    """The edit page with any bound form (re-shown with its errors) in its place."""
    mandates = list(mandates_of(deputy))
    in_scope = set(
        Region.objects.visible_to(request.user)
        .filter(pk__in=[m.region_id for m in mandates])
        .values_list("pk", flat=True)
    )
    end_forms = bound.get("end_forms", {})
    rows = [
        {
            "mandate": m,
            "may_change": m.region_id in in_scope,
            "end_form": end_forms.get(m.pk) or MandateEndForm(prefix=f"end-{m.pk}"),
        }
        for m in mandates
    ]
    context = {
        "deputy": deputy,
        "form": bound.get("form") or DeputyForm(deputy=deputy, user=request.user),
        "mandate_form": bound.get("mandate_form") or MandateForm(user=request.user),
        "mandates": rows,
    }
    return render(request, "deputies/deputy_edit.html", context, status=status)


@role_required(RECORD_KEEPERS)
def deputy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _editable_deputy(request, pk)
    if request.method != "POST":
        return _edit_page(request, deputy)
    form = DeputyForm(request.POST, request.FILES, deputy=deputy, user=request.user)
    if form.is_valid():
        try:
            deputy_update(
                deputy=deputy,
                version=form.cleaned_data["version"],
                by=request.user,
                groups=form.cleaned_data["groups"],
                **form.changes(),
            )
        except DeputyError as error:
            return _edit_page(request, deputy, form=form, status=show_error(form, error))
        messages.success(request, _("Deputy saved."))
        return redirect("deputies:detail", pk=deputy.pk)
    return _edit_page(request, deputy, form=form, status=400)


@require_POST
@role_required(RECORD_KEEPERS)
def mandate_create(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _editable_deputy(request, pk)
    form = MandateForm(request.POST, user=request.user)
    if not form.is_valid():
        return _edit_page(request, deputy, mandate_form=form, status=400)
    try:
        mandate_add(deputy=deputy, by=request.user, **form.cleaned_data)
    except DeputyError as error:
        return _edit_page(request, deputy, mandate_form=form, status=show_error(form, error))
    messages.success(request, _("Mandate added."))
    return redirect("deputies:edit", pk=deputy.pk)


def _changeable_mandate(request: HttpRequest, deputy: Deputy, mandate_pk: int) -> Mandate:
    """A seat of this deputy whose region the editor keeps (a township secretary does
    not end the deputy's county seat)."""
    return get_object_or_404(
        Mandate.objects.select_related("deputy", "region"),
        pk=mandate_pk,
        deputy=deputy,
        region__in=Region.objects.visible_to(request.user),
    )


@require_POST
@role_required(RECORD_KEEPERS)
def mandate_finish(request: HttpRequest, pk: int, mandate_pk: int) -> HttpResponse:
    deputy = _editable_deputy(request, pk)
    mandate = _changeable_mandate(request, deputy, mandate_pk)
    form = MandateEndForm(request.POST, prefix=f"end-{mandate.pk}")
    if not form.is_valid():
        return _edit_page(request, deputy, end_forms={mandate.pk: form}, status=400)
    try:
        mandate_end(mandate=mandate, ended_on=form.cleaned_data["ended_on"], by=request.user)
    except DeputyError as error:
        status = show_error(form, error)
        return _edit_page(request, deputy, end_forms={mandate.pk: form}, status=status)
    messages.success(request, _("Mandate ended."))
    return redirect("deputies:edit", pk=deputy.pk)


@require_POST
@role_required(RECORD_KEEPERS)
def mandate_delete(request: HttpRequest, pk: int, mandate_pk: int) -> HttpResponse:
    deputy = _editable_deputy(request, pk)
    mandate = _changeable_mandate(request, deputy, mandate_pk)
    mandate_remove(mandate=mandate, by=request.user)
    messages.success(request, _("Mandate removed."))
    return redirect("deputies:edit", pk=deputy.pk)
