"""Throw-away kinds and a few handovers in the fixture world, for the pages' tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from handovers import kinds
from handovers.kinds import CheckedBy, HandoverKind
from handovers.models import Handover
from handovers.services import handover_create

TODAY = dt.date(2026, 3, 10)
RATED = "t_rated"
VERIFIED = "t_verified"


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def test_kinds():
    kinds.register(
        HandoverKind(
            name=RATED,
            label="代表建议（测试）",
            checked_by=CheckedBy.RATING,
            answer_classes=True,
            default_months=3,
            max_months=6,
        )
    )
    kinds.register(HandoverKind(name=VERIFIED, label="督导事项（测试）"))
    yield
    kinds._KINDS.pop(RATED)
    kinds._KINDS.pop(VERIFIED)


@dataclass
class Handed:
    rated: Handover  # to world.unit, rated by the deputy, kept by the city
    verified: Handover  # to world.unit, checked by the township's secretary, red
    other: Handover  # to world.other_unit (the outsider's), with world.unit helping, yellow
    county: Handover  # to the county's department, the township's government helping


@pytest.fixture
def handed(world, test_kinds, frozen) -> Handed:
    rated = handover_create(
        kind=RATED,
        subject=world.township,
        title="关于修缮大埠至黄金街道路的建议",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        rater=world.deputy,
    )
    verified = handover_create(
        kind=VERIFIED,
        subject=world.township,
        title="村道破损，群众出行不便",
        region=world.township,
        unit=world.unit,
        by=world.secretary,
        handed_on=TODAY - dt.timedelta(days=40),
        due_on=TODAY - dt.timedelta(days=5),
    )
    other = handover_create(
        kind=VERIFIED,
        subject=world.township,
        title="法律援助站建设",
        region=world.city,
        unit=world.other_unit,
        by=world.staff,
        helping_units=[world.unit],
        due_on=TODAY + dt.timedelta(days=3),
    )
    county = handover_create(
        kind=VERIFIED,
        subject=world.township,
        title="县道安防设施缺失",
        region=world.county,
        unit=world.county_unit,
        by=world.county_secretary,
        helping_units=[world.township_unit],
        due_on=TODAY + dt.timedelta(days=30),
    )
    return Handed(rated=rated, verified=verified, other=other, county=county)
