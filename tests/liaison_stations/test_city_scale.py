"""The demo city at its real size (459 stations, ~8,600 deputies, ~12,000 receptions):
the seed is complete and idempotent, and the pages keep their query budgets. Marked
``city``: run once, on PostgreSQL (scripts/test.sh leaves them out of the SQLite stage)."""

import pytest
from django.urls import reverse

from deputies.models import Deputy
from liaison_stations.models import Reception, Station

pytestmark = [pytest.mark.django_db, pytest.mark.city]


@pytest.fixture
def city(demo_city):
    """The demo city, seeded once per session (see tests/conftest.py)."""
    return demo_city


def test_seed_has_the_city_scale_and_a_second_run_does_nothing(city, django_assert_max_num_queries):
    from deputies.demo import seed as seed_deputies
    from liaison_stations.demo import seed as seed_stations

    assert Station.objects.count() == 459
    assert Station.objects.filter(kind=Station.Kind.BORDER).count() == 10
    assert Station.objects.filter(kind=Station.Kind.INDUSTRIAL).count() == 8
    assert 8_400 <= Deputy.objects.count() <= 8_800
    assert Reception.objects.count() == 12_000
    assert (
        Deputy.objects.get(user__username="deputy")
        .stations.filter(region__name="黄茅园镇")
        .exists()
    )
    with django_assert_max_num_queries(2):
        seed_deputies()
        seed_stations()


def test_pages_at_city_scale_keep_their_budget(
    city, as_user, client, django_assert_max_num_queries
):
    from organisation.models import User

    staff = as_user(User.objects.get(username="staff"))
    secretary = as_user(User.objects.get(username="secretary"))
    with django_assert_max_num_queries(8):
        assert staff.get(reverse("liaison_stations:index")).status_code == 200
    with django_assert_max_num_queries(8):
        assert secretary.get(reverse("liaison_stations:index")).status_code == 200
    with django_assert_max_num_queries(7):
        assert (
            client.get(reverse("public_stations:station", args=["431224102-01"])).status_code == 200
        )
    with django_assert_max_num_queries(10):  # incl. the region, group and station choices
        assert staff.get(reverse("deputies:index")).status_code == 200
    with django_assert_max_num_queries(7):
        assert staff.get(reverse("liaison_stations:referrals")).status_code == 200
