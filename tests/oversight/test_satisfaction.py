"""满意度测评: the departments rated by secret ballot at a congress session or a standing
committee meeting; the quorum, the satisfaction rule at its edge, invalid paper ballots
counted apart, the new report of a unit rated 不满意, the yearly rankings, and no way to
join a ballot to a voter."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from ballots.models import Ballot, Code, Poll
from ballots.services import (
    BallotError,
    ballot_cast,
    codes_issue,
    paper_tally_confirm,
    paper_tally_enter,
    poll_close,
    poll_open,
    poll_publish,
)
from handovers.models import Handover
from oversight.hearing_models import SatisfactionResult
from oversight.hearing_selectors import rankings
from oversight.hearings import satisfaction_poll_create, satisfaction_record, unit_key
from oversight.models import Kind
from oversight.services import OversightError
from tests.factories import UnitFactory
from tests.oversight.hearing_fixtures import (
    DAY,
    county_case,
    county_session,
    deputies_of,
    members_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world):
    water = UnitFactory(name="溆浦县水利局", short_name="溆浦县水利局", region=world.county)
    farm = UnitFactory(name="溆浦县农业农村局", short_name="溆浦县农业农村局", region=world.county)
    return [world.county_unit, water, farm]


def _vote(world, units, session, subject="year"):
    case = county_case(world, Kind.SATISFACTION, units=units)
    return satisfaction_poll_create(
        case=case,
        session=session,
        subject=subject,
        year=2026,
        units=units,
        by=world.county_secretary,
    )


def test_the_quorum_is_more_than_two_thirds_of_the_roll(world, units):
    deputies = deputies_of(world.county, 9, level="county")
    session = county_session(world, deputies, present=6)  # 6 of 9 is two-thirds: not more
    vote = _vote(world, units, session)
    with pytest.raises(BallotError):
        poll_open(poll=vote.poll, by=world.county_secretary)
    from ballots.services import check_in

    check_in(session=session, deputy=deputies[6], by=world.county_secretary)
    poll_open(poll=vote.poll, by=world.county_secretary)
    assert vote.poll.method == "rate"
    assert set(vote.poll.options.values_list("key", flat=True)) == {unit_key(u.pk) for u in units}


def _cast(vote, codes, ratings):
    """``ratings``: per unit, a list of values, one per ballot."""
    for i, code in enumerate(codes):
        ballot_cast(code=code, choices={unit_key(u.pk): r[i] for u, r in ratings.items()})


def test_the_rule_at_its_edge_and_the_new_report(world, units, as_user):
    deputies = deputies_of(world.county, 10, level="county")
    session = county_session(world, deputies)
    vote = _vote(world, units, session)
    transport, water, farm = units
    poll_open(poll=vote.poll, by=world.county_secretary)
    codes = codes_issue(poll=vote.poll, by=world.county_secretary, spares=0)
    S, B, U, A = "satisfied", "basic", "unsatisfied", "abstain"
    _cast(
        vote,
        codes[:8],  # two deputies present do not vote: they count against
        {
            transport: [S] * 6 + [B] * 2,  # 8 of 10
            water: [S, S, S, B, B, U, U, A],  # 5 of 10: exactly half is 不满意
            farm: [S, S, S, B, B, B, U, U],  # 6 of 10
        },
    )
    with pytest.raises(OversightError):  # not published yet
        satisfaction_record(vote=vote, by=world.county_secretary)
    poll_close(poll=vote.poll, by=world.county_secretary)
    poll_publish(poll=vote.poll, by=world.county_secretary)
    rows = {r.unit_id: r for r in satisfaction_record(vote=vote, by=world.county_secretary, on=DAY)}
    assert [rows[u.pk].unsatisfactory for u in units] == [False, True, False]
    assert (rows[water.pk].satisfied, rows[water.pk].basic, rows[water.pk].abstain) == (3, 2, 1)
    vote.refresh_from_db()
    assert (vote.roll, vote.present, vote.ballots, vote.invalid) == (10, 10, 8, 0)
    # 不满意: the unit gives a new report by a deadline, a handover in its inbox.
    rereport = rows[water.pk].rereport
    assert rereport.kind == "satisfaction_report" and rereport.unit == water
    assert rereport.due_on > DAY and rereport.state == "handed"
    assert "5" in rereport.title and "10" in rereport.title
    assert Handover.objects.filter(kind="satisfaction_report").count() == 1
    # Recording again changes nothing.
    satisfaction_record(vote=vote, by=world.county_secretary)
    assert SatisfactionResult.objects.count() == 3
    # The page shows the verdicts; the rankings put the units by satisfied share.
    page = as_user(world.county_secretary).get(f"/oversight/satisfaction/{vote.case_id}/")
    shown = page.content.decode()
    assert "不满意" in shown and "60.0%" in shown
    tables = rankings(world.county_secretary, 2026)
    assert [r.result.unit_id for r in tables[0].rows] == [transport.pk, farm.pk, water.pk]
    assert tables[0].unsatisfactory == 1
    ranked = as_user(world.county_secretary).get("/oversight/satisfaction/rankings/?year=2026")
    assert "溆浦县水利局" in ranked.content.decode()
    assert (
        as_user(world.other_secretary).get("/oversight/satisfaction/rankings/").status_code == 200
    )
    assert rankings(world.other_secretary, 2026) == []


def test_invalid_paper_ballots_are_counted_apart(world, units):
    members = members_of(world.county, 7, level="county")
    meeting = county_session(world, members, body="standing_committee")
    vote = _vote(world, units, meeting, subject="report")
    poll_open(poll=vote.poll, by=world.county_secretary)
    poll_close(poll=vote.poll, by=world.county_secretary)
    votes = {
        unit_key(units[0].pk): {"satisfied": 5, "basic": 0, "unsatisfied": 0, "abstain": 0},
        unit_key(units[1].pk): {"satisfied": 2, "basic": 1, "unsatisfied": 2, "abstain": 0},
        unit_key(units[2].pk): {"satisfied": 4, "basic": 0, "unsatisfied": 1, "abstain": 0},
    }
    tally = paper_tally_enter(
        poll=vote.poll, by=world.county_secretary, issued=7, returned=7, invalid=2, votes=votes
    )
    paper_tally_confirm(tally=tally, by=world.admin)
    poll_publish(poll=vote.poll, by=world.county_secretary)
    rows = {r.unit_id: r for r in satisfaction_record(vote=vote, by=world.county_secretary)}
    vote.refresh_from_db()
    assert (vote.roll, vote.ballots, vote.invalid) == (7, 7, 2)
    # 3 of 7 members: not more than half of the roll (the 2 invalid count against).
    assert rows[units[1].pk].unsatisfactory and not rows[units[2].pk].unsatisfactory


def test_the_session_belongs_to_the_case_congress_and_its_office(world, units):
    other = deputies_of(world.other_county, 3, level="county")
    from ballots.services import session_create, session_open

    foreign = session_create(
        name="鹤城区人大会议", region=world.other_county, level="county", date=DAY, by=world.admin
    )
    session_open(session=foreign, by=world.admin)
    assert other
    case = county_case(world, Kind.SATISFACTION, units=units)
    with pytest.raises(OversightError) as refused:
        satisfaction_poll_create(
            case=case, session=foreign, subject="year", year=2026, units=units, by=world.admin
        )
    assert refused.value.field == "session"
    mine = county_session(world, deputies_of(world.county, 3, level="county"))
    for person in (world.staff, world.other_secretary):
        with pytest.raises(OversightError) as refused:
            satisfaction_poll_create(
                case=case, session=mine, subject="year", year=2026, units=units, by=person
            )
        assert refused.value.forbidden
    with pytest.raises(OversightError) as refused:
        satisfaction_poll_create(
            case=case, session=mine, subject="year", year=2026, units=[], by=world.county_secretary
        )
    assert refused.value.field == "units"


def test_no_row_joins_a_satisfaction_ballot_to_a_voter(world, units):
    deputies = deputies_of(world.county, 6, level="county")
    session = county_session(world, deputies)
    vote = _vote(world, units, session)
    poll_open(poll=vote.poll, by=world.county_secretary)
    codes = codes_issue(poll=vote.poll, by=world.county_secretary, spares=1)
    receipts = [
        ballot_cast(code=c, choices={unit_key(u.pk): "satisfied" for u in units}) for c in codes[:6]
    ]
    poll_close(poll=vote.poll, by=world.county_secretary)
    poll_publish(poll=vote.poll, by=world.county_secretary)
    satisfaction_record(vote=vote, by=world.county_secretary)
    secrets = set(receipts) | set(codes) | set(Code.objects.values_list("hash", flat=True))
    for model in apps.get_models(include_auto_created=True):
        if model in (Ballot, Code):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert not any(s in text for s in secrets), model._meta.db_table
    # The oversight records keep counts per unit and nothing about a voter or a ballot.
    for model in (SatisfactionResult, apps.get_model("oversight", "SatisfactionVote")):
        for field in model._meta.concrete_fields:
            assert field.related_model not in (Ballot, Code, apps.get_model("deputies", "Deputy"))
    for ballot in Ballot.objects.all():
        assert set(ballot.choices.values()) <= {"satisfied", "basic", "unsatisfied", "abstain"}
        for deputy in deputies:
            assert deputy.name not in str(ballot.choices)
    assert Poll.objects.get().state == "published"


def test_the_pages_by_role(world, units, as_user):
    deputies = deputies_of(world.county, 3, level="county")
    session = county_session(world, deputies)
    case = county_case(world, Kind.SATISFACTION, units=units)
    url = f"/oversight/satisfaction/{case.pk}/"
    page = as_user(world.county_secretary)
    shown = page.get(url).content.decode()
    assert session.name in shown
    made = page.post(
        url,
        {
            "form": "poll",
            "session": session.pk,
            "subject": "year",
            "year": 2026,
            "units": [u.pk for u in units],
        },
    )
    assert made.status_code == 302
    shown = page.get(url).content.decode()
    assert "应到3人，实到3人" in shown and "已超过三分之二" in shown
    assert page.post(url, {"form": "record", "vote": "abc"}).status_code == 404
    assert page.post(url, {"form": "record", "vote": str(2**40)}).status_code == 404
    refused = page.post(url, {"form": "record", "vote": case.satisfaction_votes.get().pk})
    assert refused.status_code == 400  # not published yet
    assert as_user(world.leader).get(url).status_code == 200
    assert as_user(world.leader).post(url, {"form": "poll"}).status_code == 403
    assert as_user(world.county_unit_contact).get(url).status_code == 200  # rated
    assert as_user(world.outsider).get(url).status_code == 404
    assert as_user(world.other_secretary).get(url).status_code == 404
    assert as_user(world.deputy).get(url).status_code == 403
    assert as_user(world.staff).get("/oversight/satisfaction/rankings/").status_code == 200
    assert (
        as_user(world.county_unit_contact).get("/oversight/satisfaction/rankings/").status_code
        == 403
    )
