"""Units below the city and their contacts: the bulk account service and the scoping."""

import pytest
from django.contrib.auth import hashers

from organisation.models import Unit, User
from organisation.roles import Role
from organisation.services import (
    Account,
    OrganisationError,
    units_ensure_bulk,
    users_ensure_bulk,
)

pytestmark = pytest.mark.django_db


def test_bulk_accounts_hash_the_password_once_and_run_again_harmlessly(world, monkeypatch):
    units = units_ensure_bulk(
        units=[
            Unit(
                name="溆浦县水利局",
                short_name="溆浦县水利局",
                kind="government",
                region=world.county,
            ),
            Unit(name="卢峰镇人民政府", kind="township", region=world.other_township),
            Unit(name="溆浦县交通运输局", kind="government", region=world.county),  # there already
        ]
    )
    assert [u.name for u in units] == ["溆浦县水利局", "卢峰镇人民政府"]
    calls = []
    real = hashers.make_password
    monkeypatch.setattr("organisation.services.make_password", lambda p: calls.append(p) or real(p))
    accounts = [
        Account(username=f"unit-test-{u.pk}", role=Role.UNIT, full_name="张三", unit=u)
        for u in units
    ]
    created = users_ensure_bulk(accounts=accounts, password="portal-demo")
    assert len(created) == 2 and calls == ["portal-demo"]
    for account in accounts:
        user = User.objects.get(username=account.username)
        assert user.check_password("portal-demo") and user.unit.name in {u.name for u in units}
        assert user.is_active and not user.is_staff
    assert users_ensure_bulk(accounts=accounts, password="portal-demo") == []
    assert calls == ["portal-demo"]  # nothing to create, nothing hashed


def test_bulk_accounts_keep_the_scope_rules(world):
    with pytest.raises(OrganisationError):
        users_ensure_bulk(accounts=[Account(username="x", role=Role.UNIT)], password="p")
    with pytest.raises(OrganisationError):
        users_ensure_bulk(accounts=[Account(username="y", role=Role.SECRETARY)], password="p")
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_county_and_township_contacts_see_their_own_unit_only(world):
    assert list(Unit.objects.visible_to(world.county_unit_contact)) == [world.county_unit]
    assert list(Unit.objects.visible_to(world.township_unit_contact)) == [world.township_unit]
    # The township's secretary sees the township's government (its region), not the county's.
    seen = set(Unit.objects.visible_to(world.secretary))
    assert world.township_unit in seen and world.county_unit not in seen
    assert world.county_unit in set(Unit.objects.visible_to(world.county_secretary))
