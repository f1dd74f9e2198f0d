"""The demo city's oversight (seeded once per session, tests/conftest.py demo_city): the
2026 plan, the environmental inspection's 82 problems in every state of the loop with
the second visit and the second list, review opinions with their report-backs; the
pages within their query budgets. Marked ``city``: run once, on PostgreSQL."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies.models import CommitteeMembership
from organisation.models import User
from oversight.demo import ENV_TITLE
from oversight.models import Case, Plan, Problem, ReviewOpinion, SecondVisit
from oversight.selectors import problem_stats

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]


def test_the_inspection_has_82_problems_in_every_state():
    case = Case.objects.get(title=ENV_TITLE)
    problems = Problem.objects.filter(case=case)
    assert problems.count() == 82
    assert set(problems.values_list("state", flat=True)) == set(Problem.State.values)
    assert problems.filter(title__contains="扬尘").exists()
    assert problems.filter(title__contains="太平溪").exists()
    assert SecondVisit.objects.filter(case=case).exists()
    assert problems.filter(second_due_on__isnull=False).count() == 17
    assert case.second_review_on is not None
    stats = problem_stats(problems)
    assert stats.verified == 54 and stats.unresolved == 5
    assert Plan.objects.get(year=2026).items.count() == 12
    assert set(ReviewOpinion.objects.values_list("state", flat=True)) >= {
        "accepted",
        "further",
        "reported",
        "issued",
    }
    assert CommitteeMembership.objects.filter(level="city").count() == 40


@pytest.mark.parametrize("path", ["index", "case"])
def test_the_pages_keep_their_query_budget(client, path):
    staff = User.objects.get(username="staff")
    client.force_login(staff)
    case = Case.objects.get(title=ENV_TITLE)
    url = "/oversight/?year=2026" if path == "index" else f"/oversight/{case.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    print(f"{url}: {len(queries)} queries, {took:.0f} ms")
    assert len(queries) <= 15  # every page's budget (tests/test_query_budget.py)
    if path == "case":
        assert response.content.decode().count('class="task-row"') == 82
