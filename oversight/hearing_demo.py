"""Satisfaction votes and interpellations in the demo city (called from
``oversight.demo.seed``), through the services, as the seeds tell them.

- 会同县 tests its government departments' year by secret ballot at its congress session
  (the seventh year running): 会同县第十八届人民代表大会第六次会议 in January rates the
  eight departments' 2025 work; 自然资源局 is rated 不满意 and gives a new report, handed
  to it with a deadline (answered, waiting for the office to verify).
- 靖州's first interpellation: five members of its standing committee question four
  county departments on the ten-year fishing ban 长江流域十年禁渔 (illegal fishing on the
  rebound); each answers in writing with commitments; the movers are dissatisfied with
  农业农村局's first answer, which gives a second one.
"""

from __future__ import annotations

import datetime as dt
import random

from ballots.services import (
    ballot_cast,
    check_in,
    codes_issue,
    paper_tally_confirm,
    paper_tally_enter,
    poll_close,
    poll_open,
    poll_publish,
    session_close,
    session_create,
    session_open,
)
from deputies.models import CommitteeMembership, Deputy, Level, Mandate
from handovers.services import handover_answer
from organisation.demo import DEMO_PASSWORD
from organisation.models import Region, Unit, User
from organisation.roles import Role
from organisation.services import unit_ensure, user_ensure
from oversight.hearing_models import Interpellation, SatisfactionVote
from oversight.hearings import (
    commitment_add,
    interpellation_move,
    interpellation_verdicts_record,
    satisfaction_poll_create,
    satisfaction_record,
    unit_key,
)
from oversight.models import Kind
from oversight.services import case_create

HUITONG = "会同县"
JINGZHOU = "靖州苗族侗族自治县"
TERM_STARTED = dt.date(2021, 11, 15)


def _secretary(region: Region, username: str, full_name: str) -> User:
    found = User.objects.filter(role=Role.SECRETARY, region=region, is_active=True).first()
    return found or user_ensure(
        username=username,
        role=Role.SECRETARY,
        password=DEMO_PASSWORD,
        full_name=full_name,
        region=region,
    )


def _committee(region: Region, n: int) -> list[Deputy]:
    """The county's standing committee (its members on the demo's days), made from its
    deputies when the oversight demo has not made it already."""
    members = CommitteeMembership.objects.active_on(dt.date(2026, 1, 1)).of_congress(
        region, Level.COUNTY
    )
    if not members.exists():
        deputies = list(
            Deputy.objects.filter(
                pk__in=Mandate.objects.active_on(TERM_STARTED)
                .filter(level=Level.COUNTY, region=region)
                .values("deputy")
            ).order_by("pk")[:n]
        )
        positions = ["director"] + ["deputy_director"] * 3 + ["member"] * (len(deputies) - 4)
        CommitteeMembership.objects.bulk_create(
            [
                CommitteeMembership(
                    deputy=d,
                    region=region,
                    level=Level.COUNTY,
                    term=f"{region.name}第十八届人民代表大会常务委员会",
                    position=position,
                    started_on=TERM_STARTED,
                )
                for d, position in zip(deputies, positions, strict=False)
            ]
        )
    return list(Deputy.objects.filter(pk__in=members.values("deputy")).order_by("pk"))


def _contact(unit: Unit, username: str, full_name: str) -> User:
    found = User.objects.filter(role=Role.UNIT, unit=unit, is_active=True).first()
    return found or user_ensure(
        username=username,
        role=Role.UNIT,
        password=DEMO_PASSWORD,
        full_name=full_name,
        unit=unit,
    )


# --- 会同县: the departments' year rated at the congress session ---------------------------


def _huitong(rng: random.Random, admin: User) -> tuple[str, list[User]]:
    county = Region.objects.get(name=HUITONG, level=Region.Level.COUNTY)
    secretary = _secretary(county, "huitong-secretary", "梁文华")
    units = list(
        Unit.objects.filter(region=county, kind=Unit.Kind.GOVERNMENT, is_active=True).order_by("pk")
    )
    day = dt.date(2026, 1, 16)
    case = case_create(
        region=county,
        level=Level.COUNTY,
        kind=Kind.SATISFACTION,
        title="2025年度政府工作部门工作满意度测评",
        year=2026,
        lead_committee="县人大常委会办公室",
        summary="连续第七年在县人民代表大会会议上对政府工作部门开展年度工作满意度测评。",
        by=secretary,
        target_units=units,
        started_on=day,
    )
    session = session_create(
        name="会同县第十八届人民代表大会第六次会议",
        region=county,
        level=Level.COUNTY,
        date=day,
        by=secretary,
    )
    roll = session_open(session=session, by=secretary)
    on_roll = list(session.roll.order_by("deputy_id").values_list("deputy", flat=True))
    absent = set(rng.sample(on_roll, max(1, roll // 12)))
    for deputy in Deputy.objects.filter(pk__in=[d for d in on_roll if d not in absent]):
        check_in(session=session, deputy=deputy, by=secretary)
    vote = satisfaction_poll_create(
        case=case, session=session, subject="year", year=2025, units=units, by=secretary
    )
    poll = vote.poll
    poll_open(poll=poll, by=secretary)
    present = roll - len(absent)
    paper = min(20, present // 5)  # some deputies vote on paper; two paper ballots invalid
    codes = codes_issue(poll=poll, by=secretary, spares=2)
    # Each department's share of 满意 and of 满意+基本满意; 自然资源局 falls short.
    shares = {u.pk: (0.45 + 0.05 * (i % 5), 0.88 - 0.02 * i) for i, u in enumerate(units)}
    poor = next((u for u in units if u.name.endswith("自然资源局")), units[-1])
    shares[poor.pk] = (0.18, 0.42)
    values = ["satisfied", "basic", "unsatisfied", "abstain"]
    for code in codes[: present - paper]:
        choices = {}
        for unit in units:
            first, second = shares[unit.pk]
            at = rng.random()
            choices[unit_key(unit.pk)] = (
                values[0] if at < first else values[1] if at < second else values[2]
            )
        ballot_cast(code=code, choices=choices)
    poll_close(poll=poll, by=secretary)
    valid = paper - 2
    votes = {}
    for unit in units:
        first, second = shares[unit.pk]
        satisfied = round(valid * first)
        basic = round(valid * second) - satisfied
        votes[unit_key(unit.pk)] = {
            "satisfied": satisfied,
            "basic": basic,
            "unsatisfied": valid - satisfied - basic,
            "abstain": 0,
        }
    tally = paper_tally_enter(
        poll=poll, by=secretary, issued=paper, returned=paper, invalid=2, votes=votes
    )
    paper_tally_confirm(tally=tally, by=admin)
    poll_publish(poll=poll, by=secretary)
    session_close(session=session, by=secretary)
    rows = satisfaction_record(vote=vote, by=secretary, on=day)
    flagged = [r for r in rows if r.unsatisfactory]
    contacts = []
    for row in flagged:
        if row.rereport is None:
            continue
        contact = _contact(row.unit, f"unit-huitong-{row.unit.pk}", "龙德明")
        contacts.append(contact)
        handover_answer(
            handover=row.rereport,
            by=contact,
            text="已对照测评意见逐项整改，现将整改情况重新报告：不动产登记窗口增设至6个，"
            "历史遗留办证问题办结312件，农村乱占耕地建房专项整治完成销号。",
            on=dt.date(2026, 4, 10),
        )
    return (
        f"{len(units)} departments rated at {session.name} "
        f"({len(flagged)} unsatisfactory, {paper} paper ballots of which 2 invalid)",
        [secretary, *contacts],
    )


# --- 靖州: the interpellation on the ten-year fishing ban ------------------------------------

FISHING = [
    (
        "农业农村局",
        "农业农村局",
        "渠水流域非法捕捞反弹，禁捕水域巡查不到位，渔民退捕转产安置不落实。",
        ["2026年12月底前完成退捕渔民转产就业回访全覆盖", "建立渠水禁捕水域日常巡查台账"],
    ),
    (
        "公安局",
        "公安局",
        "电鱼、毒鱼等非法捕捞案件查处不力，“长江禁渔”专项执法行动未形成震慑。",
        ["对电鱼毒鱼案件保持严打态势，年内开展两轮专项行动"],
    ),
    (
        "市场监督管理局",
        "市场监管局",
        "农贸市场和餐饮环节销售野生江鱼问题未有效遏制。",
        ["农贸市场、餐馆野生江鱼销售排查每季度一次"],
    ),
    ("交通运输局", "交通局", "涉渔船舶“三无”船只清理不彻底，船舶管理存在漏洞。", []),
]


def _jingzhou() -> tuple[str, list[User]]:
    county = Region.objects.get(name=JINGZHOU, level=Region.Level.COUNTY)
    secretary = _secretary(county, "jingzhou-secretary", "吴思远")
    members = _committee(county, 15)
    units = []
    for name, short, _text, _promises in FISHING:
        unit = unit_ensure(
            name=f"{JINGZHOU}{name}",
            short_name=f"靖州县{short}",
            kind=Unit.Kind.GOVERNMENT,
            region=county,
        )
        units.append(unit)
    moved_on = dt.date(2026, 8, 27)
    case = case_create(
        region=county,
        level=Level.COUNTY,
        kind=Kind.INTERPELLATION,
        title="关于长江流域十年禁渔工作落实情况的质询",
        year=2026,
        lead_committee="县人大常委会农业农村工作委员会",
        summary="县人大常委会首次对县政府工作开展质询，要求县农业农村局等4个政府部门"
        "答复落实长江流域十年禁渔计划工作不力、非法捕捞有所反弹问题。",
        by=secretary,
        target_units=units,
        started_on=moved_on,
    )
    movers = members[:5]
    contacts = []
    items = []
    for i, (unit, (name, _short, text, promises)) in enumerate(zip(units, FISHING, strict=True)):
        item = interpellation_move(
            case=case,
            setting=Interpellation.Setting.STANDING_COMMITTEE,
            moved_on=moved_on,
            unit=unit,
            subject=f"县{name}落实长江流域十年禁渔工作不力",
            text=text + "请说明原因、责任和整改措施。",
            mode=Interpellation.Mode.WRITTEN,
            movers=movers,
            by=secretary,
            due_on=dt.date(2026, 9, 25),
        )
        contact = _contact(
            unit, f"unit-jingzhou-{i + 1}", ["杨光辉", "石建平", "龙翠英", "吴小兵"][i]
        )
        contacts.append(contact)
        items.append((item, contact, promises))
    second = 0
    for n, (item, contact, promises) in enumerate(items):
        handover_answer(
            handover=item.handover,
            by=contact,
            text="书面答复：已成立禁渔工作专班，开展联合执法，建立长效监管机制。",
            on=dt.date(2026, 9, 20),
        )
        item.refresh_from_db()
        for promise in promises:
            commitment_add(
                interpellation=item, text=promise, due_on=dt.date(2026, 12, 31), by=secretary
            )
        if n == 3:
            continue  # 交通运输局's answer waits for the movers' verdicts
        dissatisfied = 4 if n == 0 else 1  # 农业农村局's first answer: 4 of 5 dissatisfied
        item = interpellation_verdicts_record(
            interpellation=item,
            satisfied={m.pk: k >= dissatisfied for k, m in enumerate(movers)},
            by=secretary,
            on=dt.date(2026, 9, 28),
        )
        if n == 0:
            handover_answer(
                handover=item.handover,
                by=contact,
                text="再次答复：已追究渠阳镇等3个乡镇禁捕巡查责任，退捕渔民126户全部落实"
                "社保，增设渠水禁捕监控点8处。",
                on=dt.date(2026, 10, 26),
            )
            item.refresh_from_db()
            interpellation_verdicts_record(
                interpellation=item,
                satisfied={m.pk: k > 0 for k, m in enumerate(movers)},
                by=secretary,
                on=dt.date(2026, 10, 29),
            )
            second += 1
    return (
        f"靖州: {len(items)} departments questioned on the fishing ban, {second} second answer",
        [secretary, *contacts],
    )


def seed(stdout=None) -> dict:
    """Ensure the demo's satisfaction vote and interpellation (once)."""
    if SatisfactionVote.objects.exists() or Interpellation.objects.exists():
        return {"accounts": []}
    if not Region.objects.filter(name__in=[HUITONG, JINGZHOU]).exists():
        return {"accounts": []}
    # Demo data, seeded so every run makes the same votes (not a secret).
    rng = random.Random(20260116)  # nosec B311
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    said, accounts = [], []
    if admin is not None:
        text, made = _huitong(rng, admin)
        said.append(text)
        accounts += made
    text, made = _jingzhou()
    said.append(text)
    accounts += made
    if stdout:
        stdout.write("    " + "; ".join(said))
    return {"accounts": accounts}
