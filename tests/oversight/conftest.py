"""Cases of the fixture world's city and county congress, with problems."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.models import Case, Kind
from oversight.services import case_create, problem_add, problems_hand_over

DAY = dt.date(2026, 3, 2)


def make_case(world, *, county=False, title="环境保护法执法检查", started=True) -> Case:
    if county:
        return case_create(
            region=world.county,
            level="county",
            kind=Kind.RESEARCH,
            title="溆浦县农村公路养护专题调研",
            year=2026,
            lead_committee="县人大常委会农业农村工委",
            by=world.county_secretary,
            started_on=DAY if started else None,
        )
    return case_create(
        region=world.city,
        level="city",
        kind=Kind.LAW_INSPECTION,
        title=title,
        year=2026,
        lead_committee="环境与资源保护工作委员会",
        joint_levels=["county", "township"],
        by=world.staff,
        target_units=[world.other_unit],
        started_on=DAY if started else None,
    )


def add_problems(world, case, n=3, unit=None, by=None):
    by = by or world.staff
    titles = [
        "建筑工地扬尘污染管控不到位",
        "太平溪沿岸生活污水直排",
        "餐饮油烟扰民",
        "渣土车未覆盖",
    ]
    return [
        problem_add(
            case=case,
            title=titles[i % len(titles)],
            unit=unit or world.other_unit,
            measures="制定整改方案，限期整改",
            due_on=DAY + dt.timedelta(days=60),
            by=by,
        )
        for i in range(n)
    ]


@pytest.fixture
def city_case(world) -> Case:
    return make_case(world)


@pytest.fixture
def handed(world, city_case):
    problems = add_problems(world, city_case)
    problems_hand_over(case=city_case, by=world.staff, on=DAY)
    for p in problems:
        p.refresh_from_db()
    return problems
