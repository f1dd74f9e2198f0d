"""The main navigation: which modules each role sees.

Each module declares its items on its ``AppConfig`` (``Contribution(nav=[NavItem(...)])``,
see :mod:`congress_portal.contributions`); the bar shows them by ``order``.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from congress_portal.contributions import NavItem, contributions
from organisation.access import has_role


def navigation() -> list[NavItem]:
    """Every installed module's items, by ``order`` (then in ``INSTALLED_APPS`` order)."""
    items = [item for contribution in contributions() for item in contribution.nav]
    return sorted(items, key=lambda item: item.order)


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in navigation():
        if not has_role(user, item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a module whose pages are not wired yet
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
