"""The deputy–station relation is one row per deputy and station (StationMembership),
which also says which station is the deputy's home station; the deputies registry sets
and shows it through deputies.station_directory."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from deputies.models import Deputy
from deputies.services import deputy_import_xlsx, deputy_update
from liaison_stations.models import StationMembership
from liaison_stations.selectors import home_station_of
from liaison_stations.services import station_update
from tests.deputies.test_deputies import row, workbook
from tests.factories import DeputyFactory
from tests.liaison_stations.factories import StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_stations(world):
    return (
        StationFactory(region=world.township, code="hmy-01", name="黄茅园镇人大代表联络站"),
        StationFactory(region=world.township, code="hmy-02", name="金中村联络点"),
    )


def memberships(deputy) -> set[tuple[str, bool]]:
    return set(
        StationMembership.objects.filter(deputy=deputy).values_list("station__code", "is_home")
    )


def test_a_deputy_is_attached_once_and_has_at_most_one_home(world, two_stations):
    main, village = two_stations
    deputy = DeputyFactory(region=world.township, home_station=main)
    with pytest.raises(IntegrityError), transaction.atomic():
        StationMembership.objects.create(deputy=deputy, station=main)
    with pytest.raises(IntegrityError), transaction.atomic():
        StationMembership.objects.create(deputy=deputy, station=village, is_home=True)
    village.deputies.add(deputy)  # a second attachment, not a home
    assert memberships(deputy) == {("hmy-01", True), ("hmy-02", False)}


def test_a_new_home_station_keeps_the_old_attachment_and_is_in_the_history(world, two_stations):
    main, village = two_stations
    deputy = DeputyFactory(region=world.township, home_station=main)
    deputy_update(deputy=deputy, version=deputy.version, by=world.staff, home_station=village)
    assert memberships(deputy) == {("hmy-01", False), ("hmy-02", True)}
    assert "金中村联络点" in deputy.history.order_by("-history_id").first().history_change_reason
    deputy.refresh_from_db()
    deputy_update(deputy=deputy, version=deputy.version, by=world.staff, home_station=None)
    assert memberships(deputy) == {("hmy-01", False), ("hmy-02", False)}
    assert home_station_of(deputy) is None


def test_saving_other_fields_leaves_the_home_station_and_its_history_alone(world, two_stations):
    main, _village = two_stations
    deputy = DeputyFactory(region=world.township, home_station=main)
    deputy_update(
        deputy=deputy, version=deputy.version, by=world.staff, home_station=main, party="无党派"
    )
    assert memberships(deputy) == {("hmy-01", True)}
    assert not deputy.history.order_by("-history_id").first().history_change_reason


def test_the_import_makes_the_station_column_the_home_station(world, two_stations):
    with_station = row(name="舒国庆", gender="男")
    with_station[-1] = "hmy-02"
    deputy_import_xlsx(file=workbook([row(), with_station]), by=world.staff)
    chen, shu = (Deputy.objects.get(name=n) for n in ("陈春花", "舒国庆"))
    assert memberships(chen) == set() and memberships(shu) == {("hmy-02", True)}


def test_the_registry_shows_the_home_station(world, two_stations, as_user):
    main, village = two_stations
    deputy = DeputyFactory(name="陆友红", region=world.township, home_station=village)
    main.deputies.add(deputy)
    client = as_user(world.staff)
    page = client.get(reverse("deputies:index")).context["page"]
    assert [(d.name, d.home_station_name) for d in page] == [("陆友红", "金中村联络点")]
    body = client.get(reverse("deputies:detail", args=[deputy.pk])).content.decode()
    assert "金中村联络点" in body


def test_detaching_a_deputy_from_their_home_station_ends_it_as_home(world, two_stations):
    """A home station is a station the deputy is attached to: one row says both."""
    main, village = two_stations
    deputy = DeputyFactory(region=world.township, home_station=main)
    village.deputies.add(deputy)
    station_update(station=main, version=main.version, by=world.staff, deputies=[])
    assert memberships(deputy) == {("hmy-02", False)}
