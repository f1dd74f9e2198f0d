"""A standing committee meeting's roll: its members on the meeting's day, from
``deputies.CommitteeMembership``, not the congress's deputies."""

from __future__ import annotations

import datetime as dt

import pytest

from ballots.models import CongressSession
from ballots.services import (
    BallotError,
    check_in,
    poll_create,
    poll_open,
    roll_size,
    session_create,
    session_open,
)
from deputies.models import CommitteeMembership, Level
from tests.ballots.conftest import make_deputies

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 26)


def _members(world, n, *, started=dt.date(2021, 10, 1), ended=None):
    deputies = make_deputies(world.county, n, level=Level.COUNTY)
    CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(
                deputy=d,
                region=world.county,
                level="county",
                term="溆浦县第十八届人民代表大会常务委员会",
                started_on=started,
                ended_on=ended,
            )
            for d in deputies
        ]
    )
    return deputies


def test_the_meeting_roll_is_the_members_on_its_day(world):
    members = _members(world, 7)
    _members(world, 2, ended=DAY)  # left the committee on the day: not on the roll
    _members(world, 1, started=DAY + dt.timedelta(days=1))  # joins the next day
    make_deputies(world.county, 30, level=Level.COUNTY)  # deputies, not members
    meeting = session_create(
        name="溆浦县十八届人大常委会第二十次会议",
        region=world.county,
        level=Level.COUNTY,
        date=DAY,
        body=CongressSession.Body.STANDING_COMMITTEE,
        by=world.county_secretary,
    )
    assert session_open(session=meeting, by=world.county_secretary) == 7
    assert set(meeting.roll.values_list("deputy", flat=True)) == {d.pk for d in members}

    # The quorum is more than two-thirds of the members: 4 of 7 is not, 5 is.
    poll = poll_create(
        session=meeting,
        title="满意度测评",
        method="rate",
        slots=1,
        options=[("unit:1", "交通运输局")],
        by=world.county_secretary,
    )
    for deputy in members[:4]:
        check_in(session=meeting, deputy=deputy, by=world.county_secretary)
    with pytest.raises(BallotError):
        poll_open(poll=poll, by=world.county_secretary)
    check_in(session=meeting, deputy=members[4], by=world.county_secretary)
    poll_open(poll=poll, by=world.county_secretary)


def test_a_congress_session_keeps_the_deputies_roll(world):
    _members(world, 3)
    deputies = make_deputies(world.county, 5, level=Level.COUNTY)
    session = session_create(
        name="溆浦县十八届人大五次会议",
        region=world.county,
        level=Level.COUNTY,
        date=DAY,
        by=world.county_secretary,
    )
    assert session.body == CongressSession.Body.CONGRESS
    session_open(session=session, by=world.county_secretary)
    assert roll_size(session) == 8  # every deputy with a county seat, members too
    assert {d.pk for d in deputies} <= set(session.roll.values_list("deputy", flat=True))


def test_a_township_has_no_standing_committee(world):
    with pytest.raises(BallotError) as refused:
        session_create(
            name="黄茅园镇常委会",
            region=world.township,
            level=Level.TOWNSHIP,
            date=DAY,
            body=CongressSession.Body.STANDING_COMMITTEE,
            by=world.secretary,
        )
    assert refused.value.field == "body"


def test_the_session_form_creates_a_meeting(world, as_user):
    page = as_user(world.county_secretary)
    made = page.post(
        "/ballots/",
        {
            "name": "溆浦县十八届人大常委会第二十次会议",
            "region": world.county.pk,
            "date": "2026-06-26",
            "body": "standing_committee",
        },
    )
    assert made.status_code == 302
    meeting = CongressSession.objects.get()
    assert meeting.body == "standing_committee"
    assert "常委会会议" in page.get(made["Location"]).content.decode()
