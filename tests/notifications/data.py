"""A small task list and station around the fixture world, for the sweep and report tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deputies.models import Deputy
from liaison_stations.models import DutyShift, Reception, Station
from organisation.roles import Role
from tasks.models import (
    Aspect,
    FollowUpItem,
    Milestone,
    ProgressReport,
    SupervisionVisit,
    Task,
    TaskList,
)
from tests.factories import UserFactory


@dataclass
class Scene:
    task_list: TaskList
    aspect: Aspect
    tasks: list[Task]
    station: Station
    deputy: Deputy


def build_scene(world, *, year: int = 2025) -> Scene:
    task_list = TaskList.objects.create(
        year=year,
        title=f"市人大常委会{year}年贯彻落实“三会三文”精神任务清单",
        kind=TaskList.Kind.COMMITTEE,
        reports_start=dt.date(year, 1, 1),
    )
    aspect = Aspect.objects.create(task_list=task_list, number=1, title="加强代表履职服务保障")
    other = Aspect.objects.create(task_list=task_list, number=2, title="推进监督工作提质增效")
    tasks = [
        Task.objects.create(
            task_list=task_list,
            aspect=aspect if n <= 3 else other,
            number=n,
            content=f"第{n}项：完善代表联络站“逢6进站”接待制度，推动群众意见及时办理",
            lead_unit=world.unit,
            lead_leader=world.leader,
            deadline=dt.date(year, 3, 31) if n != 4 else None,
            is_long_term=n == 4,
            weight=n,
            percent_done=20 * n,
        )
        for n in range(1, 5)
    ]
    Milestone.objects.create(task=tasks[1], title="完成调研报告初稿", due_date=dt.date(year, 3, 24))
    ProgressReport.objects.create(
        task=tasks[0],
        unit=world.unit,
        month=dt.date(year, 3, 1),
        text="已组织全市代表联络站开展集中接待活动，收集群众意见建议五十七条。",
        percent=60,
        status=ProgressReport.Status.ACCEPTED,
    )
    visit = SupervisionVisit.objects.create(
        leader=world.leader, visited_on=dt.date(year, 3, 12), places="溆浦县黄茅园镇"
    )
    FollowUpItem.objects.create(
        visit=visit,
        task=tasks[2],
        unit=world.unit,
        description="部分联络站值班记录不完整，需补齐台账",
        due_date=dt.date(year, 3, 28),
    )
    station = Station.objects.create(
        code="hmy01", name="黄茅园镇人大代表联络站", kind="township", region=world.township
    )
    deputy = Deputy.objects.create(
        name="陆友红", gender="f", region=world.township, user=world.deputy
    )
    shift = DutyShift.objects.create(station=station, date=dt.date(year, 3, 16))
    shift.deputies.add(deputy)
    return Scene(task_list=task_list, aspect=aspect, tasks=tasks, station=station, deputy=deputy)


def reception(scene: Scene, world, *, due: dt.date, at: dt.datetime) -> Reception:
    return Reception.objects.create(
        station=scene.station,
        received_at=at,
        channel=Reception.Channel.STATION,
        category=Reception.Category.ROADS,
        content="村道路面破损，雨天出行困难，希望尽快修复",
        handling=Reception.Handling.REFERRED,
        referred_unit=world.unit,
        referral_due=due,
    )


def unit_contact_of(unit, username: str):
    return UserFactory(username=username, role=Role.UNIT, unit=unit)
