"""A reviewed progress report is a notice to the unit that sent it, exactly once.

Accepted or returned (with the reason), the unit's active contacts are told, linked to
the task; nobody else is. The notice is written in the review's transaction: a repeated
or stale review is refused and adds nothing, a retry of the announcement adds nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from organisation.roles import Role
from tasks.models import ProgressReport
from tasks.services.progress import (
    _announce_review,
    progress_report_accept,
    progress_report_return,
    progress_report_submit,
)
from tests.factories import UserFactory
from tests.tasks.factories import THIS_MONTH, ProgressReportFactory

pytestmark = pytest.mark.django_db


def _review(client, report: ProgressReport, action: str, comment: str = "", version=None):
    prefix = f"r{report.pk}"
    return client.post(
        reverse("tasks:report_review", args=[report.pk]),
        {
            f"{prefix}-action": action,
            f"{prefix}-comment": comment,
            f"{prefix}-version": report.version if version is None else version,
        },
        headers={"HX-Request": "true"},
    )


def _notices() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("user__username", "kind"))


def _month_label() -> str:
    return f"{THIS_MONTH.year}年{THIS_MONTH.month}月"


def test_an_accepted_report_notifies_the_units_contacts_once(world, as_user, task):
    colleague = UserFactory(username="unit-b", role=Role.UNIT, unit=world.unit)
    UserFactory(username="unit-gone", role=Role.UNIT, unit=world.unit, is_active=False)
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact, percent=40)
    staff = as_user(world.staff)
    assert _review(staff, report, "accept").status_code == 200
    # The double click: the same review again is refused (409) and adds nothing.
    assert _review(staff, report, "accept").status_code == 409

    assert _notices() == [
        ("unit", Kind.PROGRESS_REVIEWED),
        ("unit-b", Kind.PROGRESS_REVIEWED),
    ]
    notice = Notification.objects.get(user=world.unit_contact)
    assert notice.title == f"{_month_label()}进度已通过审核：{task.content}"
    assert "完成进度记为 40%" in notice.body
    assert notice.url == reverse("tasks:task", args=[task.pk])
    # The link opens for each person told, and the centre lists the notice.
    for person in (world.unit_contact, colleague):
        assert as_user(person).get(notice.url).status_code == 200
    centre = as_user(world.unit_contact).get(reverse("notifications:index")).content.decode()
    assert notice.title in centre and "进度审核结果" in centre


def test_a_returned_report_says_why(world, as_user, task):
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    response = _review(as_user(world.staff), report, "return", comment="请补充培训签到表")
    assert response.status_code == 200
    notice = Notification.objects.get()
    assert notice.user == world.unit_contact
    assert notice.title == f"{_month_label()}进度被退回：{task.content}"
    assert notice.body.startswith("退回原因：请补充培训签到表")
    assert as_user(world.unit_contact).get(notice.url).status_code == 200


def test_nobody_else_is_told(world, as_user, task):
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    assert _review(as_user(world.staff), report, "accept").status_code == 200
    told = set(Notification.objects.values_list("user", flat=True))
    assert told == {world.unit_contact.pk}
    for name, person in world.people.items():
        if name != "unit_contact":
            assert not person.notifications.exists(), name


def test_a_refused_review_tells_nobody(world, as_user, task):
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    staff = as_user(world.staff)
    # No reason given (400), a stale version (409): nothing reviewed, nothing told.
    assert _review(staff, report, "return").status_code == 400
    assert _review(staff, report, "accept", version=report.version + 1).status_code == 409
    assert not Notification.objects.exists()


def test_each_review_of_a_resubmitted_report_is_told_once(world, task):
    report = progress_report_submit(
        task=task,
        unit=world.unit,
        month=THIS_MONTH,
        text="已召开专题推进会。",
        percent=30,
        by=world.unit_contact,
        version=0,
    )
    progress_report_return(report=report, version=report.version, by=world.staff, comment="补材料")
    report.refresh_from_db()
    report = progress_report_submit(
        task=task,
        unit=world.unit,
        month=THIS_MONTH,
        text="已补充材料。",
        percent=50,
        by=world.unit_contact,
        version=report.version,
    )
    progress_report_accept(report=report, version=report.version, by=world.staff)
    titles = list(
        Notification.objects.filter(user=world.unit_contact)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert [t.split("：")[0] for t in titles] == [
        f"{_month_label()}进度被退回",
        f"{_month_label()}进度已通过审核",
    ]


def test_a_retried_announcement_adds_nothing(world, task):
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    report = progress_report_accept(report=report, version=report.version, by=world.staff)
    _announce_review(report)  # a retry of the same review's announcement
    assert Notification.objects.count() == 1


def test_a_cooperating_units_report_tells_that_unit(world, as_user, task):
    task.cooperating_units.add(world.other_unit)
    report = ProgressReportFactory(task=task, unit=world.other_unit, submitted_by=world.outsider)
    assert _review(as_user(world.staff), report, "accept").status_code == 200
    notice = Notification.objects.get()
    assert notice.user == world.outsider
    assert as_user(world.outsider).get(notice.url).status_code == 200
