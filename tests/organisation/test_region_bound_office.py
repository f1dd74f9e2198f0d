"""Staff and leaders whose account names a region see that region's records (a city's
office its city, the province office every city of the province); without a region
they see everything, as before (organisation/access.py, roles.REGION_BOUND)."""

import pytest
from django.urls import reverse

from liaison_stations.models import Station
from organisation.models import Region
from organisation.roles import Role
from tasks.models import Task
from tests.factories import RegionFactory, UnitFactory, UserFactory
from tests.liaison_stations.factories import StationFactory
from tests.tasks.factories import AspectFactory, TaskFactory, TaskListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(world):
    """A province above a second city, 邵阳市, with its township and a station, a unit
    and a task led by that unit; 怀化市 (the world's) keeps its station and task."""
    province = RegionFactory(code="43", name="湖南省", level=Region.Level.PROVINCE)
    other_city = RegionFactory(
        code="430500", name="邵阳市", level=Region.Level.CITY, parent=province
    )
    other_township = RegionFactory(code="430521101", name="塘渡口镇", parent=other_city)
    other_unit = UnitFactory(name="邵阳市司法局", short_name="邵阳司法局", region=other_city)
    aspect = AspectFactory(task_list=TaskListFactory(), number=1)
    ours = TaskFactory(aspect=aspect, number=1, lead_unit=world.unit)
    theirs = TaskFactory(aspect=aspect, number=2, lead_unit=other_unit)
    return {
        "region": province,
        "city": other_city,
        "station": StationFactory(region=other_township),
        "our_station": StationFactory(region=world.township),
        "task": theirs,
        "our_task": ours,
    }


def test_a_city_office_sees_its_city_only(world, province):
    staff = UserFactory(username="city-staff", role=Role.STAFF, region=world.city)
    leader = UserFactory(username="city-leader", role=Role.LEADER, region=province["city"])
    assert not staff.sees_everything
    assert set(Station.objects.visible_to(staff)) == {province["our_station"]}
    assert set(Station.objects.visible_to(leader)) == {province["station"]}
    assert set(Task.objects.visible_to(staff)) == {province["our_task"]}
    assert set(Task.objects.visible_to(leader)) == {province["task"]}
    assert province["city"] not in Region.objects.visible_to(staff)


def test_the_province_office_sees_every_city_of_the_province(world, province):
    # 怀化市 joins the province: its path moves under it.
    for region in Region.objects.filter(path__startswith=world.city.path):
        Region.objects.filter(pk=region.pk).update(path=f"/43{region.path}")
    office = UserFactory(username="province", role=Role.STAFF, region=province["region"])
    assert set(Station.objects.visible_to(office)) == {province["station"], province["our_station"]}
    assert set(Task.objects.visible_to(office)) == {province["task"], province["our_task"]}


def test_an_office_account_naming_no_region_still_sees_everything(world, province):
    assert world.staff.sees_everything and world.leader.sees_everything
    assert Station.objects.visible_to(world.staff).count() == 2
    assert Task.objects.visible_to(world.leader).count() == 2


def test_a_city_office_keeps_its_office_pages_scoped_to_its_city(world, province, as_user):
    staff = UserFactory(username="city-staff", role=Role.STAFF, region=province["city"])
    client = as_user(staff)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    tasks = client.get(reverse("tasks:index"))
    assert tasks.status_code == 200
    assert province["task"].content in tasks.content.decode()
    assert province["our_task"].content not in tasks.content.decode()
    stations = client.get(reverse("liaison_stations:index")).content.decode()
    assert province["station"].name in stations
    assert province["our_station"].name not in stations
    # A record of the other city answers 404, as to a secretary.
    assert client.get(reverse("tasks:task", args=[province["our_task"].pk])).status_code == 404


def test_a_city_office_reveals_the_phones_of_its_own_citys_deputies_only(world, province):
    from tests.factories import DeputyFactory

    ours = DeputyFactory(name="向春燕", region=world.township)
    theirs = DeputyFactory(name="刘建国", region=province["city"])
    city_staff = UserFactory(username="city-staff", role=Role.STAFF, region=world.city)
    assert ours.phone_visible_to(city_staff) and not theirs.phone_visible_to(city_staff)
    assert theirs.phone_visible_to(world.staff)  # an office naming no region: every deputy
    assert not ours.phone_visible_to(world.leader)  # leaders never reveal phones


def test_narrowing_the_scope_first_sees_the_same_tasks(world, province):
    """``visible_to(user, within=…)`` narrows the rows and the scope's subquery alike: the
    same tasks as narrowing after the scope, for every kind of reader."""
    from django.db.models import Q

    staff = UserFactory(username="city-staff", role=Role.STAFF, region=world.city)
    office = UserFactory(username="province", role=Role.STAFF, region=province["region"])
    readers = [staff, office, world.staff, world.unit_contact, world.secretary]
    for within in (Q(task_list=province["task"].task_list), Q(number=2), Q(number=3)):
        for reader in readers:
            narrowed_first = set(Task.objects.visible_to(reader, within=within))
            assert narrowed_first == set(Task.objects.visible_to(reader).filter(within)), reader
