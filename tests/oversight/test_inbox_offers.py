"""What the inbox offers on oversight's handovers, kind by kind (tests/handovers/offers.py):
a rectification item's first report, a review opinion's report-back and an
interpellation's answer are decided on oversight's own pages — by the second
unannounced visit, a meeting's review, the movers' verdicts — so the inbox shows the
office no verification form there, only the line and the link to that page; the
commitments and the new reports after a satisfaction vote take the mechanism's own
steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ballots.services import ballot_cast, codes_issue, poll_close, poll_open, poll_publish
from handovers.models import Handover
from oversight.hearings import (
    commitment_add,
    interpellation_move,
    interpellation_verdicts_record,
    satisfaction_poll_create,
    satisfaction_record,
    unit_key,
)
from oversight.models import Kind, Problem, VisitFinding
from oversight.services import opinion_issue, opinion_review, problem_verify, visit_record
from tests.handovers.offers import FINAL, answer, check, elsewhere, people, walk_verified
from tests.oversight import hearing_fixtures
from tests.oversight.conftest import DAY

pytestmark = pytest.mark.django_db

VISIT = DAY + dt.timedelta(days=70)


def test_a_rectification_item_is_verified_by_the_visit_not_by_the_inbox(
    world, city_case, handed, as_user
):
    problem = handed[0]
    handover = problem.handover
    who = people(office=world.staff, unit=world.outsider, leader=world.leader)
    check(who, handover, {"office": {"extend"}, "unit": {"answer"}, "leader": set()})

    # Reported: no verify form; the office is sent to the case page, where the visit is
    # recorded. The unit and the leader are told nothing of it.
    answer(handover, world.outsider, "已完成整改")
    check(who, handover, {"office": set(), "unit": set(), "leader": set()})
    case_url = reverse("oversight:case", args=[city_case.pk])
    assert elsewhere(who["office"].client, handover) == {"verify": [case_url]}
    assert elsewhere(who["unit"].client, handover) == {}
    page = who["office"].client.get(handover.get_absolute_url()).content.decode()
    assert "二次暗访" in page and 'id="verify"' in page
    # The case page has the visit's form for this office.
    assert (
        reverse("oversight:visit", args=[city_case.pk])
        in as_user(world.staff).get(case_url).content.decode()
    )
    # A verify posted anyway is refused before the service, with the same line.
    for accept in ("yes", "no"):
        refused = who["office"].client.post(
            reverse("handovers:verify", args=[handover.pk]),
            {"version": handover.version, "accept": accept, "reason": "已核实"},
        )
        assert refused.status_code == 400
        assert "二次暗访" in refused.content.decode()
    handover.refresh_from_db()
    assert handover.state == Handover.State.ANSWERED

    # The visit finds it partly rectified: the second list, with the unit again.
    visit_record(
        case=city_case,
        date=VISIT,
        who="市人大环资委",
        outcomes={problem.pk: VisitFinding.Outcome.PARTLY},
        by=world.staff,
    )
    check(who, handover, {"office": {"extend"}, "unit": {"answer"}, "leader": set()})

    # Its second report the office may verify here (accept only: it is final), or close
    # unresolved on the problem's page.
    answer(handover, world.outsider, "围挡已更换")
    check(who, handover, {"office": {FINAL}, "unit": set(), "leader": set()})
    assert elsewhere(who["office"].client, handover) == {"verify": [problem.get_absolute_url()]}
    problem_verify(problem=Problem.objects.get(pk=problem.pk), by=world.staff)
    check(who, handover, {"office": set(), "unit": set(), "leader": set()})


def test_a_review_opinions_report_back_is_reviewed_at_a_meeting(world, city_case):
    opinion = opinion_issue(
        case=city_case,
        unit=world.other_unit,
        title="关于环境保护法执法检查的审议意见",
        text="请加强扬尘治理。",
        due_on=DAY + dt.timedelta(days=90),
        by=world.staff,
        issued_on=DAY,
    )
    handover = opinion.handover
    who = people(office=world.staff, unit=world.outsider)
    check(who, handover, {"office": {"extend"}, "unit": {"answer"}})
    answer(handover, world.outsider, "已制定整改方案并落实。")
    check(who, handover, {"office": set(), "unit": set()})
    assert elsewhere(who["office"].client, handover) == {"verify": [opinion.get_absolute_url()]}
    review_day = DAY + dt.timedelta(days=30)
    opinion_review(
        opinion=opinion,
        by=world.staff,
        meeting="市人大常委会第十次会议",
        date=review_day,
        accepted=False,
        notes="请进一步报告",
    )
    check(who, handover, {"office": {"extend"}, "unit": {"answer"}})
    answer(handover, world.outsider, "进一步落实情况。")
    check(who, handover, {"office": set(), "unit": set()})
    assert elsewhere(who["office"].client, handover) == {"verify": [opinion.get_absolute_url()]}
    opinion.refresh_from_db()
    opinion_review(
        opinion=opinion,
        by=world.staff,
        meeting="市人大常委会第十一次会议",
        date=review_day + dt.timedelta(days=10),
        accepted=True,
    )
    check(who, handover, {"office": set(), "unit": set()})


def _interpellation(world):
    case = hearing_fixtures.county_case(world, Kind.INTERPELLATION)
    members = hearing_fixtures.members_of(world.county, 3, level="county")
    found = interpellation_move(
        case=case,
        unit=world.county_unit,
        subject="长江流域十年禁渔工作落实不力",
        text="请说明原因和整改措施。",
        mode="written",
        movers=members,
        by=world.county_secretary,
        setting="standing_committee",
        moved_on=hearing_fixtures.DAY,
    )
    return case, members, found


def test_an_interpellations_answer_waits_for_the_movers_verdicts(world):
    case, members, found = _interpellation(world)
    handover = found.handover
    who = people(office=world.county_secretary, staff=world.staff, unit=world.county_unit_contact)
    check(who, handover, {"office": {"extend"}, "staff": {"extend"}, "unit": {"answer"}})
    answer(handover, world.county_unit_contact, "已开展专项整治行动。")
    check(who, handover, {"office": set(), "staff": set(), "unit": set()})
    page = reverse("oversight:interpellation", args=[case.pk])
    assert elsewhere(who["office"].client, handover) == {"verify": [page]}
    # All three dissatisfied: the second answer, within the kind's two months.
    found.refresh_from_db()
    interpellation_verdicts_record(
        interpellation=found,
        satisfied={m.pk: False for m in members},
        by=world.county_secretary,
        on=hearing_fixtures.DAY + dt.timedelta(days=5),
    )
    check(who, handover, {"office": {"extend"}, "staff": {"extend"}, "unit": {"answer"}})
    answer(handover, world.county_unit_contact, "已追责并建立长效机制。")
    check(who, handover, {"office": set(), "staff": set(), "unit": set()})
    assert elsewhere(who["office"].client, handover) == {"verify": [page]}
    found.refresh_from_db()
    interpellation_verdicts_record(
        interpellation=found, satisfied={m.pk: True for m in members}, by=world.county_secretary
    )
    check(who, handover, {"office": set(), "staff": set(), "unit": set()})


def test_a_commitment_takes_the_mechanisms_own_steps(world):
    _, _, found = _interpellation(world)
    answer(found.handover, world.county_unit_contact, "已开展专项整治行动。")
    found.refresh_from_db()
    promise = commitment_add(
        interpellation=found,
        text="年底前完成禁渔区执法船配备",
        due_on=dt.date(2026, 12, 31),
        by=world.county_secretary,
    )
    who = people(office=world.county_secretary, unit=world.county_unit_contact)
    walk_verified(who, promise.handover, office="office", unit="unit")


def test_a_new_report_after_a_satisfaction_vote_takes_the_mechanisms_own_steps(world):
    deputies = hearing_fixtures.deputies_of(world.county, 3, level="county")
    session = hearing_fixtures.county_session(world, deputies)
    case = hearing_fixtures.county_case(world, Kind.SATISFACTION, units=[world.county_unit])
    vote = satisfaction_poll_create(
        case=case,
        session=session,
        subject="year",
        year=2026,
        units=[world.county_unit],
        by=world.county_secretary,
    )
    poll_open(poll=vote.poll, by=world.county_secretary)
    for code in codes_issue(poll=vote.poll, by=world.county_secretary, spares=0):
        ballot_cast(code=code, choices={unit_key(world.county_unit.pk): "unsatisfied"})
    poll_close(poll=vote.poll, by=world.county_secretary)
    poll_publish(poll=vote.poll, by=world.county_secretary)
    (result,) = satisfaction_record(vote=vote, by=world.county_secretary)
    assert result.rereport.kind == "satisfaction_report"
    who = people(office=world.county_secretary, unit=world.county_unit_contact)
    walk_verified(who, result.rereport, office="office", unit="unit")
