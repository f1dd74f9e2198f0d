"""Demo liaison stations at the city's scale: 459 stations (10 on the provincial border,
8 in industrial chains or parks), the 十有 criteria and ratings, a year of duty rota
and duty logs (each duty day an activity in the deputies' records) and about 12,000
receptions. Everything volume-heavy goes through bulk_create.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from deputies.demo import VILLAGES  # the same villages the demo deputies come from
from deputies.models import Activity, Deputy
from deputies.services import points_apply
from handovers.past import PastHandover, handovers_write_past
from liaison_stations.models import (
    DutyLog,
    DutyShift,
    Reception,
    StandardCriterion,
    StandardRating,
    Station,
    StationMembership,
)
from liaison_stations.selectors import REFERRAL
from organisation.models import Region, Unit, User
from organisation.roles import Role

CRITERIA = [
    ("有场所", "固定的活动场所，面积适宜"),
    ("有牌子", "统一规范的站牌标识"),
    ("有制度", "接待、值班、转办等制度上墙"),
    ("有计划", "年度活动计划和月度安排"),
    ("有活动", "定期开展代表进站活动"),
    ("有台账", "接待登记、办理反馈台账完整"),
    ("有经费", "活动经费纳入预算保障"),
    ("有人员", "明确专人负责日常工作"),
    ("有代表", "代表编组进站，名单公开"),
    ("有成效", "群众意见办结反馈，群众满意"),
]
BORDER = [
    ("431227", "新晃黔湘边界代表联络站"),
    ("431227", "鱼市湘黔边界代表联络站"),
    ("431230", "通道湘桂黔边界代表联络站"),
    ("431230", "独坡湘桂边界代表联络站"),
    ("431226", "麻阳湘黔边界代表联络站"),
    ("431229", "靖州湘黔边界代表联络站"),
    ("431228", "芷江湘黔边界代表联络站"),
    ("431222", "沅陵湘渝边界代表联络站"),
    ("431225", "会同湘黔边界代表联络站"),
    ("431281", "托口湘黔边界代表联络站"),
]
INDUSTRIAL = [
    ("431202", "怀化高新区产业链代表联络站"),
    ("431202", "国际陆港园区代表联络站"),
    ("431221", "中方县工业园代表联络站"),
    ("431224", "溆浦产业开发区代表联络站"),
    ("431223", "辰溪工业集中区代表联络站"),
    ("431226", "麻阳冰糖橙产业链代表联络站"),
    ("431281", "洪江市黄精产业链代表联络站"),
    ("431227", "新晃黄牛产业链代表联络站"),
]
PROFESSIONS = ["律师", "医疗卫生", "教育", "生态环境", "金融", "农业技术", "退役军人"]
TOTAL = 459
REQUESTS = {
    "roads": [
        "{v}村通组公路路面破损，雨天出行困难，希望尽快硬化",
        "村口桥梁护栏缺失，学生上下学有安全隐患",
        "希望增开到镇上的农村客运班次",
    ],
    "water": [
        "{v}村组饮水管网老化，夏季经常停水",
        "农田灌溉渠道淤塞，请求清淤修缮",
        "山塘漏水严重，影响春耕用水",
    ],
    "agriculture": [
        "柑橘销售渠道窄，希望引进收购企业",
        "耕地撂荒问题需要统筹解决",
        "希望开展黄精种植技术培训",
    ],
    "social": [
        "高龄津贴发放时间不固定，请求核实",
        "低保复核结果有疑问，请求解释政策",
        "留守老人日间照料需求大",
    ],
    "health": [
        "村卫生室缺少常用药品",
        "医保异地报销手续繁琐，希望简化",
        "希望镇卫生院增加儿科门诊",
    ],
    "education": [
        "中心小学校车接送不够，孩子上学远",
        "希望为留守儿童开设课后托管",
        "学校周边交通秩序混乱",
    ],
    "environment": [
        "{v}村垃圾清运不及时，异味大",
        "养殖场污水直排河道，请求督查",
        "河道沿岸乱堆乱放需要整治",
    ],
    "employment": [
        "在外务工工资被拖欠，请求帮助追讨",
        "希望在镇上开展技能培训和招聘会",
        "返乡创业贷款申请难",
    ],
    "disputes": [
        "邻里宅基地界线纠纷，请求调解",
        "山林承包合同到期后权属有争议",
        "噪音扰民问题多次反映未解决",
    ],
    "other": ["希望公开村级财务收支情况", "对镇政务服务窗口提出改进建议", "建议在村里增设路灯"],
}
ANSWERS = "已当场解释相关政策，群众表示理解", "已联系村委会当场协调解决", "已告知办理渠道和所需材料"
RESULTS = "已完成整改，群众满意", "已列入年度计划，正在实施", "已协调资金解决"


def _kind_for(region: Region) -> str:
    return Station.Kind.STREET if region.name.endswith("街道") else Station.Kind.TOWNSHIP


def _plan_stations(townships: list[Region], counties: dict[str, Region]) -> list[Station]:
    stations: list[Station] = []
    seq: dict[int, int] = defaultdict(int)

    def add(
        region: Region,
        name: str,
        kind: str,
        rule: str = Station.Rule.MONTH_DAYS,
        days: str = "6,16,26",
    ):
        seq[region.pk] += 1
        stations.append(
            Station(
                code=f"{region.code}-{seq[region.pk]:02d}",
                name=name,
                kind=kind,
                region=region,
                address=f"{region.parent.name if region.parent else ''}{region.name}人民政府院内",
                rule=rule,
                rule_days=days,
                opening_hours="9:00–12:00",
                contact_name="",
            )
        )

    for township in townships:
        add(township, f"{township.name}人大代表联络站", _kind_for(township))
    by_county: dict[str, list[Region]] = defaultdict(list)
    for township in townships:
        by_county[township.parent.code].append(township)
    for county_code, name in BORDER:
        add(by_county[county_code][0], name, Station.Kind.BORDER, days="8,18,28")
    for county_code, name in INDUSTRIAL:
        add(by_county[county_code][0], name, Station.Kind.INDUSTRIAL, Station.Rule.WEEKDAYS, "3")
    for index, profession in enumerate(PROFESSIONS * 3):
        county = list(counties.values())[index % len(counties)]
        add(
            by_county[county.code][0],
            f"{county.name}{profession}代表联络站{'' if index < 7 else index // 7 + 1}",
            Station.Kind.PROFESSIONAL,
            days="10,20",
        )
    index = 0
    while len(stations) < TOTAL:
        township = townships[index % len(townships)]
        village = VILLAGES[index // len(townships) % len(VILLAGES)]
        add(
            township, f"{township.name}{village}片区代表联络点", _kind_for(township), days="5,15,25"
        )
        index += 1
    return stations


def seed(stdout=None) -> dict:
    if Station.objects.exists():
        return {}
    # Demo data, seeded so every run makes the same city (not a secret).
    rng = random.Random(20250316)  # nosec B311
    today = timezone.localdate()
    StandardCriterion.objects.bulk_create(
        [
            StandardCriterion(number=i + 1, title=t, description=d)
            for i, (t, d) in enumerate(CRITERIA)
        ]
    )
    criteria = list(StandardCriterion.objects.order_by("number"))
    townships = list(
        Region.objects.filter(level=Region.Level.TOWNSHIP).select_related("parent").order_by("path")
    )
    counties = {
        r.code: r for r in Region.objects.filter(level=Region.Level.COUNTY).order_by("path")
    }
    Station.objects.bulk_create(_plan_stations(townships, counties), batch_size=500)
    stations = list(Station.objects.select_related("region").order_by("pk"))

    # Attach deputies: each township's deputies to its stations, the first (main) one
    # getting most; special stations borrow a handful from their township.
    deputies_by_region: dict[int, list[int]] = defaultdict(list)
    for pk, region_id in Deputy.objects.order_by("pk").values_list("pk", "region_id"):
        deputies_by_region[region_id].append(pk)
    attached: dict[int, list[int]] = {}
    stations_by_region: dict[int, list[Station]] = defaultdict(list)
    for station in stations:
        stations_by_region[station.region_id].append(station)
    for region_id, region_stations in stations_by_region.items():
        pool = deputies_by_region.get(region_id, [])
        main, *others = region_stations
        attached[main.pk] = pool[:15]
        rest = pool[15:]
        for n, station in enumerate(others):
            chosen = rest[n :: max(1, len(others))] or pool[:6]
            attached[station.pk] = chosen[:10]
    # One small village point stays without deputies: the rota must cope with that.
    attached[stations[-1].pk] = []
    # A deputy's first station is their home station.
    home: dict[int, int] = {}
    links = [
        StationMembership(
            station_id=station_pk,
            deputy_id=deputy_id,
            is_home=home.setdefault(deputy_id, station_pk) == station_pk,
        )
        for station_pk, ids in attached.items()
        for deputy_id in ids
    ]
    StationMembership.objects.bulk_create(links, batch_size=5000)

    # 十有 ratings: most stations meet all ten; about one in six falls short on some.
    ratings = []
    for station in stations:
        weak = rng.random() < 0.17
        for criterion in criteria:
            ratings.append(
                StandardRating(
                    station=station,
                    criterion=criterion,
                    met=not (weak and rng.random() < 0.35),
                    rated_on=today - dt.timedelta(days=rng.randint(20, 200)),
                )
            )
    StandardRating.objects.bulk_create(ratings, batch_size=5000)

    # A year of rota: from the first of the month a year ago to the end of next month.
    first = dt.date(today.year - 1, today.month, 1)
    months = []
    y, m = first.year, first.month
    for _i in range(14):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    shifts = []
    for station in stations:
        for y, m in months:
            for day in station.opening_dates(y, m):
                shifts.append(
                    DutyShift(
                        station=station, date=day, is_cancelled=day < today and rng.random() < 0.02
                    )
                )
    huangmaoyuan_main = next(
        s for s in stations if s.region.name == "黄茅园镇" and s.code.endswith("-01")
    )
    if not any(s.station is huangmaoyuan_main and s.date == today for s in shifts):
        shifts.append(
            DutyShift(station=huangmaoyuan_main, date=today, note="临时进站：征求民生实事项目意见")
        )
    DutyShift.objects.bulk_create(shifts, batch_size=5000)
    shifts = list(
        DutyShift.objects.order_by("station_id", "date").values_list(
            "pk", "station_id", "date", "is_cancelled"
        )
    )
    ShiftDeputy = DutyShift.deputies.through
    shift_links = []
    on_duty: dict[int, list[int]] = {}
    turn: dict[int, int] = defaultdict(int)
    for pk, station_id, _date, _cancelled in shifts:
        ids = attached.get(station_id, [])
        chosen = []
        for _k in range(min(2, len(ids))):
            chosen.append(ids[turn[station_id] % len(ids)])
            turn[station_id] += 1
        on_duty[pk] = chosen
        shift_links += [ShiftDeputy(dutyshift_id=pk, deputy_id=d) for d in chosen]
    ShiftDeputy.objects.bulk_create(shift_links, batch_size=5000)

    # Duty logs for the days before today: nine in ten duty days were held.
    secretaries = {u.region_id: u.pk for u in User.objects.filter(role=Role.SECRETARY)}
    station_region = {s.pk: s.region_id for s in stations}
    station_name = {s.pk: s.name for s in stations}
    logs = []
    for pk, station_id, date, cancelled in shifts:
        if date < today and not cancelled and rng.random() < 0.9:
            logs.append(
                DutyLog(
                    shift_id=pk,
                    hours=Decimal(rng.choice(["2.5", "3", "3", "3.5", "4"])),
                    notes=rng.choice(
                        [
                            "代表按时进站，接待群众并现场答复。",
                            "结合“进村入户”走访群众。",
                            "围绕民生实事项目征求意见。",
                            "",
                        ]
                    ),
                    recorded_by_id=secretaries.get(station_region[station_id]),
                )
            )
    DutyLog.objects.bulk_create(logs, batch_size=5000)
    logs = list(DutyLog.objects.select_related(None).values_list("pk", "shift_id", "hours"))
    shift_info = {pk: (station_id, date) for pk, station_id, date, _c in shifts}
    LogDeputy = DutyLog.attendees.through
    attendee_links = []
    activities = []
    # One deputy of 黄茅园镇's main station never came this year: the station's activity
    # page shows it (liaison_stations:attendance).
    absentee = next(iter(attached.get(huangmaoyuan_main.pk, [])[1:2]), None)
    for log_pk, shift_id, hours in logs:
        station_id, date = shift_info[shift_id]
        came = [
            d
            for d in on_duty.get(shift_id, [])
            if rng.random() < 0.93 and not (d == absentee and date.year == today.year)
        ]
        attendee_links += [LogDeputy(dutylog_id=log_pk, deputy_id=d) for d in came]
        activities += [
            Activity(
                deputy_id=d,
                kind=Activity.Kind.STATION_DUTY,
                date=date,
                title=f"在{station_name[station_id]}值班",
                hours=hours,
                source_key=f"duty_log:{log_pk}",
            )
            for d in came
        ]
    LogDeputy.objects.bulk_create(attendee_links, batch_size=5000)
    Activity.objects.bulk_create(activities, batch_size=5000)

    # About 12,000 receptions: most at logged duty days, some left online through the QR code.
    units = list(
        Unit.objects.filter(is_active=True)
        .exclude(kind=Unit.Kind.COMMITTEE)
        # the city's departments and the county congresses, as before the county
        # departments and the township governments came
        .exclude(kind=Unit.Kind.TOWNSHIP)
        .exclude(kind=Unit.Kind.GOVERNMENT, region__level=Region.Level.COUNTY)
        .values_list("pk", flat=True)
    )
    refer_to = _Referrals(stations, secretaries)
    categories = list(REQUESTS)
    tz = timezone.get_current_timezone()
    receptions = []
    target = 12_000
    per_log = target * 0.9 / max(1, len(logs))
    for _log_pk, shift_id, _hours in logs:
        station_id, date = shift_info[shift_id]
        count = int(per_log) + (rng.random() < per_log - int(per_log))
        for _k in range(count):
            receptions.append(
                _reception(
                    rng,
                    station_id,
                    shift_id,
                    date,
                    Reception.Channel.STATION,
                    categories,
                    units,
                    today,
                    tz,
                    refer_to,
                )
            )
    while len(receptions) < target:
        station = rng.choice(stations)
        date = today - dt.timedelta(days=rng.randint(0, 364))
        receptions.append(
            _reception(
                rng,
                station.pk,
                None,
                date,
                Reception.Channel.ONLINE,
                categories,
                units,
                today,
                tz,
                refer_to,
            )
        )
    Reception.objects.bulk_create(receptions, batch_size=5000)
    # Each referral a handover to its unit, with the steps it went through.
    referrals = [r for r in receptions if r.handling == Reception.Handling.REFERRED]
    handovers_write_past([refer_to.past(reception, today) for reception in referrals])

    # Each constituent received on a logged duty day counts once for each deputy who
    # came (as liaison_stations.services.reception_activities_sync does), priced by the
    # points table in one UPDATE.
    on_log = Reception.objects.filter(shift__log__attendees__isnull=False).values_list(
        "pk", "shift__log__attendees", "shift__date", "station__name"
    )
    received = [
        Activity(
            deputy_id=deputy_id,
            kind=Activity.Kind.RECEPTION,
            date=date,
            title=f"在{station}接待群众",
            source_key=f"reception:{pk}",
        )
        for pk, deputy_id, date, station in on_log
    ]
    Activity.objects.bulk_create(received, batch_size=5000, ignore_conflicts=True)
    activities += received
    points_apply(kind=Activity.Kind.STATION_DUTY)
    points_apply(kind=Activity.Kind.RECEPTION)

    account = User.objects.filter(username="deputy").first()
    if account is not None and not StationMembership.objects.filter(deputy__user=account).exists():
        deputy = Deputy.objects.filter(user=account).first()
        if deputy:
            huangmaoyuan_main.deputies.add(deputy)
    if stdout:
        stdout.write(
            f"    {len(stations)} stations, {len(shifts)} duty days, {len(logs)} duty logs, "
            f"{len(activities)} activities, {len(receptions)} receptions, "
            f"{len(referrals)} referred"
        )
    return {}


class _Referrals:
    """Where the demo's requests are referred, and the handovers they became.

    A request goes to its township's government or a department of its county (once the
    organisation's demo has them), else to a city department or a county congress. A
    generator of its own decides that and the answers still waiting for the secretary,
    so the receptions themselves stay those of the seeded city before handovers."""

    def __init__(self, stations: list[Station], secretaries: dict[int, int]) -> None:
        self.rng = random.Random(20261206)  # nosec B311
        self.station_region = {s.pk: s.region_id for s in stations}
        self.station_name = {s.pk: s.name for s in stations}
        self.secretaries = secretaries
        self.county_of = {
            pk: pk if level == Region.Level.COUNTY else parent
            for pk, level, parent in Region.objects.values_list("pk", "level", "parent_id")
        }
        self.township: dict[int, list[int]] = defaultdict(list)
        self.county: dict[int, list[int]] = defaultdict(list)
        rows = Unit.objects.filter(is_active=True, region__isnull=False).values_list(
            "pk", "kind", "region_id", "region__level"
        )
        for pk, kind, region_id, level in rows:
            if level == Region.Level.TOWNSHIP:
                self.township[region_id].append(pk)
            elif level == Region.Level.COUNTY and kind == Unit.Kind.GOVERNMENT:
                self.county[region_id].append(pk)

    def unit(self, station_id: int, default: int) -> int:
        region = self.station_region[station_id]
        roll = self.rng.random()
        if roll < 0.35 and self.township.get(region):
            return self.rng.choice(self.township[region])
        county = self.county.get(self.county_of.get(region) or 0)
        if roll < 0.7 and county:
            return self.rng.choice(county)
        return default

    def answered(self, date: dt.date, today: dt.date) -> dt.date | None:
        """A day the unit answered a referral still open, None while it has not."""
        age = (today - date).days
        if 7 < age <= 60 and self.rng.random() < 0.45:
            return date + dt.timedelta(days=self.rng.randint(3, min(age, 30)))
        return None

    def past(self, reception: Reception, today: dt.date) -> PastHandover:
        handed_on = timezone.localdate(reception.received_at)
        closed_on = reception.closed_on
        answered_on = getattr(reception, "answered_on", None)
        if closed_on is not None:
            answered_on = max(handed_on, closed_on - dt.timedelta(days=self.rng.randint(0, 6)))
        secretary = self.secretaries.get(self.station_region[reception.station_id])
        return PastHandover(
            kind=REFERRAL,
            subject_model=Reception,
            subject_id=reception.pk,
            title=f"{self.station_name[reception.station_id]}：{reception.content}",
            region_id=self.station_region[reception.station_id],
            unit_id=reception.referred_unit_id,
            handed_on=handed_on,
            due_on=reception.referral_due or handed_on,
            handed_by_id=secretary,
            answer=reception.result,
            answered_on=answered_on,
            closed_on=closed_on,
            closed_by_id=secretary,
            closing_text=reception.feedback,
        )


def _reception(
    rng, station_id, shift_id, date, channel, categories, units, today, tz, refer_to
) -> Reception:
    category = rng.choice(categories)
    content = rng.choice(REQUESTS[category]).format(v=rng.choice(VILLAGES))
    received_at = dt.datetime.combine(date, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tz)
    age = (today - date).days
    roll = rng.random()
    kwargs: dict = {}
    answered_on = None
    if channel == Reception.Channel.ONLINE and age < 10 and roll < 0.5:
        handling = Reception.Handling.PENDING
    elif roll < 0.45:
        handling = Reception.Handling.ANSWERED
        kwargs = {"answer": rng.choice(ANSWERS), "closed_on": date}
    elif roll < 0.85:
        handling = Reception.Handling.REFERRED
        due = date + dt.timedelta(days=30)
        unit = refer_to.unit(station_id, rng.choice(units))
        kwargs = {"referred_unit_id": unit, "referral_due": due}
        if age > 35 and rng.random() < 0.85:
            kwargs |= {
                "result": rng.choice(RESULTS),
                "feedback": "满意",
                "closed_on": min(today, due + dt.timedelta(days=rng.randint(-20, 10))),
            }
        else:
            answered_on = refer_to.answered(date, today)
            if answered_on is not None:  # the unit has answered; the secretary checks it
                kwargs["result"] = refer_to.rng.choice(RESULTS)
    elif roll < 0.92:
        handling = Reception.Handling.SUGGESTION
    elif roll < 0.97:
        handling = Reception.Handling.PROJECT
    else:
        handling = Reception.Handling.PENDING
    named = rng.random() < 0.5
    reception = Reception(
        station_id=station_id,
        shift_id=shift_id,
        received_at=received_at,
        channel=channel,
        visitor_name=(
            rng.choice("王李张刘陈杨黄向舒") + rng.choice(["大爷", "阿姨", "先生", "女士"])
        )
        if named
        else "",
        village=f"{rng.choice(VILLAGES)}村",
        category=category,
        content=content,
        handling=handling,
        consent=channel == Reception.Channel.ONLINE,
        **kwargs,
    )
    reception.answered_on = answered_on  # type: ignore[attr-defined]  # for its handover
    return reception
