"""The station edit page: who may edit which station, the details and deputies saved,
and two people editing one station."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from liaison_stations.models import Station
from liaison_stations.services import StationError, station_update
from tests.factories import DeputyFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "admin",
    "staff",
    "leader",
    "unit_contact",
    "secretary",
    "other_secretary",
    "county_secretary",
    "deputy",
    "outsider",
]
MAY_EDIT = {"admin", "staff", "secretary", "county_secretary"}


def form_data(station: Station, **changes) -> dict:
    data = {
        "name": station.name,
        "kind": station.kind,
        "address": station.address,
        "rule": station.rule,
        "rule_days": station.rule_days,
        "opening_hours": station.opening_hours,
        "deputies_per_shift": station.deputies_per_shift,
        "contact_name": station.contact_name,
        "contact_phone": station.contact_phone,
        "deputies": [d.pk for d in station.deputies.all()],
        "is_active": "on" if station.is_active else "",
        "version": station.version,
    }
    data.update(changes)
    return data


def url(station: Station) -> str:
    return reverse("liaison_stations:station_edit", args=[station.code])


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_open_the_edit_page(world, places, as_user, person):
    response = as_user(world.people[person]).get(url(places["home"]))
    if person in MAY_EDIT:
        expected = 200
    elif person == "other_secretary":
        expected = 404  # another township's station: not even its existence
    else:
        expected = 403  # leaders read, deputies and units do not keep stations
    assert response.status_code == expected


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_save(world, places, as_user, person):
    station = places["home"]
    response = as_user(world.people[person]).post(
        url(station), form_data(station, address="黄茅园镇人民政府一楼")
    )
    station.refresh_from_db()
    if person in MAY_EDIT:
        assert response.status_code == 302
        assert station.address == "黄茅园镇人民政府一楼"
    else:
        assert response.status_code == (404 if person == "other_secretary" else 403)
        assert station.address == "" and station.version == 1


def test_anonymous_goes_to_login(world, places, client):
    response = client.get(url(places["home"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_huangmaoyuan_secretary_cannot_edit_a_lufeng_station(world, places, as_user):
    other = places["other"]
    client = as_user(world.secretary)
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), form_data(other, name="改掉")).status_code == 404
    other.refresh_from_db()
    assert other.name == "卢峰镇人大代表联络站" and other.version == 1


def test_the_secretary_edits_details_and_deputies(world, places, as_user):
    station = places["home"]
    keep = list(station.deputies.order_by("pk"))[:2]
    newcomer = DeputyFactory(name="舒国庆", region=world.township)
    response = as_user(world.secretary).post(
        url(station),
        form_data(
            station,
            address="黄茅园镇人民政府院内",
            rule="weekdays",
            rule_days="2，5",
            opening_hours="8:30–11:30",
            contact_name="侯志刚",
            contact_phone="0745-3412345",
            deputies=[d.pk for d in keep] + [newcomer.pk],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison_stations:station", args=[station.code])
    station.refresh_from_db()
    assert station.address == "黄茅园镇人民政府院内"
    assert (station.rule, station.rule_days) == ("weekdays", "2,5")
    assert station.contact_name == "侯志刚" and station.version == 2
    assert set(station.deputies.all()) == {*keep, newcomer}
    entry = station.history.order_by("-history_id").first()
    assert entry.history_user == world.secretary and entry.address == "黄茅园镇人民政府院内"
    assert "舒国庆" in entry.history_change_reason


def test_the_form_offers_only_deputies_of_the_area_the_editor_sees(world, places, as_user):
    stranger = DeputyFactory(name="向海", region=world.other_township)
    form = as_user(world.secretary).get(url(places["home"])).context["form"]
    offered = set(form.fields["deputies"].queryset)
    assert stranger not in offered
    assert set(places["home"].deputies.all()) <= offered
    # A deputy of 卢峰镇 cannot be slipped in by posting their id.
    station = places["home"]
    response = as_user(world.secretary).post(
        url(station), form_data(station, deputies=[stranger.pk])
    )
    assert response.status_code == 400 and "deputies" in response.context["form"].errors
    assert stranger not in station.deputies.all()


def test_deputies_the_secretary_cannot_see_stay_attached(world, places, as_user):
    station = places["home"]
    county_deputy = DeputyFactory(name="张建国", region=world.other_county)
    station.deputies.add(county_deputy)  # attached by the office
    response = as_user(world.secretary).post(url(station), form_data(station, deputies=[]))
    assert response.status_code == 302
    assert list(station.deputies.all()) == [county_deputy]


@pytest.mark.parametrize(
    "rule, days",
    [("month_days", "32"), ("month_days", "六"), ("weekdays", "8"), ("weekdays", "0,3")],
)
def test_impossible_opening_days_are_shown_next_to_the_field(world, places, as_user, rule, days):
    station = places["home"]
    response = as_user(world.secretary).post(
        url(station), form_data(station, rule=rule, rule_days=days)
    )
    assert response.status_code == 400
    assert "rule_days" in response.context["form"].errors
    station.refresh_from_db()
    assert station.rule_days == "6,16,26" and station.version == 1


def test_the_second_of_two_editors_is_told_and_overwrites_nothing(world, places, as_user):
    station = places["home"]
    first, second = as_user(world.secretary), as_user(world.county_secretary)
    # Both open the form on version 1.
    seen = [c.get(url(station)).context["form"].initial["version"] for c in (first, second)]
    assert seen == [1, 1]
    assert first.post(url(station), form_data(station, address="一楼")).status_code == 302
    response = second.post(url(station), form_data(station, address="二楼", version=1))
    # 409 Conflict, as for a task: nothing was wrong with the input, the record moved on.
    assert response.status_code == 409
    body = response.content.decode()
    # The message stands at the top of the form, where the editor is looking.
    form_at = body.index('class="card station-edit"')
    message_at = body.index('<p class="form-error" role="alert">您编辑期间他人已修改此记录')
    assert form_at < message_at < body.index('name="name"')
    assert response.context["form"].non_field_errors()
    station.refresh_from_db()
    assert station.address == "一楼" and station.version == 2
    # Having reloaded, the second editor saves on top of the first.
    fresh = second.get(url(station)).context["form"].initial["version"]
    assert (
        second.post(url(station), form_data(station, address="二楼", version=fresh)).status_code
        == 302
    )
    station.refresh_from_db()
    assert station.address == "二楼" and station.version == 3


def test_station_update_refuses_a_stale_version(world, places):
    station = places["home"]
    station_update(station=station, version=1, by=world.staff, address="甲")
    with pytest.raises(StationError):
        station_update(station=Station.objects.get(pk=station.pk), version=1, by=None, address="乙")
    station.refresh_from_db()
    assert station.address == "甲"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_the_same_moment(world, places):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through scripts/test.sh)")
    station = places["home"]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def edit(address):
        try:
            barrier.wait()
            station_update(
                station=Station.objects.get(pk=station.pk), version=1, by=None, address=address
            )
            results.append("ok")
        except StationError:
            results.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(a,)) for a in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "stale"]
    station.refresh_from_db()
    assert station.version == 2 and station.address in ("甲", "乙")
    assert station.history.count() == 2  # created, then the one save that won
