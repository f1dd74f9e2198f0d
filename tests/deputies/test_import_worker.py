"""A long deputies import through a real Celery worker on Redis (scripts/test.sh, stage 2):
the request queues it and returns, the worker imports every row, the page follows."""

import time

import pytest
from django.urls import reverse

from deputies.models import Deputy, DeputyImportJob, Mandate
from tests.deputies.test_deputies import row, workbook

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_a_600_row_import_leaves_the_request_and_the_worker_saves_it(world, as_user, celery_worker):
    client = as_user(world.staff)
    names = [f"代表{i:04d}" for i in range(600)]  # over IMPORT_IN_BACKGROUND_ROWS (500)
    response = client.post(reverse("deputies:import"), {"file": workbook([row(n) for n in names])})
    job = DeputyImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("deputies:import_job", args=[job.pk])
    assert job.total == 600

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        fragment = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
        job.refresh_from_db()
        if job.status not in job.OPEN:
            break
        assert 'hx-trigger="every 2s"' in fragment  # still polling
        time.sleep(0.3)
    assert job.status == "done", (job.status, job.message, job.errors)
    assert Deputy.objects.count() == Mandate.objects.count() == 600
    assert Deputy.history.filter(history_user=world.staff).count() == 600
    page = client.get(response.url).content.decode()
    assert "已导入 600 名代表" in page
