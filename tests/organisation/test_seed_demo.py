"""``manage.py seed_demo``: the first run is the session's (tests/conftest.py, demo_city),
from an empty database; here it runs again."""

import io

import pytest
from django.core.management import call_command

from deputies.models import Mandate
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


@pytest.mark.postgres
def test_the_planner_knows_the_demo_citys_size_once_it_is_seeded():
    """Freshly written tables look empty to PostgreSQL's planner until they are analysed,
    and a deputy's page over sessions and mandates then ran for minutes; seed_demo ends
    with ANALYZE, so the first pages after seeding are planned on the real sizes."""
    from django.db import connection

    with connection.cursor() as cursor:
        # Without statistics the planner guesses 0.5 % of rows for "IS NULL".
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT * FROM deputies_mandate WHERE ended_on IS NULL"
        )
        estimated = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
    held = Mandate.objects.filter(ended_on__isnull=True).count()
    assert 0.8 * held < estimated < 1.2 * held and held > 5000
