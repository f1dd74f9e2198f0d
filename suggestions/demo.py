"""Demo suggestions: a year of the demo city's deputies' suggestions at city, county and
township level, in every state, written in bulk (a few hundred rows per table).

- About 220 come from receptions marked "turned into a deputy suggestion": the
  reception links to its suggestion (``follow_up``).
- Every unit with a contact account is handed at least one, as main unit: the county
  departments, the township governments, the city's departments and bodies.
- Some are late (still with the unit past the deadline, or answered after it); B
  answers stay followed and some are later reported solved.
- 陆友红 (``deputy``) has a draft to confirm, a co-signature to confirm, an answer to rate
  and one suggestion rated 不满意 and re-handled, made through the services (dated in
  the past with ``on=``) so its history is the real one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deputies.models import Activity, Deputy, Mandate
from deputies.services import points_apply
from handovers.models import Assist, Handover, Step
from handovers.services import add_months, handover_answer, handover_rate
from liaison_stations.demo import REQUESTS
from liaison_stations.models import Reception
from organisation.demo import township_government
from organisation.models import Region, Unit, User
from organisation.roles import Role
from suggestions.models import Counter, Level, Signature, Suggestion
from suggestions.services import (
    suggestion_accept,
    suggestion_draft_from_reception,
    suggestion_hand_over,
    suggestion_submit,
)

# (title, what is asked) by category; {p} is a place (a village or the township).
TOPICS: dict[str, list[tuple[str, str]]] = {
    "roads": [
        (
            "关于加快{p}至{q}道路硬化的建议",
            "该路段坑洼多年，雨天群众出行困难，建议列入农村公路建设计划，尽快硬化。",
        ),
        ("关于增开{p}农村客运班线的建议", "目前每天仅两趟班车，群众赶集、就医不便，建议增开班次。"),
        (
            "关于维修{p}危桥的建议",
            "桥梁护栏缺失、桥面开裂，学生上下学存在安全隐患，建议尽快维修加固。",
        ),
    ],
    "water": [
        ("关于解决{p}安全饮水问题的建议", "饮水管网老化，夏季经常停水，建议实施管网改造。"),
        ("关于{p}灌溉渠道清淤修缮的建议", "渠道淤塞严重，影响春耕用水，建议安排资金清淤。"),
        ("关于{p}山塘除险加固的建议", "山塘漏水严重，汛期存在隐患，建议列入除险加固计划。"),
    ],
    "agriculture": [
        ("关于拓宽{p}柑橘销售渠道的建议", "柑橘丰产不丰收，建议引进收购企业、发展电商销售。"),
        ("关于治理{p}耕地撂荒的建议", "部分耕地长期撂荒，建议统筹流转、发展适度规模经营。"),
        ("关于扶持{p}黄精产业发展的建议", "群众种植黄精积极性高，建议开展技术培训并给予产业补助。"),
    ],
    "social": [
        ("关于规范高龄津贴按时发放的建议", "高龄津贴发放时间不固定，建议明确发放日期并公示。"),
        (
            "关于加强{p}留守老人日间照料的建议",
            "留守老人多，日间照料需求大，建议建设村级互助养老点。",
        ),
        ("关于做好低保动态管理的建议", "群众对低保复核结果有疑问，建议加强政策解释和公示。"),
    ],
    "health": [
        ("关于充实{p}村卫生室常用药品的建议", "村卫生室常用药品短缺，建议完善药品配送。"),
        ("关于简化医保异地报销手续的建议", "外出务工人员异地报销手续繁琐，建议推行线上办理。"),
        ("关于{p}卫生院增设儿科门诊的建议", "儿童就医需到县城，建议卫生院增设儿科门诊。"),
    ],
    "education": [
        ("关于增加{p}中心小学校车的建议", "山区学生上学路远，校车不够，建议增加校车和线路。"),
        ("关于开设留守儿童课后托管的建议", "留守儿童放学后无人看管，建议学校开设课后托管。"),
        ("关于整治{p}学校周边交通秩序的建议", "上下学时段车辆乱停乱放，建议设置护学岗和减速带。"),
    ],
    "environment": [
        ("关于提高{p}垃圾清运频次的建议", "垃圾清运不及时，夏季异味大，建议增加清运频次。"),
        ("关于整治养殖场污水直排的建议", "个别养殖场污水直排河道，建议加强督查整治。"),
        ("关于整治{p}河道沿岸环境的建议", "河道沿岸乱堆乱放，建议开展专项整治并建立长效机制。"),
    ],
    "employment": [
        ("关于帮助农民工追讨欠薪的建议", "部分在外务工人员工资被拖欠，建议建立欠薪快速处置机制。"),
        ("关于在{p}开展技能培训和招聘会的建议", "返乡人员就业难，建议定期开展技能培训和招聘活动。"),
        ("关于降低返乡创业贷款门槛的建议", "返乡创业贷款申请难，建议简化手续、加大贴息力度。"),
    ],
    "disputes": [
        ("关于加强{p}矛盾纠纷调解工作的建议", "邻里、山林纠纷较多，建议充实村级调解力量。"),
        ("关于完善{p}农村公共法律服务的建议", "群众法律咨询需求多，建议定期安排律师驻村服务。"),
    ],
    "other": [
        ("关于加快{p}农村电网改造的建议", "用电高峰电压不稳，建议加快电网改造。"),
        ("关于改善{p}移动通信信号的建议", "部分村组手机信号弱，建议增设基站。"),
    ],
}
# The title of a suggestion made of a reception, by the request it records (the order of
# liaison_stations.demo.REQUESTS); {p} the village, {t} the township.
REQUEST_TITLES = {
    "roads": ["关于硬化{p}通组公路的建议", "关于修复{p}村口桥梁护栏的建议", "关于增开{t}农村客运班次的建议"],
    "water": ["关于改造{p}饮水管网的建议", "关于{p}灌溉渠道清淤修缮的建议", "关于{p}山塘防渗整修的建议"],
    "agriculture": ["关于拓宽{t}柑橘销售渠道的建议", "关于统筹解决{t}耕地撂荒问题的建议", "关于开展{t}黄精种植技术培训的建议"],
    "social": ["关于规范高龄津贴按时发放的建议", "关于做好低保复核政策解释的建议", "关于加强{p}留守老人日间照料的建议"],
    "health": ["关于充实{p}卫生室常用药品的建议", "关于简化医保异地报销手续的建议", "关于{t}卫生院增设儿科门诊的建议"],
    "education": ["关于增加{t}中心小学校车的建议", "关于开设留守儿童课后托管的建议", "关于整治{t}学校周边交通秩序的建议"],
    "environment": ["关于提高{p}垃圾清运频次的建议", "关于整治养殖场污水直排河道的建议", "关于整治{t}河道沿岸乱堆乱放的建议"],
    "employment": ["关于帮助在外务工人员追讨欠薪的建议", "关于在{t}开展技能培训和招聘会的建议", "关于降低返乡创业贷款门槛的建议"],
    "disputes": ["关于加强宅基地界线纠纷调解的建议", "关于妥善处理山林承包权属争议的建议", "关于治理{t}噪音扰民问题的建议"],
    "other": ["关于推进{p}村级财务公开的建议", "关于改进{t}政务服务窗口的建议", "关于在{p}增设路灯的建议"],
}  # fmt: skip


def _reception_title(category: str, said: str, village: str, township: str) -> tuple[str, str]:
    """The title for what the reception records, and the village it names."""
    for index, request in enumerate(REQUESTS.get(category, [])):
        fixed = request.split("{v}")[-1]
        if said.endswith(fixed):
            if "{v}" in request:
                village = said[: len(said) - len(fixed)] + "村"
            return REQUEST_TITLES[category][index].format(p=village, t=township), village
    return f"关于{village}群众反映问题的建议", village


# What a city deputy asks the standing committee's own bodies (category "other").
CONGRESS_TOPICS = [
    ("关于加强代表履职培训的建议", "新任代表履职能力有待提高，建议分批次开展履职培训。"),
    ("关于完善代表联络站运行保障的建议", "部分联络站经费和人员不足，建议建立稳定的保障机制。"),
    ("关于提高代表建议办理质量的建议", "个别建议答复空泛，建议加强办理过程督办和满意度回访。"),
]
# The county department (after the county's name) each category goes to.
DEPARTMENT_OF = {
    "roads": "交通运输局",
    "water": "水利局",
    "agriculture": "农业农村局",
    "social": "民政局",
    "health": "卫生健康局",
    "education": "教育局",
    "environment": "住房和城乡建设局",
    "employment": "民政局",
    "disputes": "民政局",
    "other": "自然资源局",
}
CITY_DEPARTMENT_OF = {
    "roads": "怀化市交通运输局",
    "water": "怀化市水利局",
    "agriculture": "怀化市农业农村局",
    "social": "怀化市民政局",
    "health": "怀化市卫生健康委员会",
    "education": "怀化市教育局",
    "environment": "怀化市生态环境局",
    "employment": "怀化市发展和改革委员会",
    "disputes": "怀化市司法局",
    "other": "怀化市自然资源和规划局",
}
VILLAGES = ["大埠", "金中", "黄金街", "龙潭", "桐木", "石板", "马田", "坪溪", "江东", "花桥"]
ANSWERS = {
    "A": "经研究，该事项已纳入本年度实施计划并已完成，群众反映的问题已基本解决。",
    "B": "已列入明年项目库，资金正在争取中，将按计划推进并及时向代表反馈进展。",
    "C": "经调研论证，目前受资金和政策条件限制暂不具备实施条件，已作为参考，待条件成熟后统筹考虑。",
}
SESSION_NUMBER = {2025: "四", 2026: "五"}


def _session(level: str, region: Region, county: Region | None, day: dt.date) -> str:
    """Suggestions of January and February were raised at the year's session."""
    if day.month > 2:
        return ""
    n = SESSION_NUMBER.get(day.year, "五")
    if level == Level.TOWNSHIP:
        return f"{region.name}七届人大{n}次会议"
    if level == Level.COUNTY:
        return f"{region.name}十八届人大{n}次会议"
    return f"怀化市六届人大{n}次会议"


def seed(stdout=None) -> dict:
    if Suggestion.objects.exists():
        return {}
    # Demo data, seeded so every run makes the same suggestions (not a secret).
    rng = random.Random(20261206)  # nosec B311
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=365)
    city = Region.objects.get(level=Region.Level.CITY)
    regions = {r.pk: r for r in Region.objects.all()}
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    secretaries = dict(
        User.objects.filter(role=Role.SECRETARY, is_active=True)
        .order_by("pk")
        .values_list("region_id", "pk")
    )
    leader = User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()

    # Who sits where: the active seats at the three levels the offices keep.
    seats: dict[tuple[str, int], list[int]] = defaultdict(list)
    for level, region_id, deputy_id in (
        Mandate.objects.active()
        .filter(level__in=Level.values)
        .order_by("deputy_id")
        .values_list("level", "region_id", "deputy_id")
    ):
        seats[(level, region_id)].append(deputy_id)
    users_of = dict(Deputy.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    with_contact = list(
        Unit.objects.filter(is_active=True, contacts__role=Role.UNIT, contacts__is_active=True)
        .distinct()
        .select_related("region")
        .order_by("name")
    )

    plans: list[dict] = []

    def plan(level: str, region: Region, category: str, unit: Unit, **extra) -> None:
        leads = seats.get((level, region.pk))
        if not leads:
            return
        county = region.parent if level == Level.TOWNSHIP else region
        place = rng.choice(VILLAGES) + "村" if level == Level.TOWNSHIP else region.name
        topics = CONGRESS_TOPICS if unit.kind == Unit.Kind.COMMITTEE else TOPICS[category]
        title, ask = rng.choice(topics)
        title = extra.pop("title", None) or title.format(p=place, q=rng.choice(VILLAGES))
        day = extra.pop("day", None) or first_day + dt.timedelta(days=rng.randint(0, 364))
        plans.append(
            {
                "level": level,
                "region": region,
                "county": county,
                "category": category,
                "unit": unit,
                "title": title[:120],
                "content": extra.pop("content", None) or f"{place}群众反映：{ask}",
                "lead": rng.choice(leads),
                "day": day,
                **extra,
            }
        )

    # 1. From receptions marked "turned into a deputy suggestion" (220 of them).
    marked = list(
        Reception.objects.filter(
            handling=Reception.Handling.SUGGESTION,
            follow_up_id__isnull=True,
            received_at__date__gte=first_day,
        )
        .order_by("received_at", "pk")
        .values_list("pk", "station__region_id", "category", "content", "village", "received_at")
    )
    for pk, region_id, category, said, village, received_at in rng.sample(
        marked, min(220, len(marked))
    ):
        township = regions[region_id]
        county = regions.get(township.parent_id) if township.parent_id else None
        if township.level != Region.Level.TOWNSHIP or county is None:
            continue
        if rng.random() < 0.75:
            level, region = Level.TOWNSHIP, township
            unit = (
                units.get(township_government(township.name))
                if rng.random() < 0.5
                else units.get(f"{county.name}{DEPARTMENT_OF[category]}")
            )
        else:
            level, region = Level.COUNTY, county
            unit = units.get(f"{county.name}{DEPARTMENT_OF[category]}")
        if unit is None:
            continue
        day = min(
            today, timezone.localtime(received_at).date() + dt.timedelta(days=rng.randint(2, 12))
        )
        title, village = _reception_title(category, said, village or township.name, township.name)
        plan(
            level,
            region,
            category,
            unit,
            reception=pk,
            day=day,
            title=title,
            content=(
                f"{township.name}{village}群众在代表联络站反映：{said}。"
                f"建议{unit.name}尽快研究解决，并向群众反馈办理结果。"
            ),
        )

    # 2. Every unit with a contact is handed at least one, as main unit.
    covered = {p["unit"].pk for p in plans}
    categories = list(TOPICS)
    for unit in with_contact:
        if unit.pk in covered or unit.region is None:
            continue
        region = unit.region
        category = next(
            (c for c, name in DEPARTMENT_OF.items() if unit.name.endswith(name)),
            "other" if unit.kind == Unit.Kind.COMMITTEE else rng.choice(categories),
        )
        day = first_day + dt.timedelta(days=rng.randint(0, 330))
        if region.level == Region.Level.TOWNSHIP:
            plan(Level.TOWNSHIP, region, category, unit, day=day, cover=True)
        elif region.level == Region.Level.COUNTY:
            plan(Level.COUNTY, region, category, unit, day=day, cover=True)
        else:
            plan(Level.CITY, city, category, unit, day=day, cover=True)

    # 3. The city congress's: to the city's departments.
    for _i in range(60):
        category = rng.choice(categories)
        plan(Level.CITY, city, category, units[CITY_DEPARTMENT_OF[category]])

    made = _write(
        plans,
        rng=rng,
        today=today,
        staff=staff,
        secretaries=secretaries,
        users_of=users_of,
        leader=leader,
        units=list(units.values()),
        seats=seats,
    )
    _demo_deputy(today)
    if stdout:
        stdout.write(
            f"    {made['suggestions']} suggestions ({made['from_receptions']} from receptions), "
            f"{made['handovers']} handed over, {made['late']} late"
        )
    return {}


def _write(plans, *, rng, today, staff, secretaries, users_of, leader, units, seats) -> dict:
    """Bulk-create the planned suggestions, their signatures, activities, handovers,
    helping units and steps, and link the receptions."""
    plans.sort(key=lambda p: (p["day"], p["title"]))
    # Each unit's first suggestion is handed to it, whatever else happens to the rest.
    first_for: dict[int, dict] = {}
    for p in plans:
        first_for.setdefault(p["unit"].pk, p)
    for p in first_for.values():
        p["cover"] = True
    numbers: dict[tuple[int, str, int], int] = defaultdict(int)
    suggestions: list[Suggestion] = []
    fates: list[str] = []
    recent = 0
    for p in plans:
        age = (today - p["day"]).days
        roll = rng.random()
        if p.get("cover"):
            fate = "handed"  # the unit's one piece of work
        elif age < 12:
            # The last days' suggestions wait for the office, in turn (not by chance, so
            # the demo always has some in each of these states).
            recent += 1
            fate = (
                "draft"
                if p.get("reception") and roll < 0.4
                else ("submitted", "accepted", "submitted")[recent % 3]
            )
        elif roll < 0.03:
            fate = "merged"
        elif roll < 0.06:
            fate = "converted"
        else:
            fate = "handed"
        fates.append(fate)
        number = None
        if fate != "draft":
            key = (p["region"].pk, p["level"], p["day"].year)
            numbers[key] += 1
            number = numbers[key]
        suggestions.append(
            Suggestion(
                level=p["level"],
                region=p["region"],
                year=p["day"].year,
                number=number,
                session=_session(p["level"], p["region"], p["county"], p["day"]),
                title=p["title"],
                content=p["content"],
                category=p["category"],
                lead_id=p["lead"],
                status="draft" if fate == "draft" else "submitted",
                submitted_on=None if fate == "draft" else p["day"],
                reception_id=p.get("reception"),
                drafted_by_id=secretaries.get(p["region"].pk) or (staff.pk if staff else None)
                if p.get("reception")
                else None,
            )
        )
    Suggestion.objects.bulk_create(suggestions, batch_size=500)
    Counter.objects.bulk_create(
        [
            Counter(region_id=region_id, level=level, year=year, last=last)
            for (region_id, level, year), last in numbers.items()
        ]
    )
    content_type = ContentType.objects.get_for_model(Suggestion)

    # Co-signers (a quarter of them, one to three of the same congress) and the record.
    signatures: list[Signature] = []
    activities: list[Activity] = []
    for suggestion, fate, p in zip(suggestions, fates, plans, strict=True):
        if fate == "draft":
            continue
        source = f"suggestion:{suggestion.pk}"
        activities.append(
            Activity(
                deputy_id=suggestion.lead_id,
                kind=Activity.Kind.SUGGESTION,
                date=p["day"],
                title=f"提出建议：{suggestion.title}"[:120],
                source_key=source,
            )
        )
        if rng.random() < 0.25:
            pool = [d for d in seats[(p["level"], p["region"].pk)] if d != suggestion.lead_id]
            for deputy_id in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
                confirmed = p["day"] + dt.timedelta(days=rng.randint(0, 3))
                if rng.random() < 0.9 and confirmed <= today:
                    signatures.append(
                        Signature(
                            suggestion=suggestion, deputy_id=deputy_id, confirmed_on=confirmed
                        )
                    )
                    activities.append(
                        Activity(
                            deputy_id=deputy_id,
                            kind=Activity.Kind.SUGGESTION,
                            date=confirmed,
                            title=f"提出建议：{suggestion.title}"[:120],
                            source_key=source,
                        )
                    )
                else:
                    signatures.append(Signature(suggestion=suggestion, deputy_id=deputy_id))
    Signature.objects.bulk_create(signatures, batch_size=1000)
    Activity.objects.bulk_create(activities, batch_size=1000, ignore_conflicts=True)
    points_apply(kind=Activity.Kind.SUGGESTION)  # priced by the points table, one UPDATE

    # Intake and hand-over, then what the unit and the deputy did, as far as time allows.
    handovers: list[Handover] = []
    handed: list[tuple[Suggestion, dict, Handover]] = []
    merged_into: dict[int, int] = {}
    # The re-handled: handover index -> (first answer on, its class, rated 不满意 on).
    rehandled: dict[int, tuple[dt.date, str, dt.date]] = {}
    last_of: dict[tuple[int, str], Suggestion] = {}
    for suggestion, fate, p in zip(suggestions, fates, plans, strict=True):
        congress = (p["region"].pk, p["level"])
        if fate in ("draft", "submitted"):
            continue
        if fate == "accepted":
            suggestion.status = Suggestion.Status.ACCEPTED
            continue
        if fate == "merged" and congress in last_of:
            suggestion.status = Suggestion.Status.MERGED
            suggestion.merged_into = last_of[congress]
            merged_into[suggestion.pk] = last_of[congress].pk
            suggestion.intake_reason = (
                f"与第{last_of[congress].number}号建议反映的问题相同，并案办理。"
            )
            continue
        if fate in ("merged", "converted"):
            suggestion.status = Suggestion.Status.CONVERTED
            suggestion.converted_to = Suggestion.ConvertedTo.LETTER
            suggestion.intake_reason = "所提问题属个人具体诉求，转为群众来信交有关部门办理。"
            continue
        last_of[congress] = suggestion
        handed_on = min(today, p["day"] + dt.timedelta(days=rng.randint(5, 20)))
        due_on = add_months(handed_on, 3)
        keeper = (secretaries.get(p["region"].pk) if p["level"] != Level.CITY else None) or staff.pk
        rater = users_of.get(suggestion.lead_id) or keeper
        handover = Handover(
            kind="suggestion",
            subject_type=content_type,
            subject_id=suggestion.pk,
            title=suggestion.title,
            region=p["region"],
            unit=p["unit"],
            checked_by="rating",
            rater_id=rater,
            handed_on=handed_on,
            handed_by_id=keeper,
            first_due_on=due_on,
            due_on=due_on,
            state=Handover.State.HANDED,
        )
        # What happened since: answered (a tenth after the deadline), some still late.
        if due_on < today and rng.random() < 0.08:
            pass  # still with the unit, past its deadline
        else:
            took = rng.randint(20, 85) if rng.random() < 0.9 else rng.randint(95, 130)
            answered_on = handed_on + dt.timedelta(days=took)
            if answered_on <= today:
                answer_class = rng.choices("ABC", weights=[45, 40, 15])[0]
                handover.state = Handover.State.ANSWERED
                handover.answer = ANSWERS[answer_class]
                handover.answer_class = answer_class
                handover.answered_on = answered_on
                rated_on = answered_on + dt.timedelta(days=rng.randint(3, 25))
                if rated_on <= today and rng.random() < 0.07:
                    # 不满意: sent back once, due a month later; answered again or not yet.
                    again = rated_on + dt.timedelta(days=rng.randint(10, 40))
                    rehandled[len(handovers)] = (answered_on, answer_class, rated_on)
                    handover.round = 2
                    handover.due_on = add_months(rated_on, 1)
                    handover.state = Handover.State.RETURNED
                    handover.answer = handover.answer_class = ""
                    handover.answered_on = None
                    if again <= today:
                        second = rng.choices("ABC", weights=[40, 35, 25])[0]
                        handover.state = Handover.State.ANSWERED
                        handover.answer = ANSWERS[second]
                        handover.answer_class = second
                        handover.answered_on = again
                        closed_on = again + dt.timedelta(days=rng.randint(3, 20))
                        if closed_on <= today:
                            handover.state = Handover.State.CLOSED
                            handover.rating = rng.choices(
                                ["basic", "satisfied", "unsatisfied"], weights=[50, 20, 30]
                            )[0]
                            handover.closure = Handover.Closure.RATED
                            handover.closed_on = closed_on
                elif rated_on <= today and rng.random() < 0.92:
                    handover.state = Handover.State.CLOSED
                    handover.rating = rng.choices(["satisfied", "basic"], weights=[62, 38])[0]
                    handover.closure = Handover.Closure.RATED
                    handover.closed_on = rated_on
                    if answer_class == "B" and rng.random() < 0.4:
                        solved = rated_on + dt.timedelta(days=rng.randint(20, 90))
                        if solved <= today:
                            handover.solved_on = solved
                elif (today - answered_on).days > 45:
                    handover.state = Handover.State.CLOSED
                    handover.closure = Handover.Closure.NO_FEEDBACK
                    handover.closed_on = answered_on + dt.timedelta(days=35)
        handovers.append(handover)
        handed.append((suggestion, p, handover))
    Handover.objects.bulk_create(handovers, batch_size=500)
    late = sum(1 for h in handovers if h.state in Handover.WITH_UNIT and h.due_on < today)
    # The suggestion mirrors its handover; a key one has the leader.
    status_of = {
        Handover.State.HANDED: Suggestion.Status.HANDED,
        Handover.State.RETURNED: Suggestion.Status.HANDED,
        Handover.State.ANSWERED: Suggestion.Status.ANSWERED,
        Handover.State.CLOSED: Suggestion.Status.CLOSED,
    }
    for suggestion, _p, handover in handed:
        suggestion.handover = handover
        suggestion.status = status_of[Handover.State(handover.state)]
    for index, (suggestion, _p, handover) in enumerate(handed):
        if index % 40 == 7 and leader is not None:
            suggestion.is_key, suggestion.leader = True, leader
            handover.leader = leader
    Handover.objects.bulk_update([h for _s, _p, h in handed if h.leader_id], ["leader"])
    Suggestion.objects.bulk_update(
        suggestions,
        ["status", "handover", "merged_into", "intake_reason", "converted_to", "is_key", "leader"],
        batch_size=500,
    )

    # Helping units (one in eight: another department of the same area) and the steps.
    assists: list[Assist] = []
    steps: list[Step] = []
    tz = timezone.get_current_timezone()

    def at(day: dt.date, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tz)

    same_area: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        same_area[unit.region_id].append(unit)
    for index, (_suggestion, p, handover) in enumerate(handed):
        if rng.random() < 0.125:
            others = [u for u in same_area[p["unit"].region_id] if u.pk != p["unit"].pk]
            if others:
                helper = rng.choice(others)
                assist_due = add_months(handover.handed_on, 1)
                sent = handover.handed_on + dt.timedelta(days=rng.randint(10, 28))
                assists.append(
                    Assist(
                        handover=handover,
                        unit=helper,
                        due_on=assist_due,
                        opinion="同意主办单位意见，将在职责范围内配合推进。"
                        if sent <= today
                        else "",
                        sent_on=sent if sent <= today else None,
                    )
                )
        unit = handover.unit
        steps.append(
            Step(
                handover=handover,
                action="handed",
                at=at(handover.handed_on),
                by_id=handover.handed_by_id,
                unit=unit,
                due_on=handover.first_due_on,
            )
        )
        first = rehandled.get(index)
        if first is not None:
            first_on, first_class, unhappy_on = first
            steps += [
                Step(
                    handover=handover,
                    action="answered",
                    at=at(first_on, 15),
                    unit=unit,
                    text=ANSWERS[first_class],
                    answer_class=first_class,
                ),
                Step(
                    handover=handover,
                    action="rated",
                    at=at(unhappy_on, 16),
                    by_id=handover.rater_id,
                    unit=unit,
                    rating="unsatisfied",
                    text="答复与群众期盼差距较大，请进一步研究。",
                ),
                Step(
                    handover=handover,
                    action="returned",
                    round=2,
                    at=at(unhappy_on, 16),
                    by_id=handover.rater_id,
                    unit=unit,
                    due_on=handover.due_on,
                ),
            ]
        if handover.answered_on:
            steps.append(
                Step(
                    handover=handover,
                    action="answered",
                    round=handover.round,
                    at=at(handover.answered_on, 15),
                    unit=unit,
                    text=handover.answer,
                    answer_class=handover.answer_class,
                )
            )
        if handover.closure == Handover.Closure.RATED:
            steps.append(
                Step(
                    handover=handover,
                    action="rated",
                    round=handover.round,
                    at=at(handover.closed_on, 16),
                    by_id=handover.rater_id,
                    unit=unit,
                    rating=handover.rating,
                )
            )
        elif handover.closure == Handover.Closure.NO_FEEDBACK:
            steps.append(
                Step(
                    handover=handover,
                    action="closed",
                    at=at(handover.closed_on, 11),
                    by_id=handover.handed_by_id,
                    unit=unit,
                )
            )
        if handover.solved_on:
            steps.append(
                Step(
                    handover=handover,
                    action="solved",
                    at=at(handover.solved_on, 14),
                    unit=unit,
                    text="项目已完工，经代表实地查看，问题已解决。",
                )
            )
    Assist.objects.bulk_create(assists, batch_size=1000)
    Step.objects.bulk_create(steps, batch_size=2000)

    # The receptions link to the suggestion they became.
    linked = [s for s in suggestions if s.reception_id]
    Reception.objects.bulk_update(
        [
            Reception(pk=s.reception_id, follow_up_type=content_type, follow_up_id=s.pk)
            for s in linked
        ],
        ["follow_up_type", "follow_up_id"],
        batch_size=500,
    )
    return {
        "suggestions": len(suggestions),
        "from_receptions": len(linked),
        "handovers": len(handovers),
        "late": late,
    }


def _demo_deputy(today: dt.date) -> None:
    """陆友红's own suggestions, through the services: one rated 不满意 and re-handled
    (closed 基本满意 on the second answer), one answered waiting for her rating, one
    draft from a reception waiting for her confirmation."""
    account = User.objects.filter(username="deputy").first()
    me = Deputy.objects.filter(user=account).first() if account else None
    secretary = User.objects.filter(username="secretary").first()
    county_unit = User.objects.filter(username="county-unit").first()
    if me is None or secretary is None or county_unit is None or account is None:
        return
    township = me.region
    if (
        not Mandate.objects.active()
        .filter(deputy=me, level=Level.TOWNSHIP, region=township)
        .exists()
    ):
        return
    unit = county_unit.unit

    def handed(title: str, content: str, category: str, day: dt.date) -> Suggestion:
        suggestion = suggestion_submit(
            by=account,
            level=Level.TOWNSHIP,
            region=township,
            title=title,
            content=content,
            category=category,
            on=day,
        )
        suggestion = suggestion_accept(
            suggestion=suggestion, by=secretary, version=suggestion.version
        )
        return suggestion_hand_over(
            suggestion=suggestion,
            by=secretary,
            unit=unit,
            version=suggestion.version,
            on=day + dt.timedelta(days=7),
        )

    road = handed(
        "关于加快大埠至黄金街道路硬化的建议",
        "大埠至黄金街道路约3公里，坑洼严重，雨天群众出行困难。建议列入农村公路建设计划，尽快硬化。",
        "roads",
        today - dt.timedelta(days=150),
    )
    start = today - dt.timedelta(days=143)
    handover = handover_answer(
        handover=road.handover,
        by=county_unit,
        text="已纳入明年农村公路建设项目库，待资金到位后实施。",
        answer_class="B",
        on=start + dt.timedelta(days=60),
    )
    handover = handover_rate(
        handover=handover,
        by=account,
        rating="unsatisfied",
        comment="群众盼修多年，希望今年内开工，请明确开工时间。",
        on=start + dt.timedelta(days=70),
    )
    handover = handover_answer(
        handover=handover,
        by=county_unit,
        text="经再次研究，已调整今年计划，该路段于下月开工，年底前完成硬化。",
        answer_class="A",
        on=start + dt.timedelta(days=90),
    )
    handover_rate(handover=handover, by=account, rating="basic", on=start + dt.timedelta(days=95))

    bus = handed(
        "关于增开黄茅园镇至县城农村客运班线的建议",
        "目前每天仅两趟班车，群众赶集、就医不便，建议增开班次。",
        "roads",
        today - dt.timedelta(days=60),
    )
    handover_answer(
        handover=bus.handover,
        by=county_unit,
        text="已协调客运公司自下月起每天增开两个班次。",
        answer_class="A",
        on=today - dt.timedelta(days=5),
    )

    reception = (
        Reception.objects.filter(
            station__region=township,
            handling=Reception.Handling.SUGGESTION,
            follow_up_id__isnull=True,
        )
        .order_by("-received_at")
        .first()
    )
    if reception is not None:
        suggestion_draft_from_reception(
            by=secretary,
            reception=reception,
            lead=me,
            level=Level.TOWNSHIP,
            region=township,
            title="关于解决金中村安全饮水问题的建议",
            content=f"{reception.content}。建议镇政府会同县水利局实施管网改造。",
            category=reception.category,
        )
    # Someone else's suggestion she is asked to co-sign.
    other = (
        Suggestion.objects.filter(region=township, level=Level.TOWNSHIP, status="submitted")
        .exclude(lead=me)
        .order_by("-pk")
        .first()
    )
    if other is not None:
        Signature.objects.get_or_create(suggestion=other, deputy=me)
