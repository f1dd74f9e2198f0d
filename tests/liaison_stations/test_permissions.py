"""Who may open which station page: every role, in and out of scope."""

import pytest
from django.urls import reverse

from liaison_stations.models import Reception

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


def expect(person: str, ok: set, hidden: set = frozenset()) -> int:
    if person in ok:
        return 200
    return 404 if person in hidden else 403


def _pages(places):
    home, shift, reception = places["home"], places["shifts"]["home"], places["receptions"]["home"]
    readers = {"admin", "staff", "leader", "secretary", "county_secretary", "deputy"}
    keepers = {"admin", "staff", "secretary", "county_secretary"}
    office_and_secretaries = {"admin", "staff", "leader", "secretary", "county_secretary"}
    return {
        "list": (reverse("liaison_stations:index"), readers | {"other_secretary"}, set()),
        "station": (
            reverse("liaison_stations:station", args=[home.code]),
            readers,
            {"other_secretary"},
        ),
        "rota": (reverse("liaison_stations:rota", args=[home.code]), readers, {"other_secretary"}),
        "log": (
            reverse("liaison_stations:duty_log", args=[shift.pk]),
            keepers,
            {"other_secretary"},
        ),
        "shift_edit": (
            reverse("liaison_stations:shift_edit", args=[shift.pk]),
            keepers,
            {"other_secretary"},
        ),
        "reception": (
            reverse("liaison_stations:reception", args=[reception.pk]),
            office_and_secretaries,
            {"other_secretary", "unit_contact", "outsider"},
        ),
        "inbox": (
            reverse("liaison_stations:inbox"),
            office_and_secretaries | {"other_secretary"},
            set(),
        ),
        "statistics": (
            reverse("liaison_stations:statistics"),
            office_and_secretaries | {"other_secretary"},
            set(),
        ),
        "standard": (
            reverse("liaison_stations:standard"),
            office_and_secretaries | {"other_secretary"},
            set(),
        ),
    }


@pytest.mark.parametrize(
    "page",
    [
        "list",
        "station",
        "rota",
        "log",
        "shift_edit",
        "reception",
        "inbox",
        "statistics",
        "standard",
    ],
)
@pytest.mark.parametrize("person", PEOPLE)
def test_station_pages_by_role(world, places, as_user, page, person):
    url, ok, hidden = _pages(places)[page]
    assert as_user(world.people[person]).get(url).status_code == expect(person, ok, hidden)


@pytest.mark.parametrize("page", ["list", "station", "log", "reception", "inbox"])
def test_anonymous_goes_to_login(world, places, client, page):
    url = _pages(places)[page][0]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_secretary_cannot_change_another_townships_records(world, places, as_user):
    client = as_user(world.secretary)
    other_shift = places["shifts"]["other"]
    other_reception = places["receptions"]["other"]
    assert (
        client.post(
            reverse("liaison_stations:duty_log", args=[other_shift.pk]), {"hours": "3"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("liaison_stations:reception", args=[other_reception.pk]),
            {"handling": "answered", "answer": "x", "version": other_reception.version},
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("liaison_stations:rota", args=[places["other"].code])).status_code
        == 404
    )
    other_reception.refresh_from_db()
    assert other_reception.handling == Reception.Handling.PENDING
    assert not hasattr(other_shift, "log")


def test_secretary_lists_only_their_township(world, places, as_user):
    names = [
        s.name
        for s in as_user(world.secretary).get(reverse("liaison_stations:index")).context["page"]
    ]
    assert names == ["黄茅园镇人大代表联络站"]
    receptions = (
        as_user(world.secretary).get(reverse("liaison_stations:receptions")).context["page"]
    )
    assert {r.station.code for r in receptions} == {"hmy-01"}


def test_county_secretary_sees_every_township_of_the_county(world, places, as_user):
    client = as_user(world.county_secretary)
    codes = {s.code for s in client.get(reverse("liaison_stations:index")).context["page"]}
    assert codes == {"hmy-01", "lf-01"}
    assert client.get(reverse("liaison_stations:station", args=["cz-01"])).status_code == 404
    assert (
        client.get(
            reverse("liaison_stations:duty_log", args=[places["shifts"]["other"].pk])
        ).status_code
        == 200
    )


def test_unit_contact_sees_receptions_referred_to_their_unit(world, places, as_user):
    reception = places["receptions"]["far"]
    reception.handling = Reception.Handling.REFERRED
    reception.referred_unit = world.unit
    reception.save()
    client = as_user(world.unit_contact)
    assert client.get(reverse("liaison_stations:reception", args=[reception.pk])).status_code == 200
    assert [r.pk for r in client.get(reverse("liaison_stations:receptions")).context["page"]] == [
        reception.pk
    ]
    # Their open referrals are their inbox's.
    assert client.get(reverse("liaison_stations:referrals")).url == reverse(
        "handovers:index", query={"kind": "referral"}
    )
    # Reading is all: handling stays with the secretary.
    assert (
        client.post(reverse("liaison_stations:reception", args=[reception.pk]), {}).status_code
        == 403
    )


def test_deputy_sees_only_their_own_stations(world, places, as_user):
    client = as_user(world.deputy)
    codes = [s.code for s in client.get(reverse("liaison_stations:index")).context["page"]]
    assert codes == ["hmy-01"]
    assert client.get(reverse("liaison_stations:station", args=["lf-01"])).status_code == 404
