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
from tests.factories import UnitFactory, UserFactory

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
    other: Handover  # to world.other_unit (the outsider's), with world.unit helping
    county_unit: object
    helper_contact: object


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
    county_unit = UnitFactory(name="溆浦县交通运输局", short_name="县交通局", region=world.county)
    helper_contact = UserFactory(username="county_unit", role="unit", unit=county_unit)
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
    return Handed(
        rated=rated,
        verified=verified,
        other=other,
        county_unit=county_unit,
        helper_contact=helper_contact,
    )
