"""In Chromium: the htmx filters keep a shareable URL, and every task page passes axe-core
(no serious or critical violations) on a phone."""

import datetime

import pytest
from django.utils import timezone

from tasks.services.assessment import assessment_record
from tasks.services.supervision import follow_up_add, supervision_visit_record
from tasks.status import due_report_month
from tests.conftest import PHONE, axe_violations, browser_login
from tests.tasks.factories import MilestoneFactory, ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def lively(world, task):
    today = timezone.localdate()
    late = TaskFactory(
        task_list=task.task_list,
        aspect=task.aspect,
        lead_unit=world.other_unit,
        content="开展执法检查并形成问题清单",
        deadline=today - datetime.timedelta(days=3),
    )
    MilestoneFactory(task=task, due_date=today + datetime.timedelta(days=10))
    ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    visit = supervision_visit_record(
        leader=world.leader, visited_on=today, places="洪江市", tasks=[task], by=world.leader
    )
    follow_up_add(visit=visit, task=task, unit=world.unit, description="台账不规范", due_date=today)
    assessment_record(
        task=task,
        year=today.year,
        quarter=1,
        completion=20,
        timeliness=20,
        quality=20,
        evidence_score=20,
        by=world.staff,
    )
    return {"task": task, "late": late, "visit": visit}


def test_filters_update_in_place_and_keep_the_url(world, new_page, lively):
    page = new_page(viewport=PHONE)
    browser_login(page, "leader")
    page.goto("/tasks/")
    assert page.locator(".task-row").count() == 2
    page.locator(".filter-drawer > summary").click()  # a phone folds the filters
    page.locator("#id_status").select_option("overdue")
    page.wait_for_url("**status=overdue**")
    page.wait_for_function("document.querySelectorAll('.task-row').length === 1")
    assert "开展执法检查" in page.locator("#results").inner_text()
    # the URL is shareable: opening it afresh shows the same view
    other = new_page()
    browser_login(other, "staff")
    other.goto(page.url)
    assert other.locator(".task-row").count() == 1


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("leader", ["/", "/tasks/", "task", "/tasks/supervision/", "visit", "/tasks/assessment/"]),
        ("staff", ["/tasks/import/", "/tasks/reports/", "task", "edit", "/tasks/assessment/"]),
        ("unit", ["/", "/tasks/", "task", "report", "/tasks/supervision/"]),
    ],
)
def test_pages_pass_axe_on_a_phone(world, new_page, lively, username, paths):
    task = lively["task"]
    named = {
        "task": f"/tasks/{task.pk}/",
        "edit": f"/tasks/{task.pk}/edit/",
        "report": f"/tasks/{task.pk}/report/",
        "visit": f"/tasks/supervision/visits/{lively['visit'].pk}/",
    }
    page = new_page(viewport=PHONE)
    browser_login(page, username)
    for path in paths:
        page.goto(named.get(path, path))
        assert axe_violations(page) == [], path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{path} scrolls sideways ({width}px)"


def test_returning_a_report_without_a_reason_shows_why_in_place(world, new_page, task):
    """The inline review answers 400 with the message beside the comment box; htmx swaps
    it in (not only 2xx), so the reviewer sees why nothing happened."""
    ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    page = new_page(viewport=PHONE)
    browser_login(page, "staff")
    page.goto(f"/tasks/{task.pk}/")
    card = page.locator(".task-report").first
    card.get_by_label("退回并说明").check()
    card.get_by_role("button", name="保存审核").click()
    page.get_by_text("退回时请说明需要修改的内容。").wait_for()
    card = page.locator(".task-report").first
    card.get_by_label("审核意见").fill("请补充培训签到表")
    card.get_by_label("退回并说明").check()
    card.get_by_role("button", name="保存审核").click()
    page.locator(".task-report .badge", has_text="已退回").wait_for()
    assert "请补充培训签到表" in page.locator(".task-report").first.inner_text()


def test_the_unit_reports_the_missing_month_which_clears_lagging(world, new_page, task):
    """The month now due is missing (a later month may be in, accepted): the to-do item on
    the phone names the gap and opens the form on that month; once sent, the task page no
    longer says 滞后 and the to-do list is empty. Four taps: the item, %, text, 报送."""
    today = timezone.localdate()
    due = due_report_month(today)
    task.task_list.reports_start = due
    task.task_list.save()
    if due < today.replace(day=1):  # before the 26th: this month may be reported already
        ProgressReportFactory(task=task, month=today.replace(day=1), status="accepted")
    label = f"{due.year}年{due.month}月"
    page = new_page(viewport=PHONE)
    browser_login(page, "unit")
    page.goto(f"/tasks/{task.pk}/")
    assert page.locator("#status-reason").inner_text() == f"滞后原因：{label}进度未报送"
    assert page.locator(".task-report--missing").count() == 1
    assert axe_violations(page) == []
    page.goto("/")
    item = page.locator(".todo", has_text=task.content[:20])
    assert f"{label}进度未报送" in item.inner_text()
    assert axe_violations(page) == []
    item.get_by_role("link").click()  # tap 1
    assert page.locator("#id_month").input_value() == due.isoformat()
    page.locator("#id_percent").fill("40")  # tap 2
    page.locator("#id_text").fill("已补报本月进度：完成培训两期。")  # tap 3
    page.get_by_role("button", name="报送").click()  # tap 4
    page.get_by_text("月进度已报送").wait_for()
    assert page.locator("h1 .badge").inner_text() == "正常推进"
    assert page.locator("#status-reason").count() == 0
    assert page.locator(".task-report--missing").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    page.goto("/")
    assert page.locator(".todo").count() == 0


def test_staff_accept_two_reports_in_one_action_and_the_unit_is_told(world, new_page, task):
    """The queue at 375 px: tick two rows, 通过所选 (three taps); both leave the queue, the
    count moves, and the unit contact finds both notices in the notification centre."""
    reports = [
        ProgressReportFactory(
            task=TaskFactory(task_list=task.task_list, aspect=task.aspect, lead_unit=world.unit),
            percent=40 + i,
            submitted_by=world.unit_contact,
        )
        for i in range(3)
    ]
    page = new_page(viewport=PHONE)
    browser_login(page, "staff")
    page.goto("/tasks/reports/")
    assert "待审核 3 份" in page.locator("#queue-count").inner_text()
    assert axe_violations(page) == []
    for report in reports[:2]:
        page.locator(f"#review-{report.pk} .review-row__pick").click()  # taps 1 and 2
    page.get_by_role("button", name="通过所选").click()  # tap 3
    page.get_by_text("已通过 2 份月进度。").wait_for()
    assert "待审核 1 份" in page.locator("#queue-count").inner_text()
    assert "今天您已审核 2 份" in page.locator("#queue-count").inner_text()
    assert page.locator(".review-row:not(.review-row--done)").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    # 通过 on the last one: one tap, the row leaves, the count moves
    page.locator(f"#review-{reports[2].pk}").get_by_role("button", name="通过").click()
    page.locator(f"#review-{reports[2].pk}.review-row--done").wait_for()
    assert "待审核 0 份" in page.locator("#queue-count").inner_text()

    unit = new_page(viewport=PHONE)
    browser_login(unit, "unit")
    unit.goto("/notifications/")
    for report in reports:
        assert unit.get_by_text(report.task.content[:12]).count() >= 1
    assert unit.get_by_text("进度已通过审核").count() == 3
