"""The unit a reception is referred to: the picker offers the units of the station's area
(its township's government, its county's departments and congress, the city's bodies),
grouped 乡镇 / 县 / 市, and keeps a unit referred to already from elsewhere."""

import pytest
from django.urls import reverse

from liaison_stations.forms import ReceptionHandleForm, units_for
from liaison_stations.models import Reception
from organisation.models import Unit
from tests.factories import UnitFactory
from tests.liaison_stations.factories import ReceptionFactory
from tests.liaison_stations.test_duty_log import log_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(world):
    """Units of other places: 鹤城区's transport bureau, 卢峰镇's and 城中街道's governments."""
    return {
        "county": UnitFactory(
            name="鹤城区交通运输局", short_name="鹤城区交通局", region=world.other_county
        ),
        "township": UnitFactory(
            name="卢峰镇人民政府",
            short_name="",
            kind=Unit.Kind.TOWNSHIP,
            region=world.other_township,
        ),
        "street": UnitFactory(
            name="城中街道办事处", short_name="", kind=Unit.Kind.TOWNSHIP, region=world.street
        ),
    }


def offered(choices) -> dict[str, list[str]]:
    """The select's groups: label → unit names, the empty choice left out."""
    return {str(label): [name for _pk, name in units] for label, units in choices if label}


def test_a_township_station_offers_its_government_its_county_and_the_city(
    world, places, elsewhere, as_user
):
    response = as_user(world.secretary).get(
        reverse("liaison_stations:duty_log", args=[places["shifts"]["home"].pk])
    )
    assert response.status_code == 200
    groups = offered(response.context["formset"].units)
    assert groups == {
        "乡镇单位": ["黄茅园镇人民政府"],
        "县级单位": ["溆浦县交通局"],
        "市级单位": sorted([str(world.unit), str(world.other_unit)]),
    }
    # The row htmx adds carries them, the township's government first.
    row = as_user(world.secretary).get(
        reverse("liaison_stations:duty_log", args=[places["shifts"]["home"].pk]) + "?row=0",
        HTTP_HX_REQUEST="true",
    )
    body = row.content.decode()
    assert body.index("黄茅园镇人民政府") < body.index("溆浦县交通局") < body.index("市司法局")
    assert "鹤城区交通局" not in body and "卢峰镇人民政府" not in body


def test_a_street_station_offers_its_own_office_and_its_district(world, places, elsewhere):
    names = set(units_for(places["far"].region).values_list("name", flat=True))
    assert names == {"城中街道办事处", "鹤城区交通运输局", world.unit.name, world.other_unit.name}


def test_a_county_keeps_its_townships_units(world, elsewhere):
    names = set(units_for(world.county).values_list("name", flat=True))
    assert {"黄茅园镇人民政府", "卢峰镇人民政府", "溆浦县交通运输局"} <= names
    assert "鹤城区交通运输局" not in names and "城中街道办事处" not in names


def test_a_unit_of_another_county_is_refused_on_the_duty_log(world, places, elsewhere, as_user):
    shift = places["shifts"]["home"]
    row = {
        "channel": "station",
        "category": "roads",
        "content": "通组公路破损",
        "handling": "referred",
        "referred_unit": elsewhere["county"].pk,
        "referral_due": "2099-01-31",
    }
    url = reverse("liaison_stations:duty_log", args=[shift.pk])
    client = as_user(world.secretary)
    response = client.post(url, log_data(shift, [], [row]))
    assert response.status_code == 400
    assert "referred_unit" in response.context["formset"].forms[0].errors
    # The township's own government is taken.
    response = client.post(
        url, log_data(shift, [], [{**row, "referred_unit": world.township_unit.pk}])
    )
    assert response.status_code == 302
    referred = Reception.objects.get(shift=shift, handling="referred")
    assert referred.referred_unit == world.township_unit


def test_the_handling_form_keeps_a_referral_made_elsewhere(world, places, elsewhere, as_user):
    reception = ReceptionFactory(
        station=places["home"],
        handling=Reception.Handling.REFERRED,
        referred_unit=elsewhere["county"],
        referral_due="2099-01-31",
    )
    url = reverse("liaison_stations:reception", args=[reception.pk])
    client = as_user(world.secretary)
    form = client.get(url).context["form"]
    groups = offered(form.fields["referred_unit"].widget.choices)
    assert "鹤城区交通局" in groups["县级单位"] and "卢峰镇人民政府" not in groups.get(
        "乡镇单位", []
    )
    response = client.post(
        url,
        {
            "version": reception.version,
            "handling": "referred",
            "referred_unit": elsewhere["county"].pk,
            "referral_due": "2099-02-28",
        },
    )
    assert response.status_code == 302
    reception.refresh_from_db()
    assert reception.referred_unit == elsewhere["county"]
    assert str(reception.referral_due) == "2099-02-28"


def test_the_handling_form_without_a_region_offers_every_active_unit(world, elsewhere):
    form = ReceptionHandleForm()
    assert (
        form.fields["referred_unit"].queryset.count() == Unit.objects.filter(is_active=True).count()
    )


def test_the_township_contact_sees_what_is_referred_to_their_government(world, places, as_user):
    reception = ReceptionFactory(
        station=places["home"],
        handling=Reception.Handling.REFERRED,
        referred_unit=world.township_unit,
        referral_due="2099-01-31",
    )
    visible = Reception.objects.visible_to(world.township_unit_contact)
    assert list(visible) == [reception]
    assert not Reception.objects.visible_to(world.county_unit_contact).exists()
    url = reverse("liaison_stations:reception", args=[reception.pk])
    assert as_user(world.township_unit_contact).get(url).status_code == 200
    assert as_user(world.county_unit_contact).get(url).status_code == 404
