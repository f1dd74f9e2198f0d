"""The demo city's units below the city: every county-level area's departments and every
township's or street's government, each with its contact; seeded once per session
(tests/conftest.py, demo_city), here checked and seeded again."""

import pytest
from django.db.models import Count, Q

from liaison_stations.forms import units_for
from liaison_stations.models import Station
from organisation.demo import COUNTY_DEPARTMENTS, _local_units, seed
from organisation.models import Region, Unit, User
from organisation.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]

ACTIVE_CONTACTS = Count("contacts", filter=Q(contacts__is_active=True, contacts__role=Role.UNIT))


def test_every_county_has_its_departments_each_with_one_contact():
    counties = Region.objects.filter(level=Region.Level.COUNTY).annotate(
        departments=Count("units", filter=Q(units__kind=Unit.Kind.GOVERNMENT))
    )
    assert len(counties) == 13
    # 靖州 also has 公安局 and 市场监督管理局, questioned in oversight's interpellation demo.
    assert {c.name: c.departments for c in counties} == {
        c.name: len(COUNTY_DEPARTMENTS) + (2 if c.name == "靖州苗族侗族自治县" else 0)
        for c in counties
    }
    departments = Unit.objects.filter(
        kind=Unit.Kind.GOVERNMENT, region__level=Region.Level.COUNTY
    ).annotate(n=ACTIVE_CONTACTS)
    assert {d.n for d in departments} == {1}
    names = {d.name: d.short_name for d in departments}
    assert names["溆浦县交通运输局"] == "溆浦县交通局"
    assert names["麻阳苗族自治县住房和城乡建设局"] == "麻阳县住建局"
    assert names["鹤城区教育局"] == "鹤城区教育局"


def test_every_township_has_exactly_one_government_with_an_active_contact():
    townships = Region.objects.filter(level=Region.Level.TOWNSHIP).annotate(
        governments=Count("units", filter=Q(units__kind=Unit.Kind.TOWNSHIP))
    )
    assert len(townships) >= 190
    assert {t.governments for t in townships} == {1}
    governments = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).annotate(n=ACTIVE_CONTACTS)
    assert {g.n for g in governments} == {1}
    assert all(g.region.level == Region.Level.TOWNSHIP for g in governments)
    by_region = {g.region.name: g.name for g in governments.select_related("region")}
    assert by_region["黄茅园镇"] == "黄茅园镇人民政府"
    assert by_region["城中街道"] == "城中街道办事处"
    assert by_region["二酉苗族乡"] == "二酉苗族乡人民政府"


def test_the_contacts_have_names_usernames_and_the_demo_password():
    contacts = User.objects.filter(role=Role.UNIT, unit__region__level__in=["county", "township"])
    assert (
        contacts.count()
        == Unit.objects.filter(
            region__level__in=["county", "township"], kind__in=["government", "township"]
        ).count()
    )
    # The contacts made in bulk (oversight's demo adds a few, without phones).
    bulk = contacts.filter(username__regex=r"^unit-[0-9]+-[0-9]+$")
    assert all(2 <= len(c.full_name) <= 4 and c.phone for c in bulk)
    assert User.objects.get(username="unit-431224-2").unit.name == "溆浦县水利局"
    assert User.objects.get(username="unit-431202101-1").unit.name == "城中街道办事处"
    county = User.objects.get(username="county-unit")
    township = User.objects.get(username="township-unit")
    assert (county.full_name, county.unit.name) == ("舒海波", "溆浦县交通运输局")
    assert (township.full_name, township.unit.name) == ("向春燕", "黄茅园镇人民政府")
    assert county.check_password("portal-demo") and township.check_password("portal-demo")
    # One hash for all: the contacts made in bulk share the demo password's.
    assert bulk.count() > 290 and bulk.values("password").distinct().count() == 1


def test_seeding_again_adds_nothing_and_costs_a_few_queries(django_assert_max_num_queries):
    counts = (Region.objects.count(), Unit.objects.count(), User.objects.count())
    city = Region.objects.get(level=Region.Level.CITY)
    # The ~300 units below the city and their contacts: found there in four queries.
    with django_assert_max_num_queries(4):
        _local_units(city)
    result = seed()
    assert (Region.objects.count(), Unit.objects.count(), User.objects.count()) == counts
    usernames = [u.username for u in result["accounts"]]
    assert usernames[-2:] == ["county-unit", "township-unit"]


def test_a_township_station_picks_from_a_short_list():
    station = Station.objects.select_related("region").filter(region__name="黄茅园镇").first()
    units = set(units_for(station.region).values_list("name", flat=True))
    assert len(units) < 40 < Unit.objects.count()
    assert {"黄茅园镇人民政府", "溆浦县交通运输局", "溆浦县人大常委会", "怀化市司法局"} <= units
    assert "卢峰镇人民政府" not in units and "鹤城区交通运输局" not in units
