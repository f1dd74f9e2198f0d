"""The stations as the deputies registry sees them: the one implementation of
``deputies.station_directory.StationDirectory``, registered by this app's
``AppConfig.ready()``. ``deputies`` does not import this app (the relation is ours,
``StationMembership``); it asks through the directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.urls import reverse

from deputies.models import Deputy
from liaison_stations.models import DutyLog, DutyShift, Station, StationMembership
from liaison_stations.selectors import home_station_of, shifts_of_deputy
from organisation.access import has_role
from organisation.models import User
from organisation.roles import RECORD_KEEPERS


class DeputyStations:
    def station_choices(self, user: User, *, keep: int | None = None) -> QuerySet[Station]:
        q = Q(pk__in=Station.objects.visible_to(user).values("pk"))
        if keep is not None:
            q |= Q(pk=keep)
        return Station.objects.filter(q).select_related("region").order_by("region__path", "name")

    def with_home_station(self, deputies: QuerySet[Deputy]) -> QuerySet[Deputy]:
        # A LEFT JOIN on the one home membership (the partial unique constraint keeps it
        # to one row per deputy), so a page of the list costs no extra query.
        return deputies.annotate(
            home_membership=FilteredRelation(
                "station_memberships", condition=Q(station_memberships__is_home=True)
            ),
            home_station_id=F("home_membership__station_id"),
            home_station_name=F("home_membership__station__name"),
        )

    def home_station_of(self, deputy: Deputy) -> Station | None:
        return home_station_of(deputy)

    @transaction.atomic
    def home_stations_set(self, homes: Mapping[int, int | None]) -> None:
        # deputy_update calls this after its versioned UPDATE of the deputy row, so two
        # editors of one deputy reach here one after the other, never together.
        StationMembership.objects.filter(deputy_id__in=list(homes), is_home=True).update(
            is_home=False
        )
        StationMembership.objects.bulk_create(
            [
                StationMembership(deputy_id=deputy, station_id=station, is_home=True)
                for deputy, station in homes.items()
                if station is not None
            ],
            update_conflicts=True,
            unique_fields=["deputy", "station"],
            update_fields=["is_home"],
            batch_size=500,
        )

    def station_ids_by_code(self) -> dict[str, int]:
        return dict(Station.objects.values_list("code", "pk"))

    def deputies_at(self, station: Any) -> QuerySet[StationMembership, dict[str, Any]]:
        return StationMembership.objects.filter(station=station).values("deputy")

    def shifts_of(self, deputy: Deputy, start: dt.date | None = None) -> QuerySet[DutyShift]:
        return shifts_of_deputy(deputy, start)


def duty_log_links(user: User, pks: list[int]) -> dict[int, str]:
    """A duty log's page, for the performance record (deputies/record_sources.py): the
    log is edited on its duty day's page, for the region's record keepers."""
    if not has_role(user, RECORD_KEEPERS):
        return {}
    return {
        log_pk: reverse("liaison_stations:duty_log", kwargs={"pk": shift_pk})
        for log_pk, shift_pk in DutyLog.objects.filter(pk__in=pks).values_list("pk", "shift_id")
    }
