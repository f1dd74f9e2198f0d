"""The staff's review queue (/tasks/reports/): one row per report (task title, unit,
month, the step in %, the evidence), 通过 in one click, 退回 with a reason, a filter by
unit, the ticked rows accepted in one action (each on its own), a running count, and a
query count that does not grow with the queue."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Kind, Notification
from tasks.evidence import evidence_attach
from tasks.models import ProgressReport
from tasks.services.progress import progress_report_accept, progress_reports_accept
from tests.tasks.factories import THIS_MONTH, ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("tasks:reviews")
ACCEPT = reverse("tasks:reports_accept")
HTMX = {"HX-Request": "true"}
QUEUE_QUERIES = 8
LAST_MONTH = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def waiting(world, task):
    """Two reports waiting: the lead unit's on ``task`` (30 % accepted last month, now
    45 %, with a file) and 市司法局's on a task it leads."""
    ProgressReportFactory(task=task, month=LAST_MONTH, percent=30, status="accepted")
    first = ProgressReportFactory(task=task, percent=45, submitted_by=world.unit_contact)
    evidence_attach(
        task=task,
        files=[SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n%%EOF")],
        by=world.unit_contact,
        report=first,
    )
    other_task = TaskFactory(
        task_list=task.task_list, aspect=task.aspect, lead_unit=world.other_unit
    )
    second = ProgressReportFactory(task=other_task, percent=20)
    return first, second


def _row_review(client, report, action, comment=""):
    prefix = f"r{report.pk}"
    return client.post(
        reverse("tasks:report_review", args=[report.pk]),
        {
            f"{prefix}-action": action,
            f"{prefix}-comment": comment,
            f"{prefix}-version": report.version,
            f"{prefix}-row": "True",
        },
        headers=HTMX,
    )


def test_each_row_names_task_unit_month_the_step_and_the_evidence(world, as_user, waiting):
    first, second = waiting
    page = as_user(world.staff).get(QUEUE).content.decode()
    assert page.count('class="review-row"') == 2
    row = page[page.index(f'id="review-{first.pk}"') : page.index(f'id="review-{second.pk}"')]
    assert first.task.content[:20] in row
    assert world.unit.short_name in row
    assert f"{THIS_MONTH.year}年{THIS_MONTH.month}月" in row
    assert "30% → <strong>45%</strong>" in row
    assert "签到表.pdf" in row and reverse("tasks:evidence", args=[first.evidence.get().pk]) in row
    assert "— → <strong>20%</strong>" in page  # nothing accepted before
    assert f'value="{first.pk}:{first.version}"' in row  # the tick for the bulk accept
    assert "待审核 2 份" in page


def test_accept_is_one_click_and_the_row_leaves_with_the_count(world, as_user, waiting):
    first, second = waiting
    client = as_user(world.staff)
    response = _row_review(client, first, "accept")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "review-row--done" in body and "已通过" in body
    assert 'id="queue-count" aria-live="polite" hx-swap-oob="true"' in body
    assert "待审核 1 份" in body and "今天您已审核 1 份" in body
    first.refresh_from_db()
    assert first.status == ProgressReport.Status.ACCEPTED
    assert f'id="review-{first.pk}"' not in client.get(QUEUE).content.decode()


def test_return_needs_a_reason_beside_the_box(world, as_user, waiting):
    first, _second = waiting
    client = as_user(world.staff)
    response = _row_review(client, first, "return")
    body = response.content.decode()
    assert response.status_code == 400
    assert "退回时请说明需要修改的内容" in body
    assert 'class="review-row__return" open' in body  # the reason box stays open
    response = _row_review(client, first, "return", comment="请补充签到表原件")
    assert response.status_code == 200 and "已退回" in response.content.decode()
    first.refresh_from_db()
    assert (first.status, first.review_comment) == ("returned", "请补充签到表原件")


def test_a_row_changed_meanwhile_is_a_conflict_shown_as_it_now_is(world, as_user, waiting):
    first, _second = waiting
    client = as_user(world.staff)
    stale = ProgressReport.objects.get(pk=first.pk)
    progress_report_accept(report=first, version=first.version, by=world.staff)
    response = _row_review(client, stale, "accept")
    assert response.status_code == 409
    body = response.content.decode()
    assert "review-row--done" in body and "已通过" in body and "刷新" in body


def test_filter_by_unit(world, as_user, waiting):
    first, second = waiting
    client = as_user(world.staff)
    page = client.get(QUEUE, {"unit": world.other_unit.pk}).content.decode()
    assert f'id="review-{second.pk}"' in page and f'id="review-{first.pk}"' not in page
    fragment = client.get(QUEUE, {"unit": world.unit.pk}, headers=HTMX)
    assert "<html" not in fragment.content.decode()
    assert f'id="review-{first.pk}"' in fragment.content.decode()
    assert client.get(QUEUE, {"unit": "nope"}).status_code == 400


def test_accept_the_ticked_ones_in_one_action(world, as_user, waiting):
    first, second = waiting
    client = as_user(world.staff)
    response = client.post(
        ACCEPT,
        {"reports": [f"{first.pk}:{first.version}", f"{second.pk}:{second.version}"]},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "已通过 2 份月进度。" in body and "没有待审核的月进度" in body
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {"accepted"}
    # each unit is told once about its own report
    assert sorted(Notification.objects.values_list("user__username", "kind")) == [
        ("outsider", Kind.PROGRESS_REVIEWED),
        ("unit", Kind.PROGRESS_REVIEWED),
    ]


def test_a_report_changed_meanwhile_is_named_and_the_others_accepted(world, as_user, waiting):
    first, second = waiting
    seen = second.version
    ProgressReport.objects.filter(pk=second.pk).update(version=seen + 1, percent=25)  # resubmitted
    response = as_user(world.staff).post(
        ACCEPT,
        {"reports": [f"{first.pk}:{first.version}", f"{second.pk}:{seen}"]},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "已通过 1 份月进度。" in body
    assert f"任务 {second.task.number} · 市司法局" in body and "已有变动" in body
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "submitted")
    assert f'value="{second.pk}:{seen + 1}"' in body  # still waiting, at its new version


def test_bulk_accept_without_javascript_and_with_nothing_ticked(world, as_user, waiting):
    first, _second = waiting
    client = as_user(world.staff)
    response = client.post(ACCEPT, {}, follow=True)
    assert "请先勾选要通过的月进度。" in response.content.decode()
    response = client.post(
        ACCEPT, {"reports": [f"{first.pk}:{first.version}"], "next": QUEUE}, follow=True
    )
    assert "已通过 1 份月进度。" in response.content.decode()
    assert client.post(ACCEPT, {"reports": ["1;drop"]}, headers=HTMX).status_code == 400


def test_the_unit_contact_cannot_accept(world, as_user, waiting):
    first, _second = waiting
    response = as_user(world.unit_contact).post(
        ACCEPT, {"reports": [f"{first.pk}:{first.version}"]}
    )
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.status == "submitted"


def test_the_service_accepts_each_on_its_own(world, waiting):
    first, second = waiting
    result = progress_reports_accept(
        selections=[(first, first.version), (second, second.version + 5)], by=world.staff
    )
    assert [r.pk for r in result.accepted] == [first.pk]
    [(refused, reason)] = result.refused
    assert refused.pk == second.pk and "刷新" in reason
    assert ProgressReport.objects.get(pk=second.pk).status == "submitted"


def _fill_queue(world, task, n: int) -> None:
    for i in range(n):
        report = ProgressReportFactory(
            task=TaskFactory(
                task_list=task.task_list,
                aspect=task.aspect,
                lead_unit=world.unit if i % 2 else world.other_unit,
            ),
            percent=10 + i,
        )
        evidence_attach(
            task=report.task,
            files=[SimpleUploadedFile(f"附件{i}.pdf", b"%PDF-1.4\n%%EOF")],
            by=world.unit_contact,
            report=report,
        )


def test_query_count_is_the_same_for_10_and_40_reports(
    world, as_user, task, django_assert_num_queries
):
    """The session and user, the filter's units, the reports with their previous %, their
    evidence, the two counts: whatever the length of the queue."""
    client = as_user(world.staff)
    _fill_queue(world, task, 10)
    client.get(QUEUE)  # warm the session
    with django_assert_num_queries(QUEUE_QUERIES):
        page = client.get(QUEUE).content.decode()
    assert page.count('class="review-row"') == 10
    _fill_queue(world, task, 30)
    with django_assert_num_queries(QUEUE_QUERIES):
        page = client.get(QUEUE).content.decode()
    assert page.count('class="review-row"') == 40
