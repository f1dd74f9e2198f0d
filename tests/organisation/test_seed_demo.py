"""``manage.py seed_demo``: the first run is the session's (tests/conftest.py, demo_city),
from an empty database; here it runs again."""

import io

import pytest
from django.core.management import call_command

from organisation.models import Region, Unit, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


def test_seed_demo_creates_the_city_and_the_accounts_and_runs_again_harmlessly(demo_city):
    out = io.StringIO(demo_city.output)
    out.seek(0, io.SEEK_END)
    counts = (Region.objects.count(), Unit.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=out)
    assert (Region.objects.count(), Unit.objects.count(), User.objects.count()) == counts
    assert Region.objects.filter(level=Region.Level.COUNTY).count() == 13
    assert Region.objects.filter(level=Region.Level.TOWNSHIP).count() >= 190
    secretary = User.objects.get(username="secretary")
    assert secretary.region.name == "黄茅园镇" and secretary.region.parent.name == "溆浦县"
    for username in ("admin", "staff", "leader", "unit", "secretary", "deputy"):
        assert User.objects.get(username=username).check_password("portal-demo")
        assert f"  {username} " in out.getvalue()  # the accounts are printed at the end
