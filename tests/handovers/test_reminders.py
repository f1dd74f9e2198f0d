"""The handover reminders: each told once by its key, however often the sweep runs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from handovers.jobs import sweep_reminders
from handovers.reminders import sweep
from handovers.services import handover_answer, handover_create, handover_extend
from notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.handovers.conftest import RATED, TODAY, VERIFIED

pytestmark = pytest.mark.django_db


def notices(user, prefix=""):
    found = Notification.objects.filter(user=user, kind=Kind.HANDOVER_DUE)
    return list(found.filter(key__startswith=prefix).values_list("key", flat=True))


def twice(today):
    first = sweep(today=today)
    again = sweep(today=today)
    assert set(again.values()) == {0}, again
    return first


def hand(world, **extra):
    values = {
        "kind": VERIFIED,
        "subject": world.township,
        "title": "村道破损",
        "region": world.city,
        "unit": world.unit,
        "by": world.staff,
        "handed_on": TODAY - dt.timedelta(days=20),
    }
    return handover_create(**(values | extra))


def test_yellow_then_red_to_the_main_unit_once_each(world, test_kinds, frozen, settings):
    settings.HANDOVER_YELLOW_DAYS = 7
    handover = hand(world, due_on=TODAY + dt.timedelta(days=10))
    assert twice(TODAY)["yellow"] == 0
    assert twice(TODAY + dt.timedelta(days=3))["yellow"] == 1
    assert twice(TODAY + dt.timedelta(days=5))["yellow"] == 0  # still yellow: told already
    [key] = notices(world.unit_contact, "handover-yellow")
    assert key == f"handover-yellow:{handover.pk}:{handover.due_on:%Y-%m-%d}"
    notice = Notification.objects.get(key=key)
    assert notice.url == f"/inbox/{handover.pk}/"
    assert "村道破损" in notice.title and "临期" in notice.title
    assert twice(TODAY + dt.timedelta(days=11))["red"] == 1
    assert twice(TODAY + dt.timedelta(days=12))["red"] == 0
    assert len(notices(world.unit_contact, "handover-red")) == 1
    assert notices(world.outsider) == []


def test_an_extension_is_told_again_and_answered_work_is_not(world, test_kinds, frozen):
    rated = handover_create(
        kind=RATED,
        subject=world.township,
        title="修路建议",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        rater=world.deputy,
        due_on=TODAY + dt.timedelta(days=2),
    )
    twice(TODAY)
    handover_extend(
        handover=rated, by=world.staff, due_on=TODAY + dt.timedelta(days=5), reason="协调"
    )
    twice(TODAY)
    assert len(notices(world.unit_contact, "handover-yellow")) == 2
    handover_answer(handover=rated, by=world.unit_contact, text="已办", answer_class="A")
    assert twice(TODAY + dt.timedelta(days=10))["red"] == 0


def test_red_escalates_to_the_lead_leader_once(world, test_kinds, frozen):
    hand(world, leader=world.leader, due_on=TODAY - dt.timedelta(days=1))
    result = twice(TODAY)
    assert result["escalated"] == 1
    assert len(notices(world.leader, "handover-escalated")) == 1
    assert notices(world.staff, "handover-escalated") == []


def test_without_a_leader_red_goes_to_the_office_that_keeps_it(world, test_kinds, frozen):
    other_staff = UserFactory(username="staff2", role="staff")
    UserFactory(username="gone", role="staff", is_active=False)
    city = hand(world, title="市级事项", due_on=TODAY - dt.timedelta(days=1))
    township = hand(
        world, title="镇级事项", region=world.township, due_on=TODAY - dt.timedelta(days=1)
    )
    # 卢峰镇's secretary is there; a street without a secretary goes to the staff.
    street = hand(world, title="街道事项", region=world.street, due_on=TODAY - dt.timedelta(days=1))
    assert twice(TODAY)["escalated"] == 5  # 2 staff × 2 + the secretary
    for staff in (world.staff, other_staff):
        assert sorted(notices(staff, "handover-escalated")) == sorted(
            f"handover-escalated:{h.pk}:{h.due_on:%Y-%m-%d}" for h in (city, street)
        )
    assert notices(world.secretary, "handover-escalated") == [
        f"handover-escalated:{township.pk}:{township.due_on:%Y-%m-%d}"
    ]
    assert notices(world.county_secretary, "handover-escalated") == []
    assert notices(world.other_secretary) == []


def test_helping_units_are_reminded_of_their_opinion(world, test_kinds, frozen):
    handover = hand(world, helping_units=[world.county_unit], due_on=TODAY + dt.timedelta(days=60))
    due = handover.assists.get().due_on  # a month after the handover
    contact = world.county_unit_contact
    twice(due - dt.timedelta(days=7))
    twice(due - dt.timedelta(days=6))
    twice(due - dt.timedelta(days=1))
    twice(due + dt.timedelta(days=1))
    twice(due + dt.timedelta(days=2))
    assert sorted(key.split(":")[0] for key in notices(contact, "assist")) == [
        "assist-due-1",
        "assist-due-7",
        "assist-overdue",
    ]
    assert notices(world.unit_contact, "assist") == []


def test_the_rater_is_reminded_once_after_the_wait(world, test_kinds, frozen, settings):
    rated = handover_create(
        kind=RATED,
        subject=world.township,
        title="修路建议",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        rater=world.deputy,
    )
    handover_answer(handover=rated, by=world.unit_contact, text="已办", answer_class="A")
    wait = dt.timedelta(days=settings.HANDOVER_RATING_WAIT_DAYS)
    assert twice(TODAY + wait - dt.timedelta(days=1))["rating"] == 0
    assert twice(TODAY + wait)["rating"] == 1
    assert twice(TODAY + wait + dt.timedelta(days=9))["rating"] == 0
    [notice] = Notification.objects.filter(user=world.deputy, key__startswith="handover-rate")
    assert notice.url == f"/inbox/{rated.pk}/" and "修路建议" in notice.title


def test_the_job_runs_the_sweep(world, test_kinds):
    with time_machine.travel(dt.datetime(2026, 3, 10, 1, tzinfo=dt.UTC), tick=False):
        hand(world, due_on=TODAY - dt.timedelta(days=1))
        result = sweep_reminders.apply().get()
    assert result["red"] == 1
