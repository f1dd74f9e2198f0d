"""办 in Chromium: the office allocates money from the pool on the project page; the unit
contact reports progress with a photo from a phone, then completes the project with its
completion record; the project page shows it all."""

from __future__ import annotations

import pytest

from livelihood.delivery import projects_open
from livelihood.demo_delivery import tiny_png
from livelihood.models import FundPool, Project
from tests.conftest import PHONE, axe_violations, browser_login
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_allocate_report_with_a_photo_from_a_phone_and_complete(world, new_page):
    proposal = make_proposal(world, status="chosen", cost="46.8")
    projects_open([proposal.pk])
    project = Project.objects.get()
    pool = FundPool.objects.create(
        year=2026, level="township", region=world.township, funded_by=world.township, amount=150
    )

    office = new_page()
    browser_login(office, "secretary")
    office.goto(f"/livelihood/projects/{project.pk}/")
    office.get_by_label("资金池").select_option(str(pool.pk))
    office.get_by_label("金额（万元）").fill("46.80")
    office.get_by_role("button", name="安排资金").click()
    office.wait_for_url(f"**/livelihood/projects/{project.pk}/")
    assert "资金已安排" in office.content()
    pool.refresh_from_db()
    assert str(pool.allocated) == "46.80"

    phone = new_page(viewport=PHONE)
    browser_login(phone, world.township_unit_contact.username)
    phone.goto("/livelihood/projects/")
    phone.get_by_role("link", name=proposal.title).first.click()
    phone.get_by_role("link", name="报告进展").click()
    assert fits(phone) and axe_violations(phone) == []
    phone.get_by_label("完成了哪些工作").fill("路基平整完成，排水沟开挖315米。")
    phone.get_by_label("本次支出（万元）").fill("20")
    phone.get_by_label("照片").set_input_files(
        {"name": "site.png", "mimeType": "image/png", "buffer": tiny_png((150, 120, 90))}
    )
    phone.get_by_role("button", name="提交报告").click()
    phone.wait_for_url(f"**/livelihood/projects/{project.pk}/")
    assert "进展已报告" in phone.content()
    src = phone.locator("article img").first.get_attribute("src")
    photo = phone.context.request.get(src)  # served through the scope-checked view
    assert photo.ok and photo.body().startswith(b"\x89PNG")
    assert fits(phone) and axe_violations(phone) == []

    phone.get_by_role("link", name="报告进展").click()
    phone.get_by_label("完成了哪些工作").fill("路面油化完成，通过验收，正式通车。")
    phone.get_by_label("本次支出（万元）").fill("26.80")
    phone.get_by_label("工程已完工：本报告即完工记录").check()
    phone.get_by_role("button", name="提交报告").click()
    phone.wait_for_url(f"**/livelihood/projects/{project.pk}/")
    assert "完工记录" in phone.content() and "已完成" in phone.content()
    project.refresh_from_db()
    assert project.state == "completed" and str(project.spent) == "46.80"
