"""Workbooks previewed but never confirmed are deleted after a day, by a daily job."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from congress_portal.celery import app as celery_app
from congress_portal.schedule import beat_schedule
from tasks.jobs import purge_import_files
from tasks.models import TaskList
from tasks.services.lists import IMPORT_DIR, import_files_purge, import_path
from tests.tasks.factories import xlsx
from tests.tasks.test_excel import post_import, row

pytestmark = pytest.mark.django_db


def age(path: str, hours: float) -> None:
    """Make a stored file look ``hours`` old."""
    when = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(path), (when, when))


def preview(client) -> str:
    """Upload a workbook to the preview and leave it there; returns its token."""
    response = post_import(client, xlsx([row(1)]))
    assert response.status_code == 200
    return response.context["confirm"].initial["token"]


def test_a_previewed_workbook_left_for_more_than_a_day_is_purged(world, as_user):
    client = as_user(world.staff)
    stale, fresh = preview(client), preview(client)
    assert default_storage.exists(import_path(stale))
    age(import_path(stale), hours=25)
    age(import_path(fresh), hours=23)
    evidence = default_storage.save("tasks/evidence/2025/01/old.pdf", ContentFile(b"%PDF"))
    age(evidence, hours=24 * 400)

    assert import_files_purge() == 1

    assert not default_storage.exists(import_path(stale))
    assert default_storage.exists(import_path(fresh))
    assert default_storage.exists(evidence)  # only the import folder is purged
    # Confirming the purged preview asks for the file again; the fresh one still imports.
    meta = {"title": "2025年任务清单", "year": 2025, "kind": "committee", "issuer": ""}
    response = client.post(reverse("tasks:import_confirm"), {**meta, "token": stale}, follow=True)
    assert "上传的文件已失效，请重新上传。" in response.content.decode()
    assert not TaskList.objects.exists()
    client.post(reverse("tasks:import_confirm"), {**meta, "token": fresh})
    assert TaskList.objects.get().tasks.count() == 1
    assert not default_storage.exists(import_path(fresh))  # confirming deletes it


def test_purge_with_no_import_folder_deletes_nothing():
    assert not default_storage.exists(IMPORT_DIR)
    assert import_files_purge() == 0


def test_the_daily_job_runs_the_purge(world, as_user):
    token = preview(as_user(world.staff))
    age(import_path(token), hours=48)
    assert purge_import_files() == 1
    assert not default_storage.exists(import_path(token))
    entry = next(e for e in beat_schedule().values() if e["task"] == "tasks.purge_import_files")
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {3} and entry["schedule"].day_of_month == set(range(1, 32))
