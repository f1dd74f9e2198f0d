"""Reads of the organisation, with their joins applied."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from organisation.models import Region, Unit, User


def regions_for(user: User) -> QuerySet[Region]:
    return (
        Region.objects.visible_to(user)
        .select_related("parent")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("path")
    )


def units_for(user: User) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("region").order_by("kind", "name")


def history_of(record, limit: int = 50) -> list:
    """The latest changes of a record, newest first, each with the field names that changed."""
    entries = list(
        record.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    rows = []
    for newer, older in zip(entries, entries[1:] + [None], strict=False):
        changed = []
        if older is not None:
            changed = [c.field for c in newer.diff_against(older).changes]
        rows.append({"entry": newer, "changed": changed})
    return rows[:limit]
