"""An opinion left on the public page is a notice to the secretary who keeps the
station, linked to the opinion, exactly once.
"""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from liaison_stations.models import Reception
from liaison_stations.services import (
    StationError,
    _announce_opinion,
    public_opinion_submit,
)
from notifications.models import Kind, Notification
from organisation.roles import Role
from tests.factories import RegionFactory, UserFactory
from tests.liaison_stations.factories import station_with_deputies

# The public form's opinion, and its cache clearing (the limits count in the cache).
from tests.liaison_stations.test_public import GOOD as OPINION
from tests.liaison_stations.test_public import _clear_cache  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db


def _post(client, station, **data):
    url = reverse("public_stations:station", args=[station.code])
    return client.post(url, {**OPINION, **data})


def test_the_stations_secretary_is_told_once_and_opens_the_opinion(world, places, client, as_user):
    station = places["home"]  # in 黄茅园镇, the secretary's township
    assert _post(client, station).status_code == 302
    reception = Reception.objects.get(channel=Reception.Channel.ONLINE)
    notice = Notification.objects.get()
    assert notice.user == world.secretary and notice.kind == Kind.OPINION_RECEIVED
    assert notice.title == "黄茅园镇人大代表联络站收到一条网上留言"
    assert notice.body == "道路交通：村口路灯坏了三个月，晚上出行不安全"
    assert notice.url == reverse("liaison_stations:reception", args=[reception.pk])
    secretary = as_user(world.secretary)
    assert secretary.get(notice.url).status_code == 200
    centre = secretary.get(reverse("notifications:index")).content.decode()
    assert notice.title in centre and "网上留言" in centre


def test_nobody_else_is_told(world, places, client):
    assert _post(client, places["home"]).status_code == 302
    for name, person in world.people.items():
        if name != "secretary":
            # Not the county secretary (who sees it in the inbox), not the office.
            assert not person.notifications.exists(), name


def test_an_opinion_at_a_station_no_secretary_keeps_is_kept_and_thanked(world, places, client):
    """No secretary in the station's region or any region around it: nobody to tell, and
    the visitor still gets the thanks page (it was a 500, found by scripts/loadtest.sh)."""
    region = RegionFactory(name="无秘书镇", parent=None)
    station = station_with_deputies(region, 1, code="nobody-01", name="无秘书镇联络站")
    response = _post(client, station)
    assert response.status_code == 302
    assert response["Location"] == reverse("public_stations:thanks", args=[station.code])
    assert Reception.objects.get(channel=Reception.Channel.ONLINE).station == station
    assert not Notification.objects.exists()


def test_each_opinion_is_told_once_however_often_it_is_announced(world, places, client):
    assert _post(client, places["home"]).status_code == 302
    assert (
        _post(client, places["home"], content="希望增设公交站台，方便老人出行").status_code == 302
    )
    assert Notification.objects.filter(user=world.secretary).count() == 2
    for reception in Reception.objects.filter(channel=Reception.Channel.ONLINE):
        _announce_opinion(reception)  # a retry
    assert Notification.objects.count() == 2


def test_another_townships_station_tells_its_own_secretary(world, places, client):
    assert _post(client, places["other"]).status_code == 302
    assert list(Notification.objects.values_list("user", flat=True)) == [world.other_secretary.pk]


def test_a_township_without_a_secretary_tells_the_countys(world, client):
    township = RegionFactory(code="431224103", name="龙潭镇", parent=world.county)
    station = station_with_deputies(township, 1, code="lt-01", name="龙潭镇人大代表联络站")
    assert _post(client, station).status_code == 302
    assert list(Notification.objects.values_list("user", flat=True)) == [world.county_secretary.pk]


def test_an_inactive_secretary_is_not_told(world, places, client):
    other = UserFactory(
        username="secretary-b", role=Role.SECRETARY, region=world.township, is_active=False
    )
    assert _post(client, places["home"]).status_code == 302
    assert not other.notifications.exists()
    assert world.secretary.notifications.count() == 1


def test_an_opinion_not_kept_tells_nobody(world, places, client):
    # Refused by the form, by the honeypot, by the service: no opinion, no notice.
    assert _post(client, places["home"], consent="").status_code == 400
    assert _post(client, places["home"], website="http://spam.example").status_code == 302
    station = places["home"]
    station.is_active = False
    station.save()
    with pytest.raises(StationError):
        public_opinion_submit(station=station, content="路灯坏了", consent=True)
    assert not Reception.objects.filter(channel=Reception.Channel.ONLINE).exists()
    assert not Notification.objects.exists()


def _form_id(client, station) -> str:
    page = client.get(reverse("public_stations:station", args=[station.code])).content.decode()
    return re.search(r'name="submission" value="([^"]+)"', page).group(1)


def test_the_same_form_sent_twice_is_kept_and_told_once(world, places, client):
    station = places["home"]
    form_id = _form_id(client, station)
    assert _post(client, station, submission=form_id).status_code == 302
    assert _post(client, station, submission=form_id).status_code == 302  # the double tap
    assert Reception.objects.filter(channel=Reception.Channel.ONLINE).count() == 1
    assert Notification.objects.count() == 1
    # Shown again, the page gives the form a new id: the same words sent again on
    # purpose are a new opinion.
    assert _form_id(client, station) != form_id


def test_the_form_brought_back_with_new_words_is_a_new_opinion(world, places, client):
    station = places["home"]
    form_id = _form_id(client, station)
    assert _post(client, station, submission=form_id).status_code == 302
    # The browser's back button: the old form, its id and another request.
    other = "希望增设公交站台，方便老人出行"
    assert _post(client, station, submission=form_id, content=other).status_code == 302
    assert sorted(
        Reception.objects.filter(channel=Reception.Channel.ONLINE).values_list("content", flat=True)
    ) == sorted([OPINION["content"], other])
    assert Notification.objects.filter(user=world.secretary).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_copies_of_one_form_at_the_same_moment_are_kept_once(world, places):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through scripts/test.sh)")
    station = places["home"]
    barrier = threading.Barrier(2)
    kept: list[int] = []

    def send():
        try:
            barrier.wait()
            reception = public_opinion_submit(
                station=station, content=OPINION["content"], consent=True, submission="x" * 22
            )
            kept.append(reception.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kept) == 2 and kept[0] == kept[1]
    assert Reception.objects.filter(channel=Reception.Channel.ONLINE).count() == 1
    assert Notification.objects.filter(user=world.secretary).count() == 1
