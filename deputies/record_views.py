"""The performance record 履职档案 (a deputy's year: at a glance, every entry, the PDF),
the rankings 积分排名, entries recorded by hand and the reports to voters 述职评议."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress_portal.errors import show_error, show_message
from deputies.models import Activity, Deputy, Level, Mandate, VoterReport
from deputies.record_forms import (
    ActivityEntryForm,
    RankingForm,
    VoterPlanAddForm,
    VoterPlanFilterForm,
    VoterReportForm,
    YearForm,
)
from deputies.record_pdf import render_record
from deputies.record_sources import source_links
from deputies.selectors import (
    activities_in,
    deputy_detail,
    not_yet_reported,
    ranking,
    ranks_of,
    voter_plan,
    year_at_a_glance,
    yearly_caps,
)
from deputies.services import (
    DeputyError,
    activity_delete,
    activity_enter,
    voter_report_hold,
    voter_report_plan,
    voter_report_unplan,
)
from organisation.access import get_visible_or_404, has_role, role_required
from organisation.models import Region
from organisation.roles import RECORD_KEEPERS, RECORD_READERS, REGION_READERS, Role

RANKING_ROWS = 50


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404
    return form.chosen_year()


def _record_context(request: HttpRequest, deputy: Deputy, year: int) -> dict:
    caps = yearly_caps(year)
    kinds, total = year_at_a_glance(deputy, year, caps)
    day = min(timezone.localdate(), timezone.datetime(year, 12, 31).date())
    seats = list(
        Mandate.objects.active_on(day)
        .filter(deputy=deputy)
        .select_related("region")
        .order_by("level")
    )
    places = ranks_of(deputy, year=year, seats=seats, caps=caps)
    ranks = [(seat, places[seat.pk]) for seat in seats]
    activities = list(activities_in(deputy, year).select_related("recorded_by"))
    links = source_links(request.user, activities)
    for activity in activities:
        activity.source_url = links.get(activity.pk, "")  # type: ignore[attr-defined]
    reports = list(
        VoterReport.objects.filter(deputy=deputy, status=VoterReport.Status.HELD)
        .select_related("region")
        .order_by("-held_on")
    )
    return {
        "deputy": deputy,
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "kinds": kinds,
        "total": total,
        "ranks": ranks,
        "activities": activities,
        "voter_reports": reports,
        "may_enter": has_role(request.user, RECORD_KEEPERS),
    }


@role_required(RECORD_READERS)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_visible_or_404(deputy_detail(request.user), request.user, pk=pk)
    year = _year(request)
    return render(request, "deputies/record.html", _record_context(request, deputy, year))


@role_required(Role.DEPUTY)
def my_record(request: HttpRequest) -> HttpResponse:
    deputy = deputy_detail(request.user).filter(user=request.user).first()
    if deputy is None:
        raise Http404(_("No deputy record is linked to your account."))
    context = _record_context(request, deputy, _year(request))
    context["own"] = True
    return render(request, "deputies/record.html", context)


@role_required(RECORD_READERS)
def record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_visible_or_404(deputy_detail(request.user), request.user, pk=pk)
    year = _year(request)
    rendered = render_record(deputy, year, _record_context(request, deputy, year))
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="record-{deputy.pk}-{year}.pdf"'
    return response


@role_required(REGION_READERS)
def rankings(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = RankingForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return render(request, "deputies/rankings.html", {"form": form, "rows": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("year") or timezone.localdate().year
    # A secretary's default is their own congress: the township ranking of their
    # township (a county secretary: the township deputies of the county).
    default_level = Level.TOWNSHIP if user.role == Role.SECRETARY else Level.CITY
    level = data.get("level") or default_level
    region: Region | None = data.get("region")
    if region is None and not user.sees_everything:
        region = user.region
        if region is None:
            raise Http404
    seats = ranking(year=year, level=level, region=region)
    page = Paginator(seats, RANKING_ROWS).get_page(request.GET.get("page"))
    rows = list(page)
    query = request.GET.copy()
    query.pop("page", None)
    if not form.is_bound:
        form = RankingForm(initial={"year": year, "level": level}, user=user)
    return render(
        request,
        "deputies/rankings.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "level_label": Level(level).label,
            "region": region,
            "page": page,
            "query": query.urlencode(),
        },
    )


@role_required(RECORD_KEEPERS)
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = get_visible_or_404(deputy_detail(request.user), request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = ActivityEntryForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity_enter(deputy=deputy, by=request.user, **data)
            except DeputyError as error:
                status = show_error(form, error)
            else:
                return redirect(
                    reverse(
                        "deputies:record",
                        kwargs={"pk": deputy.pk},
                        query={"year": data["date"].year},
                    )
                )
        else:
            status = 400
    else:
        form = ActivityEntryForm(initial={"date": timezone.localdate()})
    return render(
        request, "deputies/activity_new.html", {"deputy": deputy, "form": form}, status=status
    )


@role_required(RECORD_READERS)
def activity_evidence(request: HttpRequest, pk: int) -> FileResponse:
    activity = get_visible_or_404(Activity.objects.visible_to(request.user), request.user, pk=pk)
    if not activity.evidence:
        raise Http404
    name = activity.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(activity.evidence.open("rb"), as_attachment=True, filename=name)


@role_required(RECORD_KEEPERS)
@require_POST
def activity_remove(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(Activity.objects.visible_to(request.user), request.user, pk=pk)
    deputy = activity.deputy
    try:
        activity_delete(activity=activity, by=request.user)
    except DeputyError as error:
        status = show_message(request, error)
        context = _record_context(request, deputy, activity.date.year)
        return render(request, "deputies/record.html", context, status=status)
    return redirect(
        reverse("deputies:record", kwargs={"pk": deputy.pk}, query={"year": activity.date.year})
    )


# --- Reports to voters 述职评议 -------------------------------------------------------------


@role_required(REGION_READERS)
def voter_reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = VoterPlanFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return render(
            request, "deputies/voter_reports.html", {"form": form, "plan": None}, status=400
        )
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("year") or timezone.localdate().year
    region = data.get("region")
    status = 200
    if request.method == "POST":
        if not has_role(user, RECORD_KEEPERS):
            return HttpResponse(status=403)
        add = VoterPlanAddForm(request.POST)
        seat = None
        if add.is_valid():
            seat = not_yet_reported(user).filter(pk=add.cleaned_data["seat"]).first()
        if seat is None:
            raise Http404
        try:
            voter_report_plan(deputy=seat.deputy, level=seat.level, year=year, by=user)
        except DeputyError as error:
            status = show_message(request, error)
        else:
            return redirect(reverse("deputies:voter_reports", query=request.GET))
    plan = list(voter_plan(user, year=year, region=region))
    pending = list(not_yet_reported(user, region=region)[:500])
    if not form.is_bound:
        form = VoterPlanFilterForm(initial={"year": year}, user=user)
    return render(
        request,
        "deputies/voter_reports.html",
        {
            "form": form,
            "year": year,
            "plan": plan,
            "held": sum(1 for r in plan if r.status == VoterReport.Status.HELD),
            "pending": pending,
            "may_keep": has_role(user, RECORD_KEEPERS),
            "this_year": year == timezone.localdate().year,
        },
        status=status,
    )


@role_required(RECORD_READERS)
def voter_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(
        VoterReport.objects.visible_to(request.user).select_related("deputy", "region"),
        request.user,
        pk=pk,
    )
    may_keep = has_role(request.user, RECORD_KEEPERS)
    status = 200
    form = None
    if may_keep:
        if request.method == "POST":
            form = VoterReportForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    voter_report_hold(report=report, by=request.user, **data)
                except DeputyError as error:
                    status = show_error(form, error)
                else:
                    return redirect("deputies:voter_report", pk=report.pk)
            else:
                status = 400
        else:
            form = VoterReportForm(
                initial={
                    "version": report.version,
                    "held_on": report.held_on,
                    "meeting": report.meeting,
                    "text": report.text,
                    "voters_present": report.voters_present,
                    "satisfied": report.satisfied,
                    "basic": report.basic,
                    "unsatisfied": report.unsatisfied,
                }
            )
    elif request.method == "POST":
        return HttpResponse(status=403)
    return render(
        request,
        "deputies/voter_report.html",
        {"report": report, "form": form, "may_keep": may_keep},
        status=status,
    )


@role_required(RECORD_KEEPERS)
@require_POST
def voter_report_remove(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(VoterReport.objects.visible_to(request.user), request.user, pk=pk)
    try:
        voter_report_unplan(report=report, by=request.user)
    except DeputyError as error:
        show_message(request, error)
        return redirect("deputies:voter_report", pk=report.pk)
    return redirect(reverse("deputies:voter_reports", query={"year": report.year}))
