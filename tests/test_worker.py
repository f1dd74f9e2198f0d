"""A task through a real Celery worker on Redis and back (scripts/test.sh, stage 2)."""

import pytest

from congress_portal.celery import ping

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_a_task_goes_through_the_worker_and_back(world, celery_worker):
    result = ping.delay()
    # The worker answers from its own process, reading the test database.
    assert result.get(timeout=60) == {"pong": True, "users": len(world.people)}
    assert celery_worker.poll() is None
