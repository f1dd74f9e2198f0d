"""Making and finding the monthly report: one official report per month, regenerating as
an explicit second action that keeps the earlier versions (when, by whom), no duplicate
jobs from a double submit, the report of the 1st listed and announced to every leader."""

import datetime as dt

import pytest
from django.urls import reverse

from notifications.models import Notification
from organisation.roles import Role
from reports.models import GeneratedReport
from reports.services import report_schedule_monthly
from tests.factories import UserFactory
from tests.notifications.data import build_scene

pytestmark = pytest.mark.django_db
MARCH = {"month": "2025-03"}


@pytest.fixture
def scene(world):
    return build_scene(world)


def test_a_month_has_one_official_report_and_regenerating_keeps_the_versions(
    world, scene, as_user, django_capture_on_commit_callbacks
):
    staff, leader = as_user(world.staff), as_user(world.leader)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("reports:generate"), MARCH)
    first = GeneratedReport.objects.get()
    assert first.status == GeneratedReport.Status.DONE

    # Asking again without saying "make again" shows the month's report; nothing is queued.
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(reverse("reports:generate"), MARCH)
    assert response["Location"] == reverse("reports:status", args=[first.pk])
    assert GeneratedReport.objects.count() == 1

    # "重新生成" is its own action: a second version, the first one kept.
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(reverse("reports:generate"), {**MARCH, "regenerate": "True"})
    second = GeneratedReport.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("reports:status", args=[second.pk])
    assert second.status == GeneratedReport.Status.DONE and second.requested_by == world.leader

    page = leader.get(reverse("reports:index")).content.decode()
    month = page.split("2025年3月", 1)[1]
    assert "第2版" in month and world.leader.display_name in month  # the official one
    versions = month.split("早期版本1个")[1]
    assert "第1版" in versions and world.staff.display_name in versions
    assert reverse("reports:download", args=[second.pk]) in month
    assert reverse("reports:download", args=[first.pk]) in versions
    assert "重新生成" in month
    # No hash anywhere a person looks.
    for url in (reverse("reports:index"), reverse("reports:status", args=[second.pk])):
        text = leader.get(url).content.decode()
        assert second.sha256 not in text and first.sha256 not in text and "SHA" not in text
    older = leader.get(reverse("reports:status", args=[first.pk])).content.decode()
    assert "此版本按原样保留" in older


def test_a_double_submit_queues_one_job(world, scene, as_user, django_capture_on_commit_callbacks):
    client = as_user(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate"), MARCH)
    # Two clicks on "重新生成" (the job has not started yet: on_commit is not run).
    with django_capture_on_commit_callbacks(execute=False) as queued:
        one = client.post(reverse("reports:generate"), {**MARCH, "regenerate": "True"})
        two = client.post(reverse("reports:generate"), {**MARCH, "regenerate": "True"})
    assert len(queued) == 1
    assert one["Location"] == two["Location"]
    assert GeneratedReport.objects.filter(status=GeneratedReport.Status.PENDING).count() == 1
    # The month's row says a version is being made and offers no second button.
    page = client.get(reverse("reports:index")).content.decode()
    month = page.split("2025年3月", 1)[1]
    assert "新版本正在生成" in month and "重新生成" not in month


def test_the_monthly_job_lists_the_report_and_tells_every_leader(
    world, scene, as_user, django_capture_on_commit_callbacks
):
    other_leader = UserFactory(username="leader-b", role=Role.LEADER)
    UserFactory(username="leader-gone", role=Role.LEADER, is_active=False)
    for _ in range(2):  # beat fires twice: one report, one notice each
        with django_capture_on_commit_callbacks(execute=True):
            report_schedule_monthly(today=dt.date(2025, 4, 1))
    report = GeneratedReport.objects.get()
    assert report.status == GeneratedReport.Status.DONE
    download = reverse("reports:download", args=[report.pk])
    notices = Notification.objects.filter(key="report-monthly:2025-03")
    assert sorted(n.user.username for n in notices) == sorted(
        [world.leader.username, other_leader.username]
    )
    assert all(n.url == download and "2025年3月工作进展报告.pdf" in n.title for n in notices)
    page = as_user(world.leader).get(reverse("reports:index")).content.decode()
    assert "2025年3月" in page and download in page and "每月自动生成" in page
    assert as_user(world.leader).get(download).status_code == 200


def test_the_monthly_job_while_someone_makes_the_month_on_demand(world):
    GeneratedReport.objects.create(
        month=dt.date(2025, 3, 1), trigger=GeneratedReport.Trigger.ON_DEMAND
    )
    report = report_schedule_monthly(today=dt.date(2025, 4, 1))
    assert report.trigger == GeneratedReport.Trigger.ON_DEMAND
    assert GeneratedReport.objects.count() == 1
