"""THE journey of issue 11 in Chromium, with a livelihood candidate list: 群众提、代表议、
大会决 ends on the public page.

0. the secretary draws up 黄茅园镇七届人大四次会议's candidate list (three projects of the
   reserve pool for two slots) and fixes it: the pool covers them, the list is a vote;
1. the secretary opens the session, checks in the deputies and prints the slips;
2. three deputies vote on phones at /vote/ with the codes of the slips;
3. the secretary closes the vote and publishes the tally;
4. a deputy finds their receipt in the published list;
5. the public page, without signing in, shows the chosen projects with their votes.
"""

from __future__ import annotations

import re
import subprocess  # nosec B404
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from ballots.services import session_create
from deputies.models import Level
from livelihood.models import FundPool, Proposal
from tests.ballots.conftest import DAY, make_deputies
from tests.conftest import PHONE, axe_violations, browser_login
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_from_the_reserve_pool_to_the_public_page(world, new_page, tmp_path):
    cache.clear()
    deputies = make_deputies(world.township, 4)
    session = session_create(
        name="黄茅园镇七届人大四次会议",
        region=world.township,
        level=Level.TOWNSHIP,
        date=DAY,
        by=world.secretary,
    )
    road, water, lamps = (
        make_proposal(world, status="reserve", title=title, cost=cost, beneficiaries=people)
        for title, cost, people in [
            ("大埠至黄金街飞跃桥道路硬化", "46.8", 1060),
            ("金中村饮水管网改造", "38.5", 860),
            ("黄茅园集镇路灯安装", "24.6", 3200),
        ]
    )
    FundPool.objects.create(
        year=2026,
        level="township",
        region=world.township,
        funded_by=world.township,
        amount=Decimal(150),
    )

    # 0. The candidate list: three candidates for two projects (差额), fixed.
    secretary = new_page()
    browser_login(secretary, "secretary")
    secretary.goto(f"/livelihood/sessions/{session.pk}/")
    secretary.locator("#id_slots").fill("2")
    secretary.get_by_role("button", name="开始拟定").click()
    for proposal in (road, water, lamps):
        secretary.locator("#id_proposal").select_option(value=str(proposal.pk))
        secretary.get_by_role("button", name="加入名单").click()
        secretary.get_by_role("link", name=proposal.title).first.wait_for()
    secretary.get_by_text("候选项目共需109.90万元；2026年资金池余额150.00万元。").wait_for()
    secretary.get_by_role("button", name="确定名单").click()
    secretary.get_by_text("名单已确定，可以开始票决。").wait_for()
    assert set(Proposal.objects.values_list("status", flat=True)) == {"candidate"}

    # 1. The secretary opens the session, checks the four deputies in, prints the slips.
    secretary.get_by_role("link", name="组织会议：报到、打印选票、表决").click()
    secretary.wait_for_url(f"**/ballots/{session.pk}/")
    secretary.locator(f"form[action='/ballots/{session.pk}/open/'] button").click()
    secretary.wait_for_url(f"**/ballots/{session.pk}/check-in/")  # opened: the roll is frozen
    for deputy in deputies:
        row = f"form:has(input[name=deputy][value='{deputy.pk}'])"
        secretary.locator(f"{row} button[value=present]").click()
        secretary.locator(f"{row} button[value=present].is-on").wait_for()
    assert secretary.locator("button.check-in__toggle.is-on").count() == 4
    secretary.goto(f"/ballots/{session.pk}/")
    secretary.get_by_role("link", name="黄茅园镇七届人大四次会议民生实事项目票决").click()
    with secretary.expect_download() as download:
        secretary.locator("form.slips-form button[type=submit]").click()
    pdf = tmp_path / "slips.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # nosec B603 B607
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    codes = list(dict.fromkeys(re.findall(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b", text)))
    assert len(codes) >= 4
    secretary.reload()
    secretary.locator("form[action$='/open/'] button").first.click()
    secretary.wait_for_load_state()

    # 2. Three deputies vote on phones: the road and the water for, the lamps against.
    receipts = []
    for i, code in enumerate(codes[:3]):  # of 4 on the roll: 3 votes pass
        phone = new_page(viewport=PHONE)
        phone.goto("/vote/")
        phone.locator("#id_code").fill(code)
        phone.locator("button.vote-submit").click()
        phone.locator("input[name=o0][value=yes]").check()
        phone.locator("input[name=o1][value=yes]").check()
        phone.locator(f"input[name=o2][value={'no' if i < 2 else 'abstain'}]").check()
        assert fits(phone)
        phone.locator("button.vote-submit").click()
        receipts.append(phone.locator("#receipt").inner_text().strip())
        if i == 0:
            assert axe_violations(phone) == []

    # 3. The secretary closes the vote and publishes the tally.
    secretary.reload()
    secretary.locator("form[action$='/close/'] button").first.click()
    secretary.wait_for_load_state()
    secretary.locator("form[action$='/publish/'] button").first.click()
    secretary.wait_for_load_state()

    # 4. A deputy finds their receipt on a phone.
    phone = new_page(viewport=PHONE)
    poll_pk = session.polls.get().pk
    phone.goto(reverse("vote:receipt_list", args=[poll_pk]))
    phone.locator("#id_receipt").fill(receipts[0])
    phone.get_by_role("button", name="查找我的回执").click() if phone.get_by_role(
        "button", name="查找我的回执"
    ).count() else phone.locator("form button[type=submit]").first.click()
    phone.locator("#receipt-found.message--success").wait_for()

    # 5. The public page shows the chosen projects, without signing in, on a phone.
    public = new_page(viewport=PHONE)
    public.goto(f"/livelihood/results/{session.pk}/")
    chosen = public.locator("section[aria-labelledby=chosen-h]")
    chosen.get_by_text("大埠至黄金街飞跃桥道路硬化").wait_for()
    assert "金中村饮水管网改造" in chosen.inner_text()
    assert "黄茅园集镇路灯安装" not in chosen.inner_text()
    assert "赞成3" in chosen.inner_text()
    assert fits(public) and axe_violations(public) == []
    # The office records the result: the proposals are chosen or not.
    secretary.goto(f"/livelihood/sessions/{session.pk}/")
    secretary.get_by_role("button", name="登记票决结果").click()
    secretary.get_by_text("票决结果已登记并公开。").wait_for()
    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {
        "大埠至黄金街飞跃桥道路硬化": "chosen",
        "金中村饮水管网改造": "chosen",
        "黄茅园集镇路灯安装": "not_chosen",
    }
