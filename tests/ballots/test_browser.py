"""The secret ballot in Chromium: the secretary opens a session, checks deputies in and
prints the slips; three deputies vote on their phones (375 px) with the codes; the
secretary closes the vote and publishes it; a deputy finds their receipt."""

from __future__ import annotations

import re
import subprocess  # nosec B404

import pytest
from django.utils import timezone

from ballots.models import Ballot, Code
from tests.ballots.conftest import make_deputies
from tests.conftest import PHONE, axe_violations, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_session_votes_by_secret_ballot(world, new_page, tmp_path):
    deputies = make_deputies(world.township, 6)
    secretary = new_page(viewport=PHONE)
    browser_login(secretary, "secretary")

    # The secretary makes the session and opens it: the roll is frozen.
    secretary.goto("/ballots/")
    secretary.fill("input[name='name']", "黄茅园镇七届人大四次会议")
    secretary.fill("input[name='date']", timezone.localdate().isoformat())
    secretary.get_by_role("button", name="创建会议").click()
    secretary.wait_for_url(re.compile(r"/ballots/\d+/$"))
    secretary.get_by_role("button", name="会议开幕（确定应到名单）").click()
    secretary.wait_for_url(re.compile(r"/ballots/\d+/check-in/$"))
    assert "应到6名，到会0名" in secretary.locator("#check-in-count").inner_text()
    assert secretary.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(secretary) == []

    # Checks five of the six in with the big toggles (htmx swaps the row and the count).
    for deputy in deputies[:5]:
        row = secretary.locator(f"#d{deputy.pk}")
        row.get_by_role("button", name=re.compile("^到会")).click()
        secretary.locator(f"#d{deputy.pk}.check-in--present").wait_for()
    secretary.locator(f"#d{deputies[5].pk}").get_by_role("button", name=re.compile("^请假")).click()
    secretary.locator(f"#d{deputies[5].pk}.check-in--leave").wait_for()
    assert "应到6名，到会5名" in secretary.locator("#check-in-count").inner_text()

    # Makes the vote, opens it and prints the slips.
    secretary.get_by_role("link", name="返回会议").click()
    secretary.fill("input[name='title']", "2024年民生实事项目票决")
    secretary.fill("textarea[name='options']", "大埠至黄金街飞跃桥道路硬化\n金中村饮水安全工程")
    secretary.get_by_role("button", name="创建表决").click()
    secretary.wait_for_url(re.compile(r"/ballots/votes/\d+/$"))
    secretary.get_by_role("button", name="开始投票").click()
    secretary.wait_for_url(re.compile(r"/ballots/votes/\d+/$"))
    with secretary.expect_download() as download:
        secretary.get_by_role("button", name="打印投票码票条（PDF）").click()
    pdf = tmp_path / "slips.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # nosec B603 B607
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    codes = re.findall(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b", text)
    assert len(codes) == 5 + 3 == Code.objects.count()

    # Three deputies vote on their phones: two scan (the code in the fragment), one types.
    receipts = []
    for i, code in enumerate(codes[:3]):
        phone = new_page(viewport=PHONE)
        if i < 2:
            phone.goto(f"/vote/#{code.replace('-', '')}")
        else:
            phone.goto("/vote/")
            phone.fill("input[name='code']", code.lower())
            phone.get_by_role("button", name="进入选票").click()
        phone.get_by_role("button", name="确认投票").wait_for()
        assert "#" not in phone.url and code not in phone.url
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        if i == 0:
            assert axe_violations(phone) == []
        fieldsets = phone.locator("fieldset.vote-option")
        fieldsets.nth(0).get_by_text("赞成").click()
        fieldsets.nth(1).get_by_text("反对" if i else "弃权").click()
        phone.get_by_role("button", name="确认投票").click()
        phone.get_by_role("heading", name="投票成功").wait_for()
        receipts.append(phone.locator("#receipt").inner_text().strip())
        again = new_page(viewport=PHONE)
        again.goto(f"/vote/#{code}")
        again.get_by_text("此投票码已经投过票。").wait_for()
    assert Ballot.objects.count() == 3

    # The secretary closes the vote and publishes the tally with the receipts.
    secretary.reload()
    secretary.get_by_role("button", name="结束投票").click()
    secretary.get_by_role("button", name="公布计票结果和回执码").click()
    secretary.get_by_role("heading", name="回执码").wait_for()
    assert Code.objects.filter(state="void").count() == 5

    # A deputy finds their receipt in the published list.
    deputy = new_page(viewport=PHONE)
    deputy.goto("/vote/receipts/")
    deputy.get_by_role("link", name="2024年民生实事项目票决").click()
    deputy.fill("input[name='receipt']", receipts[0])
    deputy.get_by_role("button", name="查找我的回执码").click()
    assert "您的选票已计入" in deputy.locator("#receipt-found").inner_text()
    assert deputy.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(deputy) == []


def test_deputies_rate_on_their_phones(world, new_page):
    """Method "rate": each option 满意/基本满意/不满意 on a 375 px phone."""
    from ballots.services import codes_issue, poll_open
    from tests.ballots.conftest import open_hall

    hall = open_hall(world, 3)
    hall.check_in(3)
    poll = hall.poll(method="rate", options=2)
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=0)
    for i, code in enumerate(codes):
        phone = new_page(viewport=PHONE)
        phone.goto(f"/vote/#{code}")
        phone.get_by_role("button", name="确认投票").wait_for()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        if i == 0:
            assert axe_violations(phone) == []
        fieldsets = phone.locator("fieldset.vote-option")
        fieldsets.nth(0).get_by_text("基本满意").click()
        fieldsets.nth(1).get_by_text("不满意" if i else "满意", exact=True).click()
        phone.get_by_role("button", name="确认投票").click()
        phone.get_by_role("heading", name="投票成功").wait_for()
    ratings = sorted(v for b in Ballot.objects.all() for v in b.choices.values())
    assert ratings == ["basic"] * 3 + ["satisfied"] + ["unsatisfied"] * 2
