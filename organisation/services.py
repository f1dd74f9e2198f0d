"""Writes to the organisation: regions, units, accounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from congress_portal.errors import DomainError
from organisation.models import Region, Unit, User
from organisation.roles import Role


class OrganisationError(DomainError):
    """A rule of the organisation was broken; the message is translated and safe to show."""


def region_create(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    if parent is None and level != Region.Level.CITY:
        raise OrganisationError(_("Only a city may stand at the root of the region tree."))
    path = f"{parent.path if parent else '/'}{code}/"
    return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)


def region_ensure(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    """The region with ``code``, created when missing (used by the demo seed and imports)."""
    region = Region.objects.filter(code=code).first()
    return region or region_create(code=code, name=name, level=level, parent=parent)


def unit_ensure(
    *, name: str, kind: str, short_name: str = "", region: Region | None = None
) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        name=name, defaults={"kind": kind, "short_name": short_name, "region": region}
    )
    return unit


def units_ensure_bulk(*, units: Sequence[Unit]) -> list[Unit]:
    """Save the (unsaved) ``units`` whose name is not taken yet, in one insert; returns
    those created. Units already there are left as they are (the demo seed's many
    county departments and township governments; their history starts at their first edit)."""
    taken = set(
        Unit.objects.filter(name__in=[u.name for u in units]).values_list("name", flat=True)
    )
    missing = [u for u in units if u.name not in taken]
    return Unit.objects.bulk_create(missing)


@dataclass(frozen=True)
class Account:
    """An account to ensure in bulk (``users_ensure_bulk``)."""

    username: str
    role: str
    full_name: str = ""
    region: Region | None = None
    unit: Unit | None = None
    phone: str = ""


def _check_scope(*, role: str, region: Region | None, unit: Unit | None) -> None:
    if role == Role.SECRETARY and region is None:
        raise OrganisationError(_("A secretary needs a region."), field="region")
    if role == Role.UNIT and unit is None:
        raise OrganisationError(_("A unit contact needs a unit."), field="unit")


def users_ensure_bulk(*, accounts: Sequence[Account], password: str) -> list[User]:
    """Create the ``accounts`` whose username is not taken yet, in one insert; returns those
    created. Accounts already there are left as they are.

    The password is hashed once for them all: hashing is slow on purpose (PBKDF2's
    iterations), and hundreds of demo contacts share one password. Their history starts
    at their first edit, as with ``bulk_create`` everywhere."""
    for account in accounts:
        _check_scope(role=account.role, region=account.region, unit=account.unit)
    taken = set(
        User.objects.filter(username__in=[a.username for a in accounts]).values_list(
            "username", flat=True
        )
    )
    missing = [a for a in accounts if a.username not in taken]
    if not missing:
        return []
    hashed = make_password(password)
    return User.objects.bulk_create(
        [
            User(
                username=a.username,
                password=hashed,
                role=a.role,
                full_name=a.full_name,
                region=a.region,
                unit=a.unit,
                phone=a.phone,
                is_staff=a.role == Role.ADMIN,
                is_superuser=a.role == Role.ADMIN,
            )
            for a in missing
        ],
        batch_size=500,
    )


@transaction.atomic
def user_ensure(
    *,
    username: str,
    role: str,
    password: str,
    full_name: str = "",
    region: Region | None = None,
    unit: Unit | None = None,
    email: str = "",
) -> User:
    """The account ``username`` with this role and scope; created when missing."""
    _check_scope(role=role, region=region, unit=unit)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_password(password)
    user.role = role
    user.full_name = full_name
    user.region = region
    user.unit = unit
    user.email = email
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    return user
