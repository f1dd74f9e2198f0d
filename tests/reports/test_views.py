"""/reports/: who may open it, generating on demand, the status page, downloads."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import GeneratedReport
from tests.notifications.data import build_scene

pytestmark = pytest.mark.django_db
PEOPLE = [
    "admin",
    "staff",
    "leader",
    "unit_contact",
    "secretary",
    "other_secretary",
    "county_secretary",
    "deputy",
    "outsider",
]
ALLOWED = {"admin", "staff", "leader"}


@pytest.fixture
def done_report(world):
    report = GeneratedReport.objects.create(
        month=dt.date(2025, 3, 1),
        trigger=GeneratedReport.Trigger.SCHEDULED,
        status=GeneratedReport.Status.DONE,
        size=9,
        pages=1,
    )
    report.file.save("reports/2025-03/abc.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return report


@pytest.mark.parametrize("person", PEOPLE)
def test_reports_pages_by_role(world, as_user, person, done_report):
    client = as_user(world.people[person])
    expected = 200 if person in ALLOWED else 403
    assert client.get(reverse("reports:index")).status_code == expected
    assert client.get(reverse("reports:status", args=[done_report.pk])).status_code == expected
    response = client.get(reverse("reports:download", args=[done_report.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.7\n"
    assert client.post(reverse("reports:generate"), {"month": "2025-03"}).status_code in (
        (302,) if person in ALLOWED else (403,)
    )


def test_anonymous_goes_to_login(client, done_report):
    for url in (
        reverse("reports:index"),
        reverse("reports:download", args=[done_report.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_download_carries_the_chinese_file_name(world, as_user, done_report):
    response = as_user(world.leader).get(reverse("reports:download", args=[done_report.pk]))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('2025年3月工作进展报告.pdf')}" in disposition


def test_unfinished_or_missing_report_is_404(world, as_user):
    report = GeneratedReport.objects.create(
        month=dt.date(2025, 3, 1), trigger=GeneratedReport.Trigger.ON_DEMAND
    )
    client = as_user(world.staff)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk + 99])).status_code == 404


def test_generate_now_makes_the_report_in_process_and_lists_it(
    world, as_user, django_capture_on_commit_callbacks
):
    build_scene(world)
    client = as_user(world.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:generate"), {"month": "2025-03"})
    report = GeneratedReport.objects.get()
    assert response["Location"] == reverse("reports:status", args=[report.pk])
    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    assert report.requested_by == world.leader
    assert report.pages >= 3 and report.size > 10_000
    page = client.get(reverse("reports:index")).content.decode()
    assert "2025年3月工作进展报告.pdf" in page
    # The requester is told in the notification centre.
    assert world.leader.notifications.filter(key=f"report-ready:{report.pk}").exists()


def test_status_fragment_polls_while_open_and_stops_when_done(world, as_user, done_report):
    client = as_user(world.staff)
    running = GeneratedReport.objects.create(
        month=dt.date(2025, 2, 1),
        trigger=GeneratedReport.Trigger.ON_DEMAND,
        status=GeneratedReport.Status.RUNNING,
    )
    fragment = client.get(reverse("reports:status", args=[running.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    done = client.get(reverse("reports:status", args=[done_report.pk]), HTTP_HX_REQUEST="true")
    assert "every 2s" not in done.content.decode()
    assert reverse("reports:download", args=[done_report.pk]) in done.content.decode()


def test_double_click_queues_one_report(world, as_user):
    client = as_user(world.staff)
    client.post(reverse("reports:generate"), {"month": "2025-03"})
    client.post(reverse("reports:generate"), {"month": "2025-03"})
    assert GeneratedReport.objects.count() == 1  # on_commit never ran: still queued


@pytest.mark.parametrize("month", ["2025-13", "next", "", "2999-01"])
def test_bad_month_is_refused_beside_the_field(world, as_user, month):
    response = as_user(world.staff).post(reverse("reports:generate"), {"month": month})
    assert response.status_code == 400
    assert 'class="field__error"' in response.content.decode()
    assert not GeneratedReport.objects.exists()


def test_monthly_job_makes_the_previous_month_once(world, django_capture_on_commit_callbacks):
    from reports.services import report_schedule_monthly

    # 1 April 2025, 00:10 in Shanghai: the previous month is March.
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            report_schedule_monthly(today=dt.date(2025, 4, 1))
    report = GeneratedReport.objects.get()
    assert report.month == dt.date(2025, 3, 1)
    assert report.status == GeneratedReport.Status.DONE
    # On 1 January the previous month is last year's December.
    from reports.services import previous_month

    assert previous_month(dt.date(2025, 1, 1)) == dt.date(2024, 12, 1)


def test_list_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user(world.staff)
    for n in range(1, 4):
        GeneratedReport.objects.create(
            month=dt.date(2024, n, 1), trigger=GeneratedReport.Trigger.SCHEDULED
        )
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("reports:index"))
    for n in range(4, 13):
        GeneratedReport.objects.create(
            month=dt.date(2024, n, 1),
            trigger=GeneratedReport.Trigger.ON_DEMAND,
            requested_by=world.leader,
            status=GeneratedReport.Status.DONE,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("reports:index"))
