"""Demo oversight: the standing committees' members, the city's 2026 oversight plan and
its cases — the environmental law-enforcement inspection 环境保护法执法检查 run jointly
with the county and township congresses (三级联动), its 82 problems (扬尘污染 and 太平溪治理
among them) in every state of the loop, with the second unannounced visit 二次暗访, the
second list 二次清单 and the second review 二次审议 — and review opinions 审议意见 to the
government, the supervisory commission, the court and the procuratorate with their
report-backs.

The loop runs through the services (the handovers, their steps and notices are the real
ones); the rest is bulk inserts. Safe to run again: it returns at once when the plan is
there.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count

from deputies.models import CommitteeMembership, Deputy, Level, Mandate
from handovers.services import handover_answer
from organisation.congresses import CongressLevel
from organisation.demo import DEMO_PASSWORD
from organisation.models import Region, Unit, User
from organisation.roles import Role
from organisation.services import unit_ensure, user_ensure
from oversight import hearing_demo, services
from oversight.models import Case, CaseStage, Kind, Participant, Plan, PlanItem, Problem
from oversight.models import VisitFinding as Finding

D = dt.date
YEAR = 2026
ENV_TITLE = "《中华人民共和国环境保护法》执法检查"
CITY_TERM = "怀化市第六届人民代表大会常务委员会"

# (quarter, kind, title, lead committee): 怀化市人大常委会2026年度监督工作计划.
PLAN = [
    (
        1,
        Kind.WORK_REPORT,
        "听取审议市政府关于2025年度环境状况和环境保护目标完成情况的报告",
        "环资城建委",
    ),
    (1, Kind.BUDGET, "市级预算执行情况联网监督", "预工委"),
    (2, Kind.LAW_INSPECTION, ENV_TITLE, "环资城建委"),
    (2, Kind.WORK_REPORT, "听取审议市中级人民法院关于执行工作情况的报告", "监察司法委"),
    (2, Kind.RESEARCH, "全市民营经济发展环境专题调研", "财经委"),
    (
        3,
        Kind.WORK_REPORT,
        "听取审议市监察委员会关于整治群众身边不正之风和腐败问题工作情况的报告",
        "监察司法委",
    ),
    (3, Kind.WORK_REPORT, "听取审议市人民检察院关于公益诉讼检察工作情况的报告", "监察司法委"),
    (3, Kind.INQUIRY, "就农村饮水安全工作开展专题询问", "农业农村委"),
    (3, Kind.RESEARCH, "乡村振兴重点帮扶县产业发展专题调研", "农业农村委"),
    (4, Kind.SATISFACTION, "对市政府组成部门年度工作开展满意度测评", "代表工委"),
    (4, Kind.APPRAISAL, "对市卫生健康委员会开展工作评议", "教科文卫委"),
    (4, Kind.LAW_INSPECTION, "《湖南省大气污染防治条例》执法检查", "环资城建委"),
]

# The bodies review opinions go to, each with a contact: (name, short, username, contact).
BODIES = [
    ("怀化市人民政府", "市政府", "unit-szf", "唐建林"),
    ("怀化市监察委员会", "市监委", "unit-sjw", "周雪梅"),
    ("怀化市中级人民法院", "市中院", "unit-zy", "龙慧君"),
    ("怀化市人民检察院", "市检察院", "unit-jcy", "彭立新"),
    ("怀化市住房和城乡建设局", "市住建局", "unit-zjj", "杨晓红"),
    ("怀化市水利局", "市水利局", "unit-slj", "滕志刚"),
]

PLACES = [
    "鹤城区城东新区",
    "鹤城区迎丰路",
    "怀化经开区",
    "中方县城",
    "溆浦县城北片区",
    "太平桥街道",
    "城中街道",
    "舞水河鹤城段",
    "黄茅园镇",
    "洪江区",
]
# (problem, the unit's name, measures), ``{place}`` filled in.
ISSUES = [
    (
        "{place}建筑工地扬尘污染防治“六个百分之百”落实不到位",
        "怀化市住房和城乡建设局",
        "开展建筑工地扬尘专项整治，落实围挡、覆盖、洒水、冲洗措施，安装在线监测",
    ),
    (
        "太平溪{segment}段沿岸生活污水直排",
        "鹤城区水利局",
        "完成截污管网建设，封堵直排口，实行河长巡河制度",
    ),
    (
        "{place}渣土运输车辆未密闭、沿路抛洒",
        "鹤城区交通运输局",
        "对渣土车辆全部加装密闭装置，联合执法查处沿路抛洒",
    ),
    (
        "太平溪{segment}段河道垃圾清理不及时",
        "太平桥街道办事处",
        "落实保洁人员，每日清理河面漂浮物，建立台账",
    ),
    (
        "{place}道路施工裸土未覆盖，扬尘污染明显",
        "鹤城区住房和城乡建设局",
        "裸土全部覆盖防尘网，施工路段每日洒水不少于三次",
    ),
    (
        "太平溪{segment}段雨污管网混接错接",
        "怀化市住房和城乡建设局",
        "排查混接错接点位，制定改造计划，年内完成改造",
    ),
    (
        "{place}餐饮油烟净化设施未正常使用",
        "怀化市生态环境局",
        "督促餐饮单位安装并正常使用油烟净化设施，定期清洗",
    ),
    (
        "{place}工业企业挥发性有机物治理设施运行不正常",
        "怀化市生态环境局",
        "责令企业限期整改，纳入重点排污单位监管",
    ),
    ("{place}乡镇垃圾中转站渗滤液未规范处理", "黄茅园镇人民政府", "建设渗滤液收集池，定期转运处置"),
    ("{place}河道非法采砂整治不彻底", "怀化市水利局", "开展非法采砂专项打击，恢复河道原貌"),
    ("{place}农村黑臭水体治理进度滞后", "鹤城区农业农村局", "制定治理方案，完成清淤和生态修复"),
    (
        "{place}饮用水水源保护区内存在违规建筑",
        "怀化市水利局",
        "依法拆除保护区内违规建筑，设置界标和隔离设施",
    ),
    (
        "{place}城区污水处理厂进水浓度偏低、管网不配套",
        "中方县住房和城乡建设局",
        "实施管网提质增效工程，提高收集率",
    ),
    ("{place}畜禽养殖场粪污处理设施不完善", "中方县农业农村局", "完善粪污处理设施，推进资源化利用"),
    ("{place}秸秆露天焚烧管控不到位", "溆浦县交通运输局", "加强巡查和宣传，推广秸秆综合利用"),
]
SEGMENTS = ["上游", "中游", "下游", "城区", "入河口"]

# The fate of each of the 82 problems, by count (see the module's diagram).
FATES = [
    ("verified_visit", 52),
    ("verified_office", 2),
    ("second_reported", 4),
    ("second_list", 6),
    ("unresolved", 5),
    ("reported", 5),
    ("rectifying_late", 3),
    ("rectifying", 3),
    ("found", 2),
]
UNRESOLVED_REASONS = [
    "涉及跨区域流域整体治理，需纳入省级项目统筹解决，转入长效监督",
    "历史遗留违建产权复杂，需经司法程序处置，转入下一年度监督计划",
    "管网改造需与城市更新项目同步实施，列入市政府重点督办事项",
]


def seed(stdout=None) -> dict:
    city = Region.objects.filter(level=Region.Level.CITY).first()
    if city is None or Plan.objects.filter(region=city, year=YEAR).exists():
        return {"accounts": []}
    staff = User.objects.filter(username="staff").first()
    if staff is None:
        return {"accounts": []}
    accounts = _bodies(city)
    _memberships(city)
    plan = Plan.objects.create(
        region=city,
        level=CongressLevel.CITY,
        year=YEAR,
        title="怀化市人大常委会2026年度监督工作计划",
        adopted_on=D(2026, 2, 26),
    )
    items = PlanItem.objects.bulk_create(
        [
            PlanItem(plan=plan, quarter=q, kind=kind, title=title, lead_committee=lead)
            for q, kind, title, lead in PLAN
        ]
    )
    by_title = {item.title: item for item in items}
    env = _environment_case(city, staff, by_title[ENV_TITLE])
    _other_cases(city, staff, by_title, env)
    if stdout:
        stdout.write(
            f"    oversight: {Case.objects.count()} cases, "
            f"{Problem.objects.filter(case=env).count()} problems in {ENV_TITLE}"
        )
    # 会同县's satisfaction test and 靖州's interpellation (oversight/hearing_demo.py).
    accounts += hearing_demo.seed(stdout)["accounts"]
    return {"accounts": accounts}


def _bodies(city: Region) -> list[User]:
    accounts = []
    for name, short, username, contact in BODIES:
        unit = unit_ensure(name=name, short_name=short, kind=Unit.Kind.GOVERNMENT, region=city)
        if not User.objects.filter(role=Role.UNIT, unit=unit).exists():
            accounts.append(
                user_ensure(
                    username=username,
                    role=Role.UNIT,
                    password=DEMO_PASSWORD,
                    full_name=contact,
                    unit=unit,
                )
            )
    return accounts


def _memberships(city: Region) -> None:
    """常委会组成人员: the city's standing committee and each county's, from the deputies
    of that congress (a director, deputy directors, a secretary-general and members)."""
    if CommitteeMembership.objects.exists():
        return
    rng = random.Random(6202)  # nosec B311  (demo data, not a secret)
    rows = []
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    for region, level, size, term, started in [
        (city, Level.CITY, 40, CITY_TERM, D(2022, 1, 18)),
        *(
            (c, Level.COUNTY, 25, f"{c.name}第十八届人民代表大会常务委员会", D(2021, 12, 28))
            for c in counties
        ),
    ]:
        seats = list(
            Mandate.objects.filter(level=level, region=region, ended_on__isnull=True)
            .order_by("deputy_id")
            .values_list("deputy_id", flat=True)
        )
        chosen = rng.sample(seats, min(size, len(seats)))
        for n, deputy_id in enumerate(chosen):
            position = (
                CommitteeMembership.Position.DIRECTOR
                if n == 0
                else CommitteeMembership.Position.DEPUTY_DIRECTOR
                if n < 6
                else CommitteeMembership.Position.SECRETARY_GENERAL
                if n == 6
                else CommitteeMembership.Position.MEMBER
            )
            rows.append(
                CommitteeMembership(
                    deputy_id=deputy_id,
                    region=region,
                    level=level,
                    term=term,
                    position=position,
                    started_on=started,
                )
            )
    CommitteeMembership.objects.bulk_create(rows, batch_size=1000)


def _contact(unit: Unit) -> User:
    """The unit's contact (the organisation's demo made one for most units)."""
    found = User.objects.filter(role=Role.UNIT, unit=unit, is_active=True).order_by("pk").first()
    return found or user_ensure(
        username=f"unit-ov-{unit.pk}",
        role=Role.UNIT,
        password=DEMO_PASSWORD,
        full_name="联络员",
        unit=unit,
    )


def _problem_specs() -> list[tuple[str, str, str]]:
    specs: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    round_ = 0
    while len(specs) < 82:
        for i, (text, unit, measures) in enumerate(ISSUES):
            place = PLACES[(i + round_ * 3) % len(PLACES)]
            segment = SEGMENTS[(i + round_) % len(SEGMENTS)]
            title = text.format(place=place, segment=segment)
            if title in seen:
                title = f"{title}（{PLACES[(i + round_) % len(PLACES)]}复查）"
            if title in seen:
                continue
            seen.add(title)
            specs.append((title, unit, measures))
            if len(specs) == 82:
                break
        round_ += 1
    return specs


def _participants(case: Case, rng: random.Random, n: int) -> None:
    members = list(
        CommitteeMembership.objects.of_congress(case.region, case.level)
        .active_on(case.started_on or D(YEAR, 1, 1))
        .values_list("deputy_id", "position")
    )
    rows = []
    for i, (deputy_id, _position) in enumerate(rng.sample(members, min(n, len(members)))):
        role = Participant.Role.LEADER if i == 0 else Participant.Role.MEMBER
        rows.append(Participant(case=case, deputy_id=deputy_id, role=role))
    taken = {r.deputy_id for r in rows}
    deputies = list(
        Deputy.objects.filter(mandates__level=Level.CITY, mandates__region=case.region)
        .exclude(pk__in=taken)
        .values_list("pk", flat=True)[:40]
    )
    rows += [
        Participant(case=case, deputy_id=pk) for pk in rng.sample(deputies, min(4, len(deputies)))
    ]
    Participant.objects.bulk_create(rows)
    services._participation_activities(case)


def _environment_case(city: Region, staff: User, item: PlanItem) -> Case:
    """环境保护法执法检查: 82 problems through the whole loop."""
    rng = random.Random(82)  # nosec B311  (demo data, not a secret)
    units = {u.name: u for u in Unit.objects.filter(name__in={u for _t, u, _m in ISSUES})}
    case = services.case_create(
        region=city,
        level=CongressLevel.CITY,
        kind=Kind.LAW_INSPECTION,
        title=ENV_TITLE,
        year=YEAR,
        lead_committee="环资城建委",
        joint_levels=[CongressLevel.COUNTY, CongressLevel.TOWNSHIP],
        plan_item=item,
        summary=(
            "连续第八年听取环保专项报告。市县乡三级人大联动，聚焦扬尘污染、太平溪治理等突出问题"
            "开展执法检查，实行“二次暗访+二次清单+二次审议”全链条监督。"
        ),
        target_units=[u for u in units.values() if u.region_id == city.pk],
        started_on=D(2026, 4, 8),
        by=staff,
    )
    CaseStage.objects.bulk_create(
        [
            CaseStage(case=case, name=name, planned_on=planned, done_on=done)
            for name, planned, done in [
                ("制定检查方案", D(2026, 3, 20), D(2026, 3, 25)),
                ("市县乡三级联动实地检查", D(2026, 4, 8), D(2026, 4, 30)),
                (
                    "听取审议执法检查报告（市六届人大常委会第二十四次会议）",
                    D(2026, 6, 26),
                    D(2026, 6, 26),
                ),
                ("交办问题清单", D(2026, 6, 30), D(2026, 6, 30)),
                ("二次暗访", D(2026, 9, 15), D(2026, 9, 16)),
                ("交办二次清单", D(2026, 9, 20), D(2026, 9, 16)),
                ("二次审议（市六届人大常委会第二十八次会议）", D(2026, 11, 27), D(2026, 11, 27)),
                ("跟踪问效、问题销号", D(2026, 12, 31), None),
            ]
        ]
    )
    _participants(case, rng, 9)
    fates = [fate for fate, count in FATES for _ in range(count)]
    rng.shuffle(fates)
    # The first two, the headline ones, verified at the visit and after the second list.
    for want, index in (("verified_visit", 0), ("verified_office", 1)):
        j = fates.index(want, 2) if fates[index] != want else index
        fates[index], fates[j] = fates[j], fates[index]
    problems: list[tuple[Problem, str]] = []
    for (title, unit_name, measures), fate in zip(_problem_specs(), fates, strict=True):
        unit = units[unit_name]
        late_found = fate in ("reported", "rectifying")
        problem = Problem.objects.create(
            case=case,
            number=len(problems) + 1,
            title=title,
            unit=unit,
            measures=measures,
            due_on=D(2026, 12, 20) if late_found else D(2026, 8, 31),
        )
        problems.append((problem, fate))
    first = [p for p, fate in problems if fate not in ("reported", "rectifying", "found")]
    later = [p for p, fate in problems if fate in ("reported", "rectifying")]
    services.problems_hand_over(case=case, problems=first, by=staff, on=D(2026, 6, 30))
    # 回头看: more problems found by a follow-up check in October.
    services.problems_hand_over(case=case, problems=later, by=staff, on=D(2026, 10, 20))
    contacts = {u.pk: _contact(u) for u in units.values()}
    visited: dict[int, str] = {}
    for problem, fate in problems:
        if fate in ("rectifying_late", "rectifying", "found"):
            continue
        problem.refresh_from_db()
        day = (
            D(2026, 11, 25)
            if fate == "reported"
            else D(2026, 7, 20) + dt.timedelta(days=problem.number % 40)
        )
        handover_answer(
            handover=problem.handover,
            by=contacts[problem.unit_id],
            text=f"已按要求完成整改：{problem.measures}。整改情况已报市人大常委会环资城建委。",
            on=day,
        )
        if fate != "reported":
            visited[problem.pk] = (
                Finding.Outcome.RECTIFIED
                if fate == "verified_visit"
                else rng.choice([Finding.Outcome.PARTLY, Finding.Outcome.NOT])
            )
    services.visit_record(
        case=case,
        date=D(2026, 9, 16),
        who="市人大常委会环资城建委、部分常委会组成人员和市人大代表",
        notes="不打招呼、直奔现场，对已报整改的问题逐一暗访核查。",
        outcomes=visited,
        remarks={
            pk: ("围挡不全，未见洒水降尘" if "扬尘" in t else "现场仍有问题，整改不彻底")
            for pk, t in Problem.objects.filter(pk__in=visited).values_list("pk", "title")
            if visited[pk] != Finding.Outcome.RECTIFIED
        },
        by=staff,
    )
    # The second list: most report again; the office verifies some and closes some.
    for problem, fate in problems:
        if fate not in ("verified_office", "second_reported", "unresolved"):
            continue
        problem.refresh_from_db()
        handover_answer(
            handover=problem.handover,
            by=contacts[problem.unit_id],
            text="已对照二次清单逐项落实，补充整改佐证材料。",
            on=D(2026, 10, 10) + dt.timedelta(days=problem.number % 5),
        )
    reasons = iter(UNRESOLVED_REASONS * 2)
    for problem, fate in problems:
        problem.refresh_from_db()
        if fate == "verified_office":
            services.problem_verify(
                problem=problem, by=staff, notes="现场复核，整改到位", on=D(2026, 10, 25)
            )
        elif fate == "unresolved":
            services.problem_close_unresolved(
                problem=problem, by=staff, reason=next(reasons), on=D(2026, 11, 27)
            )
    case.refresh_from_db()
    services.second_review_record(
        case=case,
        by=staff,
        version=case.version,
        on=D(2026, 11, 27),
        meeting="市六届人大常委会第二十八次会议",
        notes=(
            "会议对执法检查发现问题整改情况进行二次审议，认为整改总体到位；"
            "对二次清单中尚未整改到位的问题，要求市人民政府督促责任单位限期整改，"
            "常委会将跟踪问效、逐项销号。"
        ),
    )
    return case


def _other_cases(city: Region, staff: User, items: dict[str, PlanItem], env: Case) -> None:
    rng = random.Random(2026)  # nosec B311  (demo data, not a secret)
    body = {u.short_name: u for u in Unit.objects.filter(name__in=[b[0] for b in BODIES])}
    made = {}
    for title, kind, started, lead in [
        (PLAN[0][2], Kind.WORK_REPORT, D(2026, 3, 10), "环资城建委"),
        (PLAN[1][2], Kind.BUDGET, D(2026, 1, 5), "预工委"),
        (PLAN[3][2], Kind.WORK_REPORT, D(2026, 5, 12), "监察司法委"),
        (PLAN[4][2], Kind.RESEARCH, D(2026, 5, 20), "财经委"),
        (PLAN[5][2], Kind.WORK_REPORT, D(2026, 7, 8), "监察司法委"),
        (PLAN[6][2], Kind.WORK_REPORT, D(2026, 8, 18), "监察司法委"),
    ]:
        case = services.case_create(
            region=city,
            level=CongressLevel.CITY,
            kind=kind,
            title=title,
            year=YEAR,
            lead_committee=lead,
            plan_item=items[title],
            started_on=started,
            by=staff,
        )
        _participants(case, rng, 5)
        made[title] = case
    for title in (PLAN[0][2], PLAN[3][2], PLAN[4][2]):
        case = made[title]
        Case.objects.filter(pk=case.pk).update(
            state=Case.State.FINISHED, finished_on=case.started_on + dt.timedelta(days=75)
        )
    # 审议意见 and their report-backs, reviewed at the standing committee's meetings.
    opinions = [
        # (case, body, title, issued, due, report day, review: (meeting, day, accepted))
        (
            made[PLAN[0][2]], "市政府",
            "关于市人民政府2025年度环境状况和环境保护目标完成情况报告的审议意见",
            D(2026, 3, 31), D(2026, 6, 30), D(2026, 6, 20),
            [("市六届人大常委会第二十四次会议", D(2026, 6, 26), True)],
        ),
        (
            env, "市政府",
            "关于检查《中华人民共和国环境保护法》实施情况报告的审议意见",
            D(2026, 6, 30), D(2026, 9, 30), D(2026, 9, 22),
            [("市六届人大常委会第二十七次会议", D(2026, 10, 28), True)],
        ),
        (
            made[PLAN[3][2]], "市中院",
            "关于市中级人民法院执行工作情况报告的审议意见",
            D(2026, 6, 30), D(2026, 9, 30), D(2026, 9, 25),
            [("市六届人大常委会第二十七次会议", D(2026, 10, 28), False)],
        ),
        (
            made[PLAN[5][2]], "市监委",
            "关于市监察委员会整治群众身边不正之风和腐败问题工作情况报告的审议意见",
            D(2026, 8, 31), D(2026, 11, 30), D(2026, 11, 18),
            [],
        ),
        (
            made[PLAN[6][2]], "市检察院",
            "关于市人民检察院公益诉讼检察工作情况报告的审议意见",
            D(2026, 9, 30), D(2026, 12, 31), None,
            [],
        ),
    ]  # fmt: skip
    texts = {
        "市政府": "一、进一步压实生态环境保护责任。二、加大扬尘污染和城市黑臭水体治理力度。三、完善生态环境保护督察整改长效机制。",
        "市中院": "一、着力解决执行难问题，提高执行到位率。二、加强执行规范化建设。三、推进执行联动机制。",
        "市监委": "一、持续整治群众身边不正之风和腐败问题。二、强化典型案例通报和警示教育。",
        "市检察院": "一、拓展公益诉讼办案领域。二、加强与行政机关的协作配合。",
    }
    for case, short, title, issued, due, reported, reviews in opinions:
        unit = body[short]
        opinion = services.opinion_issue(
            case=case,
            unit=unit,
            title=title,
            text=texts[short],
            due_on=due,
            issued_on=issued,
            by=staff,
        )
        if reported is None:
            continue
        opinion.refresh_from_db()
        handover_answer(
            handover=opinion.handover,
            by=_contact(unit),
            text="关于审议意见研究处理情况的报告：已逐条研究，制定落实措施，明确责任单位和完成时限。",
            on=reported,
        )
        for meeting, day, accepted in reviews:
            opinion.refresh_from_db()
            services.opinion_review(
                opinion=opinion,
                by=staff,
                meeting=meeting,
                date=day,
                accepted=accepted,
                notes="" if accepted else "报告对执行难问题的分析不够深入，要求三个月内再次报告。",
            )


def counts() -> dict:
    """What the demo made, for a look from the shell."""
    return dict(Problem.objects.values_list("state").annotate(n=Count("pk")))
