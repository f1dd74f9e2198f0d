"""The leader's journey in Chromium: generate the month's report, watch it, download it."""

import datetime as dt

import pytest

from tests.conftest import PHONE, axe_violations, browser_login
from tests.notifications.data import build_scene

pytestmark = pytest.mark.browser


def test_leader_generates_watches_and_downloads_the_report(world, new_page, tmp_path):
    build_scene(world)
    page = new_page()
    browser_login(page, "leader")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="报告").click()
    page.wait_for_url("**/reports/")
    assert axe_violations(page) == []
    page.get_by_label("月份").fill("2025-03")
    page.get_by_role("button", name="生成月度报告").click()
    # The status fragment replaces the form and polls until the download link appears
    # (in the embedded run the report is made in-process, so this is quick).
    link = page.get_by_role("link", name="下载 2025年3月工作进展报告.pdf")
    link.wait_for()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "2025年3月工作进展报告.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    from reports.models import GeneratedReport

    assert GeneratedReport.objects.get().month == dt.date(2025, 3, 1)
    # The leader was told in the notification centre; the badge shows it.
    page.goto("/reports/")
    # The count shows on the account menu; opened, the menu's 通知 item says it too.
    assert page.locator(".account-menu__count").inner_text() == "1"
    page.locator(".account-menu > summary").click()
    assert page.locator(".notification-badge__count").inner_text() == "1"
    month = page.locator(".report-month").filter(has_text="2025年3月")
    assert "第1版" in month.inner_text()
    assert month.get_by_role("link", name="下载 2025年3月工作进展报告.pdf").is_visible()


def test_notification_centre_on_a_phone(world, new_page):
    from notifications.models import Kind
    from notifications.services import notification_send

    notification_send(
        user=world.secretary, kind=Kind.OTHER, title="值班提醒：明天进站履职", key="x"
    )
    page = new_page(viewport=PHONE)
    browser_login(page, "secretary")
    page.locator(".account-menu > summary").click()  # 通知 is in the account menu
    page.locator("#notification-badge").click()
    page.wait_for_url("**/notifications/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="标为已读", exact=True).click()
    page.locator(".notification--unread").wait_for(state="detached")
    page.locator(".notification-badge__count").wait_for(state="detached")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
