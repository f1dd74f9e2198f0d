"""Factories for stations, their duty days and receptions."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from liaison_stations.models import DutyShift, Reception, StandardCriterion, Station
from tests.factories import DeputyFactory


class StationFactory(DjangoModelFactory):
    class Meta:
        model = Station
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"st-{n:03d}")
    name = factory.Sequence(lambda n: f"测试代表联络站{n}")
    kind = Station.Kind.TOWNSHIP
    rule = Station.Rule.MONTH_DAYS
    rule_days = "6,16,26"


class ShiftFactory(DjangoModelFactory):
    class Meta:
        model = DutyShift
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    date = factory.LazyFunction(timezone.localdate)


class ReceptionFactory(DjangoModelFactory):
    class Meta:
        model = Reception

    station = factory.SubFactory(StationFactory)
    received_at = factory.LazyFunction(timezone.now)
    channel = Reception.Channel.STATION
    category = Reception.Category.ROADS
    content = "通组公路路面破损，希望尽快硬化"


def criteria(n: int = 10) -> list[StandardCriterion]:
    return [StandardCriterion.objects.create(number=i + 1, title=f"有{i + 1}") for i in range(n)]


def station_with_deputies(region, n: int = 3, **kwargs) -> Station:
    station = StationFactory(region=region, **kwargs)
    deputies = [DeputyFactory(region=region) for _i in range(n)]
    station.deputies.set(deputies)
    return station


def days(*values: str) -> list[dt.date]:
    return [dt.date.fromisoformat(v) for v in values]
