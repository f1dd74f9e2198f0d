"""Demo deputies at the city's scale: about 8,600 deputies of five levels across the
townships of organisation.demo, with mandates and professional groups. Names are
invented. The demo user ``deputy`` is 陆友红, a deputy of 黄茅园镇.

Stations are attached by ``liaison_stations.demo`` (it runs next).
"""

from __future__ import annotations

import datetime as dt
import random

from deputies import record_demo
from deputies.models import Deputy, Level, Mandate, ProfessionalGroup
from organisation.models import Region, User

GROUPS = [
    "农业农村代表小组",
    "教育科技代表小组",
    "医疗卫生代表小组",
    "生态环境代表小组",
    "法制代表小组",
    "财政经济代表小组",
    "社会建设代表小组",
    "民族宗教代表小组",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程舒向侯龙姚伍滕粟蒲麻"
GIVEN = [
    "建国",
    "志强",
    "海燕",
    "春花",
    "秀英",
    "国平",
    "明华",
    "晓琳",
    "红梅",
    "金华",
    "小军",
    "永红",
    "德胜",
    "丽娟",
    "文静",
    "少华",
    "玉兰",
    "庆丰",
    "光荣",
    "桂芳",
    "新民",
    "美玲",
    "振华",
    "立新",
    "雪梅",
    "家福",
    "长青",
    "翠云",
    "世忠",
    "艳",
]
ETHNICITIES = ["汉族"] * 6 + ["苗族", "侗族", "瑶族", "土家族"]
PARTIES = ["中共党员"] * 6 + ["群众", "群众", "民盟盟员", "无党派人士"]
OCCUPATIONS = [
    ("村党支部书记", "{township}{village}村"),
    ("村委会主任", "{township}{village}村"),
    ("种养大户", "{township}{village}村"),
    ("乡村医生", "{township}{village}村卫生室"),
    ("小学教师", "{township}中心小学"),
    ("镇卫生院院长", "{township}卫生院"),
    ("企业负责人", "怀化{village}农业开发有限公司"),
    ("个体工商户", "{township}"),
    ("镇党委副书记", "{township}人民政府"),
    ("合作社理事长", "{township}{village}种植专业合作社"),
]
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
PER_TOWNSHIP = 26
# A township congress has 45 to 70 deputies: the rolls the secret ballot (ballots/) counts
# a quorum and a pass against. The first 26 of each township stay as they were made
# (the other modules' demo data was made with them); the rest are added after them.
ROLL_OF_TOWNSHIP = 45
ROLL_OF = {"黄茅园镇": 62}  # 黄茅园镇七届人大四次会议: "more than 60 deputies"
# The day each congress's seats were taken (the elections of late 2021; the province's
# and the nation's congresses of early 2023).
STARTED_ON = {
    Level.TOWNSHIP: dt.date(2021, 11, 15),
    Level.COUNTY: dt.date(2021, 11, 15),
    Level.CITY: dt.date(2021, 12, 28),
    Level.PROVINCIAL: dt.date(2023, 1, 13),
    Level.NATIONAL: dt.date(2023, 3, 5),
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def seed(stdout=None) -> dict:
    if Deputy.objects.exists():
        return {}
    # Demo data, seeded so every run makes the same city (not a secret).
    rng = random.Random(20250306)  # nosec B311
    groups = [ProfessionalGroup(name=name) for name in GROUPS]
    ProfessionalGroup.objects.bulk_create(groups)
    groups = list(ProfessionalGroup.objects.order_by("pk"))
    townships = list(
        Region.objects.filter(level=Region.Level.TOWNSHIP).select_related("parent").order_by("path")
    )
    city = Region.objects.get(level=Region.Level.CITY)
    deputies: list[Deputy] = []
    for township in townships:
        for _i in range(PER_TOWNSHIP):
            occupation, unit = rng.choice(OCCUPATIONS)
            deputies.append(
                Deputy(
                    name=_name(rng),
                    gender=rng.choice("mmf"),
                    ethnicity=rng.choice(ETHNICITIES),
                    birth_year=rng.randint(1962, 1996),
                    party=rng.choice(PARTIES),
                    occupation=occupation,
                    work_unit=unit.format(township=township.name, village=rng.choice(VILLAGES)),
                    phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                    region=township,
                )
            )
    more = random.Random(20261206)  # nosec B311  (demo data, not a secret)
    for township in townships:
        for _i in range(ROLL_OF.get(township.name, ROLL_OF_TOWNSHIP) - PER_TOWNSHIP):
            occupation, unit = more.choice(OCCUPATIONS)
            deputies.append(
                Deputy(
                    name=_name(more),
                    gender=more.choice("mmf"),
                    ethnicity=more.choice(ETHNICITIES),
                    birth_year=more.randint(1962, 1996),
                    party=more.choice(PARTIES),
                    occupation=occupation,
                    work_unit=unit.format(township=township.name, village=more.choice(VILLAGES)),
                    phone=f"1{more.choice('3589')}{more.randint(0, 9)}{more.randint(10000000, 99999999)}",
                    region=township,
                )
            )
    # The demo deputy: 陆友红 of 黄茅园镇, signed in as ``deputy``.
    huangmaoyuan = next(t for t in townships if t.name == "黄茅园镇")
    account = User.objects.filter(username="deputy").first()
    deputies.insert(
        0,
        Deputy(
            name="陆友红",
            gender="f",
            ethnicity="汉族",
            birth_year=1975,
            party="中共党员",
            occupation="村党支部书记",
            work_unit="黄茅园镇金中村",
            phone="13874561234",
            region=huangmaoyuan,
            user=account,
        ),
    )
    Deputy.objects.bulk_create(deputies, batch_size=1000)
    deputies = list(Deputy.objects.select_related("region__parent").order_by("pk"))

    mandates: list[Mandate] = []
    group_links = []
    Through = Deputy.groups.through
    for index, deputy in enumerate(deputies):
        township = deputy.region
        county = township.parent
        mandates.append(
            Mandate(
                deputy=deputy,
                level=Level.TOWNSHIP,
                congress=f"{township.name}第七届人民代表大会",
                term_start=2021,
                term_end=2026,
                district=f"{deputy.work_unit[:12]}选区",
                region=township,
            )
        )
        roll = rng.random()
        if roll < 0.30 or index == 0:
            mandates.append(
                Mandate(
                    deputy=deputy,
                    level=Level.COUNTY,
                    congress=f"{county.name}第十八届人民代表大会",
                    term_start=2021,
                    term_end=2026,
                    district=f"{township.name}选区",
                    region=county,
                )
            )
        if roll < 0.06:
            mandates.append(
                Mandate(
                    deputy=deputy,
                    level=Level.CITY,
                    congress="怀化市第六届人民代表大会",
                    term_start=2021,
                    term_end=2026,
                    district=f"{county.name}代表团",
                    region=city,
                )
            )
        if roll < 0.008:
            mandates.append(
                Mandate(
                    deputy=deputy,
                    level=Level.PROVINCIAL,
                    congress="湖南省第十四届人民代表大会",
                    term_start=2023,
                    term_end=2027,
                    district="怀化市代表团",
                    region=city,
                )
            )
        if roll < 0.0015:
            mandates.append(
                Mandate(
                    deputy=deputy,
                    level=Level.NATIONAL,
                    congress="第十四届全国人民代表大会",
                    term_start=2023,
                    term_end=2028,
                    district="湖南省代表团",
                    region=city,
                )
            )
        if rng.random() < 0.4:
            group_links.append(
                Through(deputy_id=deputy.pk, professionalgroup_id=rng.choice(groups).pk)
            )
    for mandate in mandates:
        mandate.started_on = STARTED_ON[mandate.level]
    Mandate.objects.bulk_create(mandates, batch_size=2000)
    Through.objects.bulk_create(group_links, batch_size=2000)
    # The records' own stream, so adding them leaves the deputies above as they were.
    records = record_demo.seed(deputies, random.Random(20261207))  # nosec B311
    if stdout:
        stdout.write(f"    {len(deputies)} deputies, {len(mandates)} mandates; {records}")
    return {}
