"""The receptions filter picks a station by its name, not by a 12-character code."""

from django.urls import reverse


def test_the_filter_offers_the_stations_by_name(world, places, as_user):
    page = as_user(world.staff).get(reverse("liaison_stations:receptions")).content.decode()
    assert '<select name="station"' in page
    assert ">黄茅园镇人大代表联络站</option>" in page
    assert "联络站代码" not in page


def test_a_secretary_picks_among_her_own_stations(world, places, as_user):
    page = as_user(world.secretary).get(reverse("liaison_stations:receptions")).content.decode()
    assert "黄茅园镇人大代表联络站" in page
    assert "城中街道人大代表联络站" not in page


def test_picking_a_station_shows_its_receptions_only(world, places, as_user):
    client = as_user(world.staff)
    url = reverse("liaison_stations:receptions", query={"station": places["other"].code})
    response = client.get(url)
    assert response.status_code == 200
    assert [r.station for r in response.context["page"]] == [places["other"]]
    assert (
        client.get(reverse("liaison_stations:receptions", query={"station": "nope"})).status_code
        == 400
    )
