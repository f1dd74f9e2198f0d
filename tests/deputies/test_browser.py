"""The deputy edit page on a phone (375 px) in Chromium."""

import pytest

from deputies.models import Level
from tests.conftest import PHONE, axe_violations, browser_login
from tests.factories import DeputyFactory, MandateFactory
from tests.liaison_stations.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_edits_a_deputy_and_adds_a_county_seat_on_a_phone(world, new_page):
    station = StationFactory(region=world.township, name="黄茅园镇人大代表联络站")
    deputy = DeputyFactory(name="陆友红", region=world.township, home_station=station)
    MandateFactory(deputy=deputy, level=Level.TOWNSHIP)
    page = new_page(viewport=PHONE)
    browser_login(page, "county")
    page.goto(f"/deputies/{deputy.pk}/")
    page.get_by_role("link", name="编辑代表信息").click()
    page.wait_for_url(f"**/deputies/{deputy.pk}/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []

    page.fill("input[name='occupation']", "种植大户")
    page.fill("input[name='phone']", "13987654321")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"**/deputies/{deputy.pk}/")
    assert "种植大户" in page.locator("main").inner_text()

    page.goto(f"/deputies/{deputy.pk}/edit/")
    page.select_option("select[name='mandate-level']", "county")
    page.fill("input[name='mandate-congress']", "溆浦县第十八届人民代表大会")
    page.select_option("select[name='mandate-region']", world.county.code)
    page.get_by_role("button", name="新增职务").click()
    page.wait_for_url(f"**/deputies/{deputy.pk}/edit/")
    assert "溆浦县第十八届人民代表大会" in page.locator("#mandates-title + ul").inner_text()
    deputy.refresh_from_db()
    assert deputy.occupation == "种植大户" and deputy.mandates.count() == 2
