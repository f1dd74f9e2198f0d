"""``{% load roles %}``: ask a template "may this person …?" with the groups of
:mod:`organisation.roles`, never by spelling a role: ``{% if user|has_role:"OFFICE" %}``.

The argument is the name of a group (``OFFICE``, ``RECORD_KEEPERS``, …) or of one role
(``STAFF``); an unknown name is an error, so a typo cannot silently hide a button.
"""

from __future__ import annotations

from django import template

from organisation import access, roles

register = template.Library()


@register.filter
def has_role(user, name: str) -> bool:
    group = getattr(roles, name, None)
    if isinstance(group, frozenset):
        return access.has_role(user, group)
    if name in roles.Role.names:
        return access.has_role(user, roles.Role[name])
    raise template.TemplateSyntaxError(f"has_role: no role group or role called {name!r}")
