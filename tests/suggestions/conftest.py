"""Deputies of the fixture world's congresses, a station reception, and a helper that
takes a suggestion as far as it is asked to go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from deputies.models import Deputy, Level
from liaison_stations.models import Reception
from organisation.models import Unit, User
from organisation.roles import Role
from suggestions.models import Suggestion
from suggestions.services import (
    suggestion_accept,
    suggestion_hand_over,
    suggestion_submit,
)
from tests.factories import DeputyFactory, MandateFactory, UserFactory
from tests.liaison_stations.factories import ReceptionFactory, StationFactory


@dataclass
class Deputies:
    lead: Deputy  # world.deputy's record: 黄茅园镇 and 溆浦县
    cosigner: Deputy  # 黄茅园镇, with an account
    cosigner_user: User
    other: Deputy  # 卢峰镇 only
    county_unit: Unit  # 溆浦县交通运输局
    county_contact: User


@pytest.fixture
def deputies(world) -> Deputies:
    lead = DeputyFactory(name="陆友红", region=world.township, user=world.deputy)
    MandateFactory(deputy=lead, level=Level.TOWNSHIP, region=world.township)
    MandateFactory(
        deputy=lead, level=Level.COUNTY, region=world.county, congress="溆浦县第十八届人民代表大会"
    )
    cosigner_user = UserFactory(username="cosigner", full_name="舒志明", role=Role.DEPUTY)
    cosigner = DeputyFactory(name="舒志明", region=world.township, user=cosigner_user)
    MandateFactory(deputy=cosigner, level=Level.TOWNSHIP, region=world.township)
    other = DeputyFactory(name="向红梅", region=world.other_township)
    MandateFactory(deputy=other, level=Level.TOWNSHIP, region=world.other_township)
    # 溆浦县交通运输局 and its contact 谌… are the world's (county_unit, county_unit_contact).
    county_unit, county_contact = world.county_unit, world.county_unit_contact
    return Deputies(lead, cosigner, cosigner_user, other, county_unit, county_contact)


@pytest.fixture
def reception(world) -> Reception:
    station = StationFactory(name="黄茅园镇金中村代表联络站", region=world.township)
    return ReceptionFactory(
        station=station,
        visitor_name="张大爷",
        village="金中村",
        category=Reception.Category.ROADS,
        content="大埠至黄金街的道路坑洼多年，雨天无法通行，希望硬化。",
    )


def submitted(world, deputies, **extra) -> Suggestion:
    values = {
        "by": world.deputy,
        "level": Level.TOWNSHIP,
        "region": world.township,
        "title": "关于加快大埠至黄金街道路硬化的建议",
        "content": "大埠至黄金街道路约3公里，坑洼严重，建议列入今年农村公路建设计划。",
        "category": "roads",
        "session": "黄茅园镇七届人大四次会议",
    }
    values.update(extra)
    return suggestion_submit(**values)


def handed(
    world, deputies, on: dt.date | None = None, due_on: dt.date | None = None, **extra
) -> Suggestion:
    suggestion = submitted(world, deputies, **extra)
    suggestion = suggestion_accept(
        suggestion=suggestion, by=world.secretary, version=suggestion.version
    )
    return suggestion_hand_over(
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        version=suggestion.version,
        on=on,
        due_on=due_on,
    )
