"""THE journey in Chromium: a reception becomes a suggestion, is handed to a county
department, answered B on a phone, rated 不满意, answered again and rated 基本满意.

1. the secretary drafts it from the reception's page;
2. the deputy confirms it on a phone (from the home panel);
3. staff accept it and hand it to 溆浦县交通运输局;
4. the unit contact answers from /inbox/ on a phone with class B;
5. the deputy rates it 不满意 on a phone;
6. it returns to the unit, which answers again (final);
7. the deputy rates it 基本满意 and it closes.
"""

from __future__ import annotations

import pytest

from deputies.models import Activity, Level
from handovers.models import Handover, Step
from liaison_stations.models import Reception
from suggestions.models import Suggestion
from tests.conftest import PHONE, axe_violations, browser_login
from tests.factories import MandateFactory

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_from_a_reception_to_a_closed_suggestion(world, deputies, reception, new_page):
    # 陆友红 also sits in the city congress, whose office (the staff) hands it over.
    MandateFactory(
        deputy=deputies.lead,
        level=Level.CITY,
        region=world.city,
        congress="怀化市第六届人民代表大会",
    )
    Reception.objects.filter(pk=reception.pk).update(handling=Reception.Handling.SUGGESTION)

    # 1. The secretary drafts it from the reception.
    secretary = new_page()
    browser_login(secretary, "secretary")
    secretary.goto(f"/stations/receptions/{reception.pk}/")
    secretary.get_by_role("link", name="起草代表建议").click()
    secretary.wait_for_url(f"**/suggestions/draft/?reception={reception.pk}")
    secretary.locator("#id_lead").select_option(label="陆友红")
    secretary.locator("#id_congress").select_option(label="怀化市 · 市级")
    secretary.locator("#id_title").fill("关于加快大埠至黄金街道路硬化的建议")
    assert "大埠至黄金街" in secretary.locator("#id_content").input_value()
    secretary.get_by_role("button", name="保存草稿").click()
    secretary.get_by_text("已起草，待陆友红确认。").wait_for()
    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.level) == ("draft", "city")
    secretary.goto(f"/stations/receptions/{reception.pk}/")
    assert secretary.get_by_role("link", name="关于加快大埠至黄金街道路硬化的建议").is_visible()

    # 2. The deputy confirms it on a phone, from the home page.
    deputy = new_page(viewport=PHONE)
    browser_login(deputy, "deputy")
    deputy.get_by_role("link", name="1件草稿待确认").click()
    deputy.get_by_role("link", name="关于加快大埠至黄金街道路硬化的建议").first.click()
    assert fits(deputy)
    deputy.get_by_role("button", name="确认并提交").click()
    deputy.get_by_text("已提交，建议已编号。").wait_for()
    assert axe_violations(deputy) == []
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.number) == ("submitted", 1)

    # 3. Staff accept it and hand it to a county department.
    staff = new_page()
    browser_login(staff, "staff")
    staff.goto("/suggestions/?status=submitted")
    staff.locator("table").get_by_role("link", name="关于加快大埠至黄金街道路硬化的建议").click()
    staff.get_by_label("立案").check()
    staff.get_by_role("button", name="保存审查意见").click()
    staff.get_by_text("已立案，请交办承办单位。").wait_for()
    staff.locator("#id_unit").select_option(str(world.county_unit.pk))
    staff.get_by_role("button", name="交办").click()
    staff.get_by_text("已交办").first.wait_for()
    suggestion.refresh_from_db()
    handover = suggestion.handover
    assert (suggestion.status, handover.unit) == ("handed", world.county_unit)

    # 4. The unit contact answers from the inbox on a phone, class B.
    unit = new_page(viewport=PHONE)
    browser_login(unit, "county-unit")
    unit.goto("/inbox/")
    assert fits(unit)
    card = unit.locator("ol.task-rows--cards li.task-row", has_text="大埠至黄金街")
    card.get_by_role("link", name="答复").click()
    unit.wait_for_url(f"**/inbox/{handover.pk}/")
    assert fits(unit)
    unit.locator("#answer_text").fill("已纳入明年农村公路建设项目库，待资金到位后实施。")
    unit.get_by_label("B类：正在解决或列入计划解决").check()
    unit.get_by_role("button", name="提交答复").click()
    unit.get_by_text("答复已提交。").wait_for()
    assert Suggestion.objects.get().status == "answered"

    # 5. The deputy rates it 不满意 (from the suggestion's page, on to the handling page).
    deputy.goto(suggestion.get_absolute_url())
    deputy.get_by_role("link", name="打开办理页面").click()
    deputy.wait_for_url(f"**/inbox/{handover.pk}/")
    assert fits(deputy)
    deputy.get_by_label("不满意").check()
    deputy.locator("#rate_comment").fill("群众盼修多年，希望今年内开工。")
    deputy.get_by_role("button", name="提交评价").click()
    deputy.get_by_text("谢谢，您的评价已记录。").wait_for()
    handover.refresh_from_db()
    assert (handover.state, handover.round) == ("returned", 2)
    assert Suggestion.objects.get().status == "handed"

    # 6. It is back in the unit's inbox; the second answer is final.
    unit.goto("/inbox/")
    card = unit.locator("ol.task-rows--cards li.task-row", has_text="大埠至黄金街")
    card.get_by_role("link", name="答复").click()
    unit.get_by_text("本次答复为最终答复", exact=False).first.wait_for()
    unit.locator("#answer_text").fill("已调整今年计划，该路段下月开工，年底前完成硬化。")
    unit.get_by_label("A类：已解决或基本解决").check()
    unit.get_by_role("button", name="提交答复").click()
    unit.get_by_text("答复已提交。").wait_for()

    # 7. The deputy rates it 基本满意: closed.
    deputy.goto(f"/inbox/{handover.pk}/")
    deputy.get_by_label("基本满意").check()
    deputy.get_by_role("button", name="提交评价").click()
    deputy.get_by_text("谢谢，您的评价已记录。").wait_for()
    deputy.goto(suggestion.get_absolute_url())
    deputy.get_by_text("已办结").first.wait_for()
    assert fits(deputy)
    handover.refresh_from_db()
    assert (handover.state, handover.rating, handover.round) == ("closed", "basic", 2)
    assert Suggestion.objects.get().status == "closed"
    assert [s.action for s in Step.objects.filter(handover=handover)] == [
        "handed",
        "answered",
        "rated",
        "returned",
        "answered",
        "rated",
    ]
    assert Handover.objects.count() == 1
    assert Activity.objects.filter(source_key=f"suggestion:{suggestion.pk}").count() == 1
