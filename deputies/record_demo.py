"""The demo city's points table 积分, the entries staff and secretaries record by hand
(meetings attended, training, visits, research) and the reports to voters 述职评议 of
the current term; called at the end of ``deputies.demo.seed``. Everything set-based:
bulk inserts, then one UPDATE prices the entries by the table. The modules that make
activities (stations, suggestions, livelihood, ballots) price theirs the same way."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from deputies.models import Activity, Deputy, Level, Mandate, PointRule, VoterReport
from deputies.services import points_apply
from organisation.models import User
from organisation.roles import Role

K = Activity.Kind
# (kind, points until 2025, points from 2026, yearly cap from 2026): the committee
# raised station duty and receptions for 2026 ("代表规范履职提升年") and capped the kinds
# that are easy to repeat.
TABLE = [
    (K.STATION_DUTY, "2", "3", None),
    (K.RECEPTION, "0.5", "1", "30"),
    (K.SUGGESTION, "3", "3", "15"),
    (K.SESSION, "5", "5", None),
    (K.DELIBERATION, "1", "1", "10"),
    (K.INSPECTION, "2", "2", None),
    (K.OVERSIGHT, "3", "3", None),
    (K.VOTER_REPORT, "5", "8", None),
    (K.MEETING, "1", "1", "12"),
    (K.TRAINING, "1.5", "1.5", "9"),
    (K.VISIT, "1", "1", "12"),
    (K.RESEARCH, "2", "2", None),
    (K.OTHER, "0.5", "0.5", "5"),
]
NEW_TABLE = dt.date(2026, 1, 1)

MEETINGS = [
    "列席{county}人大常委会第{n}次会议",
    "参加{township}人大主席团会议",
    "参加代表小组活动",
    "参加{township}“代表接待日”座谈会",
]
TRAININGS = [
    "参加{county}人大代表履职能力提升培训班",
    "参加学习贯彻全国两会和省“三会三文”精神培训",
    "参加代表建议撰写专题培训",
]
VISITS = ["走访{village}困难群众", "“千名代表访万人”入户走访{village}"]
RESEARCH = ["参加{county}人大常委会关于农村道路建设的专题调研", "参加义务教育阶段学校建设情况调研"]
MEETINGS_PLACES = ["镇人大会议室", "代表联络站", "村委会"]


def seed(deputies: list[Deputy], rng: random.Random) -> str:
    PointRule.objects.bulk_create(
        [
            rule
            for kind, old, new, cap in TABLE
            for rule in (
                PointRule(
                    kind=kind,
                    points=Decimal(old),
                    valid_from=dt.date(2021, 1, 1),
                    valid_to=NEW_TABLE - dt.timedelta(days=1),
                ),
                PointRule(
                    kind=kind,
                    points=Decimal(new),
                    valid_from=NEW_TABLE,
                    yearly_cap=Decimal(cap) if cap else None,
                ),
            )
        ]
    )
    today = timezone.localdate()
    year = today.year
    secretaries = {u.region_id: u.pk for u in User.objects.filter(role=Role.SECRETARY)}
    entries: list[Activity] = []

    def day() -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(
            days=rng.randint(0, (today - dt.date(year, 1, 1)).days)
        )

    for deputy in deputies:
        township = deputy.region
        words = {
            "county": township.parent.name if township.parent else township.name,
            "township": township.name,
            "village": deputy.work_unit[-6:] or township.name,
            "n": rng.randint(20, 32),
        }
        by = secretaries.get(township.pk)
        plan = (
            [(K.MEETING, rng.choice(MEETINGS), "2")] * rng.randint(0, 3)
            + [(K.TRAINING, rng.choice(TRAININGS), "4")] * rng.choice([0, 0, 1, 1, 2])
            + [(K.VISIT, rng.choice(VISITS), "2")] * rng.choice([0, 1, 1, 2])
            + [(K.RESEARCH, rng.choice(RESEARCH), "3")] * (rng.random() < 0.15)
        )
        for kind, title, hours in plan:
            entries.append(
                Activity(
                    deputy=deputy,
                    kind=kind,
                    date=day(),
                    title=title.format(**words)[:120],
                    hours=Decimal(hours),
                    notes=f"地点：{rng.choice(MEETINGS_PLACES)}",
                    recorded_by_id=by,
                )
            )
    Activity.objects.bulk_create(entries, batch_size=5000)

    # Reports to voters in this term (2021–2026): about two in three deputies reported in
    # an earlier year; this year's plan names one in eight of each township, most of
    # whom have reported, with the voters' ratings.
    seats = list(
        Mandate.objects.active()
        .filter(level=Level.TOWNSHIP)
        .select_related("deputy", "region")
        .order_by("pk")
    )
    reports: list[VoterReport] = []
    for seat in seats:
        earlier = rng.random() < 0.62
        this_year = rng.random() < 0.12 or seat.deputy.user_id is not None
        if earlier:
            reports.append(_report(rng, seat, rng.choice([2022, 2023, 2024, 2025]), held=True))
        if this_year:
            held = rng.random() < 0.7 and today.month > 3 and seat.deputy.user_id is None
            reports.append(_report(rng, seat, year, held=held, today=today))
    VoterReport.objects.bulk_create(reports, batch_size=5000)
    held = VoterReport.objects.filter(status=VoterReport.Status.HELD).values_list(
        "pk", "deputy", "held_on", "meeting", "voters_present", "satisfied", "basic", "unsatisfied"
    )
    Activity.objects.bulk_create(
        [
            Activity(
                deputy_id=deputy_id,
                kind=K.VOTER_REPORT,
                date=held_on,
                title=(
                    f"在{meeting}向选民述职：到会{present}人，满意{s}票，基本满意{b}票，不满意{u}票"
                )[:120],
                source_key=f"voter_report:{pk}",
            )
            for pk, deputy_id, held_on, meeting, present, s, b, u in held
        ],
        batch_size=5000,
    )
    points_apply()
    return f"{len(entries)} entries recorded by hand, {len(reports)} reports to voters"


def _report(
    rng: random.Random, seat: Mandate, year: int, *, held: bool, today: dt.date | None = None
) -> VoterReport:
    report = VoterReport(deputy=seat.deputy, level=seat.level, region=seat.region, year=year)
    if not held:
        return report
    last = today if today is not None and today.year == year else dt.date(year, 12, 20)
    present = rng.randint(35, 120)
    satisfied = int(present * rng.uniform(0.7, 0.95))
    basic = rng.randint(0, present - satisfied)
    unsatisfied = rng.randint(0, min(3, present - satisfied - basic))
    village = seat.deputy.work_unit.replace(seat.region.name, "")[:10] or "镇政府"
    report.status = VoterReport.Status.HELD
    report.held_on = dt.date(
        year, rng.randint(4, last.month if last.month > 4 else 4), 1
    ) + dt.timedelta(days=rng.randint(0, 20))
    if report.held_on > last:
        report.held_on = last
    report.meeting = f"{seat.region.name}人大代表述职评议会（{village}）"
    report.text = (
        f"本人{year}年以来认真履行代表职责，按时参加{seat.region.name}人民代表大会会议，"
        "坚持逢6进站接待群众，围绕农村道路、饮水安全等群众关心的问题提出建议，"
        "参与民生实事项目审议和视察。今后将继续密切联系选民，接受选民监督。"
    )
    report.voters_present = present
    report.satisfied = satisfied
    report.basic = basic
    report.unsatisfied = unsatisfied
    return report
