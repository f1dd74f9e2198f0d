"""The demo city's satisfaction test (会同县) and interpellation (靖州) — seeded once per
session (tests/conftest.py demo_city) — and their pages within query budgets. Marked
``city``: run once, on PostgreSQL."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.models import User
from oversight.hearing_models import Interpellation, SatisfactionResult, SatisfactionVote
from oversight.models import Case

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]


def test_huitong_rates_its_departments_and_one_reports_again():
    vote = SatisfactionVote.objects.select_related("session", "poll").get(
        case__region__name="会同县"
    )
    assert vote.session.body == "congress" and vote.poll.state == "published"
    assert vote.invalid == 2 and vote.ballots <= vote.present <= vote.roll
    assert vote.present * 3 > vote.roll * 2  # the quorum
    results = SatisfactionResult.objects.filter(vote=vote)
    assert results.count() == 8
    poor = results.get(unsatisfactory=True)
    assert poor.unit.name.endswith("自然资源局")
    assert (poor.satisfied + poor.basic) * 2 <= vote.roll
    assert poor.rereport.kind == "satisfaction_report" and poor.rereport.unit == poor.unit


def test_jingzhou_questions_four_departments_on_the_fishing_ban():
    items = Interpellation.objects.filter(case__region__name="靖州苗族侗族自治县").select_related(
        "handover"
    )
    assert items.count() == 4
    assert all(item.movers.count() >= 3 for item in items)
    second = [item for item in items if item.handover.round == 2]
    assert len(second) == 1 and second[0].unit.name.endswith("农业农村局")
    assert second[0].dissatisfied_first * 2 > second[0].movers.count()
    assert sum(item.commitments.count() for item in items) >= 3


@pytest.mark.parametrize("kind", ["satisfaction", "interpellation", "rankings"])
def test_the_pages_keep_their_query_budget(client, kind):
    client.force_login(User.objects.get(username="staff"))
    if kind == "rankings":
        url = "/oversight/satisfaction/rankings/"
    else:
        case = Case.objects.get(kind=kind, region__name__in=["会同县", "靖州苗族侗族自治县"])
        url = f"/oversight/{kind}/{case.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    print(f"{url}: {len(queries)} queries, {took:.0f} ms")
    assert len(queries) <= 15  # every page's budget (tests/test_query_budget.py)
