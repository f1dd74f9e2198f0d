"""The scoping mechanism on the organisation's own pages: every role, in and out of scope."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGION_PAGES_ROLES = {
    "admin",
    "staff",
    "leader",
    "secretary",
    "other_secretary",
    "county_secretary",
}
UNIT_PAGES_ROLES = REGION_PAGES_ROLES | {"unit_contact", "outsider"}


@pytest.mark.parametrize(
    "person",
    [
        "admin",
        "staff",
        "leader",
        "unit_contact",
        "secretary",
        "other_secretary",
        "county_secretary",
        "deputy",
        "outsider",
    ],
)
def test_region_list_by_role(world, as_user, person):
    response = as_user(world.people[person]).get(reverse("organisation:regions"))
    assert response.status_code == (200 if person in REGION_PAGES_ROLES else 403)


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("organisation:regions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_secretary_sees_only_their_township(world, as_user):
    client = as_user(world.secretary)
    names = [r.name for r in client.get(reverse("organisation:regions")).context["regions"]]
    assert names == ["黄茅园镇"]
    assert client.get(reverse("organisation:region", args=[world.township.code])).status_code == 200
    assert (
        client.get(reverse("organisation:region", args=[world.other_township.code])).status_code
        == 404
    )
    assert client.get(reverse("organisation:region", args=[world.county.code])).status_code == 404


def test_county_secretary_sees_every_township_of_the_county(world, as_user):
    client = as_user(world.county_secretary)
    names = {r.name for r in client.get(reverse("organisation:regions")).context["regions"]}
    assert names == {"溆浦县", "黄茅园镇", "卢峰镇"}
    assert client.get(reverse("organisation:region", args=[world.street.code])).status_code == 404


def test_unit_contact_sees_only_their_unit(world, as_user):
    client = as_user(world.unit_contact)
    assert [u.pk for u in client.get(reverse("organisation:units")).context["units"]] == [
        world.unit.pk
    ]
    assert client.get(reverse("organisation:unit", args=[world.unit.pk])).status_code == 200
    assert client.get(reverse("organisation:unit", args=[world.other_unit.pk])).status_code == 404


def test_staff_sees_every_region_and_unit(world, as_user):
    client = as_user(world.staff)
    assert len(client.get(reverse("organisation:regions")).context["regions"]) == 6
    assert client.get(reverse("organisation:unit", args=[world.other_unit.pk])).status_code == 200
