"""The home panels: a unit contact's inbox first, the office's late units, a leader's key
items, a deputy's answers to rate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from handovers.selectors import counts_by_unit, inbox_scope
from handovers.services import handover_answer, handover_create
from organisation.models import Unit
from tests.handovers.conftest import TODAY, VERIFIED
from tests.tasks.conftest import task  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def panel_titles(client) -> list[str]:
    return [panel.title for panel in client.get(reverse("home")).context["panels"]]


def test_the_inbox_is_a_unit_contacts_first_panel(world, handed, as_user, task):  # noqa: F811
    client = as_user(world.unit_contact)
    panels = client.get(reverse("home")).context["panels"]
    titles = [panel.title for panel in panels]
    assert titles[0] == "待办件"
    assert "待报月进度" in titles  # the tasks' reports due come after it
    assert panels[0].context["counts"] == {"open": 3, "yellow": 1, "red": 1}
    assert [h.title for h in panels[0].context["items"]] == [
        handed.verified.title,  # red first
        handed.other.title,  # yellow, as helping unit
        handed.rated.title,
    ]
    # A unit with nothing handed to it gets no empty card.
    assert "待办件" in panel_titles(as_user(world.county_unit_contact))
    handed.county.delete()
    assert "待办件" not in panel_titles(as_user(world.county_unit_contact))


def test_the_office_sees_the_late_units(world, handed, as_user):
    for person in (world.staff, world.leader, world.admin):
        panels = {p.title: p for p in as_user(person).get(reverse("home")).context["panels"]}
        assert [u["name"] for u in panels["逾期单位"].context["units"]] == ["代表工委"]
    # The township secretary: their township's late work only.
    panels = {p.title: p for p in as_user(world.secretary).get(reverse("home")).context["panels"]}
    assert [u["name"] for u in panels["逾期单位"].context["units"]] == ["代表工委"]
    assert "逾期单位" not in panel_titles(as_user(world.other_secretary))


def test_the_late_units_panel_shows_the_five_latest_and_counts_them_all(world, handed, as_user):
    """selectors.late_units (one query, a window count) agrees with the inbox's counts by
    unit: the same first five late units, and how many there are."""
    for n in range(1, 8):
        unit = Unit.objects.create(name=f"测试局{n}", kind=Unit.Kind.GOVERNMENT, region=world.city)
        for _ in range(n % 3 + 1):
            handover_create(
                kind=VERIFIED,
                subject=world.township,
                title=f"逾期事项{n}",
                region=world.city,
                unit=unit,
                by=world.staff,
                handed_on=TODAY - dt.timedelta(days=40),
                due_on=TODAY - dt.timedelta(days=n),
            )
    panel = {p.title: p for p in as_user(world.staff).get(reverse("home")).context["panels"]}[
        "逾期单位"
    ]
    late = [
        unit
        for unit in counts_by_unit(inbox_scope(world.staff), TODAY)  # type: ignore[arg-type]
        if unit["red"]
    ]
    assert len(late) == 8
    assert panel.context["count"] == 8
    assert [u["pk"] for u in panel.context["units"]] == [u["pk"] for u in late[:5]]
    assert panel.context["units"][0]["url"] == reverse(
        "handovers:index", query={"unit": late[0]["pk"]}
    )


def test_a_leader_sees_the_key_items_they_lead(world, test_kinds, frozen, as_user):
    handover_create(
        kind=VERIFIED,
        subject=world.township,
        title="重点督办：城区停车难",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        leader=world.leader,
        due_on=TODAY + dt.timedelta(days=30),
    )
    panels = {p.title: p for p in as_user(world.leader).get(reverse("home")).context["panels"]}
    assert [h.title for h in panels["我督办的事项"].context["items"]] == ["重点督办：城区停车难"]
    assert "我督办的重点件" not in panel_titles(as_user(world.staff))


def test_a_deputy_sees_the_answers_to_rate(world, handed, as_user):
    assert "待您评价的答复" not in panel_titles(as_user(world.deputy))
    handover_answer(handover=handed.rated, by=world.unit_contact, text="已办", answer_class="A")
    panels = {p.title: p for p in as_user(world.deputy).get(reverse("home")).context["panels"]}
    assert [h.title for h in panels["待您评价的答复"].context["items"]] == [handed.rated.title]
