"""Every organisation page for every role, and their query budgets."""

import pytest
from django.urls import reverse

from organisation.models import Region
from tests.conftest import client_for
from tests.factories import RegionFactory, UnitFactory

pytestmark = pytest.mark.django_db

EVERYONE = [
    "admin",
    "staff",
    "leader",
    "unit_contact",
    "secretary",
    "other_secretary",
    "county_secretary",
    "deputy",
    "outsider",
    "anonymous",
]

# (url name, args from the world, the expected status for each person)
PAGES = {
    "regions": (
        lambda w: [],
        {
            "admin": 200,
            "staff": 200,
            "leader": 200,
            "secretary": 200,
            "other_secretary": 200,
            "county_secretary": 200,
        },
    ),
    "region": (
        lambda w: [w.township.code],
        {
            "admin": 200,
            "staff": 200,
            "leader": 200,
            "secretary": 200,
            "other_secretary": 404,
            "county_secretary": 200,
        },
    ),
    "units": (
        lambda w: [],
        {
            "admin": 200,
            "staff": 200,
            "leader": 200,
            "secretary": 200,
            "other_secretary": 200,
            "county_secretary": 200,
            "unit_contact": 200,
            "outsider": 200,
        },
    ),
    "unit": (
        lambda w: [w.unit.pk],
        {
            "admin": 200,
            "staff": 200,
            "leader": 200,
            "secretary": 404,
            "other_secretary": 404,
            "county_secretary": 404,
            "unit_contact": 200,
            "outsider": 404,
        },
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("person", EVERYONE)
def test_every_page_for_every_role(world, page, person):
    args, expected = PAGES[page]
    user = None if person == "anonymous" else world.people[person]
    response = client_for(user).get(reverse(f"organisation:{page}", args=args(world)))
    if user is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected.get(person, 403)


@pytest.mark.parametrize("person", EVERYONE)
def test_django_admin_is_for_administrators_only(world, person):
    user = None if person == "anonymous" else world.people[person]
    response = client_for(user).get("/admin/")
    assert response.status_code == (200 if person == "admin" else 302)


def _grow(world, townships: int, units: int) -> None:
    for i in range(townships):
        RegionFactory(code=f"4312241{i:02d}9", name=f"新乡{i}", parent=world.county)
    for i in range(units):
        UnitFactory(name=f"怀化市第{i}局", region=world.city)


@pytest.mark.parametrize("url_name", ["organisation:regions", "organisation:units"])
def test_list_pages_cost_the_same_at_any_size(world, django_assert_num_queries, url_name):
    client = client_for(world.staff)
    client.get(reverse(url_name))  # warm the session
    # session, user, the unread-notification count in the header, then the one list query
    with django_assert_num_queries(4):
        small = client.get(reverse(url_name))
    _grow(world, townships=40, units=40)
    with django_assert_num_queries(4):
        large = client.get(reverse(url_name))
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)


def test_region_list_for_a_secretary_is_one_query_too(world, django_assert_num_queries):
    client = client_for(world.county_secretary)
    client.get(reverse("organisation:regions"))
    with django_assert_num_queries(4):
        response = client.get(reverse("organisation:regions"))
    assert {r.name for r in response.context["regions"]} == {"溆浦县", "黄茅园镇", "卢峰镇"}
    assert Region.objects.count() == 6


def test_an_account_created_without_a_role_sees_nothing_of_the_city(world):
    from organisation.models import User

    forgotten = User.objects.create_user("new-account", password="x-portal-demo")
    assert forgotten.role == "deputy"
    assert not forgotten.sees_everything
    client = client_for(forgotten)
    assert client.get(reverse("organisation:regions")).status_code == 403
    assert client.get(reverse("organisation:unit", args=[world.unit.pk])).status_code == 403


def test_createsuperuser_makes_an_administrator(db):
    from organisation.models import User

    admin = User.objects.create_superuser("root", "root@example.org", "x-portal-demo")
    assert admin.role == "admin" and admin.sees_everything
