"""The nightly rota job through a real Celery worker on Redis (scripts/test.sh, stage 2)."""

import pytest

from liaison_stations.jobs import generate_rota
from liaison_stations.models import DutyShift
from tests.liaison_stations.factories import station_with_deputies

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_the_worker_makes_next_month_once_under_the_registered_name(world, celery_worker):
    station = station_with_deputies(world.township, 3)  # 逢6: three days in any month
    first = generate_rota.apply_async().get(timeout=60)
    assert (first["stations"], first["shifts"]) == (1, 3)
    made = list(DutyShift.objects.filter(station=station).values_list("pk", "date", "version"))
    # Beat fires twice (two beat processes by mistake): the second run makes nothing.
    again = generate_rota.apply_async().get(timeout=60)
    assert (again["stations"], again["shifts"]) == (0, 0)
    assert (
        list(DutyShift.objects.filter(station=station).values_list("pk", "date", "version")) == made
    )
