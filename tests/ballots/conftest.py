"""A township session of the fixture world: ``roll`` deputies of 黄茅园镇 with township
seats, a session run by its secretary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from ballots.models import CongressSession, Poll
from ballots.services import check_in, poll_create, session_create, session_open
from deputies.models import Deputy, Level, Mandate

DAY = dt.date(2026, 3, 18)


@dataclass
class Hall:
    session: CongressSession
    deputies: list[Deputy]
    by: object

    def check_in(self, n: int) -> None:
        for deputy in self.deputies[:n]:
            check_in(session=self.session, deputy=deputy, by=self.by)

    def poll(self, *, method: str = "each", slots: int = 1, options: int = 3) -> Poll:
        return poll_create(
            session=self.session,
            title="民生实事项目票决",
            method=method,
            slots=slots,
            options=[(f"project:{i}", f"项目{i}") for i in range(1, options + 1)],
            by=self.by,
        )


def make_deputies(region, n: int, *, level: str = Level.TOWNSHIP) -> list[Deputy]:
    deputies = Deputy.objects.bulk_create(
        [
            Deputy(name=f"代表{i:03d}", gender="f", phone=f"1380000{i:04d}", region=region)
            for i in range(n)
        ]
    )
    Mandate.objects.bulk_create(
        [
            Mandate(
                deputy=d,
                level=level,
                congress="黄茅园镇第七届人民代表大会",
                region=region,
                started_on=dt.date(2021, 10, 1),
            )
            for d in deputies
        ]
    )
    return deputies


def open_hall(world, n: int) -> Hall:
    deputies = make_deputies(world.township, n)
    session = session_create(
        name="黄茅园镇七届人大四次会议",
        region=world.township,
        level=Level.TOWNSHIP,
        date=DAY,
        by=world.secretary,
    )
    session_open(session=session, by=world.secretary)
    return Hall(session=session, deputies=deputies, by=world.secretary)


@pytest.fixture
def hall(world) -> Hall:
    """An open session with a roll of 9 deputies, none checked in yet."""
    return open_hall(world, 9)
