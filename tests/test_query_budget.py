"""Every main page opens in at most 15 queries at the demo city's size (issue 18): each
role's navigation and home page, as the demo accounts of that role see them, and the
public page of a station. ``scripts/benchmark.py`` times the same pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison_stations.models import Station
from organisation.models import User
from organisation.navigation import items_for

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]

BUDGET = 15
ACCOUNTS = ["staff", "leader", "unit", "secretary", "deputy", "county-unit", "township-unit"]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_main_page_of_the_role_keeps_the_budget(username, as_user):
    user = User.objects.get(username=username)
    client = as_user(user)
    pages = ["/"] + [item["url"] for item in items_for(user)]
    over = {}
    for url in dict.fromkeys(pages):
        client.get(url)  # the session and the caches, as on a second visit
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302), url
        if len(queries) > BUDGET:
            over[url] = len(queries)
    assert over == {}, f"{username}: pages over {BUDGET} queries: {over}"


def test_a_station_public_page_keeps_the_budget(client):
    station = Station.objects.order_by("pk").first()
    client.get(f"/s/{station.code}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/s/{station.code}/")
    assert response.status_code == 200
    assert len(queries) <= BUDGET
