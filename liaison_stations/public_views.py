"""The public station pages (/s/<code>/): no login. They show a station, its opening
days, the next duty days and its deputies — never a phone number — and take opinions."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from deputies.models import Deputy
from liaison_stations import selectors
from liaison_stations.forms import OpinionForm
from liaison_stations.models import Station
from liaison_stations.services import (
    StationError,
    public_opinion_counted,
    public_opinion_submit,
    public_rate_limited,
)


def _public_url(station: Station) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "public_stations:station", args=[station.code]
    )


def client_address(request) -> str:
    """The address the rate limit counts.

    X-Forwarded-For is written by the client first and each proxy appends the address
    it received the request from, so only the last ``TRUSTED_PROXY_HOPS`` entries come
    from proxies we run; anything further left may be forged. Without trusted proxies
    the header is ignored and the connection's own address counts.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the first one was still written by a proxy of ours.
    return forwarded[max(len(forwarded) - hops, 0)]


@login_not_required
def station_page(request, code: str):
    station = get_object_or_404(selectors.public_station(code))
    form = OpinionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_bot:
            # Answer a bot as if all went well, and keep nothing.
            return redirect("public_stations:thanks", code=station.code)
        if public_rate_limited(address=client_address(request)):
            form.add_error(
                None, _("Too many opinions from your connection. Please try again in an hour.")
            )
            status = 429
        elif form.is_valid():
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
                )
            except StationError as exc:
                form.add_error(None, str(exc))
            else:
                public_opinion_counted(address=client_address(request))
                return redirect("public_stations:thanks", code=station.code)
        if status == 200:
            status = 400
    today = timezone.localdate()
    return render(
        request,
        "liaison_stations/public/station.html",
        {
            "station": station,
            "form": form,
            "upcoming": selectors.upcoming_shifts(station, today, limit=3),
            "deputies": selectors.station_deputies(station),
        },
        status=status,
    )


@login_not_required
def thanks(request, code: str):
    station = get_object_or_404(selectors.public_station(code))
    return render(request, "liaison_stations/public/thanks.html", {"station": station})


@login_not_required
@cache_control(max_age=3600, public=True)
def qr_svg(request, code: str):
    station = get_object_or_404(selectors.public_station(code))
    qr = segno.make(_public_url(station), error="m")
    response = HttpResponse(content_type="image/svg+xml")
    qr.save(response, kind="svg", scale=8, border=2, title=station.name)
    return response


@login_not_required
def poster_pdf(request, code: str):
    """The A4 poster "码上找代表" to print and hang at the station."""
    from weasyprint import HTML

    station = get_object_or_404(selectors.public_station(code))
    url = _public_url(station)
    html = render_to_string(
        "liaison_stations/public/poster.html",
        {
            "station": station,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=10, border=1),
            "deputies": selectors.station_deputies(station)[:12],
        },
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{station.code}.pdf"'
    return response


@login_not_required
def deputy_photo(request, pk: int):
    """A deputy's photo, public like the deputy's name on the station page."""
    # Only deputies a public station page shows: not every deputy's photo by counting ids.
    deputy = get_object_or_404(
        Deputy.objects.filter(stations__is_active=True).distinct(), pk=pk, is_active=True
    )
    if not deputy.photo:
        raise Http404
    return FileResponse(deputy.photo.open("rb"))
