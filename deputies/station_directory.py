"""What the deputies pages need to know about liaison stations, without importing them.

``liaison_stations`` owns the deputy–station relation (``StationMembership``: which
deputies are attached to a station, and which station is each deputy's home station)
and builds on ``deputies``; ``deputies`` never imports it back
(``tests/test_import_graph.py``). Where the registry needs a station — the station
filter of the list, the home station on the record and its edit form, the import's
station column, the duty days on the record and in the calendar feed — it asks the
directory below, which ``liaison_stations`` registers in its ``AppConfig.ready()``
(``liaison_stations/deputy_stations.py``).

A station here is whatever the directory hands out: a model instance with ``pk``,
``code``, ``name`` and a ``str()``. A shift has ``date`` and ``station`` (with
``name``, ``address`` and ``opening_hours``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import QuerySet

if TYPE_CHECKING:
    from deputies.models import Deputy
    from organisation.models import User


class StationDirectory(Protocol):
    def station_choices(self, user: User, *, keep: int | None = None) -> QuerySet[Any]:
        """The stations ``user`` may see, and the one with pk ``keep`` (a choice field's
        current value, so that saving other fields does not drop it), in display order."""
        ...

    def with_home_station(self, deputies: QuerySet[Deputy]) -> QuerySet[Deputy]:
        """``deputies``, each with ``home_station_id`` and ``home_station_name`` (``None``
        without a home station), in the same query."""
        ...

    def home_station_of(self, deputy: Deputy) -> Any | None:
        """The deputy's home station, or ``None``."""
        ...

    def home_stations_set(self, homes: Mapping[int, int | None]) -> None:
        """For each deputy pk, make the station of that pk their home station (attaching
        them to it if they are not); ``None`` keeps their attachments, with no home."""
        ...

    def station_ids_by_code(self) -> dict[str, int]:
        """Every station's pk by its code (the import's station column)."""
        ...

    def deputies_at(self, station: Any) -> QuerySet[Any]:
        """The pks of the deputies attached to ``station``, as a subquery."""
        ...

    def shifts_of(self, deputy: Deputy, start: dt.date | None = None) -> QuerySet[Any]:
        """The deputy's duty days from ``start`` on, in date order, stations joined."""
        ...


_directory: StationDirectory | None = None


def register(directory: StationDirectory) -> None:
    """Called once, by ``liaison_stations``' ``AppConfig.ready()``."""
    global _directory
    _directory = directory


def stations() -> StationDirectory:
    if _directory is None:
        raise RuntimeError(
            "No station directory: liaison_stations registers one in its AppConfig.ready()."
        )
    return _directory
