"""Reads of the organisation, with their joins applied."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

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


# Bookkeeping columns a reader never changed on purpose.
HIDDEN_IN_HISTORY = {"version", "path"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: Any
    new: Any


def history_of(record: Model, limit: int = 50) -> list[dict]:
    """The latest changes of a record, newest first: who, when, and for each field its
    label with the value before and after (choices by their label, related rows by name).

    Related rows are fetched once per related model for the whole page of history, so a
    record page costs the same few queries however many changes it shows.
    """
    history = record.history  # type: ignore[attr-defined]  # added by HistoricalRecords
    entries = list(history.select_related("history_user").order_by("-history_date")[: limit + 1])
    meta = type(record)._meta
    rows: list[dict] = []
    wanted: dict[type[Model], set] = defaultdict(set)
    for newer, older in zip(entries, [*entries[1:], None], strict=False):
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                if change.field in HIDDEN_IN_HISTORY:
                    continue
                field = meta.get_field(change.field)
                if field.many_to_one and isinstance(field.related_model, type):
                    wanted[field.related_model].update(v for v in (change.old, change.new) if v)
                changes.append((field, change.old, change.new))
        rows.append({"entry": newer, "changes": changes})
    related = {model: model._default_manager.in_bulk(pks) for model, pks in wanted.items()}
    for row in rows:
        row["changes"] = [
            FieldChange(
                label=capfirst(field.verbose_name),
                old=_readable(field, old, related),
                new=_readable(field, new, related),
            )
            for field, old, new in row["changes"]
        ]
    return rows[:limit]


def _readable(field, value, related: dict) -> Any:
    if value in (None, ""):
        return "—"
    if field.is_relation and field.many_to_one:
        return related.get(field.related_model, {}).get(value, value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
