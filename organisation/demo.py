"""Demo organisation: Huaihua (怀化市), its 13 county-level areas and about 200
townships and streets, the standing committee's bodies, departments and county
congresses, and the demo accounts. Safe to run again: everything is ensured, not added.

The units work is handed to below the city: eight departments in every county-level
area (溆浦县交通运输局, short 溆浦县交通局, …) and the government of every township
(黄茅园镇人民政府) or street (城中街道办事处). Each has one contact account,
``unit-<region code>-<n>`` (n: the department's place in ``COUNTY_DEPARTMENTS``, 1 for a
township), password ``DEMO_PASSWORD``, except the two named for the journeys:
``county-unit`` (舒海波, 溆浦县交通运输局) and ``township-unit`` (向春燕, 黄茅园镇人民政府).
"""

from __future__ import annotations

import random

from organisation.models import Region, Unit, User
from organisation.roles import Role
from organisation.services import (
    Account,
    region_ensure,
    unit_ensure,
    units_ensure_bulk,
    user_ensure,
    users_ensure_bulk,
)

# The demo accounts' password, printed by `make run`; production has no demo accounts.
DEMO_PASSWORD = "portal-demo"  # nosec B105
CITY = ("431200", "怀化市")

# (code, name, townships and streets). Township codes are the county code + a sequence.
COUNTIES: list[tuple[str, str, list[str]]] = [
    (
        "431202",
        "鹤城区",
        [
            "城中街道",
            "迎丰街道",
            "红星街道",
            "坨院街道",
            "城南街道",
            "城北街道",
            "太平桥街道",
            "鸭嘴岩镇",
            "黄金坳镇",
            "盈口乡",
            "芦坪乡",
            "石门乡",
            "凉亭坳乡",
            "黄岩乡",
            "杨村乡",
        ],
    ),
    (
        "431221",
        "中方县",
        [
            "中方镇",
            "泸阳镇",
            "花桥镇",
            "铜湾镇",
            "桐木镇",
            "新建镇",
            "铁坡镇",
            "袁家镇",
            "接龙镇",
            "蒿吉坪乡",
            "新路河乡",
            "下坪乡",
            "牌楼镇",
        ],
    ),
    (
        "431222",
        "沅陵县",
        [
            "沅陵镇",
            "官庄镇",
            "五强溪镇",
            "筲箕湾镇",
            "凉水井镇",
            "七甲坪镇",
            "明溪口镇",
            "麻溪铺镇",
            "二酉苗族乡",
            "借母溪乡",
            "北溶乡",
            "荔溪乡",
            "大合坪乡",
            "杜家坪乡",
            "火场土家族乡",
            "盘古乡",
            "楠木铺乡",
            "清浪乡",
            "陈家滩乡",
            "肖家桥乡",
            "马底驿乡",
        ],
    ),
    (
        "431223",
        "辰溪县",
        [
            "辰阳镇",
            "孝坪镇",
            "田湾镇",
            "火马冲镇",
            "黄溪口镇",
            "潭湾镇",
            "安坪镇",
            "修溪镇",
            "船溪乡",
            "长田湾乡",
            "小龙门乡",
            "后塘瑶族乡",
            "上蒲溪瑶族乡",
            "仙人湾瑶族乡",
            "苏木溪瑶族乡",
            "罗子山瑶族乡",
            "桥头乡",
            "柿溪乡",
        ],
    ),
    (
        "431224",
        "溆浦县",
        [
            "卢峰镇",
            "黄茅园镇",
            "大江口镇",
            "低庄镇",
            "龙潭镇",
            "观音阁镇",
            "双井镇",
            "桥江镇",
            "思蒙镇",
            "两丫坪镇",
            "北斗溪镇",
            "统溪河镇",
            "祖市殿镇",
            "水东镇",
            "均坪镇",
            "三江镇",
            "葛竹坪镇",
            "深子湖镇",
            "中都乡",
            "小横垅乡",
            "龙庄湾乡",
            "淘金坪乡",
            "舒溶溪乡",
            "油洋乡",
            "沿溪乡",
        ],
    ),
    (
        "431225",
        "会同县",
        [
            "林城镇",
            "坪村镇",
            "若水镇",
            "广坪镇",
            "马鞍镇",
            "堡子镇",
            "团河镇",
            "金竹镇",
            "连山乡",
            "漠滨乡",
            "高椅乡",
            "炮团乡",
            "沙溪乡",
        ],
    ),
    (
        "431226",
        "麻阳苗族自治县",
        [
            "高村镇",
            "锦和镇",
            "江口墟镇",
            "岩门镇",
            "兰里镇",
            "吕家坪镇",
            "郭公坪镇",
            "尧市镇",
            "黄桑乡",
            "谭家寨乡",
            "隆家堡乡",
            "板栗树乡",
            "舒家村乡",
            "大桥江乡",
            "石羊哨乡",
        ],
    ),
    (
        "431227",
        "新晃侗族自治县",
        [
            "新晃镇",
            "波洲镇",
            "中寨镇",
            "鱼市镇",
            "扶罗镇",
            "凉伞镇",
            "林冲镇",
            "贡溪镇",
            "米贝乡",
            "步头降乡",
            "禾滩镇",
        ],
    ),
    (
        "431228",
        "芷江侗族自治县",
        [
            "芷江镇",
            "公坪镇",
            "新店坪镇",
            "罗旧镇",
            "碧涌镇",
            "岩桥镇",
            "三道坑镇",
            "楠木坪镇",
            "土桥镇",
            "禾梨坳乡",
            "水宽乡",
            "晓坪乡",
            "冷水溪乡",
            "五郎溪乡",
        ],
    ),
    (
        "431229",
        "靖州苗族侗族自治县",
        [
            "渠阳镇",
            "甘棠镇",
            "大堡子镇",
            "坳上镇",
            "新厂镇",
            "平茶镇",
            "太阳坪乡",
            "三锹乡",
            "藕团乡",
            "寨牙乡",
            "横江桥乡",
        ],
    ),
    (
        "431230",
        "通道侗族自治县",
        [
            "双江镇",
            "县溪镇",
            "播阳镇",
            "牙屯堡镇",
            "菁芜洲镇",
            "溪口镇",
            "陇城镇",
            "独坡镇",
            "坪坦乡",
            "大高坪乡",
            "锅冲乡",
        ],
    ),
    (
        "431281",
        "洪江市",
        [
            "黔城镇",
            "安江镇",
            "托口镇",
            "沅河镇",
            "雪峰镇",
            "江市镇",
            "塘湾镇",
            "双溪镇",
            "岔头乡",
            "茅渡乡",
            "龙船塘乡",
            "湾溪乡",
            "熟坪乡",
            "太平乡",
            "铁山乡",
            "深渡苗族乡",
            "洗马乡",
            "群峰乡",
            "大崇乡",
        ],
    ),
    ("431271", "洪江区", ["新街街道", "河滨路街道", "沙湾街道", "桂花园乡", "横岩乡"]),
]

COMMITTEE_BODIES = [
    ("怀化市人大常委会办公室", "常委会办公室"),
    ("怀化市人大常委会研究室", "研究室"),
    ("怀化市人大常委会法制工作委员会", "法工委"),
    ("怀化市人大常委会预算工作委员会", "预工委"),
    ("怀化市人大常委会代表人事选举任免联络工作委员会", "代表工委"),
    ("怀化市人大常委会监察和司法工作委员会", "监察司法委"),
    ("怀化市人大财政经济委员会", "财经委"),
    ("怀化市人大教育科学文化卫生委员会", "教科文卫委"),
    ("怀化市人大城乡建设环境资源保护委员会", "环资城建委"),
    ("怀化市人大农业农村委员会", "农业农村委"),
    ("怀化市人大社会建设委员会", "社会委"),
    ("怀化市人大民族宗教华侨外事委员会", "民侨外委"),
]

DEPARTMENTS = [
    ("怀化市发展和改革委员会", "市发改委"),
    ("怀化市财政局", "市财政局"),
    ("怀化市生态环境局", "市生态环境局"),
    ("怀化市农业农村局", "市农业农村局"),
    ("怀化市住房和城乡建设局", "市住建局"),
    ("怀化市教育局", "市教育局"),
    ("怀化市卫生健康委员会", "市卫健委"),
    ("怀化市自然资源和规划局", "市自然资源局"),
    ("怀化市交通运输局", "市交通运输局"),
    ("怀化市水利局", "市水利局"),
    ("怀化市民政局", "市民政局"),
    ("怀化市司法局", "市司法局"),
]


# (name, short name) after the county's name, as Hunan's county governments name them.
COUNTY_DEPARTMENTS = [
    ("交通运输局", "交通局"),
    ("水利局", "水利局"),
    ("农业农村局", "农业农村局"),
    ("住房和城乡建设局", "住建局"),
    ("教育局", "教育局"),
    ("卫生健康局", "卫健局"),
    ("民政局", "民政局"),
    ("自然资源局", "自然资源局"),
]
# The contacts named for the journey tests: (username, full name, unit name).
NAMED_CONTACTS = [
    ("county-unit", "舒海波", "溆浦县交通运输局"),
    ("township-unit", "向春燕", "黄茅园镇人民政府"),
]
SURNAMES = "向舒杨张李刘陈王周谭米贺丁蒋胡龙吴滕粟石姚彭曾唐黄邓全罗侯梁"
GIVEN = [
    "海波", "春燕", "建军", "小平", "丽华", "志勇", "红英", "国强", "晓燕", "卫东",
    "爱民", "桂兰", "文华", "勇", "静", "湘江", "雪峰", "秋菊", "和平", "振宇",
    "美华", "德明", "玉梅", "光辉", "林", "芳", "思远", "小兵", "翠英", "建平",
]  # fmt: skip
AUTONOMOUS = ("苗族侗族自治县", "侗族自治县", "苗族自治县")


def township_code(county_code: str, index: int) -> str:
    return f"{county_code}{100 + index + 1:03d}"


def county_short(name: str) -> str:
    """麻阳苗族自治县 → 麻阳县; 溆浦县, 鹤城区, 洪江市 stay as they are."""
    for suffix in AUTONOMOUS:
        if name.endswith(suffix):
            return f"{name.removesuffix(suffix)}县"
    return name


def township_government(name: str) -> str:
    """黄茅园镇 → 黄茅园镇人民政府; a street's is its office, 城中街道 → 城中街道办事处."""
    return f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"


def _local_units(city: Region) -> None:
    """The county departments and the township governments, each with its contact."""
    regions = list(Region.objects.filter(path__startswith=city.path).exclude(pk=city.pk))
    planned: list[tuple[Unit, str]] = []  # (unit, the contact's username)
    for region in regions:
        if region.level == Region.Level.COUNTY:
            short = county_short(region.name)
            for n, (name, short_name) in enumerate(COUNTY_DEPARTMENTS, start=1):
                unit = Unit(
                    name=f"{region.name}{name}",
                    short_name=f"{short}{short_name}",
                    kind=Unit.Kind.GOVERNMENT,
                    region=region,
                )
                planned.append((unit, f"unit-{region.code}-{n}"))
        else:
            unit = Unit(
                name=township_government(region.name), kind=Unit.Kind.TOWNSHIP, region=region
            )
            planned.append((unit, f"unit-{region.code}-1"))
    units_ensure_bulk(units=[unit for unit, _username in planned])
    saved = {u.name: u for u in Unit.objects.filter(name__in=[u.name for u, _n in planned])}
    named = {unit_name: (username, full_name) for username, full_name, unit_name in NAMED_CONTACTS}
    # Demo data, seeded so every run names the same people (not a secret).
    rng = random.Random(4312)  # nosec B311
    accounts = []
    for unit, username in planned:
        full_name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
        username, full_name = named.get(unit.name, (username, full_name))
        accounts.append(
            Account(
                username=username,
                role=Role.UNIT,
                full_name=full_name,
                unit=saved[unit.name],
                phone=phone,
            )
        )
    users_ensure_bulk(accounts=accounts, password=DEMO_PASSWORD)


def seed(stdout=None) -> dict:
    city = region_ensure(code=CITY[0], name=CITY[1], level=Region.Level.CITY)
    existing = set(Region.objects.values_list("code", flat=True))
    to_create: list[Region] = []
    counties: dict[str, Region] = {}
    for county_code, county_name, townships in COUNTIES:
        county = region_ensure(
            code=county_code, name=county_name, level=Region.Level.COUNTY, parent=city
        )
        counties[county_name] = county
        for index, name in enumerate(townships):
            code = township_code(county_code, index)
            if code not in existing:
                to_create.append(
                    Region(
                        code=code,
                        name=name,
                        level=Region.Level.TOWNSHIP,
                        parent=county,
                        path=f"{county.path}{code}/",
                    )
                )
    Region.objects.bulk_create(to_create)  # the history of demo regions starts at their first edit

    for name, short in COMMITTEE_BODIES:
        unit_ensure(name=name, short_name=short, kind=Unit.Kind.COMMITTEE, region=city)
    for name, short in DEPARTMENTS:
        unit_ensure(name=name, short_name=short, kind=Unit.Kind.GOVERNMENT, region=city)
    for county_name, county in counties.items():
        unit_ensure(
            name=f"{county_name}人大常委会",
            short_name=f"{county_name.removesuffix('苗族侗族自治县').removesuffix('侗族自治县').removesuffix('苗族自治县')}人大",
            kind=Unit.Kind.CONGRESS,
            region=county,
        )

    _local_units(city)

    huangmaoyuan = Region.objects.get(name="黄茅园镇", parent__name="溆浦县")
    deputies_committee = Unit.objects.get(short_name="代表工委")
    accounts = [
        user_ensure(
            username="admin", role=Role.ADMIN, password=DEMO_PASSWORD, full_name="系统管理员"
        ),
        user_ensure(username="staff", role=Role.STAFF, password=DEMO_PASSWORD, full_name="向晓琳"),
        user_ensure(
            username="leader", role=Role.LEADER, password=DEMO_PASSWORD, full_name="舒国平"
        ),
        user_ensure(
            username="unit",
            role=Role.UNIT,
            password=DEMO_PASSWORD,
            full_name="杨文静",
            unit=deputies_committee,
        ),
        user_ensure(
            username="secretary",
            role=Role.SECRETARY,
            password=DEMO_PASSWORD,
            full_name="侯志刚",
            region=huangmaoyuan,
        ),
        user_ensure(
            username="deputy", role=Role.DEPUTY, password=DEMO_PASSWORD, full_name="陆友红"
        ),
    ]
    contacts = {
        u.username: u for u in User.objects.filter(username__in=[n[0] for n in NAMED_CONTACTS])
    }
    accounts += [contacts[username] for username, _name, _unit in NAMED_CONTACTS]
    return {"accounts": accounts}
