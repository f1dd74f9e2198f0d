"""Reads of the organisation, with their joins applied."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db.models import Count, Model, QuerySet
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.models import ModelChange
from simple_history.utils import get_m2m_reverse_field_name

from organisation.models import Region, Unit, User


@dataclass(frozen=True)
class RegionRow:
    """One row of the region list."""

    code: str
    name: str
    level_label: str
    depth: int
    unit_count: int
    url: str


def region_rows(user: User) -> list[RegionRow]:
    """The regions a user may see, in tree order, with their units counted. A province's
    2,900 are read as plain columns, each level's label looked up once and the address
    reversed once: model instances, ``get_level_display`` and ``{% url %}`` a row took
    the page 500 ms."""
    labels = {value: str(label) for value, label in Region.Level.choices}
    head, tail = reverse("organisation:region", args=["-"]).rsplit("-", 1)
    rows = (
        Region.objects.visible_to(user)
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("path")
        .values_list("code", "name", "level", "path", "unit_count")
    )
    return [
        RegionRow(
            code=code,
            name=name,
            level_label=labels.get(level, level),
            depth=path.count("/") - 1,
            unit_count=units,
            url=f"{head}{quote(code, safe='')}{tail}",
        )
        for code, name, level, path, units in rows
    ]


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
    m2m, named = (
        _m2m_rows(history.model, [entry.pk for entry in entries]) if len(entries) > 1 else ({}, {})
    )
    rows: list[dict] = []
    wanted: dict[type[Model], set] = defaultdict(set)
    for newer, older in zip(entries, [*entries[1:], None], strict=False):
        changes = []
        if older is not None:
            for change in _diff(newer, older, m2m):
                if change.field in HIDDEN_IN_HISTORY:
                    continue
                field = meta.get_field(change.field)
                if field.many_to_one and isinstance(field.related_model, type):
                    wanted[field.related_model].update(v for v in (change.old, change.new) if v)
                changes.append((field, change.old, change.new))
        rows.append({"entry": newer, "changes": changes})
    related = {model: model._default_manager.in_bulk(pks) for model, pks in wanted.items()}
    for model, rows_named in named.items():  # what the many-to-many rows name, read with them
        related.setdefault(model, {}).update(rows_named)
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


def _m2m_rows(
    history_model: type[Model], entries: list[int]
) -> tuple[dict[str, dict[int, list]], dict[type[Model], dict[Any, Model]]]:
    """Each many-to-many field's rows as each history entry recorded them, by entry, and
    the related rows they name: one query per field for the whole page of history
    (``diff_against`` reads them with two queries for every pair of entries). The rows
    are those ``diff_against`` compares: the through table's columns, ordered by the
    related row."""
    found: dict[str, dict[int, list]] = {}
    named: dict[type[Model], dict[Any, Model]] = defaultdict(dict)
    for field in getattr(history_model, "_history_m2m_fields", ()):
        through = getattr(history_model, field.name).model
        target = get_m2m_reverse_field_name(field)
        columns = [
            f
            for f in through._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        by_entry: dict[int, list] = defaultdict(list)
        rows = (
            through._default_manager.filter(history__in=entries)
            .select_related(target)
            .order_by(target)
        )
        for row in rows:
            by_entry[row.history_id].append({f.name: getattr(row, f.attname) for f in columns})
            related = getattr(row, target)
            named[type(related)][related.pk] = related
        found[field.name] = by_entry
    return found, named


def _diff(newer: Any, older: Any, m2m: dict[str, dict[int, list]]) -> list[ModelChange]:
    """``newer.diff_against(older).changes``, the many-to-many fields compared from the
    rows read once by :func:`_m2m_rows`."""
    changes = list(newer.diff_against(older, excluded_fields=set(m2m)).changes)
    for name, by_entry in m2m.items():
        old, new = by_entry.get(older.pk, []), by_entry.get(newer.pk, [])
        if old != new:
            changes.append(ModelChange(name, old, new))
    changes.sort(key=lambda change: change.field)  # as diff_against orders them
    return changes


def _readable(field, value, related: dict) -> Any:
    if field.many_to_many:  # the through rows an entry recorded: the related rows' names
        target, named = field.m2m_reverse_field_name(), related.get(field.related_model, {})
        return "、".join(str(named.get(row[target], row[target])) for row in value) or "—"
    if value in (None, ""):
        return "—"
    if field.is_relation and field.many_to_one:
        return related.get(field.related_model, {}).get(value, value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
