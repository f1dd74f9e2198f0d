"""A task-list import longer than IMPORT_IN_BACKGROUND_ROWS is confirmed into a job
(Celery runs it in-process here): one list or nothing, its page says which."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tasks.models import Task, TaskImportJob, TaskList
from tests.tasks.factories import xlsx
from tests.tasks.test_excel import post_import, row

pytestmark = pytest.mark.django_db

CONFIRM = {
    "title": "2025年任务清单",
    "year": 2025,
    "kind": "committee",
    "issuer": "市人大常委会党组",
}


def confirm(client, content, capture):
    token = post_import(client, content).context["confirm"].initial["token"]
    with capture(execute=True):
        response = client.post(reverse("tasks:import_confirm"), {**CONFIRM, "token": token})
    return token, response


def test_a_long_list_is_imported_by_a_job(
    world, as_user, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_IN_BACKGROUND_ROWS = 2
    client = as_user(world.staff)
    content = xlsx([row(1), row(2, 节点="2025-06-30 完成调研"), row(3, aspect=2)])
    token, response = confirm(client, content, django_capture_on_commit_callbacks)
    job = TaskImportJob.objects.get()
    assert response.url == reverse("tasks:import_job", args=[job.pk])
    assert (job.status, job.total, job.started_by) == ("done", 3, world.staff)
    task_list = TaskList.objects.get()
    assert job.task_list == task_list and task_list.title == "2025年任务清单"
    assert task_list.issuer == "市人大常委会党组" and task_list.tasks.count() == 3
    assert Task.history.filter(history_user=world.staff).count() == 3
    assert not default_storage.exists(job.file)
    assert not default_storage.exists(f"tasks/imports/{token}.xlsx")
    page = client.get(response.url).content.decode()
    assert "2025年任务清单" in page and reverse("tasks:index") + f"?list={task_list.pk}" in page


def test_a_job_that_dies_midway_leaves_no_list(
    world, as_user, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """The list and its aspects are saved, then the tasks fail: nothing stays."""
    import tasks.services.lists

    def die(*args, **kwargs):
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(tasks.services.lists, "_tasks_save", die)
    settings.IMPORT_IN_BACKGROUND_ROWS = 2
    client = as_user(world.staff)
    with pytest.raises(RuntimeError):
        confirm(client, xlsx([row(1), row(2), row(3)]), django_capture_on_commit_callbacks)
    job = TaskImportJob.objects.get()
    assert job.status == "failed" and job.task_list is None
    assert not TaskList.objects.exists()
    page = client.get(reverse("tasks:import_job", args=[job.pk])).content.decode()
    assert "导入已中断，没有保存任何数据" in page
