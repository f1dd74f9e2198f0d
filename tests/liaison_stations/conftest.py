import pytest

from tests.factories import DeputyFactory
from tests.liaison_stations.factories import ReceptionFactory, ShiftFactory, station_with_deputies


@pytest.fixture
def places(world):
    """A station in 黄茅园镇 (the secretary's), one in 卢峰镇 and one in 城中街道,
    each with a shift today and a reception; the demo deputy 陆友红 at the first."""
    home = station_with_deputies(world.township, 3, code="hmy-01", name="黄茅园镇人大代表联络站")
    other = station_with_deputies(
        world.other_township, 2, code="lf-01", name="卢峰镇人大代表联络站"
    )
    far = station_with_deputies(world.street, 2, code="cz-01", name="城中街道人大代表联络站")
    me = DeputyFactory(name="陆友红", region=world.township, user=world.deputy)
    home.deputies.add(me)
    shifts = {}
    receptions = {}
    for key, station in (("home", home), ("other", other), ("far", far)):
        shift = ShiftFactory(station=station)
        shift.deputies.set(station.deputies.all()[:2])
        shifts[key] = shift
        receptions[key] = ReceptionFactory(station=station, shift=shift)
    return {
        "home": home,
        "other": other,
        "far": far,
        "me": me,
        "shifts": shifts,
        "receptions": receptions,
    }
