"""决: a session's candidate list, the pool that must cover it, the poll it becomes, and
chosen / not chosen read from the published result (with a run-off for a tie)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ballots.models import Option, Poll
from ballots.services import (
    ballot_cast,
    codes_issue,
    poll_close,
    poll_open,
    poll_publish,
    runoff_create,
)
from livelihood.models import CandidateList, FundPool, Project, Proposal
from livelihood.services import (
    LivelihoodError,
    candidate_add,
    candidate_list_create,
    candidate_list_decide,
    candidate_list_fix,
    pool_headroom,
)
from tests.ballots.conftest import open_hall
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db


def reserve(world, n: int, cost: str = "40") -> list[Proposal]:
    return [
        make_proposal(world, status="reserve", title=f"项目{i}", cost=cost) for i in range(1, n + 1)
    ]


def pool(world, amount: int, *, region=None) -> FundPool:
    region = region or world.township
    return FundPool.objects.create(
        year=2026, level="township", region=region, funded_by=region, amount=Decimal(amount)
    )


@pytest.fixture
def hall(world):
    return open_hall(world, 9)


def fixed(world, hall, proposals, slots: int) -> tuple[CandidateList, Poll]:
    candidates = candidate_list_create(session=hall.session, by=world.secretary, slots=slots)
    for p in proposals:
        candidate_add(candidates=candidates, proposal=p, by=world.secretary)
    candidates.refresh_from_db()
    poll = candidate_list_fix(candidates=candidates, by=world.secretary, version=candidates.version)
    return candidates, poll


def vote(hall, poll: Poll, ballots: list[dict[str, str]]) -> None:
    hall.check_in(9)
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=0)
    for code, choices in zip(codes, ballots, strict=False):
        ballot_cast(code=code, choices=choices)
    poll_close(poll=poll, by=hall.by)
    poll_publish(poll=poll, by=hall.by)


def test_the_pool_must_cover_every_candidate_when_the_list_is_fixed(world, hall):
    proposals = reserve(world, 3)  # 120 in all
    pool(world, 100)
    candidates = candidate_list_create(session=hall.session, by=world.secretary, slots=2)
    for p in proposals:
        candidate_add(candidates=candidates, proposal=p, by=world.secretary)
    with pytest.raises(LivelihoodError) as refused:
        candidate_list_fix(candidates=candidates, by=world.secretary, version=candidates.version)
    assert refused.value.field == "candidates" and "120" in refused.value.message
    # The county's pool for its townships makes up the difference.
    pool(world, 30, region=world.county)
    poll = candidate_list_fix(candidates=candidates, by=world.secretary, version=1)
    assert [(o.key, o.label) for o in poll.options.all()] == [
        (f"proposal:{p.pk}", p.title) for p in proposals
    ]
    assert poll.slots == 2 and poll.method == "each" and poll.session == hall.session
    assert set(Proposal.objects.values_list("status", flat=True)) == {"candidate"}
    # Committed now: 黄茅园镇's pool is spent and 20 of the county's 30 with it, so another
    # township without a pool of its own has 10 left.
    assert pool_headroom(year=2026, level="township", region=world.other_township) == (
        Decimal(30),
        Decimal(10),
    )
    assert pool_headroom(year=2026, level="township", region=world.township) == (
        Decimal(130),
        Decimal(10),
    )


def test_only_reserve_proposals_of_the_sessions_congress_are_candidates(world, hall):
    candidates = candidate_list_create(session=hall.session, by=world.secretary, slots=1)
    for proposal in [
        make_proposal(world, status="proposed"),
        make_proposal(world, status="reserve", region=world.other_township),
        make_proposal(world, status="reserve", region=world.county, level="county"),
    ]:
        with pytest.raises(LivelihoodError) as refused:
            candidate_add(candidates=candidates, proposal=proposal, by=world.secretary)
        assert refused.value.field == "proposal"
    with pytest.raises(LivelihoodError) as refused:
        candidate_list_fix(candidates=candidates, by=world.secretary, version=1)
    assert refused.value.field == "candidates"
    with pytest.raises(LivelihoodError) as refused:
        candidate_add(
            candidates=candidates,
            proposal=make_proposal(world, status="reserve"),
            by=world.other_secretary,
        )
    assert refused.value.forbidden


def test_more_slots_than_candidates_is_refused_naming_the_slots(world, hall):
    pool(world, 1000)
    candidates = candidate_list_create(session=hall.session, by=world.secretary, slots=3)
    for p in reserve(world, 2):
        candidate_add(candidates=candidates, proposal=p, by=world.secretary)
    with pytest.raises(LivelihoodError) as refused:
        candidate_list_fix(candidates=candidates, by=world.secretary, version=1)
    assert refused.value.field == "slots"


def test_chosen_and_not_chosen_come_from_the_published_result_idempotently(world, hall, client):
    pool(world, 1000)
    a, b, c = reserve(world, 3)
    candidates, poll = fixed(world, hall, [a, b, c], slots=1)
    key = {p.pk: f"proposal:{p.pk}" for p in (a, b, c)}
    with pytest.raises(LivelihoodError) as refused:
        candidate_list_decide(candidates=candidates)
    assert refused.value.field == "poll"
    # 9 on the roll: 5 votes pass. a: 7 yes, b: 5 yes, c: 3 yes -> a is chosen.
    ballots = [
        {
            key[a.pk]: "yes",
            key[b.pk]: "yes" if i < 5 else "no",
            key[c.pk]: "yes" if i < 3 else "abstain",
        }
        for i in range(7)
    ]
    vote(hall, poll, ballots)
    for _ in range(2):
        decided = candidate_list_decide(candidates=candidates)
    assert decided.state == "decided" and decided.roll == 9 and decided.present == 9
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "chosen", b.pk: "not_chosen", c.pk: "not_chosen"}
    # The chosen one is now a project to carry out (once, though decided twice).
    assert list(Project.objects.values_list("proposal", flat=True)) == [a.pk]
    rows = {r.proposal_id: r for r in decided.candidates.all()}
    assert (rows[a.pk].yes, rows[b.pk].yes, rows[b.pk].no, rows[c.pk].abstain) == (7, 5, 2, 4)
    assert rows[b.pk].passes and not rows[b.pk].chosen
    # The public page, without signing in: the chosen project and the others' votes.
    html = client.get(reverse("livelihood:results", args=[hall.session.pk])).content.decode()
    assert "黄茅园镇七届人大四次会议" in html
    assert html.index("项目1") < html.index("项目2") < html.index("项目3")
    for deputy in hall.deputies:
        assert deputy.name not in html


def test_a_tie_for_the_last_slot_waits_for_the_runoff(world, hall):
    pool(world, 1000)
    a, b, c = reserve(world, 3)
    candidates, poll = fixed(world, hall, [a, b, c], slots=2)
    key = {p.pk: f"proposal:{p.pk}" for p in (a, b, c)}
    # a: 9, b: 6, c: 6 -> a chosen, b and c tied for the second slot.
    ballots = [
        {
            key[a.pk]: "yes",
            key[b.pk]: "yes" if i < 6 else "no",
            key[c.pk]: "yes" if i >= 3 else "no",
        }
        for i in range(9)
    ]
    vote(hall, poll, ballots)
    with pytest.raises(LivelihoodError) as refused:
        candidate_list_decide(candidates=candidates)
    assert refused.value.field == "poll"
    runoff = runoff_create(poll=poll, by=world.secretary)
    assert set(Option.objects.filter(poll=runoff).values_list("key", flat=True)) == {
        key[b.pk],
        key[c.pk],
    }
    poll_open(poll=runoff, by=hall.by)
    codes = codes_issue(poll=runoff, by=hall.by, spares=0)
    for i, code in enumerate(codes):
        ballot_cast(code=code, choices={key[b.pk]: "no", key[c.pk]: "yes" if i < 7 else "no"})
    poll_close(poll=runoff, by=hall.by)
    poll_publish(poll=runoff, by=hall.by)
    candidate_list_decide(candidates=candidates)
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "chosen", b.pk: "not_chosen", c.pk: "chosen"}


def test_a_result_page_before_the_result_answers_404(world, hall, client):
    candidate_list_create(session=hall.session, by=world.secretary, slots=1)
    assert client.get(reverse("livelihood:results", args=[hall.session.pk])).status_code == 404
    assert client.get("/livelihood/results/99999/").status_code == 404


def test_the_public_page_reads_a_published_tally_before_the_office_records_it(world, hall, client):
    pool(world, 1000)
    a, b = reserve(world, 2)
    candidates, poll = fixed(world, hall, [a, b], slots=1)
    url = reverse("livelihood:results", args=[hall.session.pk])
    assert client.get(url).status_code == 404  # fixed, not voted yet
    key = {p.pk: f"proposal:{p.pk}" for p in (a, b)}
    vote(hall, poll, [{key[a.pk]: "no", key[b.pk]: "yes"}] * 6)
    html = client.get(url).content.decode()
    assert html.index("项目2") < html.index("项目1")  # 项目2 chosen, listed first
    assert "赞成6" in html
    assert Proposal.objects.get(pk=b.pk).status == "candidate"  # nothing written by a GET
