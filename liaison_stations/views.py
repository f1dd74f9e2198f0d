from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error, show_message
from handovers.models import Handover
from handovers.services import may_keep
from liaison_stations import selectors
from liaison_stations.forms import (
    AttendanceForm,
    BaseReceptionFormSet,
    DutyLogForm,
    MonthForm,
    RatingForm,
    ReceptionFilterForm,
    ReceptionFormSet,
    ReceptionHandleForm,
    ReceptionRowRequestForm,
    ShiftForm,
    StationFilterForm,
    StationForm,
    StatsForm,
    SwapForm,
)
from liaison_stations.models import (
    DutyPhoto,
    DutyShift,
    Reception,
    StandardCriterion,
    StandardRating,
    Station,
)
from liaison_stations.selectors import REFERRAL
from liaison_stations.services import (
    HeldPhoto,
    StationError,
    duty_log_record,
    duty_photos_held,
    duty_photos_hold,
    duty_photos_release,
    duty_photos_uploads,
    duty_shift_swap,
    duty_shift_update,
    reception_handle,
    rota_generate,
    standard_rating_set,
    station_update,
)
from organisation.access import get_visible_or_404, has_role, role_required
from organisation.roles import (
    RECORD_KEEPERS,
    RECORD_READERS,
    REFERRAL_READERS,
    REGION_READERS,
    Role,
)
from organisation.selectors import history_of

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset) -> HttpResponse:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@role_required(RECORD_READERS)
def station_list(request: HttpRequest) -> HttpResponse:
    form = StationFilterForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(
            request, "liaison_stations/station_list.html", {"form": form, "page": None}, status=400
        )
    stations = selectors.stations_for(request.user)
    data = form.cleaned_data if form.is_bound else {}
    if data.get("q"):
        stations = stations.filter(name__contains=data["q"]) | stations.filter(code=data["q"])
    if data.get("kind"):
        stations = stations.filter(kind=data["kind"])
    if data.get("region"):
        stations = stations.filter(region__path__startswith=data["region"].path)
    needed = selectors.criteria_count()
    if data.get("below_standard"):
        stations = selectors.below_standard(stations, needed)
    page, query = _page(request, stations)
    return render(
        request,
        "liaison_stations/station_list.html",
        {"form": form, "page": page, "query": query, "needed": needed},
    )


@role_required(RECORD_READERS)
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = get_visible_or_404(
        Station.objects.select_related("region", "region__parent"), request.user, code=code
    )
    today = timezone.localdate()
    return render(
        request,
        "liaison_stations/station_detail.html",
        {
            "station": station,
            "ratings": selectors.station_ratings(station),
            "deputies": selectors.station_deputies(station),
            "upcoming": selectors.upcoming_shifts(station, today, limit=6),
            "receptions": selectors.receptions_for(request.user).filter(station=station)[:10],
            # A deputy reads the station but not its receptions (they hold visitors' names
            # and phones): the page says who keeps them and how many there are instead of
            # an empty list that reads as "none".
            "may_see_receptions": has_role(request.user, REGION_READERS),
            "reception_count": selectors.station_reception_count(station),
            "may_keep": has_role(request.user, RECORD_KEEPERS),
            "photos": selectors.latest_duty_photos(request.user, station),
            # The same people the photo views answer (a deputy reads the page, not the photos).
            "may_see_photos": has_role(request.user, REGION_READERS),
            "history": history_of(station),
        },
    )


@role_required(RECORD_KEEPERS)
def station_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The station's details and attached deputies, kept by its secretary or the office."""
    station = get_visible_or_404(
        Station.objects.select_related("region", "region__parent"), request.user, code=code
    )
    form = StationForm(request.POST or None, station=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            station_update(
                station=station,
                version=form.cleaned_data["version"],
                by=request.user,
                deputies=form.attached_deputies(),
                **form.station_fields(),
            )
        except StationError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("Station saved."))
            return redirect("liaison_stations:station", code=station.code)
    else:
        status = 400 if form.errors else 200
    return render(
        request,
        "liaison_stations/station_edit.html",
        {"station": station, "form": form},
        status=status,
    )


@require_POST
@role_required(RECORD_KEEPERS)
def rating_set(request: HttpRequest, code: str, number: int) -> HttpResponse:
    station = get_visible_or_404(Station, request.user, code=code)
    criterion = get_object_or_404(StandardCriterion, number=number, is_active=True)
    form = RatingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            standard_rating_set(
                station=station, criterion=criterion, by=request.user, **form.cleaned_data
            )
        except StationError as error:
            show_message(request, error)
        else:
            messages.success(request, _("Rating saved."))
    else:
        messages.error(
            request, _("The rating was not saved: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("liaison_stations:station", code=station.code)


@role_required(REGION_READERS)
def standard_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "liaison_stations/standard.html",
        {
            "below": selectors.stations_below_standard(request.user)[:200],
            "counties": selectors.standard_counts_by_county(request.user),
            "needed": selectors.criteria_count(),
        },
    )


# --- Photos ----------------------------------------------------------------------------------
# Uploaded photos are never public MEDIA_URL files: each is answered by a view that looks
# the row up through the user's scope. The scope alone decides (no role list): everyone
# outside it — another township's secretary, a deputy, a unit — gets 404, so not even the
# existence of a photo leaks.


def _image(field) -> FileResponse:
    try:
        file = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(file)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def duty_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_visible_or_404(DutyPhoto.objects.all(), request.user, pk=pk)
    return _image(photo.image)


@login_required
@require_GET
def rating_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_visible_or_404(StandardRating.objects.exclude(evidence=""), request.user, pk=pk)
    return _image(rating.evidence)


# --- Rota ------------------------------------------------------------------------------------


@role_required(RECORD_READERS)
def rota(request: HttpRequest, code: str) -> HttpResponse:
    station = get_visible_or_404(Station.objects.select_related("region"), request.user, code=code)
    form = MonthForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400)
    year, month = form.year_month()
    may_keep = has_role(request.user, RECORD_KEEPERS)
    if request.method == "POST":
        if not may_keep:
            return HttpResponse(status=403)
        try:
            shifts = rota_generate(station=station, year=year, month=month, by=request.user)
        except StationError as error:
            show_message(request, error)
        else:
            if not shifts:
                messages.info(request, _("This month already has its duty days."))
            else:
                messages.success(
                    request, _("%(count)d duty days generated.") % {"count": len(shifts)}
                )
            if shifts and not shifts[0].deputies.exists():
                messages.warning(
                    request, _("No deputy is attached to this station: nobody is on the rota.")
                )
        return redirect(rota_address(station, f"{year:04d}-{month:02d}"))
    shifts = list(selectors.station_month_shifts(station, year, month))
    return render(
        request,
        "liaison_stations/rota.html",
        {
            "station": station,
            "form": form,
            "month": f"{year:04d}-{month:02d}",
            "first_day": dt.date(year, month, 1),
            "shifts": shifts,
            "may_keep": may_keep,
            "swap_form": SwapForm(station=station) if may_keep else None,
        },
    )


@role_required(RECORD_KEEPERS)
def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_visible_or_404(DutyShift.objects.select_related("station"), request.user, pk=pk)
    initial = {
        "date": shift.date,
        "deputies": shift.deputies.all(),
        "note": shift.note,
        "is_cancelled": shift.is_cancelled,
        "version": shift.version,
    }
    form = ShiftForm(request.POST or None, initial=initial, station=shift.station)
    status = 400 if form.errors else 200
    if request.method == "POST" and form.is_valid():
        try:
            duty_shift_update(shift=shift, by=request.user, **form.cleaned_data)
        except StationError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("Duty day saved."))
            return redirect(rota_address(shift.station, f"{shift.date:%Y-%m}"))
    return render(
        request,
        "liaison_stations/shift_edit.html",
        {"shift": shift, "form": form, "history": history_of(shift)},
        status=status,
    )


def rota_address(station: Station, month: str | None = None) -> str:
    """The station's rota, at ``month`` (YYYY-MM) or the current one."""
    query = {"month": month} if month else None
    return reverse("liaison_stations:rota", args=[station.code], query=query)


@require_POST
@role_required(RECORD_KEEPERS)
def shift_swap(request: HttpRequest, code: str) -> HttpResponse:
    station = get_visible_or_404(Station, request.user, code=code)
    form = SwapForm(request.POST, station=station)
    if form.is_valid():
        try:
            duty_shift_swap(by=request.user, **form.cleaned_data)
        except StationError as error:
            show_message(request, error)
        else:
            messages.success(request, _("The two duty days were swapped."))
    else:
        messages.error(request, _("Choose two duty days and their deputies."))
    return redirect(rota_address(station))


# --- Duty log --------------------------------------------------------------------------------


@role_required(REGION_READERS)
def today(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    return render(
        request,
        "liaison_stations/today.html",
        {"shifts": selectors.todays_shifts(request.user, day), "day": day},
    )


@role_required(RECORD_KEEPERS)
def duty_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The quick phone form: who came, hours, notes, photos and the constituents received."""
    shift = get_visible_or_404(
        DutyShift.objects.select_related("station", "station__region"), request.user, pk=pk
    )
    log = selectors.log_of(shift)
    if shift.date > timezone.localdate() and log is None:
        # A day still to come: say so, instead of a form that fails on save.
        return render(
            request,
            "liaison_stations/duty_log.html",
            {"shift": shift, "log": None, "not_yet": True},
            status=400 if request.method == "POST" else 200,
        )
    if request.htmx and "row" in request.GET:
        # "Add a reception": one more empty row, and the formset's count updated out of band.
        row_form = ReceptionRowRequestForm(request.GET)
        if not row_form.is_valid():
            return HttpResponse(
                row_form.errors["row"].as_text(),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        index = row_form.cleaned_data["row"]
        formset = ReceptionFormSet(prefix="r", region=shift.station.region)
        return render(
            request,
            "liaison_stations/duty_log.html#reception-row",
            {
                "row": formset._construct_form(index, **formset.get_form_kwargs(index)),
                "index": index,
                "next_index": index + 1,
                "shift": shift,
            },
        )
    initial = {"hours": 3, "version": 0}
    if log is not None:
        initial = {
            "attendees": log.attendees.all(),
            "hours": log.hours,
            "notes": log.notes,
            "version": log.version,
        }
    else:
        initial["attendees"] = shift.deputies.all()
    form = DutyLogForm(request.POST or None, request.FILES or None, initial=initial, shift=shift)
    formset = ReceptionFormSet(request.POST or None, prefix="r", region=shift.station.region)
    # "Add a constituent" without script: the form comes back with one more empty row,
    # nothing saved and nothing marked wrong yet (with script, htmx adds the row instead).
    adding = request.method == "POST" and "add_row" in request.POST
    if adding:
        data = request.POST.copy()
        rows = min(formset.total_form_count() + 1, ReceptionFormSet.max_num)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = str(rows)
        formset = ReceptionFormSet(data, prefix="r", region=shift.station.region)
    status = 400 if request.method == "POST" and not adding else 200
    held: list[HeldPhoto] = []
    if request.method == "POST":
        valid = form.is_valid() & formset.is_valid()  # both, so every error is shown
        held = duty_photos_held(tokens=form.cleaned_data.get("held_photos") or [], by=request.user)
        chosen = form.cleaned_data.get("photos") or []
        if valid and not adding:
            data = form.cleaned_data
            try:
                duty_log_record(
                    shift=shift,
                    by=request.user,
                    attendees=list(data["attendees"]),
                    hours=data["hours"],
                    notes=data["notes"],
                    photos=[*chosen, *duty_photos_uploads(held)],
                    receptions=[f.to_input() for f in formset if f.has_changed()],
                    version=data["version"] if log is not None else None,
                )
            except StationError as error:
                status = show_error(form, error)
            else:
                duty_photos_release(held=held)
                messages.success(request, _("Duty day logged."))
                return redirect("liaison_stations:duty_log", pk=shift.pk)
        # Not saved: the photos chosen are kept for the next save, with those kept before.
        tokens = [p.token for p in held] + duty_photos_hold(photos=chosen, by=request.user)
        held = duty_photos_held(tokens=tokens, by=request.user)
        form.data = form.data.copy()
        form.data.setlist(form.add_prefix("held_photos"), tokens)
        if adding:
            for bound in (form, *formset.forms):
                bound._errors = ErrorDict()
            formset._non_form_errors = formset.error_class()
    return render(
        request,
        "liaison_stations/duty_log.html",
        {
            "shift": shift,
            "log": log,
            "form": form,
            "formset": formset,
            "error_summary": _error_summary(form, formset),
            "held": held,
            "receptions": shift.receptions.select_related("referred_unit").order_by("pk"),
            "history": history_of(log) if log else [],
        },
        status=status,
    )


def _error_summary(form: DutyLogForm, formset: BaseReceptionFormSet) -> list[dict[str, str]]:
    """Each error of the duty-log form with a link to its field, for the top of the page:
    on a phone the field in error may be several screens down."""
    summary = []

    def add(bound_form, prefix: str) -> None:
        for name, errors in bound_form.errors.items():
            field = bound_form.fields.get(name)
            if field is None or field.widget.is_hidden:
                anchor, label = "duty-log-form", prefix.rstrip(" ·")
            else:
                anchor, label = bound_form[name].auto_id, f"{prefix}{field.label}"
            for error in errors:
                text = _("%(field)s: %(error)s") % {"field": label, "error": error}
                summary.append({"anchor": anchor, "text": text if label else error})

    add(form, "")
    for error in formset.non_form_errors():
        summary.append({"anchor": "reception-rows", "text": error})
    for index, row in enumerate(formset.forms):
        add(row, _("Constituent %(n)s · ") % {"n": index + 1})
    return summary


# --- Receptions ------------------------------------------------------------------------------


@role_required(REFERRAL_READERS)
def reception_list(request: HttpRequest) -> HttpResponse:
    receptions = selectors.receptions_for(request.user)
    stations = Station.objects.filter(pk__in=receptions.values("station"))
    form = ReceptionFilterForm(request.GET or None, stations=stations)
    if request.GET and not form.is_valid():
        return render(
            request,
            "liaison_stations/reception_list.html",
            {"form": form, "page": None},
            status=400,
        )
    data = form.cleaned_data if form.is_bound else {}
    if data.get("station"):
        receptions = receptions.filter(station=data["station"])
    if data.get("status") == "open":
        receptions = receptions.filter(closed_on__isnull=True)
    elif data.get("status") == "closed":
        receptions = receptions.filter(closed_on__isnull=False)
    for field in ("handling", "channel", "category"):
        if data.get(field):
            receptions = receptions.filter(**{field: data[field]})
    page, query = _page(request, receptions)
    return render(
        request,
        "liaison_stations/reception_list.html",
        {"form": form, "page": page, "query": query, "title": _("Receptions")},
    )


@role_required(REGION_READERS)
def inbox(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, selectors.inbox_for(request.user))
    return render(
        request,
        "liaison_stations/reception_list.html",
        {"page": page, "query": query, "title": _("Online opinions"), "inbox": True},
    )


@role_required(REFERRAL_READERS)
def referrals(request: HttpRequest) -> HttpResponse:
    """The open referrals of the secretaries' stations (the office: all), each with its
    handover's state. A unit contact's referrals are their inbox's."""
    if request.user.role == Role.UNIT:
        return redirect(reverse("handovers:index", query={"kind": REFERRAL}))
    day = timezone.localdate()
    page, query = _page(request, selectors.open_referrals(request.user))
    for reception in page:
        reception.age = reception.age_days(day)
        reception.overdue = reception.referral_overdue(day)
        reception.answered = reception.handover_state == Handover.State.ANSWERED
    return render(
        request, "liaison_stations/referrals.html", {"page": page, "query": query, "today": day}
    )


@role_required(REFERRAL_READERS)
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reception = get_visible_or_404(
        Reception.objects.select_related("station", "station__region", "referred_unit", "shift"),
        request.user,
        pk=pk,
    )
    may_handle = has_role(request.user, RECORD_KEEPERS)
    referral = selectors.referral_of(reception)
    form = None
    if may_handle:
        form = ReceptionHandleForm(
            request.POST or None,
            region=reception.station.region,
            initial={
                "handling": reception.handling,
                "answer": reception.answer,
                "referred_unit": reception.referred_unit,
                "referral_due": reception.referral_due,
                "result": reception.result,
                "feedback": reception.feedback,
                "close": reception.closed_on is not None,
                "version": reception.version,
            },
        )
        if referral is not None:
            # Its result and its closing are the handover's (answered by the unit, verified
            # on the referral's page).
            del form.fields["result"], form.fields["close"]
    elif request.method == "POST":
        return HttpResponse(status=403)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            reception_handle(reception=reception, by=request.user, **form.cleaned_data)
        except StationError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("Reception saved."))
            return redirect("liaison_stations:reception", pk=reception.pk)
    return render(
        request,
        "liaison_stations/reception_detail.html",
        {
            "reception": reception,
            "referral": referral,
            "may_verify": referral is not None
            and referral.state == Handover.State.ANSWERED
            and may_keep(request.user, referral),
            "form": form,
            "today": timezone.localdate(),
            "history": history_of(reception),
        },
        status=status,
    )


# --- Statistics ------------------------------------------------------------------------------


@role_required(REGION_READERS)
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(request, "liaison_stations/statistics.html", {"form": form}, status=400)
    if not form.is_bound:
        form = StatsForm({}, user=request.user)
        form.is_valid()
    start, end = form.range()
    scope = {
        "start": start,
        "end": end,
        "region": form.cleaned_data.get("region"),
        "user": request.user,
    }
    return render(
        request,
        "liaison_stations/statistics.html",
        {
            "form": form,
            "start": start,
            "by_station": selectors.reception_counts_by_station(**scope),
            "by_month": selectors.reception_counts_by_month(**scope),
            "by_category": selectors.reception_counts_by_category(**scope),
            "share": selectors.resolved_share(**scope),
            "duty": selectors.duty_days_held_vs_scheduled(**scope),
            "duty_by_county": selectors.duty_days_by_county(
                start=start, end=min(end, timezone.localdate()), user=request.user
            ),
        },
    )


@role_required(REGION_READERS)
def attendance(request: HttpRequest) -> HttpResponse:
    """Home station counts: per station, its deputies' activities and points this year,
    and the deputies who never came to a duty day there."""
    form = AttendanceForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(request, "liaison_stations/attendance.html", {"form": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("year") or timezone.localdate().year
    stations = selectors.stations_by_attendance(
        request.user,
        year=year,
        region=data.get("region"),
        never_came_only=bool(data.get("never_came")),
    )
    page = Paginator(stations, 20).get_page(request.GET.get("page"))
    members: dict[int, list] = {}
    for row in selectors.members_year(list(page), year=year):
        members.setdefault(row.station_id, []).append(row)
    for station in page:
        rows = members.get(station.pk, [])
        station.members = rows  # type: ignore[attr-defined]
        station.points = sum((r.points for r in rows), Decimal("0"))  # type: ignore[attr-defined]
        station.activities = sum(r.activities for r in rows)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "liaison_stations/attendance.html",
        {"form": form, "page": page, "year": year, "query": query.urlencode()},
    )
