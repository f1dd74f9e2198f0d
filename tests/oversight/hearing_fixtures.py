"""Cases of kind inquiry, interpellation and satisfaction in the fixture world, with
standing-committee members and deputies of the county (溆浦县) and the city."""

from __future__ import annotations

import datetime as dt

from ballots.services import check_in, session_create, session_open
from deputies.models import CommitteeMembership, Deputy, Level, Mandate
from oversight.models import Case, Kind
from oversight.services import case_create

DAY = dt.date(2026, 6, 26)
STARTED = dt.date(2021, 10, 1)


def deputies_of(region, n: int, *, level: str, prefix: str = "代表") -> list[Deputy]:
    made = Deputy.objects.bulk_create(
        [
            Deputy(name=f"{prefix}{i:03d}", gender="m", phone=f"1390000{i:04d}", region=region)
            for i in range(n)
        ]
    )
    Mandate.objects.bulk_create(
        [
            Mandate(
                deputy=d,
                level=level,
                congress=f"{region.name}人民代表大会",
                region=region,
                started_on=STARTED,
            )
            for d in made
        ]
    )
    return made


def members_of(region, n: int, *, level: str, ended_on=None) -> list[Deputy]:
    made = deputies_of(region, n, level=level, prefix="委员")
    CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(
                deputy=d,
                region=region,
                level=level,
                term=f"{region.name}人大常委会",
                started_on=STARTED,
                ended_on=ended_on,
            )
            for d in made
        ]
    )
    return made


def county_case(world, kind: str, *, units=None, title="") -> Case:
    return case_create(
        region=world.county,
        level="county",
        kind=kind,
        title=title
        or {Kind.INQUIRY: "农村公路养护专题询问", Kind.INTERPELLATION: "十年禁渔质询"}.get(
            kind, "政府工作部门年度工作满意度测评"
        ),
        year=2026,
        lead_committee="县人大常委会农业农村工委",
        by=world.county_secretary,
        target_units=units if units is not None else [world.county_unit],
        started_on=DAY,
    )


def city_case(world, kind: str) -> Case:
    return case_create(
        region=world.city,
        level="city",
        kind=kind,
        title="市本级质询",
        year=2026,
        lead_committee="监察和司法工作委员会",
        by=world.staff,
        target_units=[world.other_unit],
        started_on=DAY,
    )


def county_session(world, deputies, *, body="congress", present: int | None = None):
    session = session_create(
        name="溆浦县十八届人大五次会议" if body == "congress" else "溆浦县人大常委会第二十次会议",
        region=world.county,
        level=Level.COUNTY,
        date=DAY,
        body=body,
        by=world.county_secretary,
    )
    session_open(session=session, by=world.county_secretary)
    for deputy in deputies[: len(deputies) if present is None else present]:
        check_in(session=session, deputy=deputy, by=world.county_secretary)
    return session
