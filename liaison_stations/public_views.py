"""The public station pages (/s/<code>/): no login. They show a station, its opening
days, the next duty days and its deputies — never a phone number — and take opinions."""

from __future__ import annotations

import hashlib
import secrets

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control

from congress_portal.addresses import client_address
from congress_portal.errors import show_error
from deputies.models import Deputy
from liaison_stations import selectors
from liaison_stations.forms import OpinionForm
from liaison_stations.limits import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    LimitReached,
    device_of,
    new_device_id,
    opinion_reserve,
)
from liaison_stations.models import Station
from liaison_stations.services import StationError, public_opinion_submit


def _public_url(station: Station) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "public_stations:station", args=[station.code]
    )


@login_not_required
def station_page(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(selectors.public_station(code))
    form = OpinionForm(request.POST or None, initial={"submission": secrets.token_urlsafe(16)})
    status = 200
    limited = None
    if request.method == "POST":
        if form.is_bot:
            # Answer a bot as if all went well, and keep nothing.
            return redirect("public_stations:thanks", code=station.code)
        status = 400
        if form.is_valid():
            address = client_address(request)
            try:
                reservation = opinion_reserve(
                    station_pk=station.pk,
                    device=device_of(request.COOKIES.get(DEVICE_COOKIE), address),
                    address=address,
                )
            except LimitReached as reached:
                limited, status = reached.limit, 429
            else:
                data = form.cleaned_data
                try:
                    public_opinion_submit(
                        station=station,
                        content=data["content"],
                        category=data["category"],
                        consent=data["consent"],
                        name=data["name"],
                        phone=data["phone"],
                        village=data["village"],
                        submission=data["submission"],
                    )
                except StationError as error:
                    reservation.release()  # not taken: it does not count
                    status = show_error(form, error)
                else:
                    return redirect("public_stations:thanks", code=station.code)
    today = timezone.localdate()
    response = render(
        request,
        "liaison_stations/public/station.html",
        {
            "station": station,
            "form": form,
            "limited": limited,
            "upcoming": selectors.upcoming_shifts(station, today, limit=3),
            "deputies": selectors.station_deputies(station),
        },
        status=status,
    )
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            new_device_id(),
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@login_not_required
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(selectors.public_station(code))
    return render(request, "liaison_stations/public/thanks.html", {"station": station})


@login_not_required
@cache_control(max_age=3600, public=True)
def qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(selectors.public_station(code))
    qr = segno.make(_public_url(station), error="m")
    response = HttpResponse(content_type="image/svg+xml")
    qr.save(response, kind="svg", scale=8, border=2, title=station.name)
    return response


@login_not_required
def poster_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The A4 poster "码上找代表" to print and hang at the station.

    Rendering takes WeasyPrint up to a second or two, so a poster is made once for what
    it shows (the station's version, its deputies, the address it points to) and kept in
    the cache; browsers and proxies may keep it for an hour, and revalidate by ETag."""
    station = get_object_or_404(selectors.public_station(code))
    url = _public_url(station)
    deputies = list(selectors.station_deputies(station)[:12])
    shown = repr(
        (station.pk, station.version, url, [(d.pk, d.name, str(d.photo)) for d in deputies])
    )
    etag = hashlib.sha256(shown.encode()).hexdigest()[:32]
    if request.headers.get("If-None-Match", "").strip('"') == etag:
        response = HttpResponse(status=304)
    else:
        key = f"poster:{etag}"
        pdf = cache.get(key)
        if pdf is None:
            pdf = _poster_render(request, station, url, deputies)
            cache.set(key, pdf, 7 * 24 * 3600)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="poster-{station.code}.pdf"'
    response["ETag"] = f'"{etag}"'
    patch_cache_control(response, public=True, max_age=3600)
    return response


def _poster_render(request: HttpRequest, station: Station, url: str, deputies: list) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "liaison_stations/public/poster.html",
        {
            "station": station,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=10, border=1),
            "deputies": deputies,
        },
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


@login_not_required
def deputy_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy's photo, public like the deputy's name on the station page."""
    # Only deputies a public station page shows: not every deputy's photo by counting ids.
    deputy = get_object_or_404(
        Deputy.objects.filter(stations__is_active=True).distinct(), pk=pk, is_active=True
    )
    if not deputy.photo:
        raise Http404
    return FileResponse(deputy.photo.open("rb"))
