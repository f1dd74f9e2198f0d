"""Proposing, deliberating, screening and the fund pools: the rules and who may."""

from __future__ import annotations

from decimal import Decimal

import pytest

from liaison_stations.models import Reception
from livelihood.models import Comment, FundPool, Proposal
from livelihood.services import (
    LivelihoodError,
    comment_add,
    fund_pool_set,
    pool_headroom,
    proposal_create,
    proposal_from_reception,
    proposal_screen,
)
from notifications.models import Notification
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db

ROAD = {
    "title": "大埠至黄金街飞跃桥道路硬化",
    "place": "黄茅园镇杨家山社区",
    "estimated_cost": Decimal("45.5"),
    "beneficiaries": 1000,
}


def test_a_deputy_proposes_to_a_congress_they_sit_in(world, deputies):
    made = proposal_create(
        by=world.deputy, level="township", region=world.township, source="government", **ROAD
    )
    assert made.source == Proposal.Source.DEPUTY  # whatever the form said
    assert made.proposer_deputy == deputies.me
    assert made.status == Proposal.Status.PROPOSED
    with pytest.raises(LivelihoodError) as refused:
        proposal_create(
            by=world.deputy, level="township", region=world.other_township, source="deputy", **ROAD
        )
    assert refused.value.field == "congress"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"place": ""}, "place"),
        ({"estimated_cost": Decimal(0)}, "estimated_cost"),
        ({"beneficiaries": 0}, "beneficiaries"),
    ],
)
def test_a_proposal_refuses_what_is_missing_naming_the_field(world, change, field):
    with pytest.raises(LivelihoodError) as refused:
        proposal_create(
            by=world.secretary,
            level="township",
            region=world.township,
            source="constituent",
            **(ROAD | change),
        )
    assert refused.value.field == field


def test_the_office_proposes_only_to_its_own_congress(world):
    assert proposal_create(
        by=world.staff, level="city", region=world.city, source="government", **ROAD
    )
    for by, region, level in [
        (world.staff, world.township, "township"),  # the city staff keep the city's
        (world.secretary, world.other_township, "township"),
        (world.secretary, world.county, "county"),
        (world.unit_contact, world.township, "township"),
    ]:
        with pytest.raises(LivelihoodError) as refused:
            proposal_create(by=by, level=level, region=region, source="constituent", **ROAD)
        assert refused.value.field == "congress"
    with pytest.raises(LivelihoodError) as refused:
        proposal_create(
            by=world.county_secretary, level="county", region=world.township, source="x", **ROAD
        )
    assert refused.value.field == "source"


def test_a_reception_becomes_a_proposal_in_one_step_and_links_to_it(world, reception):
    made = proposal_from_reception(
        by=world.secretary, reception=reception, level="township", region=world.township, **ROAD
    )
    reception.refresh_from_db()
    assert reception.follow_up == made
    assert reception.handling == Reception.Handling.PROJECT
    assert made.reception == reception and made.source == Proposal.Source.CONSTITUENT
    assert made.description == ROAD.get("description", reception.content)
    assert reception.history.first().history_change_reason == "已转为民生实事项目建议"
    with pytest.raises(LivelihoodError) as refused:
        proposal_from_reception(
            by=world.secretary, reception=reception, level="township", region=world.township, **ROAD
        )
    assert refused.value.field == "reception"
    assert Proposal.objects.count() == 1


def test_another_townships_secretary_cannot_propose_from_the_reception(world, reception):
    with pytest.raises(LivelihoodError) as refused:
        proposal_from_reception(
            by=world.other_secretary,
            reception=reception,
            level="township",
            region=world.other_township,
            **ROAD,
        )
    assert refused.value.field == "reception"


def test_deputies_of_the_congress_comment_and_open_the_deliberation(world, deputies):
    proposal = make_proposal(world)
    comment_add(proposal=proposal, by=world.deputy, text="群众呼声很高，建议优先安排。")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DELIBERATING
    with pytest.raises(LivelihoodError) as refused:
        comment_add(proposal=proposal, by=world.deputy, text="  ")
    assert refused.value.field == "text"
    outsider = make_proposal(world, region=world.other_township)
    with pytest.raises(LivelihoodError) as refused:
        comment_add(proposal=outsider, by=world.deputy, text="同意")
    assert refused.value.forbidden
    assert Comment.objects.count() == 1


def test_a_township_secretary_screens_only_their_townships_proposals(world, deputies):
    mine = make_proposal(world, proposer=world.deputy)
    theirs = make_proposal(world, region=world.other_township)
    with pytest.raises(LivelihoodError) as refused:
        proposal_screen(
            proposal=theirs,
            by=world.secretary,
            version=theirs.version,
            accept=True,
            feasibility="可行",
            fund_source="乡镇财政",
        )
    assert refused.value.forbidden
    # The county secretary keeps every township of the county; the city staff do not.
    with pytest.raises(LivelihoodError):
        proposal_screen(proposal=mine, by=world.staff, version=1, accept=False, reason="重复")
    screened = proposal_screen(
        proposal=mine,
        by=world.secretary,
        version=mine.version,
        accept=True,
        feasibility="经踏勘，线路明确",
        fund_source="县级民生实事专项资金",
    )
    assert screened.status == Proposal.Status.RESERVE and screened.screened_by == world.secretary
    assert Notification.objects.filter(user=world.deputy, key__endswith=":screened").exists()
    with pytest.raises(LivelihoodError) as refused:
        proposal_screen(
            proposal=mine, by=world.secretary, version=screened.version, accept=False, reason="x"
        )
    assert refused.value.field == "decision"


def test_screening_names_what_it_misses_and_refuses_a_stale_form(world):
    proposal = make_proposal(world, proposer=world.deputy)
    for kwargs, field in [
        ({"accept": True, "fund_source": "乡镇"}, "feasibility"),
        ({"accept": True, "feasibility": "可行"}, "fund_source"),
        ({"accept": False}, "reason"),
    ]:
        with pytest.raises(LivelihoodError) as refused:
            proposal_screen(proposal=proposal, by=world.county_secretary, version=1, **kwargs)
        assert refused.value.field == field
    with pytest.raises(LivelihoodError) as refused:
        proposal_screen(proposal=proposal, by=world.secretary, version=7, accept=False, reason="x")
    assert refused.value.conflict
    rejected = proposal_screen(
        proposal=proposal,
        by=world.secretary,
        version=1,
        accept=False,
        reason="已列入县交通局年度计划",
    )
    assert rejected.reject_reason == "已列入县交通局年度计划"


def test_a_pool_is_set_by_the_paying_region_and_never_below_what_is_committed(world):
    pool = fund_pool_set(
        by=world.county_secretary,
        year=2026,
        level="township",
        region=world.county,
        funded_by=world.county,
        amount=Decimal(200),
        note="县财政安排预算200万元，用于乡镇民生实事票决项目",
    )
    assert (
        FundPool.objects.covering(year=2026, level="township", region=world.township).get() == pool
    )
    with pytest.raises(LivelihoodError) as refused:
        fund_pool_set(
            by=world.secretary,
            year=2026,
            level="township",
            region=world.county,
            funded_by=world.county,
            amount=Decimal(10),
        )
    assert refused.value.field == "funded_by"
    with pytest.raises(LivelihoodError) as refused:
        fund_pool_set(
            by=world.secretary,
            year=2026,
            level="township",
            region=world.township,
            funded_by=world.other_township,
            amount=Decimal(10),
        )
    assert refused.value.field == "funded_by"
    make_proposal(world, status="candidate", cost="120")
    make_proposal(world, region=world.other_township, status="chosen", cost="60")
    # Neither township has a pool of its own: both draw on the county's.
    assert pool_headroom(year=2026, level="township", region=world.township) == (
        Decimal(200),
        Decimal(20),
    )
    with pytest.raises(LivelihoodError) as refused:
        fund_pool_set(
            by=world.county_secretary,
            year=2026,
            level="township",
            region=world.county,
            funded_by=world.county,
            amount=Decimal(100),
        )
    assert refused.value.field == "amount"
