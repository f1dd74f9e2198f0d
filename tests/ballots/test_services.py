"""The ballot services: the roll, the quorum, codes, casting, closing, paper tallies,
publication and the rule at its edges."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ballots.models import Ballot, CheckIn, Code, CongressSession, Poll, RollEntry
from ballots.services import (
    ALPHABET,
    BallotError,
    OptionResult,
    PollResult,
    ballot_cast,
    check_in,
    check_in_undo,
    code_hash,
    codes_issue,
    decide,
    grouped,
    may_run,
    paper_tally_confirm,
    paper_tally_enter,
    poll_close,
    poll_open,
    poll_publish,
    poll_result,
    receipts,
    runoff_create,
    session_create,
    session_open,
)
from deputies.models import Level, Mandate
from tests.ballots.conftest import DAY, make_deputies, open_hall
from tests.factories import DeputyFactory, MandateFactory

pytestmark = pytest.mark.django_db


def voting(hall, *, present=None, method="each", slots=1, options=3, spares=3):
    hall.check_in(len(hall.deputies) if present is None else present)
    poll = hall.poll(method=method, slots=slots, options=options)
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=spares)
    return poll, codes


# --- The roll ------------------------------------------------------------------------


def test_the_roll_is_the_seats_of_the_level_and_region_held_on_the_day(world):
    held = make_deputies(world.township, 3)
    late = MandateFactory(
        deputy=DeputyFactory(region=world.township),
        region=world.township,
        started_on=DAY + dt.timedelta(days=1),
    )
    starts_that_day = MandateFactory(
        deputy=DeputyFactory(region=world.township), region=world.township, started_on=DAY
    )
    unknown_start = MandateFactory(
        deputy=DeputyFactory(region=world.township), region=world.township
    )
    ended_that_day = MandateFactory(
        deputy=DeputyFactory(region=world.township), region=world.township, ended_on=DAY
    )
    ends_after = MandateFactory(
        deputy=DeputyFactory(region=world.township),
        region=world.township,
        ended_on=DAY + dt.timedelta(days=1),
    )
    MandateFactory(deputy=DeputyFactory(region=world.other_township), region=world.other_township)
    MandateFactory(
        deputy=DeputyFactory(region=world.township), region=world.county, level=Level.COUNTY
    )
    session = session_create(
        name="四次会议", region=world.township, level=Level.TOWNSHIP, date=DAY, by=world.secretary
    )
    assert not RollEntry.objects.exists()  # nothing before opening
    assert session_open(session=session, by=world.secretary) == 6
    on_roll = set(RollEntry.objects.values_list("deputy_id", flat=True))
    assert on_roll == {d.pk for d in held} | {
        m.deputy_id for m in (starts_that_day, unknown_start, ends_after)
    }
    assert late.deputy_id not in on_roll and ended_that_day.deputy_id not in on_roll
    # Frozen: a seat taken afterwards does not join it.
    make_deputies(world.township, 2)
    assert RollEntry.objects.filter(session=session).count() == 6
    with pytest.raises(BallotError):
        session_open(session=session, by=world.secretary)


def test_mandate_active_on(world):
    m = MandateFactory(
        deputy=DeputyFactory(region=world.township),
        region=world.township,
        started_on=dt.date(2021, 1, 1),
        ended_on=dt.date(2026, 1, 1),
    )
    active = Mandate.objects.active_on
    assert not active(dt.date(2020, 12, 31)).filter(pk=m.pk).exists()
    assert active(dt.date(2021, 1, 1)).filter(pk=m.pk).exists()
    assert active(dt.date(2025, 12, 31)).filter(pk=m.pk).exists()
    assert not active(dt.date(2026, 1, 1)).filter(pk=m.pk).exists()


def test_a_session_is_of_its_region_level(world):
    with pytest.raises(BallotError) as error:
        session_create(
            name="x", region=world.county, level=Level.TOWNSHIP, date=DAY, by=world.secretary
        )
    assert error.value.field == "region"
    with pytest.raises(BallotError) as error:
        session_create(name="x", region=world.city, level="national", date=DAY, by=world.admin)
    assert error.value.field == "level"


# --- Scoping -------------------------------------------------------------------------


def test_who_runs_which_session(world):
    def session(region, level):
        return CongressSession(name="s", region=region, level=level, date=DAY)

    township = session(world.township, Level.TOWNSHIP)
    other_township = session(world.other_township, Level.TOWNSHIP)
    county = session(world.county, Level.COUNTY)
    city = session(world.city, Level.CITY)
    runs = {
        name: [may_run(person, s) for s in (township, other_township, county, city)]
        for name, person in world.people.items()
    }
    assert runs["secretary"] == [True, False, False, False]
    assert runs["other_secretary"] == [False, True, False, False]
    assert runs["county_secretary"] == [False, False, True, False]
    assert runs["staff"] == [False, False, False, True]
    assert runs["admin"] == [True, True, True, True]
    for name in ("leader", "unit_contact", "deputy", "outsider"):
        assert runs[name] == [False] * 4
    with pytest.raises(BallotError) as error:
        session_create(
            name="x",
            region=world.other_township,
            level=Level.TOWNSHIP,
            date=DAY,
            by=world.secretary,
        )
    assert error.value.status == 403


def test_another_secretary_cannot_touch_the_session(world, hall):
    with pytest.raises(BallotError) as error:
        check_in(session=hall.session, deputy=hall.deputies[0], by=world.other_secretary)
    assert error.value.forbidden
    assert not CheckIn.objects.exists()


# --- Check-ins and the quorum ----------------------------------------------------------


def test_only_deputies_on_the_roll_check_in(world, hall):
    stranger = DeputyFactory(region=world.township)
    with pytest.raises(BallotError) as error:
        check_in(session=hall.session, deputy=stranger, by=hall.by)
    assert error.value.field == "deputy"
    check_in(session=hall.session, deputy=hall.deputies[0], by=hall.by)
    check_in(session=hall.session, deputy=hall.deputies[0], by=hall.by, on_leave=True)
    assert CheckIn.objects.get().on_leave
    check_in_undo(session=hall.session, deputy=hall.deputies[0], by=hall.by)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("present", "opens"), [(6, False), (7, True)])
def test_the_vote_opens_with_more_than_two_thirds_of_the_roll(hall, present, opens):
    # 9 on the roll: 6 is exactly two-thirds (not enough), 7 is just above.
    hall.check_in(present)
    poll = hall.poll()
    if opens:
        poll_open(poll=poll, by=hall.by)
        assert poll.state == Poll.State.OPEN
    else:
        with pytest.raises(BallotError, match="9"):
            poll_open(poll=poll, by=hall.by)
        assert Poll.objects.get().state == Poll.State.DRAFT


def test_deputies_on_leave_do_not_count_for_the_quorum(hall):
    hall.check_in(6)
    check_in(session=hall.session, deputy=hall.deputies[6], by=hall.by, on_leave=True)
    poll = hall.poll()
    with pytest.raises(BallotError):
        poll_open(poll=poll, by=hall.by)


# --- Codes ---------------------------------------------------------------------------


def test_codes_one_per_deputy_present_plus_spares_stored_as_hashes(hall):
    poll, codes = voting(hall, present=8, spares=3)
    assert len(codes) == len(set(codes)) == 11
    for code in codes:
        assert len(code) == 10 and set(code) <= set(ALPHABET)  # 10 x 5 bits = 50 bits
        assert not set(code) & set("ILOU")
    stored = Code.objects.filter(poll=poll)
    assert stored.filter(is_spare=True).count() == 3
    hashes = set(stored.values_list("hash", flat=True))
    assert hashes == {code_hash(c) for c in codes}
    for code in codes:
        assert code not in "".join(hashes)
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", grouped(codes[0]))
    with pytest.raises(BallotError):  # the slips are printed once
        codes_issue(poll=poll, by=hall.by)


# --- Casting ---------------------------------------------------------------------------


def test_a_code_votes_once_and_gets_a_receipt(hall):
    poll, codes = voting(hall)
    receipt = ballot_cast(code=codes[0], choices={"project:1": "yes", "project:2": "no"})
    assert len(receipt) == 10
    ballot = Ballot.objects.get()
    assert ballot.receipt == receipt
    assert sorted(ballot.choices.values()) == ["abstain", "no", "yes"]  # left out: abstain
    with pytest.raises(BallotError, match="已经投过票"):
        ballot_cast(code=codes[0], choices={})
    assert Ballot.objects.count() == 1


def test_a_code_is_read_as_typed(hall):
    poll, codes = voting(hall)
    typed = "  " + grouped(codes[0]).lower().replace("1", "l").replace("0", "o") + " "
    ballot_cast(code=typed, choices={})
    assert Code.objects.filter(state=Code.State.SPENT).count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [("ABCDE-FGHJK", "不存在"), ("123", "不是投票码"), ("", "不是投票码")],
)
def test_unknown_codes_are_told_so(hall, typed, message):
    voting(hall)
    with pytest.raises(BallotError, match=message) as error:
        ballot_cast(code=typed, choices={})
    assert error.value.field == "code"


def test_void_draft_and_closed_session_codes_are_told_so(hall):
    hall.check_in(9)
    poll = hall.poll()
    codes = codes_issue(poll=poll, by=hall.by)
    with pytest.raises(BallotError, match="尚未开始"):
        ballot_cast(code=codes[0], choices={})
    poll_open(poll=poll, by=hall.by)
    ballot_cast(code=codes[0], choices={})
    assert poll_close(poll=poll, by=hall.by) == 11
    with pytest.raises(BallotError, match="已作废"):
        ballot_cast(code=codes[1], choices={})
    assert set(Code.objects.values_list("state", flat=True)) == {"spent", "void"}
    hall.session.state = CongressSession.State.CLOSED
    hall.session.save()
    with pytest.raises(BallotError, match="会议已闭会"):
        ballot_cast(code=codes[2], choices={})


def test_choices_are_checked(hall):
    poll, codes = voting(hall, method="choose", slots=2, options=4)
    with pytest.raises(BallotError, match="最多选择2项"):
        ballot_cast(
            code=codes[0], choices={"project:1": "yes", "project:2": "yes", "project:3": "yes"}
        )
    with pytest.raises(BallotError):
        ballot_cast(code=codes[0], choices={"project:9": "yes"})
    assert Code.objects.filter(state=Code.State.SPENT).count() == 0  # refused: not spent
    ballot_cast(code=codes[0], choices={"project:1": "yes", "project:3": "yes"})
    result = poll_result(poll)
    assert [(o.key, o.votes) for o in result.options] == [
        ("project:1", 1),
        ("project:2", 0),
        ("project:3", 1),
        ("project:4", 0),
    ]


def test_never_more_ballots_than_deputies_present(hall):
    poll, codes = voting(hall, present=7, spares=3)
    for code in codes[:7]:
        ballot_cast(code=code, choices={})
    with pytest.raises(BallotError, match="不再接受选票"):
        ballot_cast(code=codes[7], choices={})
    assert Ballot.objects.count() == 7
    assert Code.objects.filter(state=Code.State.UNUSED).count() == 3


# --- Publication and receipts ---------------------------------------------------------------


def test_receipts_are_published_without_choices(hall):
    poll, codes = voting(hall)
    cast = {ballot_cast(code=c, choices={"project:1": "yes"}) for c in codes[:5]}
    assert receipts(poll) == []  # not before publication
    with pytest.raises(BallotError):
        poll_publish(poll=poll, by=hall.by)
    poll_close(poll=poll, by=hall.by)
    poll_publish(poll=poll, by=hall.by)
    assert set(receipts(poll)) == cast
    result = poll_result(poll)
    assert result.options[0].yes == 5 and result.options[0].passes  # 5 of 9 > half


# --- Paper ballots ---------------------------------------------------------------------------


def test_paper_tally_needs_a_second_teller_who_agrees(world, hall):
    hall.check_in(9)
    poll = hall.poll(method="each", slots=1, options=2)
    poll_open(poll=poll, by=hall.by)
    poll_close(poll=poll, by=hall.by)
    votes = {"project:1": {"yes": 6, "no": 1, "abstain": 1}, "project:2": {"yes": 2, "no": 5}}
    with pytest.raises(BallotError) as error:
        paper_tally_enter(poll=poll, by=hall.by, issued=9, returned=10, invalid=0, votes=votes)
    assert error.value.field == "returned"
    with pytest.raises(BallotError) as error:
        paper_tally_enter(poll=poll, by=hall.by, issued=10, returned=9, invalid=0, votes=votes)
    assert error.value.field == "issued"
    with pytest.raises(BallotError, match="多于有效票数"):
        paper_tally_enter(
            poll=poll,
            by=hall.by,
            issued=9,
            returned=9,
            invalid=2,
            votes={"project:1": {"yes": 6, "no": 1, "abstain": 1}},
        )
    first = paper_tally_enter(poll=poll, by=hall.by, issued=9, returned=9, invalid=1, votes=votes)
    with pytest.raises(BallotError, match="另一名计票人"):
        paper_tally_confirm(tally=first, by=hall.by)
    with pytest.raises(BallotError, match="尚未经第二名计票人核对"):
        poll_publish(poll=poll, by=hall.by)
    # A second entry that differs blocks confirmation and publication.
    other = paper_tally_enter(
        poll=poll,
        by=world.admin,
        issued=9,
        returned=9,
        invalid=1,
        votes={**votes, "project:2": {"yes": 3, "no": 4}},
    )
    with pytest.raises(BallotError, match="不一致"):
        paper_tally_confirm(tally=first, by=world.admin)
    other.delete()
    paper_tally_confirm(tally=first, by=world.admin)
    poll_publish(poll=poll, by=hall.by)
    result = poll_result(poll)
    assert [(o.yes, o.no, o.abstain, o.passes) for o in result.options] == [
        (6, 1, 1, True),
        (2, 5, 0, False),
    ]
    assert [o.key for o in result.chosen] == ["project:1"]


# --- The rule at its edges ---------------------------------------------------------------


def counted(roll: int, *votes: int, slots: int) -> PollResult:
    result = PollResult(
        poll=None,  # type: ignore[arg-type]
        roll=roll,
        present=roll,
        ballots=roll,
        paper_returned=0,
        paper_invalid=0,
        options=[OptionResult(key=f"o{i}", label=f"o{i}", yes=v) for i, v in enumerate(votes)],
    )
    decide(result, slots=slots)
    return result


def keys(options):
    return [o.key for o in options]


def test_exactly_half_of_the_roll_fails_one_more_passes():
    result = counted(60, 30, 31, slots=2)
    assert [o.passes for o in result.options] == [False, True]
    assert keys(result.chosen) == ["o1"] and result.empty_slots == 1
    assert counted(61, 30, 31, slots=2).options[1].passes  # 31 of 61 > 30.5
    assert not counted(61, 30, 31, slots=2).options[0].passes
    assert counted(61, 0, slots=1).needed == 31


def test_the_most_votes_among_the_passing_are_chosen():
    result = counted(10, 9, 6, 8, 7, 3, slots=2)
    assert keys(result.chosen) == ["o0", "o2"]
    assert not result.tie and result.empty_slots == 0


def test_a_tie_for_the_last_slot_goes_to_a_run_off():
    result = counted(10, 9, 7, 7, 6, slots=2)
    assert keys(result.chosen) == ["o0"]
    assert keys(result.tie) == ["o1", "o2"]
    assert result.open_slots == 1 and result.empty_slots == 0
    # A tie below the last slot is no tie.
    result = counted(10, 9, 8, 7, 7, slots=2)
    assert keys(result.chosen) == ["o0", "o1"] and not result.tie
    # A tie that fits in the slots is no tie either.
    result = counted(10, 7, 7, slots=2)
    assert keys(result.chosen) == ["o0", "o1"] and not result.tie


def test_when_every_option_fails_the_slots_stay_empty():
    result = counted(10, 5, 0, 4, slots=2)
    assert result.chosen == [] and result.tie == [] and result.empty_slots == 2


def test_run_off_poll_for_the_tied_options(world):
    hall = open_hall(world, 9)
    poll, codes = voting(hall, slots=2, options=4)
    # 9 deputies: project 1 by all, projects 2 and 3 by 6, project 4 by 5.
    for i, code in enumerate(codes[:9]):
        ballot_cast(
            code=code,
            choices={
                "project:1": "yes",
                "project:2": "yes" if i < 6 else "no",
                "project:3": "yes" if i >= 3 else "no",
                "project:4": "yes" if i < 5 else "no",
            },
        )
    with pytest.raises(BallotError):
        runoff_create(poll=poll, by=hall.by)  # still open
    poll_close(poll=poll, by=hall.by)
    result = poll_result(poll)
    assert keys(result.chosen) == ["project:1"]
    assert keys(result.tie) == ["project:2", "project:3"]
    runoff = runoff_create(poll=poll, by=hall.by)
    assert runoff.runoff_of == poll and runoff.slots == 1 and runoff.method == poll.method
    assert list(runoff.options.values_list("key", flat=True)) == ["project:2", "project:3"]
    with pytest.raises(BallotError):
        runoff_create(poll=poll, by=hall.by)
    # Same machinery: open, new codes, vote.
    poll_open(poll=runoff, by=hall.by)
    runoff_codes = codes_issue(poll=runoff, by=hall.by, spares=0)
    for i, code in enumerate(runoff_codes):
        ballot_cast(code=code, choices={"project:2": "yes" if i < 5 else "no"})
    assert keys(poll_result(runoff).chosen) == ["project:2"]
