"""Writes to the organisation: regions, units, accounts."""

from __future__ import annotations

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
    if role == Role.SECRETARY and region is None:
        raise OrganisationError(_("A secretary needs a region."), field="region")
    if role == Role.UNIT and unit is None:
        raise OrganisationError(_("A unit contact needs a unit."), field="unit")
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
