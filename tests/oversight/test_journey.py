"""THE Chromium journey of the rectification loop: staff record an inspection with three
problems and hand them to a unit; the unit answers from /inbox/ on a phone; the second
unannounced visit finds one not rectified and it goes onto the second list; the unit
fixes it; the office verifies and closes it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from oversight.models import Case, Problem
from tests.conftest import PHONE, axe_violations, browser_login

pytestmark = pytest.mark.browser

PROBLEMS = ["建筑工地扬尘污染防治措施不到位", "太平溪城区段生活污水直排", "渣土运输车辆沿路抛洒"]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def answer_from_inbox(unit, title: str, text: str) -> None:
    unit.goto("/inbox/")
    unit.get_by_role("link", name=re.compile(title)).first.click()
    assert fits(unit)
    unit.fill("textarea[name='text']", text)
    with unit.expect_navigation():
        unit.get_by_role("button", name="提交答复").click()


def test_an_inspection_runs_the_whole_rectification_loop(world, new_page):
    cache.clear()
    # 1. Staff record the inspection and its three problems, and hand them over.
    office = new_page()
    browser_login(office, "staff")
    office.goto("/oversight/new/")
    office.select_option("select[name='kind']", "law_inspection")
    office.fill("input[name='title']", "环境保护法执法检查")
    office.fill("input[name='lead_committee']", "环资城建委")
    office.fill("input[name='started_on']", "2026-04-08")
    office.get_by_role("button", name="保存").click()
    office.wait_for_url(re.compile(r"/oversight/\d+/$"))
    case = Case.objects.get(title="环境保护法执法检查")
    assert case.state == Case.State.RUNNING
    office.get_by_role("link", name="登记发现的问题").click()
    for title in PROBLEMS:
        office.fill("textarea[name='title']", title)
        office.select_option("select[name='unit']", label="市司法局")
        office.fill("textarea[name='measures']", "限期整改")
        with office.expect_navigation():
            office.get_by_role("button", name="列入问题清单").click()
    assert axe_violations(office) == []
    office.goto(f"/oversight/{case.pk}/")
    with office.expect_navigation():
        office.get_by_role("button", name="将3个问题交办责任单位").click()
    office.get_by_text("3个问题已作为整改清单交办责任单位。").wait_for()
    assert set(Problem.objects.values_list("state", flat=True)) == {"rectifying"}

    # 2. The unit answers each from /inbox/ on a phone.
    unit = new_page(viewport=PHONE)
    browser_login(unit, "outsider")
    for title in PROBLEMS:
        answer_from_inbox(unit, title, "已完成整改，附整改前后对比照片。")
    assert set(Problem.objects.values_list("state", flat=True)) == {"reported"}

    # 3. The second unannounced visit: one not rectified goes onto the second list.
    office.goto(f"/oversight/{case.pk}/")
    office.get_by_role("link", name="登记二次暗访").click()
    office.fill("input[name='who']", "市人大环资城建委暗访组")
    first, second, third = Problem.objects.order_by("number")
    office.select_option(f"select[name='problem_{first.pk}']", "rectified")
    office.select_option(f"select[name='problem_{second.pk}']", "not")
    office.fill(f"input[name='remark_{second.pk}']", "排污口仍在排放")
    office.select_option(f"select[name='problem_{third.pk}']", "rectified")
    assert axe_violations(office) == []
    with office.expect_navigation():
        office.get_by_role("button", name="登记暗访结果").click()
    office.get_by_text("二次清单整改中").first.wait_for()
    second.refresh_from_db()
    assert second.state == "second_list" and second.on_second_list

    # 4. The unit fixes it; the office verifies and closes it.
    answer_from_inbox(unit, "太平溪城区段", "已封堵排污口，完成截污管网接入。")
    office.goto(f"/oversight/problems/{second.pk}/")
    office.fill("input[name='notes']", "现场复核属实")
    with office.expect_navigation():
        office.get_by_role("button", name="核实属实，办结").click()
    second.refresh_from_db()
    assert second.state == "verified"
    office.goto(f"/oversight/{case.pk}/")
    assert "100%" in office.locator("#rect-h").locator("..").inner_text()
    assert axe_violations(office) == []
