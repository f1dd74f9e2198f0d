"""督 and 评 in the demo city (called at the end of ``livelihood.demo.seed``).

黄茅园镇's 飞跃桥 road, finished at the end of September, is inspected by three deputies
in November; their finding (the guard rails) is handed to the township government. At
黄茅园镇七届人大五次会议 (late November) the deputies rate it and the 集镇 street
lights by secret ballot through the ballot services: the road satisfactory, the lights
unsatisfactory (flagged, the unit told and asked to report again).
"""

from __future__ import annotations

import datetime as dt
import random

from ballots.services import (
    ballot_cast,
    check_in,
    codes_issue,
    poll_close,
    poll_open,
    poll_publish,
    session_close,
    session_create,
    session_open,
)
from deputies.models import Deputy, Level
from livelihood.models import Project, Proposal
from livelihood.supervision import (
    evaluation_poll_create,
    evaluation_record,
    finding_add,
    inspection_record,
    seated,
)
from organisation.models import Region, User
from organisation.roles import Role

ROAD = "大埠至黄金街飞跃桥道路硬化"
LIGHTS = "黄茅园集镇路灯安装"


def _finished(project: Project, day: dt.date) -> None:
    """Finish a project the delivery demo left open (its own reports come from there)."""
    if project.state != "completed":
        Project.objects.filter(pk=project.pk).update(
            state="completed", started_on=project.started_on or day.replace(day=1), completed_on=day
        )
        project.refresh_from_db()


def seed(rng: random.Random, region: Region, year: int, today: dt.date) -> str:
    secretary = User.objects.filter(role=Role.SECRETARY, region=region, is_active=True).first()
    chosen = {
        p.title: p
        for p in Proposal.objects.filter(
            region=region,
            level=Level.TOWNSHIP,
            status=Proposal.Status.CHOSEN,
            title__in=[ROAD, LIGHTS],
        ).select_related("project__unit")
    }
    if secretary is None or ROAD not in chosen:
        return "no 飞跃桥 project"
    road = chosen[ROAD]
    _finished(road.project, dt.date(year, 9, 30))
    rated = [road]
    if LIGHTS in chosen:
        _finished(chosen[LIGHTS].project, dt.date(year, 10, 31))
        rated.append(chosen[LIGHTS])

    # 督: three deputies of 黄茅园镇 inspect the road; a finding goes to its unit.
    visit_day = min(today, dt.date(year, 11, 12))
    deputies = list(seated(road, visit_day).order_by("pk")[:3])
    visit = inspection_record(
        proposal=road,
        date=visit_day,
        deputies=deputies,
        notes="路面平整，排水良好；飞跃桥桥头两侧护栏尚未安装，雨天存在安全隐患。",
        by=secretary,
    )
    findings = 0
    if road.project.unit_id:
        finding_add(
            inspection=visit,
            text="飞跃桥桥头两侧护栏尚未安装，请尽快补装并设置警示标志。",
            by=secretary,
            on=visit_day,
        )
        findings = 1

    # 评: 黄茅园镇七届人大五次会议 rates the finished projects.
    day = min(today, dt.date(year, 11, 28))
    session = session_create(
        name=f"{region.name}七届人大五次会议",
        region=region,
        level=Level.TOWNSHIP,
        date=day,
        by=secretary,
    )
    roll = session_open(session=session, by=secretary)
    on_roll = list(session.roll.order_by("deputy_id").values_list("deputy", flat=True))
    absent = set(rng.sample(on_roll, max(0, len(on_roll) // 10)))
    for deputy in Deputy.objects.filter(pk__in=[d for d in on_roll if d not in absent]):
        check_in(session=session, deputy=deputy, by=secretary)
    poll = evaluation_poll_create(session=session, proposals=rated, by=secretary)
    poll_open(poll=poll, by=secretary)
    present = roll - len(absent)
    codes = codes_issue(poll=poll, by=secretary, spares=2)
    # The road: 70% satisfied, 20% basically; the lights: a third satisfied or basically.
    shares = {p.pk: (0.2, 0.33) for p in rated[1:]} | {road.pk: (0.7, 0.9)}
    for code in codes[:present]:
        choices = {}
        for p in rated:
            first, second = shares[p.pk]
            at = rng.random()
            choices[f"proposal:{p.pk}"] = (
                "satisfied" if at < first else "basic" if at < second else "unsatisfied"
            )
        ballot_cast(code=code, choices=choices)
    poll_close(poll=poll, by=secretary)
    poll_publish(poll=poll, by=secretary)
    session_close(session=session, by=secretary)
    rows = evaluation_record(poll=poll, on=day)
    flagged = sum(bool(r.unsatisfactory) for r in rows)
    return (
        f"{len(rated)} projects rated at {session.name} ({flagged} unsatisfactory), "
        f"1 inspection with {findings} finding"
    )
