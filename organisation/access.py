"""The one scoping mechanism every view uses to fetch records.

Rules (DESIGN.md, "Scope rules"):

- administrators see everything, and so do staff and leaders whose account names no
  region;
- a secretary sees the records of their region and of every region inside it, and so do
  staff and leaders whose account names a region (a city's office its city, the province
  office every city of the province: ``roles.REGION_BOUND``), who also see what is handed
  to the units of their region;
- a unit contact sees what is handed to their unit;
- a deputy sees and edits their own records;
- anything else answers 404 (an object outside the scope) or 403 (a page the role
  may not open), never data.

Each module's queryset implements ``visible_to(user)`` using the ``*_q`` builders
below, and views fetch single objects with :func:`get_visible_or_404`. A view that
only some roles may open is wrapped in :func:`role_required`, with a group of
:mod:`organisation.roles`.

    class StationQuerySet(models.QuerySet):
        def visible_to(self, user):
            return self.filter(region_q(user, "region"))

    station = get_visible_or_404(Station.objects, request.user, code=code)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from organisation.roles import REGION_BOUND, Role, RoleGroup

if TYPE_CHECKING:
    from organisation.models import Region, User

M = TypeVar("M", bound=Model)
NOTHING = Q(pk__in=[])


def bound_region(user: User) -> Region | None:
    """The region whose subtree bounds what ``user`` sees (a secretary's, or a staff
    member's or a leader's naming one); ``None`` for everyone else."""
    if user.is_authenticated and user.role in REGION_BOUND and user.region_id:
        return user.region
    return None


def region_q(user: User, field: str = "region") -> Q:
    """Records whose ``field`` region lies in the user's region, for a secretary and for
    staff and leaders naming a region.

    Admins, and staff and leaders naming no region, get every record; every other role
    gets none (a module that lets them see some records adds its own rule with ``|``).
    """
    if not user.is_authenticated:
        return NOTHING
    if user.sees_everything:
        return Q()
    region = bound_region(user)
    if region is not None:
        # ``field=""`` filters regions themselves.
        lookup = f"{field}__path__startswith" if field else "path__startswith"
        return Q(**{lookup: region.path})
    return NOTHING


def unit_q(user: User, *fields: str) -> Q:
    """Records handed to the user's unit through any of ``fields``, for a unit contact;
    for staff and leaders naming a region, those handed to the units of that region."""
    if not user.is_authenticated:
        return NOTHING
    if user.sees_everything:
        return Q()
    if user.role == Role.UNIT and user.unit_id:
        q = NOTHING
        for field in fields or ("unit",):
            q |= Q(**{field: user.unit_id})
        return q
    if user.role in REGION_BOUND and user.role != Role.SECRETARY and user.region_id:
        # The region's units are read as a key list first: matched through each field's
        # key (an index), not by the region path of every row's unit after joining all
        # of them (a province holds fourteen cities' rows).
        from organisation.models import Unit

        path = user.region.path
        units = Unit.objects.filter(region__path__startswith=path).values("pk")
        q = NOTHING
        for field in fields or ("unit",):
            q |= Q(region__path__startswith=path) if field == "pk" else Q(**{f"{field}__in": units})
        return q
    return NOTHING


def visible(queryset: QuerySet[M] | type[M], user: User) -> QuerySet[M]:
    """The records of ``queryset`` that ``user`` may see."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    return queryset.visible_to(user)  # type: ignore[attr-defined]


def get_visible_or_404(queryset: QuerySet[M] | type[M], user: User, **lookup: Any) -> M:
    """Fetch one record the user may see; 404 for one that does not exist *or* is out of scope.

    Answering 404 rather than 403 for out-of-scope records means a secretary cannot
    even learn that another township's record exists.
    """
    return get_object_or_404(visible(queryset, user), **lookup)


def _group(allowed: str | RoleGroup) -> RoleGroup:
    # One role (``Role.STAFF``) is a group of one; a str is iterable, so wrap it.
    return frozenset({allowed}) if isinstance(allowed, str) else frozenset(allowed)


def has_role(user: User, allowed: str | RoleGroup) -> bool:
    """Whether ``user`` has one of the ``allowed`` roles: a group of
    :mod:`organisation.roles` or one role. Administrators pass every check."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role == Role.ADMIN or user.role in _group(allowed)


def role_required(allowed: str | RoleGroup) -> Callable:
    """Only signed-in users with one of the ``allowed`` roles (a group of
    :mod:`organisation.roles`, or one role) or an administrator may open the view.

    Anonymous users are sent to the login page; signed-in users of another role get 403.
    """
    roles = _group(allowed)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorator
