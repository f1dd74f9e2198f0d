"""Deputies of the fixture world's congresses, a station reception, and proposals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from deputies.models import Deputy, Level
from liaison_stations.models import Reception
from livelihood.models import Proposal
from organisation.models import User
from organisation.roles import Role
from tests.factories import DeputyFactory, MandateFactory, UserFactory
from tests.liaison_stations.factories import ReceptionFactory, StationFactory


@dataclass
class Deputies:
    me: Deputy  # world.deputy's record: 黄茅园镇 and 溆浦县
    neighbour: Deputy  # 黄茅园镇, with an account
    neighbour_user: User
    other: Deputy  # 卢峰镇 only


@pytest.fixture
def deputies(world) -> Deputies:
    me = DeputyFactory(name="陆友红", region=world.township, user=world.deputy)
    MandateFactory(deputy=me, level=Level.TOWNSHIP, region=world.township)
    MandateFactory(
        deputy=me, level=Level.COUNTY, region=world.county, congress="溆浦县第十八届人民代表大会"
    )
    neighbour_user = UserFactory(username="neighbour", full_name="舒志明", role=Role.DEPUTY)
    neighbour = DeputyFactory(name="舒志明", region=world.township, user=neighbour_user)
    MandateFactory(deputy=neighbour, level=Level.TOWNSHIP, region=world.township)
    other = DeputyFactory(name="向红梅", region=world.other_township)
    MandateFactory(deputy=other, level=Level.TOWNSHIP, region=world.other_township)
    return Deputies(me, neighbour, neighbour_user, other)


@pytest.fixture
def reception(world) -> Reception:
    station = StationFactory(name="黄茅园镇金中村代表联络站", region=world.township)
    return ReceptionFactory(
        station=station,
        visitor_name="张大爷",
        village="金中村",
        category=Reception.Category.ROADS,
        content="大埠至黄金街的道路坑洼多年，雨天无法通行，希望硬化。",
        handling=Reception.Handling.PROJECT,
    )


def make_proposal(world, *, region=None, level="township", status="proposed", cost="45", **kw):
    return Proposal.objects.create(
        level=level,
        region=region or world.township,
        year=kw.pop("year", 2026),
        title=kw.pop("title", "大埠至黄金街飞跃桥道路硬化"),
        place=kw.pop("place", "黄茅园镇杨家山社区"),
        estimated_cost=Decimal(cost),
        beneficiaries=kw.pop("beneficiaries", 1000),
        source=kw.pop("source", "constituent"),
        status=status,
        **kw,
    )
