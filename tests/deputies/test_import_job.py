"""A deputies import longer than IMPORT_IN_BACKGROUND_ROWS runs as a job (Celery runs it
in-process here; tests/deputies/test_import_worker.py through a real worker): its page
shows the progress by polling a fragment, the import stays all or nothing, and a job that
dies midway leaves nothing and says so."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from deputies.models import Deputy, DeputyImportJob, Mandate
from tests.deputies.test_deputies import row, workbook

pytestmark = pytest.mark.django_db

NAMES = ["陈春花", "舒国庆", "向明德"]


@pytest.fixture
def long_import(settings):
    settings.IMPORT_IN_BACKGROUND_ROWS = 2


def post(client, book, capture, *, execute=True):
    with capture(execute=execute):
        return client.post(reverse("deputies:import"), {"file": book})


def inline_scripts(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<script[^>]*>", html) if "src=" not in tag]


def test_a_short_import_stays_in_the_request(world, as_user):
    response = as_user(world.staff).post(
        reverse("deputies:import"), {"file": workbook([row(name=n) for n in NAMES])}
    )
    assert response.status_code == 302 and response.url == reverse("deputies:index")
    assert Deputy.objects.count() == 3 and not DeputyImportJob.objects.exists()


def test_a_long_import_runs_as_a_job_and_its_page_says_how_it_went(
    world, as_user, long_import, django_capture_on_commit_callbacks
):
    client = as_user(world.staff)
    book = workbook([row(name=n) for n in NAMES])
    response = post(client, book, django_capture_on_commit_callbacks)
    job = DeputyImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("deputies:import_job", args=[job.pk])
    assert (job.status, job.total, job.started_by) == ("done", 3, world.staff)
    assert sorted(Deputy.objects.values_list("name", flat=True)) == sorted(NAMES)
    assert Mandate.objects.count() == 3
    assert Deputy.history.filter(history_user=world.staff).count() == 3
    assert not default_storage.exists(job.file)  # the upload goes once imported
    page = client.get(response.url).content.decode()
    assert "已导入 3 名代表" in page
    assert f'hx-get="{response.url}"' not in page  # over: the page stops polling


def test_while_the_job_runs_the_page_polls_a_fragment_without_inline_script(
    world, as_user, long_import, django_capture_on_commit_callbacks
):
    client = as_user(world.staff)
    response = post(
        client,
        workbook([row(name=n) for n in NAMES]),
        django_capture_on_commit_callbacks,
        execute=False,  # no worker has taken it yet
    )
    job = DeputyImportJob.objects.get()
    assert job.status == "queued" and not Deputy.objects.exists()
    DeputyImportJob.objects.filter(pk=job.pk).update(status="checking", done=2)
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{response.url}"' in page
    assert "已检查 2 / 3 行" in page
    assert not inline_scripts(page)
    fragment = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert "已检查 2 / 3 行" in fragment and 'hx-trigger="every 2s"' in fragment


def test_a_job_whose_rows_fail_saves_nothing_and_names_every_row(
    world, as_user, long_import, django_capture_on_commit_callbacks
):
    client = as_user(world.staff)
    book = workbook([row(), row(name="舒国庆", gender="?"), row(name="向" * 41)])
    response = post(client, book, django_capture_on_commit_callbacks)
    job = DeputyImportJob.objects.get()
    assert job.status == "refused" and not Deputy.objects.exists()
    assert [(e.row, e.column) for e in job.cell_errors] == [(3, "性别"), (4, "姓名")]
    page = client.get(response.url).content.decode()
    assert "性别" in page and "最多 40 个字，此单元格有 41 个字。" in page
    # The way on: the import page, to send the corrected file.
    assert f'href="{reverse("deputies:import")}">改正后重新导入</a>' in page


def test_a_job_that_dies_midway_leaves_nothing_half_imported(
    world, as_user, long_import, django_capture_on_commit_callbacks, monkeypatch
):
    """The deputies are saved, then the mandates fail: the one transaction takes the
    deputies back, and the page says the import failed."""

    def die(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Mandate.objects, "bulk_create", die)
    client = as_user(world.staff)
    with pytest.raises(RuntimeError):
        post(client, workbook([row(name=n) for n in NAMES]), django_capture_on_commit_callbacks)
    job = DeputyImportJob.objects.get()
    assert job.status == "failed"
    assert not Deputy.objects.exists() and not Deputy.history.exists()
    url = reverse("deputies:import_job", args=[job.pk])
    page = client.get(url).content.decode()
    assert "导入已中断，没有保存任何数据" in page and f'hx-get="{url}"' not in page


def test_a_job_whose_worker_was_killed_is_shown_as_failed(world, as_user):
    job = DeputyImportJob.objects.create(status="saving", total=900, started_by=world.staff)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    DeputyImportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    page = as_user(world.staff).get(reverse("deputies:import_job", args=[job.pk]))
    assert "导入已中断，没有保存任何数据" in page.content.decode()
    # A job no worker has taken yet is only waiting, however long.
    DeputyImportJob.objects.filter(pk=job.pk).update(status="queued", updated_at=long_ago)
    page = as_user(world.staff).get(reverse("deputies:import_job", args=[job.pk]))
    assert "等待后台处理" in page.content.decode() and "导入已中断" not in page.content.decode()


def test_a_message_delivered_twice_imports_once(
    world, as_user, long_import, django_capture_on_commit_callbacks
):
    from deputies.jobs import import_deputies

    post(
        as_user(world.staff),
        workbook([row(name=n) for n in NAMES]),
        django_capture_on_commit_callbacks,
    )
    import_deputies(DeputyImportJob.objects.get().pk)
    assert Deputy.objects.count() == 3


def test_only_staff_see_an_import_job(world, as_user):
    job = DeputyImportJob.objects.create(status="done", started_by=world.staff)
    url = reverse("deputies:import_job", args=[job.pk])
    assert as_user(world.leader).get(url).status_code == 403
    assert as_user(world.secretary).get(url).status_code == 403
    assert as_user(world.staff).get(url).status_code == 200
