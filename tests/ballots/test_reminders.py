"""A congress session tomorrow is reminded to the deputies of its roll, once."""

from __future__ import annotations

import datetime as dt

import pytest

from ballots.reminders import sweep
from ballots.services import session_create
from deputies.models import Level
from notifications.models import Kind, Notification
from tests.ballots.conftest import DAY
from tests.factories import DeputyFactory, MandateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_deputies_of_the_roll_are_reminded_the_day_before_once(world):
    def deputy_with_account(region, **mandate):
        deputy = DeputyFactory(region=region, user=UserFactory(role="deputy"))
        MandateFactory(deputy=deputy, region=region, **mandate)
        return deputy

    on_roll = deputy_with_account(world.township)
    ended = deputy_with_account(world.township, ended_on=DAY - dt.timedelta(days=30))
    elsewhere = deputy_with_account(world.other_township)
    session_create(
        name="黄茅园镇七届人大四次会议",
        region=world.township,
        level=Level.TOWNSHIP,
        date=DAY,
        by=world.secretary,
    )
    assert sweep(today=DAY - dt.timedelta(days=2)) == {"sessions": 0}
    assert sweep(today=DAY - dt.timedelta(days=1)) == {"sessions": 1}
    assert sweep(today=DAY - dt.timedelta(days=1)) == {"sessions": 0}
    assert sweep(today=DAY) == {"sessions": 0}  # the same session: once
    sent = Notification.objects.get()
    assert sent.user == on_roll.user and sent.kind == Kind.SESSION_DUE
    assert "2026年3月18日" in sent.title and "黄茅园镇七届人大四次会议" in sent.title
    assert sent.url == "/vote/"
    assert not Notification.objects.filter(user__in=[ended.user, elsewhere.user]).exists()
