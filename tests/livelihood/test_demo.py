"""The demo city's livelihood projects (seeded once per session, tests/conftest.py
demo_city): a year's proposals in every stage, many from receptions, sessions across the
city with decided candidate lists, 黄茅园镇七届人大四次会议 voted through the ballot
services and public; the pages at demo scale within their query budgets, with their
server time printed. Marked ``city``: run once, on PostgreSQL."""

from __future__ import annotations

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots.models import Ballot, CheckIn, CongressSession, Poll
from liaison_stations.models import Reception
from livelihood.demo import seed
from livelihood.models import CandidateList, FundPool, Proposal
from organisation.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]


def test_a_year_of_proposals_in_every_stage():
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert 900 <= Proposal.objects.filter(year=2026).count() <= 1700
    linked = Reception.objects.filter(
        handling=Reception.Handling.PROJECT,
        follow_up_type=ContentType.objects.get_for_model(Proposal),
    )
    assert linked.count() > 250
    for reception in linked[:20]:
        assert reception.follow_up.reception_id == reception.pk


def test_huangmaoyuan_voted_its_seven_candidates_for_five_projects():
    candidates = CandidateList.objects.get(session__name="黄茅园镇七届人大四次会议")
    assert candidates.state == "decided" and candidates.slots == 5
    assert candidates.session.date.month == 3
    rows = list(candidates.candidates.select_related("proposal"))
    assert len(rows) == 7 and sum(r.chosen for r in rows) == 5
    road = next(r for r in rows if r.proposal.title == "大埠至黄金街飞跃桥道路硬化")
    assert road.chosen and road.proposal.beneficiaries > 1000
    # Cast through the services: one ballot per deputy checked in, never more.
    assert candidates.poll.state == Poll.State.PUBLISHED
    assert (
        Ballot.objects.filter(poll=candidates.poll).count()
        <= CheckIn.objects.filter(session=candidates.session).count()
    )


def test_sessions_across_the_city_are_decided_within_their_pools():
    decided = CandidateList.objects.filter(state="decided")
    assert decided.count() > 100
    assert FundPool.objects.filter(note__contains="200万").exists()
    levels = set(decided.values_list("session__level", flat=True))
    assert levels == {"city", "county", "township"}


def test_seeding_again_does_nothing(django_assert_max_num_queries):
    # One query for the proposals, one for 办's allocations (a database seeded before 办
    # gets that part once).
    with django_assert_max_num_queries(2):
        assert seed() == {}


def _timed(client, url: str) -> tuple[int, int, float]:
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - started) * 1000
    return response.status_code, len(queries), took


@pytest.mark.parametrize("username", ["staff", "secretary", "deputy"])
def test_the_pages_at_demo_scale_keep_their_budget(client, username):
    client.force_login(User.objects.get(username=username))
    session = CandidateList.objects.get(session__name="黄茅园镇七届人大四次会议").session
    drawing_up = CandidateList.objects.get(session__name="黄茅园镇七届人大六次会议").session
    rated = CongressSession.objects.get(name="黄茅园镇七届人大五次会议")
    road = Proposal.objects.get(title="大埠至黄金街飞跃桥道路硬化", status="chosen")
    budgets = {
        reverse("livelihood:session", args=[drawing_up.pk]): 15,
        reverse("livelihood:index"): 15,
        reverse("livelihood:sessions"): 15,
        reverse("livelihood:session", args=[session.pk]): 15,
        reverse("livelihood:pools"): 15,
        reverse("livelihood:inspections", args=[road.pk]): 15,
        reverse("livelihood:inspection", args=[road.inspections.get().pk]): 15,
    }
    if username != "deputy":
        budgets[reverse("livelihood:evaluate", args=[rated.pk])] = 15
    for url, budget in budgets.items():
        status, queries, took = _timed(client, url)
        print(f"{username} {url}: {status}, {queries} queries, {took:.0f} ms")
        assert status == 200 and queries <= budget, url
    client.logout()
    status, queries, took = _timed(client, reverse("livelihood:results", args=[session.pk]))
    print(f"anonymous results: {status}, {queries} queries, {took:.0f} ms")
    assert status == 200 and queries <= 6
    status, queries, took = _timed(client, reverse("livelihood:results", args=[rated.pk]))
    print(f"anonymous evaluation results: {status}, {queries} queries, {took:.0f} ms")
    assert status == 200 and queries <= 6


def test_the_road_is_completed_in_september_and_the_others_are_under_way():
    from livelihood.models import Allocation, Project

    road = Project.objects.get(proposal__title="大埠至黄金街飞跃桥道路硬化", proposal__year=2026)
    assert road.state == "completed" and road.completed_on.month == 9
    assert road.unit.name == "黄茅园镇人民政府"
    assert road.allocations.get().pool.region.name == "黄茅园镇"
    assert road.spent == road.allocated == road.budget
    assert road.reports.filter(photos__isnull=False).count() == 3
    assert Project.objects.late().filter(proposal__title="金中村饮水管网改造").exists()
    assert Project.objects.filter(state="under_way").count() > 100
    assert Allocation.objects.filter(pool__level="township", pool__region__level="county").exists()
    for pool in FundPool.objects.filter(year=2026):
        assert 0 <= pool.allocated <= pool.amount


def test_the_road_was_inspected_and_rated_at_the_next_session():
    from handovers.models import Handover
    from livelihood.models import Evaluation, Inspection

    road = Proposal.objects.get(title="大埠至黄金街飞跃桥道路硬化", status="chosen")
    assert road.project.state == "completed" and road.project.completed_on.month == 9
    visit = Inspection.objects.get(proposal=road)
    assert visit.deputies.count() == 3
    finding = visit.findings.get()
    assert Handover.objects.get(pk=finding.handover_id).kind == "livelihood_finding"
    rated = Evaluation.objects.filter(poll__session__name="黄茅园镇七届人大五次会议")
    assert rated.get(proposal=road).unsatisfactory is False
    flagged = rated.get(unsatisfactory=True)
    assert flagged.rereport is not None and flagged.recorded_on is not None
    assert flagged.poll.session.date > road.project.completed_on
