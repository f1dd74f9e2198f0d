"""THE journey of issue 12 in Chromium: 政府办、人大督、代表评 ends on the public page.

1. the congress's office (黄茅园镇's secretary) allocates money from the pool;
2. the unit contact reports progress with a photo from a phone (375 px);
3. a deputy records an inspection and adds a finding, which the unit answers in /inbox/;
4. the unit reports the project complete;
5. at the next session, three deputies rate it on phones with the codes of the slips;
6. the public page of the session shows the result.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from ballots.models import Poll
from ballots.services import check_in, codes_issue, session_create, session_open
from deputies.models import Level
from handovers.models import Handover
from livelihood.models import Evaluation, FundPool, Project
from livelihood.services import projects_open
from tests.ballots.conftest import make_deputies
from tests.conftest import PHONE, axe_violations, browser_login
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_chosen_project_is_carried_out_inspected_and_rated(world, deputies, new_page):
    cache.clear()
    road = make_proposal(world, status="chosen", title="大埠至黄金街飞跃桥道路硬化", cost="46.8")
    projects_open([road.pk])
    Project.objects.filter(proposal=road).update(unit=world.township_unit)
    project = Project.objects.get(proposal=road)
    FundPool.objects.create(
        year=2026,
        level="township",
        region=world.township,
        funded_by=world.township,
        amount=Decimal(150),
    )

    # 1. The office allocates money from the pool.
    office = new_page()
    browser_login(office, "secretary")
    office.goto(f"/livelihood/projects/{project.pk}/")
    office.select_option("select[name='pool']", index=1)
    office.fill("input[name='amount']", "46.8")
    with office.expect_navigation():
        office.get_by_role("button", name="安排资金").click()
    project.refresh_from_db()
    assert project.allocated == Decimal("46.80")

    # 2. The unit contact reports progress with a photo from a phone.
    unit = new_page(viewport=PHONE)
    browser_login(unit, "township-unit")
    unit.goto(f"/livelihood/projects/{project.pk}/report/")
    assert fits(unit)
    unit.fill("textarea[name='text']", "路基完成，开始铺设沥青。")
    unit.fill("input[name='spent']", "20")
    unit.set_input_files(
        "input[name='photos']", files=[{"name": "site.png", "mimeType": "image/png", "buffer": PNG}]
    )
    unit.get_by_role("button", name="提交报告").click()
    unit.wait_for_url(re.compile(rf"/livelihood/projects/{project.pk}/$"))
    project.refresh_from_db()
    assert project.spent == Decimal(20) and project.reports.get().photos.count() == 1

    # 3. A deputy records an inspection and adds a finding; the unit answers it in /inbox/.
    deputy = new_page(viewport=PHONE)
    browser_login(deputy, "deputy")
    deputy.goto(f"/livelihood/{road.pk}/inspections/")
    deputy.get_by_label("陆友红").check()
    deputy.get_by_label("舒志明").check()
    deputy.get_by_role("button", name="登记视察").click()
    deputy.wait_for_url(re.compile(r"/livelihood/inspections/\d+/$"))
    deputy.fill("textarea[name='text']", "桥头两侧护栏尚未安装")
    deputy.get_by_role("button", name="交办责任单位").click()
    deputy.get_by_text("问题已交办责任单位。").wait_for()
    assert fits(deputy)
    unit.goto("/inbox/")
    unit.get_by_role("link", name=re.compile("桥头两侧护栏")).first.click()
    unit.fill("textarea[name='text']", "护栏已于本周补装，并设置警示标志。")
    with unit.expect_navigation():
        unit.get_by_role("button", name="提交答复").click()
    assert Handover.objects.get(kind="livelihood_finding").answered_on is not None

    # 4. The unit reports the project complete.
    unit.goto(f"/livelihood/projects/{project.pk}/report/")
    unit.fill("textarea[name='text']", "全线通车，完成验收。")
    unit.fill("input[name='spent']", "26.8")
    unit.check("input[name='completes']")
    unit.get_by_role("button", name="提交报告").click()
    unit.wait_for_url(re.compile(rf"/livelihood/projects/{project.pk}/$"))
    project.refresh_from_db()
    assert project.state == Project.State.COMPLETED

    # 5. The next session: the office puts the project on an evaluation vote; three
    # deputies rate it on their phones with the codes of the slips.
    voters = make_deputies(world.township, 3)
    session = session_create(
        name="黄茅园镇七届人大五次会议",
        region=world.township,
        level=Level.TOWNSHIP,
        date=timezone.localdate(),
        by=world.secretary,
    )
    session_open(session=session, by=world.secretary)
    for person in [*voters, deputies.me]:
        check_in(session=session, deputy=person, by=world.secretary)
    office.goto(f"/livelihood/evaluations/{session.pk}/")
    office.get_by_label("大埠至黄金街飞跃桥道路硬化").check()
    office.get_by_role("button", name="创建测评表决").click()
    office.wait_for_url(re.compile(r"/ballots/votes/\d+/$"))
    with office.expect_navigation():
        office.get_by_role("button", name="开始投票").click()
    poll = Poll.objects.get(method="rate")
    codes = codes_issue(poll=poll, by=world.secretary, spares=0)
    for code, rating in zip(codes[:3], ["满意", "基本满意", "满意"], strict=True):
        phone = new_page(viewport=PHONE)
        phone.goto(f"/vote/#{code}")
        phone.get_by_role("button", name="确认投票").wait_for()
        assert fits(phone)
        phone.locator("fieldset.vote-option").first.get_by_text(rating, exact=True).click()
        phone.get_by_role("button", name="确认投票").click()
        phone.get_by_role("heading", name="投票成功").wait_for()
    office.reload()
    office.get_by_role("button", name="结束投票").click()
    office.get_by_role("button", name="公布计票结果和回执码").click()
    office.get_by_role("heading", name="回执码").wait_for()
    office.goto(f"/livelihood/evaluations/{session.pk}/")
    with office.expect_navigation():
        office.get_by_role("button", name="登记测评结果").click()
    result = Evaluation.objects.get()
    # 3 of a roll of 5 (陆友红, 舒志明 and the three): satisfactory.
    assert (result.satisfied, result.basic, result.roll, result.unsatisfactory) == (
        2,
        1,
        5,
        False,
    )

    # 6. The public page shows the result, with the money spent.
    public = new_page(viewport=PHONE)
    public.goto(f"/livelihood/results/{session.pk}/")
    text = public.locator("main").inner_text()
    assert "大埠至黄金街飞跃桥道路硬化" in text and "测评满意" in text
    assert "已安排46.80万元，已支出46.80万元" in text
    assert fits(public)
    assert axe_violations(public) == []
