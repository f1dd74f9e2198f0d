"""Two journeys on a phone (375 px) in Chromium."""

import pytest

from liaison_stations.models import DutyLog, Reception
from tests.conftest import PHONE, axe_violations, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_a_duty_day_with_two_receptions_one_referred(world, places, new_page):
    shift = places["shifts"]["home"]
    page = new_page(viewport=PHONE)
    browser_login(page, "secretary")
    page.goto("/stations/today/")
    page.get_by_role("link", name="记录本次值班").click()
    page.wait_for_url(f"**/stations/shifts/{shift.pk}/log/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.evaluate("window.stillThisPage = true")
    add = page.locator("#add-reception")
    add.click()
    page.locator("textarea[name='r-0-content']").wait_for()
    page.locator("#add-reception").click()
    page.locator("textarea[name='r-1-content']").wait_for()
    assert page.locator("#id_r-TOTAL_FORMS").input_value() == "2"
    assert page.evaluate("window.stillThisPage")  # htmx added the rows, the form was not sent

    # Nothing is chosen for the secretary; the answer box and the unit wait for a handling.
    assert page.locator("select[name='r-0-category']").input_value() == ""
    assert not page.locator("textarea[name='r-0-answer']").is_visible()
    assert not page.locator("select[name='r-1-referred_unit']").is_visible()

    page.select_option("select[name='r-0-category']", "social")
    page.fill("textarea[name='r-0-content']", "高龄津贴发放时间不固定")
    page.locator("#reception-0").get_by_text("当场答复").click()
    assert not page.locator("select[name='r-0-referred_unit']").is_visible()
    page.fill("textarea[name='r-0-answer']", "已当场解释政策")

    page.select_option("select[name='r-1-category']", "roads")
    page.fill("input[name='r-1-village']", "金中村")
    page.fill("textarea[name='r-1-content']", "通组公路路面破损，雨天出行困难")
    page.locator("#reception-1").get_by_text("转交单位办理").click()
    assert not page.locator("textarea[name='r-1-answer']").is_visible()
    # The unit picker's search box: typing a unit's name chooses it when one is left.
    page.fill("#id_r-1-referred_unit-filter", "司法")
    assert page.locator("select[name='r-1-referred_unit']").input_value() == str(
        world.other_unit.pk
    )
    page.fill("input[name='r-1-referral_due']", "2099-06-30")
    page.fill("textarea[name='notes']", "两位代表按时进站")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    page.get_by_role("button", name="保存值班记录").click()

    page.get_by_text("值班已记录。").wait_for()
    assert DutyLog.objects.filter(shift=shift).exists()
    new = Reception.objects.filter(shift=shift).exclude(pk=places["receptions"]["home"].pk)
    assert sorted(new.values_list("handling", flat=True)) == ["answered", "referred"]
    assert new.get(handling="referred").referred_unit == world.other_unit
    recorded = page.locator("section[aria-labelledby='received-title'] li")
    assert recorded.count() == 3  # the one recorded before and the two of this visit
    assert "市司法局" in recorded.filter(has_text="雨天出行困难").inner_text()


def test_the_duty_log_works_without_script(world, places, chromium, live_server):
    """Script off: 增加一位群众 sends the form back with one more row (what was typed kept),
    the handling's fields show by CSS alone, the grouped unit select works by itself."""
    shift = places["shifts"]["home"]
    context = chromium.new_context(
        viewport=PHONE, locale="zh-CN", base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        browser_login(page, "secretary")
        page.goto(f"/stations/shifts/{shift.pk}/log/")
        page.locator("#add-reception").click()
        page.locator("textarea[name='r-0-content']").wait_for()
        page.select_option("select[name='r-0-category']", "social")
        page.fill("textarea[name='r-0-content']", "高龄津贴发放时间不固定")
        page.locator("#reception-0").get_by_text("当场答复").click()
        page.fill("textarea[name='r-0-answer']", "已当场解释政策")
        page.locator("#add-reception").click()
        page.locator("textarea[name='r-1-content']").wait_for()
        assert page.locator("textarea[name='r-0-answer']").input_value() == "已当场解释政策"
        assert page.locator("#id_r-1-referred_unit-filter").count() == 0  # no search box
        page.select_option("select[name='r-1-category']", "roads")
        page.fill("textarea[name='r-1-content']", "通组公路路面破损")
        page.locator("#reception-1").get_by_text("转交单位办理").click()
        page.select_option("select[name='r-1-referred_unit']", str(world.other_unit.pk))
        page.fill("input[name='r-1-referral_due']", "2099-06-30")
        page.get_by_role("button", name="保存值班记录").click()
        page.get_by_text("值班已记录。").wait_for()
    finally:
        context.close()
    new = Reception.objects.filter(shift=shift).exclude(pk=places["receptions"]["home"].pk)
    assert sorted(new.values_list("handling", flat=True)) == ["answered", "referred"]


def test_public_leaves_an_opinion_and_the_secretary_finds_it(world, places, new_page):
    station = places["home"]
    public = new_page(viewport=PHONE)
    public.goto(f"/s/{station.code}/")
    assert public.get_by_role("heading", name=station.name).count() == 1
    assert public.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(public) == []
    public.fill("textarea[name='content']", "村口路灯坏了三个月，晚上出行不安全")
    public.fill("input[name='phone']", "13912345678")
    public.check("input[name='consent']")
    public.get_by_role("button", name="提交").click()
    public.get_by_role("heading", name="谢谢").wait_for()

    secretary = new_page(viewport=PHONE)
    browser_login(secretary, "secretary")
    secretary.goto("/stations/inbox/")
    assert secretary.locator("h1").inner_text() == "网上留言"
    # On a phone the opinions are cards, each with one big action.
    opinion = secretary.locator(".task-row", has_text="村口路灯坏了三个月")
    opinion.get_by_role("link", name="办理").click()
    secretary.get_by_text("13912345678").wait_for()
    assert Reception.objects.get(channel="online").station == station


def test_secretary_edits_the_station_and_sees_its_photos_on_a_phone(world, places, new_page):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from liaison_stations.services import duty_log_record

    shift = places["shifts"]["home"]
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "JPEG")
    duty_log_record(
        shift=shift,
        by=world.secretary,
        attendees=list(shift.deputies.all()),
        hours=3,
        photos=[SimpleUploadedFile("duty.jpg", out.getvalue(), content_type="image/jpeg")],
    )
    station = places["home"]
    page = new_page(viewport=PHONE)
    browser_login(page, "secretary")
    page.goto(f"/stations/{station.code}/")
    thumbnail = page.locator("section[aria-labelledby='photos-title'] img")
    thumbnail.wait_for()
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    assert thumbnail.evaluate("img => img.naturalWidth") == 64  # served, not broken
    page.get_by_role("link", name="编辑联络站").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    page.fill("input[name='address']", "黄茅园镇人民政府院内")
    page.select_option("select[name='rule']", "weekdays")
    page.fill("input[name='rule_days']", "2，5")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("联络站已保存。").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    station.refresh_from_db()
    assert (station.address, station.rule_days) == ("黄茅园镇人民政府院内", "2,5")
