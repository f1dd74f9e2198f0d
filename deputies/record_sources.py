"""Where an activity of the performance record came from, as a link, without importing
the modules that make activities.

An activity made by a module carries ``source_key`` "<prefix>:<pk>" ("duty_log:42",
"session:7"). Each module registers, in its ``AppConfig.ready()``, how to turn its
prefix's pks into page addresses for a reader (``register``); the record page asks
``source_links`` once per page, one call (and at most one query) per prefix. A prefix
nobody registered, or a page the reader may not open, gives no link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from organisation.access import has_role

if TYPE_CHECKING:
    from organisation.models import User

Resolver = Callable[["User", list[int]], Mapping[int, str]]

_sources: dict[str, Resolver] = {}


def register(prefix: str, resolver: Resolver) -> None:
    _sources[prefix] = resolver


def by_url(url_name: str, roles: Iterable[str] | None = None) -> Resolver:
    """A resolver for a page addressed by the source's pk (``url_name`` with ``pk``),
    for readers with one of ``roles`` (everyone when None)."""
    allowed = frozenset(roles) if roles is not None else None

    def resolve(user: User, pks: list[int]) -> Mapping[int, str]:
        if allowed is not None and not has_role(user, allowed):
            return {}
        return {pk: reverse(url_name, kwargs={"pk": pk}) for pk in pks}

    return resolve


def source_links(user: User, activities: Iterable[Any]) -> dict[int, str]:
    """Each activity's pk → the address of its source, for the activities that have one."""
    wanted: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for activity in activities:
        prefix, _sep, ident = (activity.source_key or "").partition(":")
        if prefix in _sources and ident.isdigit():
            wanted[prefix][int(ident)].append(activity.pk)
    links: dict[int, str] = {}
    for prefix, by_source in wanted.items():
        urls = _sources[prefix](user, list(by_source))
        for source_pk, activity_pks in by_source.items():
            if source_pk in urls:
                for pk in activity_pks:
                    links[pk] = urls[source_pk]
    return links
