"""The journey of the issue, in Chromium: staff import a list; the unit contact reports
March with a file; staff return it; the contact resubmits; staff accept; the leader sees
the task's new status on the home page."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import PHONE, axe_violations, browser_login
from tests.tasks.factories import xlsx
from tests.tasks.test_excel import row

pytestmark = pytest.mark.browser

CONTENT = "组织代表开展“千名代表访万人”活动"


def status_count(page, label: str) -> str:
    item = page.locator("section[aria-label='任务清单推进情况'] li", has_text=label)
    return item.inner_text().replace(label, "").strip()


def test_import_report_return_resubmit_accept_and_home(world, new_page, tmp_path):
    today = timezone.localdate()
    year = today.year if today.month >= 3 else today.year - 1
    march = datetime.date(year, 3, 1)
    sheet = tmp_path / "任务清单.xlsx"
    sheet.write_bytes(xlsx([row(1, lead="代表工委", 任务内容=CONTENT, deadline="常态化")]))
    evidence = tmp_path / "活动照片.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    # 1. staff imports the list: preview first, then save
    staff = new_page()
    browser_login(staff, "staff")
    staff.goto("/tasks/import/")
    staff.locator("#id_title").fill(f"{year}年市人大常委会任务清单")
    staff.locator("#id_year").fill(str(year))
    staff.locator("#id_kind").select_option("committee")
    staff.locator("#id_file").set_input_files(str(sheet))
    staff.locator("main form button[type=submit]").click()
    staff.get_by_text("所有行均通过检查").wait_for()
    assert CONTENT in staff.content()
    staff.get_by_role("button", name="保存清单").click()
    staff.wait_for_url("**/tasks/?list=*")
    assert staff.get_by_role("link", name=CONTENT).is_visible()
    assert axe_violations(staff) == []

    leader = new_page()
    browser_login(leader, "leader")
    assert status_count(leader, "未启动") == "1"

    # 2. the unit contact submits March's report with a file, on a phone
    unit = new_page(viewport=PHONE)
    browser_login(unit, "unit")
    unit.goto("/tasks/")
    unit.get_by_role("link", name=CONTENT).click()
    unit.get_by_role("link", name="报送本月进度").click()

    def report(percent: str, text: str) -> None:
        unit.locator("#id_month").select_option(march.isoformat())
        unit.locator("#id_percent").fill(percent)
        unit.locator("#id_text").fill(text)
        unit.locator("#id_files").set_input_files(str(evidence))
        unit.get_by_role("button", name="报送").click()
        unit.get_by_text("月进度已报送").wait_for()

    assert axe_violations(unit) == []
    report("30", "已组织代表走访群众1200人次。")
    task_url = unit.url

    # 3. staff returns it with a comment, inline
    staff.goto(task_url)
    card = staff.locator("article.task-report").first
    card.get_by_label("退回并说明").check()
    card.locator("textarea").fill("请补充走访记录表")
    card.get_by_role("button", name="保存审核").click()
    staff.locator("article.task-report", has_text="请补充走访记录表").get_by_text(
        "已退回"
    ).wait_for()

    # 4. the unit contact sees the comment and resubmits
    unit.goto(task_url)
    assert "请补充走访记录表" in unit.content()
    unit.get_by_role("link", name="报送本月进度").click()
    report("60", "已组织代表走访群众2600人次，走访记录表见附件。")

    # 5. staff accepts it
    staff.goto(task_url)
    card = staff.locator("article.task-report").first
    card.get_by_label("通过").check()
    card.get_by_role("button", name="保存审核").click()
    staff.locator("article.task-report").first.get_by_text("已通过").wait_for()
    assert axe_violations(staff) == []
    assert staff.locator("article.task-report a", has_text="活动照片.png").count() == 2

    # 6. the leader sees the changed status on the home page
    leader.goto("/")
    assert status_count(leader, "正常推进") == "1"
    assert status_count(leader, "未启动") == "0"
