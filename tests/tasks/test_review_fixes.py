"""Defects found in review: each test failed before its fix."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organisation.roles import Role
from tasks import selectors, services
from tasks.models import (
    Aspect,
    Assessment,
    Evidence,
    Milestone,
    ProgressReport,
    Task,
    TaskList,
)
from tasks.services import TasksError
from tasks.status import TaskStatus
from tests.factories import UserFactory
from tests.tasks.factories import THIS_MONTH, MilestoneFactory, ProgressReportFactory, xlsx

pytestmark = pytest.mark.django_db


# --- Reports due (home page of a unit contact) follow the status rule's due month ---------


def test_reports_due_on_the_2nd_ask_for_the_previous_month(world, task):
    """On 2 April the March report is the one due (until the 25th), as the status rule says."""
    today = datetime.date(2025, 4, 2)
    task.task_list.reports_start = datetime.date(2025, 1, 1)
    task.task_list.save()
    due = selectors.reports_due_for(world.unit_contact, today=today)
    assert list(due) == [task]

    # March's report is in: nothing is due, although April's report is not written yet.
    ProgressReportFactory(task=task, month=datetime.date(2025, 3, 1))
    assert list(selectors.reports_due_for(world.unit_contact, today=today)) == []
    # An April report alone does not stand for March.
    ProgressReport.objects.all().delete()
    ProgressReportFactory(task=task, month=datetime.date(2025, 4, 1))
    assert list(selectors.reports_due_for(world.unit_contact, today=today)) == [task]


def test_reports_due_skip_a_list_whose_reports_start_after_the_due_month(world, task):
    task.task_list.reports_start = datetime.date(2025, 4, 1)
    task.task_list.save()
    assert (
        list(selectors.reports_due_for(world.unit_contact, today=datetime.date(2025, 4, 2))) == []
    )


# --- A duplicate list title is a clear error, also when two confirmations race -------------


def test_duplicate_list_title_is_refused_clearly():
    services.tasklist_create(year=2025, title="2025年清单", kind=TaskList.Kind.COMMITTEE)
    with pytest.raises(TasksError, match="已有同名清单"):
        services.tasklist_create(year=2025, title="2025年清单", kind=TaskList.Kind.COMMITTEE)


# --- A monthly report: double submits and two contacts of one unit -----------------------


def _pdf():
    return SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")


def _post_report(client, task, *, version, text="已完成首期培训。", percent=35, files=True):
    data = {
        "month": THIS_MONTH.isoformat(),
        "percent": percent,
        "text": text,
        "versions": f"{THIS_MONTH.isoformat()}:{version}" if version else "",
    }
    if files:
        data["files"] = [_pdf()]
    return client.post(reverse("tasks:report_submit", args=[task.pk]), data)


def test_a_double_click_on_the_report_form_saves_one_report_with_one_file(world, as_user, task):
    client = as_user(world.unit_contact)
    page = client.get(reverse("tasks:report_submit", args=[task.pk])).content.decode()
    assert 'name="versions" value=""' in page or 'name="versions" id' in page  # no report yet
    first = _post_report(client, task, version=0)
    second = _post_report(client, task, version=0)  # the same form, sent twice
    assert (first.status_code, second.status_code) == (302, 302)
    report = ProgressReport.objects.get()
    assert report.version == 1
    assert list(report.evidence.values_list("original_name", flat=True)) == ["会议纪要.pdf"]
    assert Evidence.objects.count() == 1


def test_a_second_contact_editing_the_same_report_is_told_and_saves_nothing(world, as_user, task):
    colleague = UserFactory(role=Role.UNIT, unit=world.unit, full_name="舒丽萍")
    services.progress_report_submit(
        task=task,
        unit=world.unit,
        month=THIS_MONTH,
        text="初稿",
        percent=20,
        by=world.unit_contact,
        version=0,
    )
    report = ProgressReport.objects.get()
    # Both open the form on the submitted report (version 1); the first saves a correction.
    services.progress_report_submit(
        task=task,
        unit=world.unit,
        month=THIS_MONTH,
        text="甲：已完成首期培训。",
        percent=40,
        by=world.unit_contact,
        version=report.version,
    )
    response = _post_report(
        as_user(colleague), task, version=report.version, text="乙：已完成两期培训。", percent=60
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "别人" in body or "其他人" in body  # the clear message, above the form
    assert "乙：已完成两期培训。" in body  # their text is still in the form, not lost
    report.refresh_from_db()
    assert (report.text, report.percent, report.version) == ("甲：已完成首期培训。", 40, 2)
    assert Evidence.objects.count() == 0  # the refused submission attached nothing


def test_the_form_opens_on_the_reports_current_text_and_version(world, as_user, task):
    report = ProgressReportFactory(task=task, text="第一稿", percent=25, version=3)
    page = as_user(world.unit_contact).get(
        reverse("tasks:report_submit", args=[task.pk]) + f"?month={THIS_MONTH.isoformat()}"
    )
    body = page.content.decode()
    assert f'name="versions" value="{THIS_MONTH.isoformat()}:3"' in body and "第一稿" in body
    response = _post_report(as_user(world.unit_contact), task, version=3, text="第二稿")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.text, report.version, report.evidence.count()) == ("第二稿", 4, 1)


def test_service_refuses_a_stale_resubmission(world, task):
    ProgressReportFactory(task=task, text="甲", version=2, submitted_by=world.unit_contact)
    with pytest.raises(TasksError):
        services.progress_report_submit(
            task=task,
            unit=world.unit,
            month=THIS_MONTH,
            text="乙",
            percent=50,
            by=world.unit_contact,
            version=1,
            files=[_pdf()],
        )
    assert Evidence.objects.count() == 0


def test_choosing_another_month_in_the_form_uses_that_months_version(world, as_user, task):
    """The form keeps the versions of every month: a returned earlier report can be sent
    again from a form opened on another month."""
    earlier = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)
    task.task_list.year = earlier.year
    task.task_list.save()
    report = ProgressReportFactory(task=task, month=earlier, version=2, status="returned")
    client = as_user(world.unit_contact)
    page = client.get(reverse("tasks:report_submit", args=[task.pk]) + "?month=nope")
    versions = page.context["form"].initial["versions"]
    assert versions == f"{earlier.isoformat()}:2"
    response = client.post(
        reverse("tasks:report_submit", args=[task.pk]),
        {"month": earlier.isoformat(), "percent": 50, "text": "补报", "versions": versions},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.text, report.version) == ("submitted", "补报", 3)


# --- Quarterly scores: no silent overwrite, a confirmation is never erased ------------------

SCORES = {"completion": 25, "timeliness": 20, "quality": 22, "evidence_score": 18}


def test_two_staff_scoring_one_task_the_second_is_told(world, task):
    colleague = UserFactory(role=Role.STAFF, full_name="向晓东")
    first = services.assessment_record(
        task=task, year=2025, quarter=1, by=world.staff, version=0, **SCORES
    )
    # Both opened the page on these scores; the first saves a change, then the second.
    services.assessment_record(
        task=task,
        year=2025,
        quarter=1,
        by=world.staff,
        version=first.version,
        **{**SCORES, "quality": 10},
    )
    with pytest.raises(TasksError, match="其他人"):
        services.assessment_record(
            task=task,
            year=2025,
            quarter=1,
            by=colleague,
            version=first.version,
            **{**SCORES, "quality": 25},
        )
    saved = Assessment.objects.get()
    assert (saved.quality, saved.assessed_by) == (10, world.staff)
    # Opened before anyone scored (version 0): also refused, not overwritten.
    with pytest.raises(TasksError, match="其他人"):
        services.assessment_record(
            task=task, year=2025, quarter=1, by=colleague, version=0, **SCORES
        )


def test_the_score_form_carries_the_version_and_a_stale_save_says_so(world, as_user, task):
    assessment = services.assessment_record(
        task=task, year=2025, quarter=1, by=world.staff, version=0, **SCORES
    )
    page = as_user(world.staff).get(
        reverse("tasks:assessment"), {"list": task.task_list_id, "year": 2025, "quarter": 1}
    )
    assert f'name="version" value="{assessment.version}"' in page.content.decode()
    url = reverse("tasks:assessment_score", args=[task.pk])
    data = {"year": 2025, "quarter": 1, **SCORES, "quality": 5, "version": 0}
    response = as_user(world.staff).post(url, data, follow=True)
    assert "其他人" in response.content.decode()
    assert Assessment.objects.get().quality == 22
    response = as_user(world.staff).post(url, {**data, "version": assessment.version})
    assert Assessment.objects.get().quality == 5


# --- The status and the PDF as of a past day show what was known then -----------------------

MARCH_END = datetime.date(2025, 3, 31)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _status(task, today):
    return Task.objects.with_status(today).get(pk=task.pk).status


def test_a_task_completed_in_april_is_not_done_in_march(world, task):
    task.is_long_term, task.deadline = True, None
    task.percent_done, task.completed_on = 100, datetime.date(2025, 4, 10)
    task.save()
    ProgressReportFactory(
        task=task,
        month=datetime.date(2025, 3, 1),
        percent=60,
        status="accepted",
        submitted_at=_at(datetime.date(2025, 3, 20)),
    )
    assert _status(task, datetime.date(2025, 4, 30)) == TaskStatus.DONE
    assert _status(task, MARCH_END) == TaskStatus.ON_TRACK


def test_reports_and_milestones_after_the_day_do_not_count_yet(world, task):
    task.is_long_term, task.deadline = True, None
    task.save()
    milestone = MilestoneFactory(
        task=task, due_date=datetime.date(2025, 3, 10), done_on=datetime.date(2025, 4, 5)
    )
    # Done in April: on 31 March it was late, on 30 April it is not.
    assert _status(task, MARCH_END) == TaskStatus.LAGGING
    milestone.due_date = datetime.date(2025, 4, 20)
    milestone.save()
    # Not due yet on 31 March, done only in April: nothing had started by then.
    assert _status(task, MARCH_END) == TaskStatus.NOT_STARTED
    # A March report sent in April did not exist on 31 March.
    ProgressReportFactory(
        task=task, month=datetime.date(2025, 3, 1), submitted_at=_at(datetime.date(2025, 4, 2))
    )
    assert _status(task, MARCH_END) == TaskStatus.NOT_STARTED
    assert _status(task, datetime.date(2025, 4, 30)) == TaskStatus.ON_TRACK
    # Reports due from March: on 31 March the February report was the one due... and on
    # 26 March the March report is due and was not in until April: lagging then.
    task.task_list.reports_start = datetime.date(2025, 3, 1)
    task.task_list.save()
    assert _status(task, datetime.date(2025, 3, 26)) == TaskStatus.LAGGING
    assert _status(task, datetime.date(2025, 4, 3)) == TaskStatus.ON_TRACK


def test_the_march_pdf_shows_marchs_status_and_progress(world, task):
    from reports.sections import ReportPeriod
    from tasks.report_sections import sections

    task.task_list.year = 2025
    task.task_list.save()
    task.is_long_term, task.deadline, task.weight = True, None, 1
    task.percent_done, task.completed_on = 100, datetime.date(2025, 4, 10)
    task.save()
    ProgressReportFactory(
        task=task,
        month=datetime.date(2025, 3, 1),
        percent=60,
        status="accepted",
        submitted_at=_at(datetime.date(2025, 3, 20)),
        reviewed_at=_at(datetime.date(2025, 3, 28)),
    )
    ProgressReportFactory(
        task=task,
        month=datetime.date(2025, 4, 1),
        percent=100,
        status="accepted",
        submitted_at=_at(datetime.date(2025, 4, 8)),
        reviewed_at=_at(datetime.date(2025, 4, 10)),
    )
    by_slug = {s.slug: s for s in sections(ReportPeriod(month=datetime.date(2025, 3, 1)))}
    overview = by_slug["task-overview"].context["rows"][0]["counts"]
    assert overview[list(TaskStatus.values).index(TaskStatus.DONE)] == 0
    aspect = by_slug["aspects"].context["lists"][0]["aspects"][0]
    assert (aspect.task_count, aspect.progress) == (1, 60)
    april = {s.slug: s for s in sections(ReportPeriod(month=datetime.date(2025, 4, 1)))}
    assert april["aspects"].context["lists"][0]["aspects"][0].progress == 100


# --- History: imported and copied tasks start their history there; evidence has one -------


def test_imported_tasks_history_starts_at_the_import_by_the_importer(world, as_user):
    from tests.tasks.test_excel import post_import, row

    client = as_user(world.staff)
    response = post_import(client, xlsx([row(1), row(2, 节点="2025-06-30 制定方案")]))
    token = response.context["confirm"].initial["token"]
    client.post(
        reverse("tasks:import_confirm"),
        {"title": "导入清单", "year": 2025, "kind": "committee", "token": token},
    )
    tasks = Task.objects.filter(task_list__title="导入清单")
    assert tasks.count() == 2
    for task in tasks:
        created = task.history.get()
        assert (created.history_type, created.history_user) == ("+", world.staff)
    assert Aspect.history.filter(history_user=world.staff, history_type="+").count() == 1
    assert Milestone.history.get().history_user == world.staff
    page = client.get(reverse("tasks:task", args=[tasks[0].pk]))
    assert world.staff.full_name in page.content.decode()


def test_copied_tasks_and_milestones_have_a_created_entry_by_the_copier(world, task):
    MilestoneFactory(task=task, due_date=datetime.date(2025, 6, 30))
    copy = services.tasklist_copy(task_list=task.task_list, year=2030, by=world.staff)
    new_task = copy.tasks.get()
    assert list(new_task.history.values_list("history_type", "history_user")) == [
        ("+", world.staff.pk)
    ]
    assert new_task.milestones.get().history.get().history_user == world.staff


def test_evidence_has_a_history(world, task):
    services.progress_report_submit(
        task=task,
        unit=world.unit,
        month=THIS_MONTH,
        text="进展",
        percent=10,
        by=world.unit_contact,
        version=0,
        files=[_pdf()],
    )
    evidence = Evidence.objects.get()
    assert evidence.history.get().history_type == "+"


# --- The deadline-or-long-term rule lives in the service; the form shows it by the field ----


def test_the_service_names_the_field_of_the_deadline_rule(world, task):
    with pytest.raises(TasksError) as caught:
        services.task_update(task=task, version=task.version, deadline=None, is_long_term=False)
    assert caught.value.field == "deadline"


def test_the_edit_page_shows_the_services_deadline_error_beside_the_field(world, as_user, task):
    from tasks.forms import TaskForm

    # Without a rule of its own in the form, the message can only come from the service.
    assert "clean" not in TaskForm.__dict__
    page = as_user(world.staff).get(reverse("tasks:task_edit", args=[task.pk]))
    assert f'value="{task.deadline.isoformat()}"' in page.content.decode()
    response = as_user(world.staff).post(
        reverse("tasks:task_edit", args=[task.pk]),
        {
            "aspect": task.aspect_id,
            "content": task.content,
            "lead_unit": task.lead_unit_id,
            "weight": 1,
            "deadline": "",
            "version": task.version,
        },
    )
    assert response.status_code == 400
    field = response.context["form"]["deadline"]
    assert [str(e) for e in field.errors] == ["请填写完成时限，或标为常态化。"]
    task.refresh_from_db()
    assert task.deadline is not None
