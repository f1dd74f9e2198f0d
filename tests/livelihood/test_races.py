"""Two allocations from one pool at the same moment, on PostgreSQL: together they would
exceed what is left, so exactly one is made."""

from decimal import Decimal

import pytest
from django.db import connection

from livelihood.delivery import allocation_make, projects_open
from livelihood.models import Allocation, FundPool, Project
from livelihood.services import LivelihoodError
from tests.livelihood.conftest import make_proposal
from tests.tasks import test_races as races

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.fail("these tests need PostgreSQL (run them through scripts/test.sh)")


def test_two_allocations_at_once_that_together_exceed_the_pool_one_is_made(world, monkeypatch):
    monkeypatch.setattr(races, "TasksError", LivelihoodError)
    pool = FundPool.objects.create(
        year=2026, level="township", region=world.township, funded_by=world.township, amount=100
    )
    a = make_proposal(world, status="chosen", title="甲")
    b = make_proposal(world, status="chosen", title="乙")
    projects_open([a.pk, b.pk])
    first, second = Project.objects.order_by("pk")

    def allocate(project):
        return lambda: allocation_make(pool=pool, project=project, amount="60", by=world.secretary)

    result = races.hold_then_race(allocate(first), allocate(second))
    assert "40" in result and not result.startswith("CRASH")
    pool.refresh_from_db()
    assert pool.allocated == Decimal(60)
    assert Allocation.objects.count() == 1
    assert Project.objects.get(pk=second.pk).allocated == 0
