from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organisation.access import get_visible_or_404, role_required
from organisation.models import Region, Unit
from organisation.roles import REFERRAL_READERS, REGION_READERS, Role
from organisation.selectors import history_of, region_rows, units_for


@role_required(REGION_READERS)
def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/region_list.html", {"regions": region_rows(request.user)})


@role_required(REGION_READERS)
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_visible_or_404(Region, request.user, code=code)
    return render(
        request,
        "organisation/region_detail.html",
        {
            "region": region,
            "children": region.children.order_by("path"),
            "units": region.units.order_by("name"),
            "secretaries": region.users.filter(role=Role.SECRETARY, is_active=True),
            "history": history_of(region),
        },
    )


@role_required(REFERRAL_READERS)
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/unit_list.html", {"units": units_for(request.user)})


@role_required(REFERRAL_READERS)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit, request.user, pk=pk)
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "contacts": unit.contacts.filter(is_active=True),
            "history": history_of(unit),
        },
    )
