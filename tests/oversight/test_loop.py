"""The closed loop 反馈—交办—督办—评价 as a state machine: no step is skipped, no problem
closes without its second-visit record, a partly rectified problem lands on the second
list, only the office closes a problem unresolved, and verified is counted apart from
closed unresolved."""

from __future__ import annotations

import datetime as dt

import pytest

from handovers.models import Handover
from handovers.services import HandoverError, handover_answer, handover_verify
from oversight.models import Problem, VisitFinding
from oversight.selectors import problem_stats
from oversight.services import (
    OversightError,
    problem_close_unresolved,
    problem_verify,
    problems_hand_over,
    visit_record,
)
from tests.oversight.conftest import DAY, add_problems

pytestmark = pytest.mark.django_db

VISIT = DAY + dt.timedelta(days=70)
R, P, N = VisitFinding.Outcome.RECTIFIED, VisitFinding.Outcome.PARTLY, VisitFinding.Outcome.NOT


def answer(world, problem, text="已完成整改", user=None):
    problem.refresh_from_db()
    handover_answer(handover=problem.handover, by=user or world.outsider, text=text)
    problem.refresh_from_db()
    return problem


def test_handing_over_puts_each_problem_in_the_units_inbox(world, city_case, handed, as_user):
    assert {p.state for p in handed} == {Problem.State.RECTIFYING}
    assert all(p.handover.kind == "rectification" for p in handed)
    assert all(p.handover.unit == world.other_unit for p in handed)
    page = as_user(world.outsider).get("/inbox/")
    assert "建筑工地扬尘污染管控不到位" in page.content.decode()
    with pytest.raises(OversightError):  # nothing left to hand over
        problems_hand_over(case=city_case, by=world.staff)


def test_the_visit_checks_only_reported_rectifications(world, city_case, handed):
    with pytest.raises(OversightError) as refused:
        visit_record(
            case=city_case,
            date=VISIT,
            who="市人大环资委",
            outcomes={handed[0].pk: R},
            by=world.staff,
        )
    assert refused.value.field == f"problem_{handed[0].pk}"


def test_rectified_at_the_visit_is_verified(world, city_case, handed):
    answer(world, handed[0])
    assert handed[0].state == Problem.State.REPORTED
    visit_record(
        case=city_case, date=VISIT, who="市人大环资委", outcomes={handed[0].pk: R}, by=world.staff
    )
    handed[0].refresh_from_db()
    assert handed[0].state == Problem.State.VERIFIED
    assert handed[0].handover.closure == Handover.Closure.VERIFIED
    assert handed[0].closed_on == VISIT


@pytest.mark.parametrize("outcome", [P, N])
def test_partly_or_not_rectified_lands_on_the_second_list(world, city_case, handed, outcome):
    answer(world, handed[0])
    visit_record(
        case=city_case,
        date=VISIT,
        who="市人大环资委",
        outcomes={handed[0].pk: outcome},
        remarks={handed[0].pk: "围挡破损，未洒水"},
        by=world.staff,
    )
    problem = handed[0]
    problem.refresh_from_db()
    assert problem.state == Problem.State.SECOND_LIST
    assert problem.on_second_list and problem.second_due_on > VISIT
    assert problem.handover.state == Handover.State.RETURNED
    assert problem.handover.round == 2
    assert problem.handover.due_on == problem.second_due_on
    # The unit answers the second list; the office verifies it.
    answer(world, problem, "围挡已更换，每日洒水三次")
    assert problem.state == Problem.State.SECOND_REPORTED
    problem_verify(problem=problem, by=world.staff, notes="复查属实")
    problem.refresh_from_db()
    assert problem.state == Problem.State.VERIFIED


def test_another_visit_verifies_a_second_list_item(world, city_case, handed):
    answer(world, handed[0])
    visit_record(
        case=city_case, date=VISIT, who="暗访组", outcomes={handed[0].pk: N}, by=world.staff
    )
    answer(world, handed[0])
    later = VISIT + dt.timedelta(days=20)
    visit_record(
        case=city_case, date=later, who="暗访组", outcomes={handed[0].pk: R}, by=world.staff
    )
    handed[0].refresh_from_db()
    assert handed[0].state == Problem.State.VERIFIED
    assert handed[0].findings.count() == 2


def test_no_problem_closes_without_its_second_visit(world, city_case, handed):
    problem = answer(world, handed[0])
    # The office cannot verify or send back a rectification from the inbox before the visit.
    with pytest.raises(HandoverError):
        handover_verify(handover=problem.handover, by=world.staff, accept=True)
    with pytest.raises(HandoverError):
        handover_verify(handover=problem.handover, by=world.staff, accept=False, reason="不行")
    problem.refresh_from_db()
    problem.handover.refresh_from_db()
    assert problem.state == Problem.State.REPORTED
    assert problem.handover.state == Handover.State.ANSWERED
    with pytest.raises(OversightError) as refused:
        problem_close_unresolved(problem=problem, by=world.staff, reason="无法整改")
    assert "second unannounced visit" in refused.value.message or "暗访" in refused.value.message
    # Nor the verification of the office before a second list exists.
    with pytest.raises(OversightError):
        problem_verify(problem=problem, by=world.staff)


def test_only_the_office_closes_a_problem_unresolved_with_a_reason(world, city_case, handed):
    problem = answer(world, handed[0])
    visit_record(case=city_case, date=VISIT, who="暗访组", outcomes={problem.pk: N}, by=world.staff)
    for someone in (world.outsider, world.leader, world.county_secretary, world.deputy):
        with pytest.raises(OversightError) as refused:
            problem_close_unresolved(problem=problem, by=someone, reason="历史遗留")
        assert refused.value.forbidden
    with pytest.raises(OversightError) as refused:
        problem_close_unresolved(problem=problem, by=world.staff, reason=" ")
    assert refused.value.field == "reason"
    problem_close_unresolved(problem=problem, by=world.staff, reason="涉及跨省流域，需省级协调")
    problem.refresh_from_db()
    assert problem.state == Problem.State.UNRESOLVED
    assert problem.close_reason == "涉及跨省流域，需省级协调"
    assert problem.handover.closure == Handover.Closure.UNRESOLVED


def test_no_step_is_skipped(world, city_case):
    problem = add_problems(world, city_case, n=1)[0]
    # Found, not handed: the unit cannot answer, no visit, no verification, no closing.
    with pytest.raises(OversightError):
        visit_record(
            case=city_case, date=VISIT, who="暗访组", outcomes={problem.pk: R}, by=world.staff
        )
    with pytest.raises(OversightError):
        problem_verify(problem=problem, by=world.staff)
    with pytest.raises(OversightError):
        problem_close_unresolved(problem=problem, by=world.staff, reason="x")
    problems_hand_over(case=city_case, by=world.staff, on=DAY)
    problem.refresh_from_db()
    # Handed: still no visit before the unit reports.
    with pytest.raises(OversightError):
        visit_record(
            case=city_case, date=VISIT, who="暗访组", outcomes={problem.pk: N}, by=world.staff
        )
    answer(world, problem)
    visit_record(case=city_case, date=VISIT, who="暗访组", outcomes={problem.pk: P}, by=world.staff)
    problem.refresh_from_db()
    # On the second list, with the unit: the office cannot verify before the unit reports.
    with pytest.raises(OversightError):
        problem_verify(problem=problem, by=world.staff)
    # A second answer is final: the office verifies it or closes it unresolved, no third round.
    answer(world, problem)
    with pytest.raises(HandoverError):
        handover_verify(handover=problem.handover, by=world.staff, accept=False, reason="仍未完成")


def test_verified_and_closed_unresolved_are_counted_apart(world, city_case, handed):
    for p in handed:
        answer(world, p)
    visit_record(
        case=city_case,
        date=VISIT,
        who="暗访组",
        outcomes={handed[0].pk: R, handed[1].pk: P, handed[2].pk: N},
        by=world.staff,
    )
    handed[2].refresh_from_db()
    problem_close_unresolved(problem=handed[2], by=world.staff, reason="需省级协调")
    stats = problem_stats(Problem.objects.filter(case=city_case))
    assert stats.total == 3
    assert stats.verified == 1
    assert stats.unresolved == 1
    assert stats.second_list == 1
    assert stats.open == 1
    assert stats.rate == 33  # verified of all problems, in per cent; unresolved not in it
