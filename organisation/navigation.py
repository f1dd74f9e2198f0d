"""The main navigation: which modules each role sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from organisation.roles import Role

EVERYONE = frozenset(Role.values)
OFFICE = frozenset({Role.STAFF, Role.LEADER, Role.ADMIN})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


NAVIGATION = [
    NavItem(_("Home"), "home", EVERYONE),
    NavItem(_("Task lists"), "tasks:index", OFFICE | {Role.UNIT}),
    NavItem(_("Deputies"), "deputies:index", OFFICE | {Role.SECRETARY, Role.DEPUTY}),
    NavItem(_("Stations"), "liaison_stations:index", OFFICE | {Role.SECRETARY, Role.DEPUTY}),
    NavItem(_("Reports"), "reports:index", OFFICE),
    NavItem(_("Organisation"), "organisation:regions", OFFICE | {Role.SECRETARY}),
]


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    role = Role.ADMIN if user.is_superuser else user.role
    items = []
    for item in NAVIGATION:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a module whose pages are not wired yet
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
