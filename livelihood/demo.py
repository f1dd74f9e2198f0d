"""Demo livelihood projects: about a thousand proposals across the demo city in every
stage, written in bulk, and the fund pools that pay for them.

- Most are township projects (村道硬化, 饮水管网, 山塘, 路灯…), some county and city ones.
- About 60 % of the receptions marked "turned into a livelihood-project proposal" became
  one: the reception links to it (``follow_up``), as the office's one step makes it.
- Deputies of each congress comment on the proposals in deliberation.
- Pools: each township's own, each county's and the city's; 溆浦县 also set aside 200万
  for its townships' projects (县财政安排预算200万元，用于乡镇民生实事票决项目).
- Candidate lists and their votes come with the sessions (``ballots``), see
  :func:`seed_sessions`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils import timezone

from ballots.models import Ballot, CheckIn, Code, CongressSession, Option, Poll, RollEntry
from ballots.services import (
    ALPHABET,
    RECEIPT_LENGTH,
    ballot_cast,
    check_in,
    code_hash,
    codes_issue,
    poll_close,
    poll_open,
    poll_publish,
    session_close,
    session_create,
    session_open,
)
from deputies.models import Activity, Deputy, Mandate
from deputies.services import points_apply
from liaison_stations.models import Reception
from livelihood import supervision_demo
from livelihood.demo_delivery import seed_delivery
from livelihood.models import Candidate, CandidateList, Comment, FundPool, Level, Proposal
from livelihood.services import (
    candidate_add,
    candidate_list_create,
    candidate_list_decide,
    candidate_list_fix,
)
from organisation.models import Region, User
from organisation.roles import Role

VILLAGES = [
    "金中",
    "马田",
    "岩屋",
    "长坪",
    "桐木",
    "青龙",
    "石桥",
    "大坪",
    "中心",
    "新塘",
    "枫香",
    "竹园",
    "白岩",
    "杨柳",
    "沙坪",
]
#: (title, description, cost range in 万元, beneficiaries range); {v} and {w} are villages.
TOWNSHIP_PROJECTS = [
    (
        "{v}至{w}道路硬化",
        "通组公路坑洼多年，雨天出行困难，硬化后方便群众出行和农产品外运。",
        (20, 80),
        (300, 1500),
    ),
    (
        "{v}村通组公路硬化",
        "该路段为土路，群众多次反映，建议硬化路面并设置错车道。",
        (15, 60),
        (200, 900),
    ),
    (
        "{v}村便民桥修建",
        "村民过河靠漫水桥，汛期断行，学生上学存在安全隐患。",
        (30, 90),
        (400, 1200),
    ),
    (
        "{v}村饮水管网改造",
        "饮水管网老化，夏季经常停水，改造后解决安全饮水问题。",
        (10, 50),
        (300, 2000),
    ),
    (
        "{v}村灌溉渠道清淤修缮",
        "渠道淤塞渗漏，影响春耕用水，修缮后保障农田灌溉。",
        (8, 40),
        (100, 600),
    ),
    ("{v}村山塘除险加固", "山塘漏水严重，汛期存在隐患，加固后恢复蓄水灌溉。", (10, 45), (100, 500)),
    ("{v}村路灯安装", "村内主干道无路灯，夜间出行不便，安装太阳能路灯。", (5, 20), (300, 1500)),
    ("{v}村垃圾收集点建设", "垃圾清运不及时，建设集中收集点并配置转运设施。", (5, 25), (500, 2000)),
    (
        "{v}村互助养老点建设",
        "留守老人多，日间照料需求大，建设村级互助养老点。",
        (15, 50),
        (80, 300),
    ),
    (
        "{v}村卫生室标准化改造",
        "村卫生室面积小、设备旧，按标准改造并充实常用药品。",
        (10, 35),
        (800, 3000),
    ),
    ("{v}村文体广场建设", "群众缺少活动场所，建设文体广场并配置健身器材。", (10, 40), (600, 2500)),
    (
        "{v}村留守儿童之家建设",
        "留守儿童放学后无人看管，建设留守儿童之家开展课后托管。",
        (8, 30),
        (60, 250),
    ),
]
#: The township projects a reception's category becomes (by index above).
FOR_CATEGORY = {
    "roads": [0, 1, 2],
    "water": [3, 4, 5],
    "agriculture": [4, 5],
    "environment": [7],
    "social": [8],
    "health": [9],
    "education": [11],
    "employment": [10],
    "disputes": [10],
    "other": [6, 10],
}
COUNTY_PROJECTS = [
    (
        "{r}城区背街小巷提质改造",
        "背街小巷路面破损、排水不畅，实施路面、管网和照明改造。",
        (200, 800),
        (5000, 30000),
    ),
    (
        "{r}农贸市场提质改造",
        "市场设施陈旧、卫生条件差，改造后规范经营。",
        (150, 600),
        (10000, 50000),
    ),
    (
        "{r}城区学校周边交通安全设施建设",
        "上下学时段交通秩序混乱，设置护学岗、减速带和停车区。",
        (60, 200),
        (3000, 15000),
    ),
    (
        "{r}乡镇卫生院儿科门诊建设",
        "儿童就医需到县城，在中心卫生院设儿科门诊。",
        (100, 400),
        (20000, 60000),
    ),
]
CITY_PROJECTS = [
    (
        "城区老旧小区改造",
        "改造供水、供电、道路和绿化，加装电梯试点。",
        (1500, 4000),
        (20000, 60000),
    ),
    ("城区公厕提质改造", "新建和改造城区公厕，配置无障碍设施。", (500, 1500), (100000, 300000)),
    ("中心城区停车场建设", "新增公共停车泊位，缓解停车难。", (800, 2500), (50000, 150000)),
    ("城区社区食堂建设", "为老年人提供助餐服务。", (300, 900), (10000, 40000)),
]
COMMENTS = [
    "这个项目群众呼声很高，建议优先安排。",
    "同意列入，建议先做好工程测算，控制造价。",
    "受益面广，建议纳入储备库。",
    "建议与相邻村统筹实施，避免重复建设。",
    "资金量较大，建议分期实施。",
    "我走访过，情况属实，群众盼望早日解决。",
]
FEASIBILITY = "经实地踏勘，项目选址明确，群众支持，技术方案可行。"
FUND_SOURCES = ["乡镇财政资金", "县级民生实事专项资金", "上级补助资金和乡镇配套", "市级专项资金"]
REJECT_REASONS = [
    "该事项已列入县交通局年度计划，不再重复立项。",
    "项目涉及基本农田，选址不符合规划，暂不列入。",
    "建议事项属于村民自治范围，由村委会通过一事一议解决。",
]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 10, high * 10)) / 10


def seed(stdout=None) -> dict:
    if Proposal.objects.exists():
        # 办 Implement came later: a database seeded before it gets its part once.
        told = seed_delivery(timezone.localdate().year)
        if stdout and told != "already seeded":
            stdout.write(f"    {told}")
        return {}
    # Demo data, seeded so every run makes the same projects (not a secret).
    rng = random.Random(20261206)  # nosec B311
    today = timezone.localdate()
    now = timezone.now()
    year = today.year
    regions = list(Region.objects.order_by("path"))
    city = next(r for r in regions if r.level == Region.Level.CITY)
    counties = [r for r in regions if r.level == Region.Level.COUNTY]
    townships = [r for r in regions if r.level == Region.Level.TOWNSHIP]
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    secretaries = dict(
        User.objects.filter(role=Role.SECRETARY, is_active=True)
        .order_by("pk")
        .values_list("region_id", "pk")
    )
    seats: dict[tuple[str, int], list[int]] = defaultdict(list)
    for level, region_id, deputy_id in (
        Mandate.objects.active()
        .filter(level__in=Level.values)
        .order_by("deputy_id")
        .values_list("level", "region_id", "deputy_id")
    ):
        seats[(level, region_id)].append(deputy_id)
    users_of = dict(Deputy.objects.filter(user__isnull=False).values_list("pk", "user_id"))

    def office_of(region: Region) -> int | None:
        return (
            secretaries.get(region.pk)
            or secretaries.get(region.parent_id)
            or (staff.pk if staff else None)
        )

    def when(days_back: int) -> dt.datetime:
        return now - dt.timedelta(days=days_back, minutes=rng.randint(0, 600))

    proposals: list[Proposal] = []
    named: set[tuple[int, str]] = set()

    def add(level: str, region: Region, spec, *, reception: Reception | None = None) -> None:
        title, description, cost, people = spec
        for _attempt in range(8):  # one congress seldom has two projects of one name
            v, w = rng.sample(VILLAGES, 2)
            if reception is not None and reception.village:
                v = reception.village.removesuffix("村")
            name = title.format(v=v, w=w, r=region.name)
            if (region.pk, name) not in named:
                break
        named.add((region.pk, name))
        source = (
            Proposal.Source.CONSTITUENT
            if reception is not None
            else rng.choice(list(Proposal.Source))
        )
        deputy_id = None
        proposer = office_of(region)
        if source == Proposal.Source.DEPUTY and seats.get((level, region.pk)):
            deputy_id = rng.choice(seats[(level, region.pk)])
            proposer = users_of.get(deputy_id)
        elif source == Proposal.Source.DEPUTY:
            source = Proposal.Source.GOVERNMENT
        days_back = rng.randint(0, 540)
        if reception is not None:
            days_back = max((today - timezone.localdate(reception.received_at)).days - 3, 0)
        proposals.append(
            Proposal(
                level=level,
                region=region,
                year=(today - dt.timedelta(days=days_back)).year,
                title=name[:120],
                place=(f"{region.name}{v}村" if level == Level.TOWNSHIP else region.name)[:80],
                description=description if reception is None else reception.content,
                estimated_cost=_money(rng, *cost),
                beneficiaries=rng.randint(*people),
                source=source,
                proposer_id=proposer,
                proposer_deputy_id=deputy_id,
                reception=reception,
                created_at=when(days_back),
            )
        )

    # From receptions: about 60 % of those marked "turned into a proposal".
    marked = list(
        Reception.objects.filter(handling=Reception.Handling.PROJECT, follow_up_id__isnull=True)
        .select_related("station__region")
        .order_by("pk")
    )
    linked = [r for r in marked if rng.random() < 0.6]
    for reception in linked:
        region = reception.station.region
        if region.level != Region.Level.TOWNSHIP:
            continue
        fits = FOR_CATEGORY.get(reception.category, list(range(len(TOWNSHIP_PROJECTS))))
        add(Level.TOWNSHIP, region, TOWNSHIP_PROJECTS[rng.choice(fits)], reception=reception)
    # The rest: to a thousand across the congresses, most of them townships'.
    while len(proposals) < 1600:
        roll = rng.random()
        if roll < 0.03:
            add(Level.CITY, city, rng.choice(CITY_PROJECTS))
        elif roll < 0.15:
            add(Level.COUNTY, rng.choice(counties), rng.choice(COUNTY_PROJECTS))
        else:
            add(Level.TOWNSHIP, rng.choice(townships), rng.choice(TOWNSHIP_PROJECTS))

    # Stages: those made before their congress's session this year were screened in time
    # for it (the sessions make candidates of the reserve); the later ones are on their way.
    session_days = _session_days(rng, year, city, counties, townships)
    for p in proposals:
        age = (now - p.created_at).days
        roll = rng.random()
        before = timezone.localdate(p.created_at) < session_days[p.region_id] - dt.timedelta(
            days=20
        )
        if before:
            p.status = Proposal.Status.REJECTED if roll < 0.15 else Proposal.Status.RESERVE
        elif age < 30 and roll < 0.6:
            p.status = Proposal.Status.PROPOSED
        elif age < 90 and roll < 0.5:
            p.status = Proposal.Status.DELIBERATING
        elif roll < 0.15:
            p.status = Proposal.Status.REJECTED
        else:
            p.status = Proposal.Status.RESERVE
        if p.status == Proposal.Status.REJECTED:
            p.reject_reason = rng.choice(REJECT_REASONS)
        elif p.status == Proposal.Status.RESERVE:
            p.feasibility = FEASIBILITY
            p.fund_source = rng.choice(FUND_SOURCES)
        if p.status in (Proposal.Status.REJECTED, Proposal.Status.RESERVE):
            p.screened_on = timezone.localdate(p.created_at) + dt.timedelta(days=rng.randint(7, 18))
            p.screened_on = min(p.screened_on, today)
            p.screened_by_id = office_of(p.region)
    Proposal.objects.bulk_create(proposals, batch_size=500)

    # The receptions link to what they became.
    proposal_type = ContentType.objects.get_for_model(Proposal)
    by_reception = {p.reception_id: p.pk for p in proposals if p.reception_id}
    changed = []
    for reception in linked:
        if reception.pk in by_reception:
            reception.follow_up_type = proposal_type
            reception.follow_up_id = by_reception[reception.pk]
            changed.append(reception)
    Reception.objects.bulk_update(changed, ["follow_up_type", "follow_up_id"], batch_size=500)

    # Deliberation: a few deputies of the congress comment on all but the newest.
    comments = []
    for p in proposals:
        if p.status == Proposal.Status.PROPOSED:
            continue
        sitting = seats.get((p.level, p.region_id), [])
        for deputy_id in rng.sample(sitting, min(len(sitting), rng.randint(1, 3))):
            comments.append(
                Comment(
                    proposal=p,
                    deputy_id=deputy_id,
                    text=rng.choice(COMMENTS),
                    created_at=p.created_at + dt.timedelta(days=rng.randint(1, 15)),
                )
            )
    Comment.objects.bulk_create(comments, batch_size=1000)

    # The 飞跃桥 road and six other projects of 黄茅园镇, for its session in March.
    huangmaoyuan = next((t for t in townships if t.name == "黄茅园镇"), townships[0])
    seven = _huangmaoyuan_projects(huangmaoyuan, session_days[huangmaoyuan.pk], office_of)
    xupu = next((c for c in counties if c.name == "溆浦县"), counties[0])
    lists = _sessions(rng, year, session_days, city, counties, townships, huangmaoyuan, staff)
    pools = _pools(rng, year, city, counties, townships, xupu, lists)
    voted = _huangmaoyuan_session(rng, huangmaoyuan, session_days[huangmaoyuan.pk], seven)
    upcoming = _next_sessions(year + 1, huangmaoyuan, townships)
    delivered = seed_delivery(year)
    supervised = supervision_demo.seed(rng, huangmaoyuan, year, today)
    _record_activities()
    if stdout:
        stdout.write(
            f"    {len(proposals) + len(seven)} proposals ({len(changed)} from receptions), "
            f"{len(comments)} comments, {len(pools)} fund pools, {len(lists) + 1} sessions "
            f"with candidate lists ({voted}), {upcoming} for next year; {delivered}; "
            f"{supervised}"
        )
    return {}


def _record_activities() -> None:
    """The deputies' performance record, as the services would have written it, set-based:
    a session attended for each check-in present (never from a ballot), one deliberation
    per deputy and proposal commented on; then priced by the points table."""
    attended = CheckIn.objects.filter(on_leave=False, session__state=CongressSession.State.CLOSED)
    entries = [
        Activity(
            deputy_id=deputy_id,
            kind=Activity.Kind.SESSION,
            date=day,
            title=f"出席{name}",
            source_key=f"session:{session_pk}",
        )
        for deputy_id, session_pk, day, name in attended.values_list(
            "deputy", "session", "session__date", "session__name"
        )
    ]
    firsts = (
        Comment.objects.values("deputy", "proposal", "proposal__title")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    entries += [
        Activity(
            deputy_id=row["deputy"],
            kind=Activity.Kind.DELIBERATION,
            date=timezone.localdate(row["first"]),
            title=f"审议民生实事项目建议：{row['proposal__title']}"[:120],
            source_key=f"deliberation:{row['proposal']}",
        )
        for row in firsts
    ]
    Activity.objects.bulk_create(entries, batch_size=5000, ignore_conflicts=True)
    points_apply(kind=Activity.Kind.SESSION)
    points_apply(kind=Activity.Kind.DELIBERATION)


# --- Sessions -------------------------------------------------------------------------------

SESSION_NAMES = {
    Level.TOWNSHIP: "{r}七届人大四次会议",
    Level.COUNTY: "{r}十八届人大四次会议",
    Level.CITY: "{r}六届人大四次会议",
}
SLOTS = {Level.TOWNSHIP: 5, Level.COUNTY: 8, Level.CITY: 10}
HUANGMAOYUAN = [
    # The seeds' project: 315 m, over 1,000 people, voted in March, finished in September.
    (
        "大埠至黄金街飞跃桥道路硬化",
        "杨家山社区",
        "大埠至黄金街飞跃桥段公路路面油化，全长315米。",
        "46.8",
        1060,
    ),
    ("金中村饮水管网改造", "金中村", "更换主管网2.3公里，解决夏季停水问题。", "38.5", 860),
    ("马田村山塘除险加固", "马田村", "山塘大坝防渗加固，恢复蓄水灌溉。", "29.0", 420),
    ("黄茅园集镇路灯安装", "集镇", "集镇主干道安装太阳能路灯120盏。", "24.6", 3200),
    ("岩屋村便民桥修建", "岩屋村", "修建便民桥一座，解决汛期断行。", "52.0", 740),
    ("长坪村互助养老点建设", "长坪村", "改造闲置村部为互助养老点。", "31.2", 180),
    ("桐木村垃圾收集点建设", "桐木村", "建设垃圾集中收集点6处并配置转运设施。", "18.4", 950),
]


def _session_days(rng, year, city, counties, townships) -> dict[int, dt.date]:
    """The day of each congress's session this year (townships in February and March)."""
    days = {city.pk: dt.date(year, 1, 12)}
    for county in counties:
        days[county.pk] = dt.date(year, 1, rng.randint(5, 25))
    for township in townships:
        days[township.pk] = dt.date(year, 2, 15) + dt.timedelta(days=rng.randint(0, 44))
        if township.name == "黄茅园镇":
            days[township.pk] = dt.date(year, 3, 18)
    return days


def _huangmaoyuan_projects(region: Region, day: dt.date, office_of) -> list[Proposal]:
    made = day - dt.timedelta(days=120)
    rows = [
        Proposal(
            level=Level.TOWNSHIP,
            region=region,
            year=day.year,
            title=title,
            place=f"{region.name}{place}",
            description=description,
            estimated_cost=Decimal(cost),
            beneficiaries=people,
            source=Proposal.Source.CONSTITUENT if i % 2 else Proposal.Source.DEPUTY,
            proposer_id=office_of(region),
            status=Proposal.Status.RESERVE,
            feasibility=FEASIBILITY,
            fund_source="县级民生实事专项资金和乡镇配套",
            screened_on=made + dt.timedelta(days=30),
            screened_by_id=office_of(region),
            created_at=timezone.make_aware(dt.datetime.combine(made, dt.time(10))),
        )
        for i, (title, place, description, cost, people) in enumerate(HUANGMAOYUAN)
    ]
    return Proposal.objects.bulk_create(rows)


def _sessions(rng, year, days, city, counties, townships, skip, staff) -> list[CandidateList]:
    """A session of every congress this year but 黄茅园镇's (voted through the services, see
    :func:`_huangmaoyuan_session`), its candidate list drawn from the reserve, and its
    vote, written in bulk: roll, check-ins, spent and void codes, ballots, the tally."""
    offices = dict(
        User.objects.filter(role=Role.SECRETARY, is_active=True).values_list("region_id", "pk")
    )
    runner = staff.pk if staff else User.objects.order_by("pk").values_list("pk", flat=True)[0]
    seats: dict[tuple[str, int], list[int]] = defaultdict(list)
    for level, region_id, deputy_id in (
        Mandate.objects.active_on(dt.date(year, 1, 1))
        .filter(level__in=Level.values)
        .order_by("deputy_id")
        .values_list("level", "region_id", "deputy_id")
    ):
        seats[(level, region_id)].append(deputy_id)
    reserve: dict[tuple[str, int], list[Proposal]] = defaultdict(list)
    for p in Proposal.objects.filter(status=Proposal.Status.RESERVE).order_by("pk"):
        reserve[(p.level, p.region_id)].append(p)
    congresses = [(Level.CITY, city), *((Level.COUNTY, c) for c in counties)]
    congresses += [(Level.TOWNSHIP, t) for t in townships if t.pk != skip.pk]
    sessions, plans = [], []
    for level, region in congresses:
        day = days[region.pk]
        ready = [p for p in reserve[(level, region.pk)] if p.screened_on and p.screened_on < day][
            : SLOTS[level] + 2
        ]
        roll = seats[(level, region.pk)]
        if len(ready) < 2 or len(roll) < 3:
            continue
        sessions.append(
            CongressSession(
                name=SESSION_NAMES[level].format(r=region.name),
                region=region,
                level=level,
                date=day,
                state=CongressSession.State.CLOSED,
                created_by_id=offices.get(region.pk, runner),
            )
        )
        plans.append((ready, roll, min(SLOTS[level], len(ready) - 1)))
    CongressSession.objects.bulk_create(sessions, batch_size=500)
    polls = Poll.objects.bulk_create(
        [
            Poll(
                session=session,
                title=f"{session.name}民生实事项目票决",
                method="each",
                slots=slots,
                state=Poll.State.PUBLISHED,
            )
            for session, (_ready, _roll, slots) in zip(sessions, plans, strict=True)
        ],
        batch_size=500,
    )
    options = Option.objects.bulk_create(
        [
            Option(poll=poll, key=f"proposal:{p.pk}", label=p.title, order=i)
            for poll, (ready, _roll, _slots) in zip(polls, plans, strict=True)
            for i, p in enumerate(ready)
        ],
        batch_size=1000,
    )
    option_of = {(o.poll_id, o.key): o.pk for o in options}
    lists, candidates, entries, check_ins, codes, ballots = [], [], [], [], [], []
    receipts: set[str] = set()
    for session, poll, (ready, roll, slots) in zip(sessions, polls, plans, strict=True):
        present = [d for d in roll if rng.random() < 0.92]
        entries += [RollEntry(session=session, deputy_id=d) for d in roll]
        check_ins += [CheckIn(session=session, deputy_id=d) for d in present]
        # Distinct "for" counts: the stronger candidates pass, the last ones fall short.
        tallies = _tallies(rng, len(ready), len(present))
        votes: list[dict[str, str]] = [{} for _ in present]
        for p, yes in zip(ready, tallies, strict=True):
            pk = str(option_of[(poll.pk, f"proposal:{p.pk}")])
            order = list(range(len(present)))
            rng.shuffle(order)
            for n, i in enumerate(order):
                votes[i][pk] = "yes" if n < yes else rng.choice(["no", "abstain"])
        for choices in votes:
            receipt = _word(rng, receipts)
            ballots.append(Ballot(receipt=receipt, poll=poll, choices=choices))
        for i in range(len(present) + 3):
            codes.append(
                Code(
                    poll=poll,
                    hash=code_hash(_word(rng, receipts)),
                    state=Code.State.SPENT if i < len(present) else Code.State.VOID,
                    is_spare=i >= len(present),
                )
            )
        lists.append(
            CandidateList(
                session=session,
                slots=slots,
                poll=poll,
                state=CandidateList.State.FIXED,
                fixed_on=session.date - dt.timedelta(days=7),
            )
        )
    RollEntry.objects.bulk_create(entries, batch_size=2000)
    CheckIn.objects.bulk_create(check_ins, batch_size=2000)
    Code.objects.bulk_create(codes, batch_size=2000)
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    CandidateList.objects.bulk_create(lists, batch_size=500)
    for candidate_list, (ready, _roll, _slots) in zip(lists, plans, strict=True):
        candidates += [Candidate(candidate_list=candidate_list, proposal=p) for p in ready]
    Candidate.objects.bulk_create(candidates, batch_size=2000)
    for candidate_list, session in zip(lists, sessions, strict=True):
        Proposal.objects.filter(candidacies__candidate_list=candidate_list).update(
            status=Proposal.Status.CANDIDATE, year=session.date.year
        )
    return lists


def _tallies(rng, n: int, present: int) -> list[int]:
    """``n`` distinct "for" counts out of ``present`` ballots, strongest first."""
    counts: list[int] = []
    share = 0.97
    while len(counts) < n:
        yes = max(0, min(present, round(present * share)))
        if yes not in counts:
            counts.append(yes)
        share -= rng.uniform(0.04, 0.12)
        if share < 0:
            share = 0.0
            counts += [c for c in range(present) if c not in counts][: n - len(counts)]
    return counts[:n]


def _word(rng, used: set[str]) -> str:
    while True:
        word = "".join(rng.choice(ALPHABET) for _ in range(RECEIPT_LENGTH))
        if word not in used:
            used.add(word)
            return word


def _pools(rng, year, city, counties, townships, xupu, lists) -> list[FundPool]:
    """Last year's and this year's pools; each congress's own covers its candidates (溆浦县
    also set aside 200万 for its townships: 黄茅园镇's list draws on it)."""
    needs: dict[int, Decimal] = defaultdict(Decimal)
    for region_id, cost in Candidate.objects.filter(
        candidate_list__in=[c.pk for c in lists]
    ).values_list("proposal__region_id", "proposal__estimated_cost"):
        needs[region_id] += cost

    def enough(region: Region, base: int) -> Decimal:
        return max(Decimal(base), (needs[region.pk] / 50).quantize(Decimal(1)) * 50 + 50)

    pools = []
    for y in (year - 1, year):
        pools.append(
            FundPool(
                year=y, level=Level.CITY, region=city, funded_by=city, amount=enough(city, 20000)
            )
        )
        for county in counties:
            pools.append(
                FundPool(
                    year=y,
                    level=Level.COUNTY,
                    region=county,
                    funded_by=county,
                    amount=enough(county, 3000),
                )
            )
        pools.append(
            FundPool(
                year=y,
                level=Level.TOWNSHIP,
                region=xupu,
                funded_by=xupu,
                amount=Decimal(200),
                note="县财政安排预算200万元，用于乡镇民生实事票决项目",
            )
        )
        for township in townships:
            base = rng.choice([150, 200, 250, 300])
            if township.name == "黄茅园镇":
                base = 150
            pools.append(
                FundPool(
                    year=y,
                    level=Level.TOWNSHIP,
                    region=township,
                    funded_by=township,
                    amount=enough(township, base) if township.name != "黄茅园镇" else Decimal(base),
                )
            )
    FundPool.objects.bulk_create(pools, batch_size=500)
    for candidate_list in lists:
        candidate_list_decide(candidates=candidate_list)
    return pools


def _huangmaoyuan_session(rng, region: Region, day: dt.date, seven: list[Proposal]) -> str:
    """黄茅园镇七届人大四次会议 votes on its seven candidates for five projects through the
    ballot services: the list fixed, the deputies checked in, slips printed, ballots cast,
    the vote closed and published, the result recorded."""
    secretary = User.objects.filter(role=Role.SECRETARY, region=region, is_active=True).first()
    if secretary is None:
        return "no secretary of 黄茅园镇"
    session = session_create(
        name=SESSION_NAMES[Level.TOWNSHIP].format(r=region.name),
        region=region,
        level=Level.TOWNSHIP,
        date=day,
        by=secretary,
    )
    candidates = candidate_list_create(session=session, by=secretary, slots=5)
    for proposal in seven:
        candidate_add(candidates=candidates, proposal=proposal, by=secretary)
    candidates.refresh_from_db()
    poll = candidate_list_fix(
        candidates=candidates, by=secretary, version=candidates.version, on=day - dt.timedelta(7)
    )
    roll = session_open(session=session, by=secretary)
    deputies = list(session.roll.order_by("deputy_id").values_list("deputy", flat=True))
    absent = set(rng.sample(deputies, max(0, len(deputies) // 12)))
    for deputy in Deputy.objects.filter(pk__in=[d for d in deputies if d not in absent]):
        check_in(session=session, deputy=deputy, by=secretary)
    poll = Poll.objects.select_related("session").get(pk=poll.pk)  # the session is open now
    poll_open(poll=poll, by=secretary)
    codes = codes_issue(poll=poll, by=secretary, spares=3)
    present = roll - len(absent)
    keys = [f"proposal:{p.pk}" for p in seven]
    tallies = [round(present * share) for share in (0.97, 0.9, 0.84, 0.78, 0.7, 0.46, 0.31)]
    order = {key: rng.sample(range(present), present) for key in keys}
    for i, code in enumerate(codes[:present]):
        choices = {}
        for key, yes in zip(keys, tallies, strict=True):
            choices[key] = "yes" if order[key].index(i) < yes else rng.choice(["no", "abstain"])
        ballot_cast(code=code, choices=choices)
    poll_close(poll=poll, by=secretary)
    poll_publish(poll=poll, by=secretary)
    session_close(session=session, by=secretary)
    candidate_list_decide(candidates=candidates)
    return f"黄茅园镇: {roll} on the roll, {present} voted"


def _next_sessions(year: int, huangmaoyuan: Region, townships: list[Region]) -> int:
    """Next year's first township sessions of 溆浦县: their pools set, their lists fixed
    (the vote to come); 黄茅园镇's list still being drawn up by its secretary."""
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    secretary = User.objects.filter(role=Role.SECRETARY, region=huangmaoyuan).first()
    if admin is None or secretary is None:
        return 0
    county = huangmaoyuan.parent
    made = 0
    for i, township in enumerate(t for t in townships if t.parent_id == county.pk):
        reserve = list(
            Proposal.objects.filter(
                level=Level.TOWNSHIP, region=township, status=Proposal.Status.RESERVE
            ).order_by("pk")[:6]
        )
        if len(reserve) < 3:
            continue
        FundPool.objects.create(
            year=year,
            level=Level.TOWNSHIP,
            region=township,
            funded_by=township,
            amount=sum((p.estimated_cost for p in reserve), Decimal(0)) + 50,
        )
        by = secretary if township == huangmaoyuan else admin
        session = session_create(
            # 黄茅园镇's 五次会议 rated the finished projects in November (supervision_demo).
            name=SESSION_NAMES[Level.TOWNSHIP]
            .format(r=township.name)
            .replace("四次", "六次" if township == huangmaoyuan else "五次"),
            region=township,
            level=Level.TOWNSHIP,
            date=dt.date(year, 3, 1) + dt.timedelta(days=i % 28),
            by=by,
        )
        candidates = candidate_list_create(session=session, by=by, slots=len(reserve) - 2)
        for proposal in reserve:
            candidate_add(candidates=candidates, proposal=proposal, by=by)
        if township != huangmaoyuan:
            candidates.refresh_from_db()
            candidate_list_fix(candidates=candidates, by=by, version=candidates.version)
        made += 1
        if made == 8:
            break
    return made
