"""In Chromium, on a phone: a unit contact opens the inbox, finds the red item first,
answers it with a class and a file, and the deputy's rating form is there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from handovers.models import Handover, HandoverFile
from handovers.services import handover_create
from tests.conftest import PHONE, axe_violations, browser_login
from tests.handovers.conftest import RATED

pytestmark = pytest.mark.browser


def test_a_unit_contact_answers_from_the_inbox_on_a_phone(world, test_kinds, new_page, tmp_path):
    today = timezone.localdate()
    handover = handover_create(
        kind=RATED,
        subject=world.township,
        title="关于增设黄茅园镇中学校车线路的建议",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        rater=world.deputy,
        handed_on=today - dt.timedelta(days=100),
        due_on=today - dt.timedelta(days=3),
    )
    handover_create(
        kind=RATED,
        subject=world.township,
        title="关于完善农村饮水安全工程的建议",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        rater=world.deputy,
    )
    evidence = tmp_path / "线路图.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    page = new_page(viewport=PHONE)
    browser_login(page, "unit")
    page.goto("/inbox/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cards = page.locator("ol.task-rows--cards li.task-row")
    first = cards.first
    assert "关于增设黄茅园镇中学校车线路的建议" in first.inner_text()
    assert "逾期" in first.inner_text()  # the colour in words, not in colour alone
    assert axe_violations(page) == []
    first.get_by_role("link", name="答复").click()
    page.wait_for_url(f"**/inbox/{handover.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A class is needed: refused beside its field, what was typed kept.
    page.locator("#answer_text").fill("已将校车线路纳入明年公交规划，先开通早晚两班。")
    page.get_by_role("button", name="提交答复").click()
    page.locator(".field--error", has_text="办理结果分类").wait_for()
    assert page.locator("#answer_text").input_value().startswith("已将校车线路")
    page.get_by_label("B类：正在解决或列入计划解决").check()
    page.locator("#answer_files").set_input_files(str(evidence))
    page.get_by_role("button", name="提交答复").click()
    page.get_by_text("答复已提交。").wait_for()
    assert axe_violations(page) == []
    handover.refresh_from_db()
    assert (handover.state, handover.answer_class) == ("answered", "B")
    assert HandoverFile.objects.get().name == "线路图.png"
    assert page.get_by_role("link", name="线路图.png").first.is_visible()  # answer and history

    # The deputy finds it on their home page and rates it there, on a phone too.
    deputy = new_page(viewport=PHONE)
    browser_login(deputy, "deputy")
    panel = deputy.locator("section[aria-label='待您评价的答复']")
    panel.get_by_role("link", name="关于增设黄茅园镇中学校车线路的建议").click()
    deputy.get_by_label("基本满意").check()
    deputy.get_by_role("button", name="提交评价").click()
    deputy.get_by_text("谢谢，您的评价已记录。").wait_for()
    assert Handover.objects.get(pk=handover.pk).state == Handover.State.CLOSED


def test_the_office_inbox_fits_a_phone(world, test_kinds, new_page):
    today = timezone.localdate()
    for n, unit in enumerate([world.unit, world.county_unit, world.township_unit] * 2):
        handover_create(
            kind=RATED,
            subject=world.township,
            title=f"关于加快农村公路建设和管护的建议（第{n + 1}件）",
            region=world.county,
            unit=unit,
            by=world.staff,
            rater=world.deputy,
            helping_units=[world.other_unit],
            handed_on=today - dt.timedelta(days=60),
            due_on=today + dt.timedelta(days=n * 3 - 6),
        )
    for username in ("staff", "county"):
        page = new_page(viewport=PHONE)
        browser_login(page, username)
        page.goto("/inbox/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("ol.task-rows--cards").first.is_visible()
        assert axe_violations(page) == [], username
        # Clicking a late unit filters the list to its work.
        page.locator("ol.task-rows--cards").first.get_by_role("link").first.click()
        page.wait_for_url("**/inbox/?unit=*")
        assert page.locator("ol.task-rows--cards li.task-row").count() >= 1
