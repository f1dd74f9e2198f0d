"""The congresses whose work the portal's offices keep: the city's people's congress,
each county's and each township's, each named by a level and a region.

Suggestions and livelihood projects belong to one congress; who keeps that congress's
work is decided here, once: the city's by the city staff, a county's or a township's by
the secretary of that region (a county secretary also keeps the townships inside their
county), everything by administrators.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy

from organisation.access import has_role
from organisation.models import Region, User
from organisation.roles import Role


class CongressLevel(models.TextChoices):
    CITY = "city", pgettext_lazy("congress", "City")
    COUNTY = "county", pgettext_lazy("congress", "County")
    TOWNSHIP = "township", pgettext_lazy("congress", "Township")


#: The region level of each congress level.
REGION_LEVEL: dict[str, str] = {
    CongressLevel.CITY: Region.Level.CITY,
    CongressLevel.COUNTY: Region.Level.COUNTY,
    CongressLevel.TOWNSHIP: Region.Level.TOWNSHIP,
}


def level_of(region: Region) -> str:
    """The level of the congress a region has (a city's, a county's, a township's)."""
    return {value: key for key, value in REGION_LEVEL.items()}[region.level]


def keeps_congress(user: User, *, level: str, region: Region) -> bool:
    """Whether ``user`` is the office of the congress of ``level`` in ``region``."""
    if not user.is_authenticated:
        return False
    if has_role(user, Role.ADMIN):
        return True
    if level == CongressLevel.CITY:
        return user.role == Role.STAFF
    return (
        user.role == Role.SECRETARY
        and user.region is not None
        and region.path.startswith(user.region.path)
    )
