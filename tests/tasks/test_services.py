"""The services: reports and reviews, the concurrent-edit rule, copying, supervision, scores."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from handovers.services import HandoverError, handover_answer, handover_verify
from organisation.roles import Role
from tasks.models import Assessment, Evidence, FollowUpItem, ProgressReport, Task, TaskList
from tasks.services import TasksError
from tasks.services.assessment import assessment_record, assessments_confirm
from tasks.services.lists import task_update, tasklist_copy, tasklist_create
from tasks.services.progress import (
    progress_report_accept,
    progress_report_return,
    progress_report_submit,
)
from tasks.services.supervision import (
    follow_up_add,
    follow_up_handover,
    supervision_visit_record,
)
from tests.factories import UserFactory
from tests.tasks.factories import (
    SCORES,
    THIS_MONTH,
    MilestoneFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name="纪要.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def submit(task, world, percent=40, **kwargs):
    unit = kwargs.pop("unit", world.unit)
    # Written against the report as it now is (as the form, opened afresh, would be).
    seen = ProgressReport.objects.filter(task=task, unit=unit, month=THIS_MONTH).first()
    return progress_report_submit(
        task=task,
        unit=unit,
        version=kwargs.pop("version", seen.version if seen else 0),
        month=THIS_MONTH,
        text="已召开专题推进会。",
        percent=percent,
        by=world.unit_contact,
        **kwargs,
    )


def test_submit_return_resubmit_accept(task, world):
    report = submit(task, world, files=[pdf()])
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.evidence.get().original_name == "纪要.pdf"

    progress_report_return(
        report=report, version=report.version, by=world.staff, comment="请补充佐证材料"
    )
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (
        ProgressReport.Status.RETURNED,
        "请补充佐证材料",
    )

    again = submit(task, world, percent=50)
    assert again.pk == report.pk and again.status == ProgressReport.Status.SUBMITTED

    progress_report_accept(report=again, version=again.version, by=world.staff)
    again.refresh_from_db()
    task.refresh_from_db()
    assert again.status == ProgressReport.Status.ACCEPTED
    assert again.reviewed_by == world.staff
    assert task.percent_done == 50 and task.completed_on is None
    # every step is in the report's history, which the task page shows as its timeline
    assert list(report.history.order_by("history_date").values_list("status", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]


def test_accepting_100_percent_completes_the_task(task, world):
    report = submit(task, world, percent=100)
    progress_report_accept(report=report, version=report.version, by=world.staff)
    task.refresh_from_db()
    assert task.completed_on == timezone.localdate()


def test_an_accepted_report_cannot_be_submitted_again(task, world):
    report = submit(task, world)
    progress_report_accept(report=report, version=report.version, by=world.staff)
    with pytest.raises(TasksError):
        submit(task, world)


def test_returning_needs_a_comment_and_a_stale_review_is_refused(task, world):
    report = submit(task, world)
    with pytest.raises(TasksError):
        progress_report_return(report=report, version=report.version, by=world.staff, comment=" ")
    progress_report_accept(report=report, version=report.version, by=world.staff)
    with pytest.raises(TasksError, match="已有变化"):
        progress_report_return(
            report=report, version=report.version - 1, by=world.staff, comment="晚了"
        )


def test_only_lead_and_cooperating_units_report(task, world):
    with pytest.raises(TasksError):
        submit(task, world, unit=world.other_unit)
    task.cooperating_units.add(world.other_unit)
    contribution = submit(task, world, unit=world.other_unit, percent=20)
    lead = submit(task, world, percent=60)
    assert contribution.pk != lead.pk  # each unit's contribution is recorded separately
    progress_report_accept(report=contribution, version=contribution.version, by=world.staff)
    task.refresh_from_db()
    assert task.percent_done == 0  # a cooperating unit's report is not the task's progress


def test_a_bad_evidence_file_saves_nothing(task, world):
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(TasksError, match="实际上不是"):
        submit(task, world, files=[fake])
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    with pytest.raises(TasksError, match="只接受"):
        submit(
            task,
            world,
            files=[SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")],
        )
    big = SimpleUploadedFile(
        "大.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(TasksError, match="超过 10 MB"):
        submit(task, world, files=[big])


def test_evidence_is_stored_under_media_root_with_a_random_name(task, world, settings):
    report = submit(task, world, files=[pdf("../../etc/passwd.pdf")])
    evidence = report.evidence.get()
    assert evidence.original_name == "passwd.pdf"
    path = evidence.file.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and "passwd" not in path


# --- The concurrent-edit rule --------------------------------------------------------------


def test_second_editor_of_the_same_version_is_refused(task, world):
    first = Task.objects.get(pk=task.pk)
    second = Task.objects.get(pk=task.pk)
    task_update(task=first, by=world.staff, version=first.version, content="第一位编辑的内容")
    with pytest.raises(TasksError, match="其他人修改了这项任务"):
        task_update(task=second, by=world.staff, version=second.version, content="第二位编辑的内容")
    task.refresh_from_db()
    assert task.content == "第一位编辑的内容" and task.version == 2


def test_second_editor_sees_the_message_in_the_form(task, world, as_user):
    client = as_user(world.staff)
    url = reverse("tasks:task_edit", args=[task.pk])
    form = {
        "aspect": task.aspect_id,
        "content": "甲的修改",
        "expected_result": "",
        "lead_unit": world.unit.pk,
        "deadline": "2030-12-31",
        "weight": 2,
        "version": task.version,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "content": "乙的修改"})
    assert response.status_code == 409
    assert "其他人修改了这项任务" in response.content.decode()
    task.refresh_from_db()
    assert task.content == "甲的修改" and task.weight == 2


def test_task_update_rules(task, world):
    with pytest.raises(TasksError):
        task_update(task=task, by=world.staff, version=task.version, lead_leader=world.staff)
    with pytest.raises(TasksError):
        task_update(
            task=task, by=world.staff, version=task.version, deadline=None, is_long_term=False
        )
    task_update(
        task=task,
        by=world.staff,
        version=task.version,
        is_long_term=True,
        cooperating_units=[world.other_unit],
    )
    task.refresh_from_db()
    assert task.deadline is None and list(task.cooperating_units.all()) == [world.other_unit]
    assert task.history.count() >= 2


# --- Copying a list into a new year ----------------------------------------------------------


def test_copy_into_next_year(task, world):
    task.cooperating_units.add(world.other_unit)
    task.deadline = datetime.date(2025, 12, 31)
    task.save()
    MilestoneFactory(
        task=task, due_date=datetime.date(2025, 6, 30), done_on=datetime.date(2025, 6, 1)
    )
    ProgressReportFactory(task=task)
    old = task.task_list
    old.title, old.year = "2025年任务清单", 2025
    old.save()
    new = tasklist_copy(task_list=old, year=2026, by=world.staff)
    assert (new.title, new.year, new.copied_from) == ("2026年任务清单", 2026, old)
    copy = new.tasks.get()
    assert copy.deadline == datetime.date(2026, 12, 31)
    assert list(copy.cooperating_units.all()) == [world.other_unit]
    milestone = copy.milestones.get()
    assert (milestone.due_date, milestone.done_on) == (datetime.date(2026, 6, 30), None)
    assert not copy.reports.exists() and copy.percent_done == 0
    with pytest.raises(TasksError):
        tasklist_copy(task_list=old, year=2026, by=world.staff)
    assert TaskList.objects.count() == 2


# --- Supervision -----------------------------------------------------------------------------


def test_visit_findings_become_items_closed_with_evidence(task, world):
    today = timezone.localdate()
    with pytest.raises(TasksError):
        supervision_visit_record(
            leader=world.staff, visited_on=today, places="洪江市", tasks=[task], by=world.staff
        )
    visit = supervision_visit_record(
        leader=world.leader,
        visited_on=today,
        places="洪江市黔城镇联络站",
        tasks=[task],
        by=world.leader,
    )
    item = follow_up_add(
        visit=visit, task=task, unit=world.unit, description="接待台账不规范", due_date=today
    )
    assert list(FollowUpItem.objects.open()) == [item]
    handover = follow_up_handover(item)
    assert (handover.kind, handover.unit, handover.leader, handover.region) == (
        "follow_up",
        world.unit,
        world.leader,
        world.city,
    )
    assert handover.due_on == today and handover.checked_by == "office"
    # The unit answers with evidence; without a file it is refused by the files field.
    with pytest.raises(HandoverError) as caught:
        handover_answer(handover=handover, by=world.unit_contact, text="已整改")
    assert caught.value.field == "files"
    handover_answer(handover=handover, by=world.unit_contact, text="已整改", files=[pdf()])
    item.refresh_from_db()
    assert item.closed_on is None  # nothing closes without the office's verification
    # Neither the unit nor a leader verifies; the staff do.
    for person in (world.unit_contact, world.leader):
        with pytest.raises(HandoverError):
            handover_verify(handover=handover, by=person, accept=True)
    assert FollowUpItem.objects.open().exists()
    handover_verify(handover=handover, by=world.staff, accept=True, reason="核实到位")
    item.refresh_from_db()
    assert (item.closed_on, item.closing_note, item.closed_by) == (today, "已整改", world.staff)
    assert not FollowUpItem.objects.open().exists()
    assert item.history.first().closed_on == today


def test_a_refused_follow_up_answer_goes_back_to_the_unit_once(world, task):
    today = timezone.localdate()
    visit = supervision_visit_record(
        leader=world.leader, visited_on=today, places="洪江市", tasks=[task], by=world.leader
    )
    item = follow_up_add(
        visit=visit,
        task=task,
        unit=world.unit,
        description="台账不全",
        due_date=today,
        by=world.staff,
    )
    handover = follow_up_handover(item)
    handover_answer(handover=handover, by=world.unit_contact, text="已补齐", files=[pdf()])
    handover_verify(handover=handover, by=world.staff, accept=False, reason="证据不足")
    item.refresh_from_db()
    assert item.closed_on is None
    handover.refresh_from_db()
    assert handover.state == "returned" and handover.round == 2


def test_a_follow_up_due_before_the_visit_is_refused_by_its_field(world, task):
    today = timezone.localdate()
    visit = supervision_visit_record(
        leader=world.leader, visited_on=today, places="洪江市", tasks=[task], by=world.leader
    )
    with pytest.raises(TasksError) as caught:
        follow_up_add(
            visit=visit,
            task=task,
            unit=world.unit,
            description="台账不全",
            due_date=today - datetime.timedelta(days=1),
        )
    assert caught.value.field == "due_date"
    assert not FollowUpItem.objects.exists()


# --- Quarterly assessment ---------------------------------------------------------------------


def test_scores_then_confirmation_freezes_them(task, world):
    scores = {"completion": 25, "timeliness": 20, "quality": 22, "evidence_score": 18}
    with pytest.raises(TasksError):
        assessment_record(
            task=task, year=2025, quarter=1, by=world.staff, **{**scores, "quality": 26}
        )
    assessment = assessment_record(task=task, year=2025, quarter=1, by=world.staff, **scores)
    assert assessment.total == 85 and assessment.unit == world.unit
    with pytest.raises(TasksError):
        assessments_confirm(task_list=task.task_list, year=2025, quarter=1, by=world.staff)
    assert assessments_confirm(task_list=task.task_list, year=2025, quarter=1, by=world.leader) == 1
    with pytest.raises(TasksError, match="已经领导确认"):
        assessment_record(task=task, year=2025, quarter=1, by=world.staff, **scores)
    assert Assessment.objects.get().confirmed_by == world.leader


# --- Creating a list: a duplicate title is a clear error ----------------------------------


def test_duplicate_list_title_is_refused_clearly():
    tasklist_create(year=2025, title="2025年清单", kind=TaskList.Kind.COMMITTEE)
    with pytest.raises(TasksError, match="已有同名清单"):
        tasklist_create(year=2025, title="2025年清单", kind=TaskList.Kind.COMMITTEE)


# --- A stale resubmission of a monthly report ---------------------------------------------


def test_service_refuses_a_stale_resubmission(world, task):
    ProgressReportFactory(task=task, text="甲", version=2, submitted_by=world.unit_contact)
    with pytest.raises(TasksError):
        progress_report_submit(
            task=task,
            unit=world.unit,
            month=THIS_MONTH,
            text="乙",
            percent=50,
            by=world.unit_contact,
            version=1,
            files=[pdf()],
        )
    assert Evidence.objects.count() == 0


# --- Quarterly scores: no silent overwrite ------------------------------------------------


def test_two_staff_scoring_one_task_the_second_is_told(world, task):
    colleague = UserFactory(role=Role.STAFF, full_name="向晓东")
    first = assessment_record(task=task, year=2025, quarter=1, by=world.staff, version=0, **SCORES)
    # Both opened the page on these scores; the first saves a change, then the second.
    assessment_record(
        task=task,
        year=2025,
        quarter=1,
        by=world.staff,
        version=first.version,
        **{**SCORES, "quality": 10},
    )
    with pytest.raises(TasksError, match="其他人"):
        assessment_record(
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
        assessment_record(task=task, year=2025, quarter=1, by=colleague, version=0, **SCORES)


# --- History: copied tasks start their history at the copy; evidence has one --------------


def test_copied_tasks_and_milestones_have_a_created_entry_by_the_copier(world, task):
    MilestoneFactory(task=task, due_date=datetime.date(2025, 6, 30))
    copy = tasklist_copy(task_list=task.task_list, year=2030, by=world.staff)
    new_task = copy.tasks.get()
    assert list(new_task.history.values_list("history_type", "history_user")) == [
        ("+", world.staff.pk)
    ]
    assert new_task.milestones.get().history.get().history_user == world.staff


def test_evidence_has_a_history(world, task):
    progress_report_submit(
        task=task,
        unit=world.unit,
        month=THIS_MONTH,
        text="进展",
        percent=10,
        by=world.unit_contact,
        version=0,
        files=[pdf()],
    )
    evidence = Evidence.objects.get()
    assert evidence.history.get().history_type == "+"


# --- The deadline-or-long-term rule lives in the service, which names its field -----------


def test_the_service_names_the_field_of_the_deadline_rule(world, task):
    with pytest.raises(TasksError) as caught:
        task_update(
            task=task, by=world.staff, version=task.version, deadline=None, is_long_term=False
        )
    assert caught.value.field == "deadline"


def test_the_monthly_pdf_counts_an_answered_follow_up_open_until_verified(world, task):
    from reports.sections import ReportPeriod
    from tasks.report_sections import follow_ups_open_on

    visit_day = datetime.date(2025, 3, 12)
    visit = supervision_visit_record(
        leader=world.leader, visited_on=visit_day, places="洪江市", tasks=[task], by=world.leader
    )
    item = follow_up_add(
        visit=visit,
        task=task,
        unit=world.unit,
        description="台账不全",
        due_date=datetime.date(2025, 4, 30),
        by=world.staff,
    )
    handover = follow_up_handover(item)
    handover_answer(
        handover=handover,
        by=world.unit_contact,
        text="已补齐",
        files=[pdf()],
        on=datetime.date(2025, 3, 25),
    )
    march = ReportPeriod(month=datetime.date(2025, 3, 1))
    april = ReportPeriod(month=datetime.date(2025, 4, 1))
    assert list(follow_ups_open_on(march.as_of)) == [item]  # answered, not yet verified
    handover_verify(handover=handover, by=world.staff, accept=True, on=datetime.date(2025, 4, 3))
    item.refresh_from_db()
    assert item.closed_on == datetime.date(2025, 4, 3)
    assert list(follow_ups_open_on(march.as_of)) == [item]  # still open at March's end
    assert list(follow_ups_open_on(april.as_of)) == []
