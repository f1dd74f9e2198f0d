"""The leader's journey of issue 17, in Chromium: the leader opens home and sees the tasks
they lead; writes an instruction 批示 on an overdue task; the unit contact sees it in their
notifications and answers it from /inbox/ on a phone; the leader downloads the month's
PDF, which shows the instruction and the answer."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import PHONE, axe_violations, browser_login
from tests.reports.pdf import pdf_text
from tests.tasks.factories import AspectFactory, TaskFactory, TaskListFactory

pytestmark = pytest.mark.browser

OVERDUE = "完成代表联络站标准化建设验收"
ON_TRACK = "开展市人大代表履职培训"
INSTRUCTION = "请于报送日前完成验收并书面报告。"
ANSWER = "验收已完成，书面报告已报送办公室。"


def test_leader_instructs_the_unit_answers_and_the_pdf_shows_it(world, new_page, tmp_path):
    today = timezone.localdate()
    task_list = TaskListFactory(title=f"{today.year}年市人大常委会任务清单")
    aspect = AspectFactory(task_list=task_list, number=1, title="支持和保障代表依法履职")
    for number, content, deadline in (
        (1, ON_TRACK, today + dt.timedelta(days=90)),
        (2, OVERDUE, today - dt.timedelta(days=12)),
    ):
        TaskFactory(
            task_list=task_list,
            aspect=aspect,
            number=number,
            content=content,
            deadline=deadline,
            lead_unit=world.unit,
            lead_leader=world.leader,
        )

    # 1. The leader opens home: the tasks they lead, the overdue one first.
    leader = new_page()
    browser_login(leader, "leader")
    panel = leader.locator("section[aria-label='我牵头的任务']")
    rows = panel.locator("li.task-row")
    assert rows.count() == 2
    assert OVERDUE in rows.nth(0).inner_text() and "逾期" in rows.nth(0).inner_text()
    assert ON_TRACK in rows.nth(1).inner_text()
    assert panel.locator("svg polyline").count() == 2  # the sparkline
    assert axe_violations(leader) == []

    # 2. The leader writes an instruction on the overdue task, from the row's 批示.
    rows.nth(0).get_by_role("link", name="批示").click()
    leader.wait_for_url("**/tasks/*/#instruct")
    leader.get_by_label("批示内容").fill(INSTRUCTION)
    leader.get_by_role("button", name="发送批示").click()
    leader.get_by_text("批示已交代表工委办理").wait_for()
    instruction = leader.locator("article.instruction").first
    assert INSTRUCTION in instruction.inner_text() and "已交办" in instruction.inner_text()
    assert axe_violations(leader) == []

    # 3. The unit contact, on a phone, sees it among their notifications ...
    unit = new_page(viewport=PHONE)
    browser_login(unit, "unit")
    unit.locator(".account-menu > summary").click()
    unit.locator("#notification-badge").click()
    unit.wait_for_url("**/notifications/")
    notice = unit.locator(".notification", has_text="第2项任务批示")
    assert "交办给本单位" in notice.inner_text()
    # ... and answers it from the inbox.
    unit.goto("/inbox/")
    card = unit.locator("li.task-row", has_text="第2项任务批示")
    card.get_by_role("link", name="答复").click()
    assert INSTRUCTION in unit.content()  # the instruction in full on the handover's page
    unit.locator("#answer_text").fill(ANSWER)
    unit.get_by_role("button", name="提交答复").click()
    unit.get_by_text("答复已提交").wait_for()
    assert unit.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(unit) == []

    # 4. The leader sees the answer on the task, then makes and downloads the month's PDF.
    leader.reload()
    assert ANSWER in leader.locator("article.instruction").first.inner_text()
    leader.goto("/reports/")
    leader.get_by_label("月份").fill(today.strftime("%Y-%m"))
    leader.get_by_role("button", name="生成月度报告").click()
    link = leader.get_by_role("link", name=f"下载 {today.year}年{today.month}月工作进展报告.pdf")
    link.wait_for()
    with leader.expect_download() as download_info:
        link.click()
    target = tmp_path / "report.pdf"
    download_info.value.save_as(target)
    text = "".join(pdf_text(target, layout=False).split())
    assert "领导批示" in text
    assert INSTRUCTION in text and ANSWER in text
    assert "舒国平" in text
