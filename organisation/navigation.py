"""The main navigation: which modules each role sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from organisation.access import has_role
from organisation.roles import (
    EVERYONE,
    OFFICE,
    RECORD_READERS,
    REGION_READERS,
    TASK_WORKERS,
    RoleGroup,
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: RoleGroup
    """A group of :mod:`organisation.roles`; administrators see every item."""


NAVIGATION = [
    NavItem(_("Home"), "home", EVERYONE),
    NavItem(_("Task lists"), "tasks:index", TASK_WORKERS),
    NavItem(_("Deputies"), "deputies:index", RECORD_READERS),
    NavItem(_("Stations"), "liaison_stations:index", RECORD_READERS),
    NavItem(_("Reports"), "reports:index", OFFICE),
    NavItem(_("Organisation"), "organisation:regions", REGION_READERS),
]


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAVIGATION:
        if not has_role(user, item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a module whose pages are not wired yet
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
