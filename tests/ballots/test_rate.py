"""Method "rate" (满意/基本满意/不满意 on every option, an evaluation) and the
satisfaction rule: unsatisfactory when 满意 + 基本满意 are no more than half of *all*
the deputies on the roll."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballots.models import Ballot, Poll
from ballots.services import (
    BallotError,
    ballot_cast,
    codes_issue,
    paper_tally_confirm,
    paper_tally_enter,
    poll_close,
    poll_open,
    poll_publish,
    poll_result,
    unsatisfactory,
)
from tests.ballots.conftest import open_hall

pytestmark = pytest.mark.django_db

OPTIONS = [f"project:{i}" for i in range(1, 4)]
rate_ballot = st.fixed_dictionaries(
    {},
    optional={
        k: st.sampled_from(["satisfied", "basic", "unsatisfied", "abstain"]) for k in OPTIONS
    },
)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("satisfied", "basic", "roll", "verdict"),
    [
        (5, 0, 10, True),  # exactly half: unsatisfactory
        (3, 2, 10, True),
        (6, 0, 10, False),  # half + 1: not
        (3, 3, 10, False),
        (4, 1, 9, False),  # 5 of 9: more than half
        (2, 2, 9, True),  # 4 of 9
        (0, 0, 0, True),
    ],
)
def test_the_rule_at_its_edges(satisfied, basic, roll, verdict):
    assert unsatisfactory(satisfied=satisfied, basic=basic, roll=roll) is verdict


def test_abstentions_and_absent_deputies_count_against(world):
    """10 on the roll, 8 present: 5 satisfied and 3 abstain is half, so unsatisfactory;
    the 2 absent count against as much as the abstentions."""
    hall = open_hall(world, 10)
    hall.check_in(8)
    poll = hall.poll(method="rate", options=2)
    assert poll.slots == 2  # every option is rated
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=0)
    for i, code in enumerate(codes):
        first = "satisfied" if i < 5 else "abstain"
        second = "basic" if i < 6 else "unsatisfied"
        ballot_cast(code=code, choices={"project:1": first, "project:2": second})
    poll_close(poll=poll, by=hall.by)
    result = poll_result(poll)
    one, two = result.options
    assert (one.satisfied, one.basic, one.unsatisfied, one.abstain) == (5, 0, 0, 3)
    assert one.unsatisfactory  # 5 of 10: exactly half
    assert (two.satisfied, two.basic, two.unsatisfied) == (0, 6, 2)
    assert not two.unsatisfactory  # 6 of 10
    assert result.chosen == [] and result.tie == []


def test_a_rate_ballot_takes_only_ratings(world):
    hall = open_hall(world, 4)
    hall.check_in(4)
    poll = hall.poll(method="rate", options=2)
    poll_open(poll=poll, by=hall.by)
    code = codes_issue(poll=poll, by=hall.by)[0]
    with pytest.raises(BallotError):
        ballot_cast(code=code, choices={"project:1": "yes"})
    ballot_cast(code=code, choices={"project:1": "basic"})
    assert sorted(Ballot.objects.get().choices.values()) == ["abstain", "basic"]


def test_a_paper_tally_of_ratings_counts_with_the_ballots(world):
    hall = open_hall(world, 6)
    hall.check_in(6)
    poll = hall.poll(method="rate", options=1)
    poll_open(poll=poll, by=hall.by)
    code = codes_issue(poll=poll, by=hall.by)[0]
    ballot_cast(code=code, choices={"project:1": "satisfied"})
    poll_close(poll=poll, by=hall.by)
    votes = {"project:1": {"satisfied": 1, "basic": 1, "unsatisfied": 2, "abstain": 0}}
    tally = paper_tally_enter(poll=poll, by=hall.by, issued=4, returned=4, invalid=0, votes=votes)
    paper_tally_confirm(tally=tally, by=world.admin)
    poll_publish(poll=poll, by=hall.by)
    (option,) = poll_result(poll).options
    assert (option.satisfied, option.basic, option.unsatisfied) == (2, 1, 2)
    assert option.unsatisfactory  # 3 of 6


@pytest.fixture
def twelve(world):
    hall = open_hall(world, 12)
    hall.check_in(12)
    return hall


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ballots=st.lists(rate_ballot, max_size=12))
def test_rate_tally_counts_every_ballot(twelve, ballots):
    hall = twelve
    Poll.objects.all().delete()
    poll = hall.poll(method="rate", options=3)
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=0)
    for code, choices in zip(codes, ballots, strict=False):
        ballot_cast(code=code, choices=choices)
    result = poll_result(poll)
    assert result.ballots == len(ballots)
    for option in result.options:
        values = [b.get(option.key, "abstain") for b in ballots]
        counted = (option.satisfied, option.basic, option.unsatisfied, option.abstain)
        assert counted == tuple(
            values.count(v) for v in ("satisfied", "basic", "unsatisfied", "abstain")
        )
        assert option.yes == option.no == 0
        assert option.unsatisfactory == ((option.satisfied + option.basic) * 2 <= 12)


def test_the_rate_ballot_at_vote_and_the_result_pages(world, client, as_user):
    hall = open_hall(world, 4)
    hall.check_in(4)
    poll = hall.poll(method="rate", options=2)
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=0)
    page = client.post(reverse("vote:index"), {"code": codes[0]})
    html = page.content.decode()
    assert page.status_code == 200 and "基本满意" in html and "vote-choices--rate" in html
    missing = client.post(reverse("vote:index"), {"code": codes[0], "step": "cast", "o0": "basic"})
    assert missing.status_code == 400 and not Ballot.objects.exists()
    for code in codes[:3]:
        cast = client.post(
            reverse("vote:index"),
            {"code": code, "step": "cast", "o0": "satisfied", "o1": "unsatisfied"},
        )
        assert cast.status_code == 200
    assert Ballot.objects.count() == 3
    poll_close(poll=poll, by=hall.by)
    poll_publish(poll=poll, by=hall.by)
    runner = as_user(world.secretary)
    shown = runner.get(reverse("ballots:poll", args=[poll.pk])).content.decode()
    assert "不满意" in shown and "满意" in shown and "项目2" in shown
    session = runner.get(reverse("ballots:session", args=[hall.session.pk]))
    assert session.status_code == 200
    public = client.get(reverse("vote:receipt_list", args=[poll.pk]))
    assert public.status_code == 200
