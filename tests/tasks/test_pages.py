"""The pages a person uses: the task page, reporting, inline review, supervision,
assessment, copying, and the home-page panels."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisation.models import Unit
from organisation.roles import Role
from organisation.selectors import history_of
from tasks.models import Assessment, Evidence, FollowUpItem, ProgressReport, TaskList
from tasks.services.assessment import assessment_record
from tasks.services.lists import task_update
from tasks.services.progress import progress_report_return, progress_report_submit
from tasks.services.supervision import (
    follow_up_add,
    follow_up_handover,
    supervision_visit_record,
)
from tasks.status import due_report_month
from tests.factories import UserFactory
from tests.tasks.factories import (
    SCORES,
    THIS_MONTH,
    MilestoneFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db


def pdf(name="会议纪要.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF", content_type="application/pdf")


def test_unit_contact_submits_the_months_report_with_a_file(world, as_user, task):
    client = as_user(world.unit_contact)
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert reverse("tasks:report_submit", args=[task.pk]) in page
    response = client.post(
        reverse("tasks:report_submit", args=[task.pk]),
        {
            "month": THIS_MONTH.isoformat(),
            "percent": 35,
            "text": "已完成首期培训。",
            "files": [pdf()],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.unit, report.percent, report.submitted_by) == (
        world.unit,
        35,
        world.unit_contact,
    )
    assert report.evidence.get().original_name == "会议纪要.pdf"


def test_a_disguised_file_is_refused_with_the_reason_beside_the_form(world, as_user, task):
    response = as_user(world.unit_contact).post(
        reverse("tasks:report_submit", args=[task.pk]),
        {
            "month": THIS_MONTH.isoformat(),
            "percent": 35,
            "text": "进展",
            "files": [
                SimpleUploadedFile(
                    "照片.jpg", b"<html>not a photo</html>", content_type="image/jpeg"
                )
            ],
        },
    )
    assert response.status_code == 400
    assert "实际上不是 jpg 文件" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_staff_review_inline_with_htmx(world, as_user, task):
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    client = as_user(world.staff)
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert f'hx-post="{reverse("tasks:report_review", args=[report.pk])}"' in page
    url = reverse("tasks:report_review", args=[report.pk])
    prefix = f"r{report.pk}"
    # returning without a comment is bad input (400): the fragment comes back with the
    # service's message beside the comment box, nothing changes
    response = client.post(
        url,
        {f"{prefix}-action": "return", f"{prefix}-version": report.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400 and "<html" not in response.content.decode()
    assert "请说明需要修改的内容" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    # a review of a version someone else has moved on is a conflict (409)
    response = client.post(
        url,
        {f"{prefix}-action": "accept", f"{prefix}-version": report.version + 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    response = client.post(
        url,
        {
            f"{prefix}-action": "return",
            f"{prefix}-comment": "请补充培训签到表",
            f"{prefix}-version": report.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "请补充培训签到表" in response.content.decode() and "已退回" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.RETURNED


def test_task_page_reads_top_to_bottom(world, as_user, task):
    MilestoneFactory(
        task=task, title="完成培训方案", due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    progress_report_return(
        report=report, version=report.version, by=world.staff, comment="请补充材料"
    )
    visit = supervision_visit_record(
        leader=world.leader,
        visited_on=timezone.localdate(),
        places="洪江市",
        tasks=[task],
        by=world.leader,
    )
    follow_up_add(
        visit=visit,
        task=task,
        unit=world.unit,
        description="培训覆盖面不足",
        due_date=timezone.localdate(),
    )
    assessment_record(
        task=task,
        year=2025,
        quarter=1,
        completion=20,
        timeliness=20,
        quality=20,
        evidence_score=18,
        by=world.staff,
    )
    body = as_user(world.leader).get(reverse("tasks:task", args=[task.pk])).content.decode()
    order = [
        "滞后原因：节点“完成培训方案”应于",  # why it lags, under the title
        task.content,
        "<span>完成培训方案</span>",
        "请补充材料",
        "培训覆盖面不足",
        "<strong>78</strong>",
        'id="history-title"',
    ]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    assert "滞后" in body  # the late milestone


def test_unit_contact_answers_a_follow_up_and_the_staff_verify_it(world, as_user, task):
    visit = supervision_visit_record(
        leader=world.leader,
        visited_on=timezone.localdate(),
        places="洪江市",
        tasks=[task],
        by=world.leader,
    )
    item = follow_up_add(
        visit=visit,
        task=task,
        unit=world.unit,
        description="台账不规范",
        due_date=timezone.localdate(),
        by=world.staff,
    )
    handover = follow_up_handover(item)
    client = as_user(world.unit_contact)
    page = client.get(reverse("tasks:supervision"))
    assert "台账不规范" in page.content.decode()
    assert [(i.pk, i.handover_id, i.with_unit) for i in page.context["items"]] == [
        (item.pk, handover.pk, True)
    ]
    assert reverse("handovers:detail", args=[handover.pk]) in page.content.decode()
    # The subject of the handover is the item's row on the work list.
    detail = client.get(reverse("handovers:detail", args=[handover.pk]))
    assert detail.context["subject_url"] == reverse("tasks:supervision", fragment=f"item-{item.pk}")
    answer = reverse("handovers:answer", args=[handover.pk])
    refused = client.post(answer, {"version": handover.version, "text": "已整改"})
    assert refused.status_code == 400  # no evidence file
    response = client.post(
        answer, {"version": handover.version, "text": "已整改", "files": [pdf()]}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.closed_on is None  # answered, not closed
    assert "台账不规范" in client.get(reverse("tasks:supervision")).content.decode()
    handover.refresh_from_db()
    staff = as_user(world.staff)
    page = staff.get(reverse("tasks:supervision"))
    assert [i.answered for i in page.context["items"]] == [True]
    response = staff.post(
        reverse("handovers:verify", args=[handover.pk]),
        {"version": handover.version, "accept": "yes", "reason": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.closed_on and item.closed_by == world.staff
    assert "台账不规范" not in client.get(reverse("tasks:supervision")).content.decode()


def test_leader_records_a_visit_and_its_findings(world, as_user, task):
    client = as_user(world.leader)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("tasks:visit_create"),
        {
            "leader": world.leader.pk,
            "visited_on": today,
            "places": "溆浦县黄茅园镇联络站",
            "tasks": [task.pk],
            "findings": "接待记录不全",
        },
    )
    visit_url = response["Location"]
    response = client.post(
        visit_url,
        {"description": "完善接待记录", "unit": world.unit.pk, "task": task.pk, "due_date": today},
    )
    assert response.status_code == 302
    assert FollowUpItem.objects.get().unit == world.unit


def test_scores_rankings_and_confirmation(world, as_user, task):
    staff = as_user(world.staff)
    url = reverse("tasks:assessment_score")
    t = f"t{task.pk}"
    data = {
        "list": task.task_list_id,
        "year": 2025,
        "quarter": 1,
        f"{t}-completion": 25,
        f"{t}-timeliness": 24,
        f"{t}-quality": 23,
        f"{t}-evidence_score": 22,
    }
    assert staff.post(url, data).status_code == 302
    assert Assessment.objects.get().total == 94
    page = as_user(world.leader).get(
        reverse("tasks:assessment"), {"list": task.task_list_id, "year": 2025, "quarter": 1}
    )
    assert page.context["quarter_ranking"][0]["unit"] == world.unit.pk
    assert page.context["quarter_ranking"][0]["average"] == 94
    as_user(world.leader).post(
        reverse("tasks:assessment_confirm"), {"list": task.task_list_id, "year": 2025, "quarter": 1}
    )
    assert Assessment.objects.get().confirmed_by == world.leader
    staff.post(url, {**data, f"{t}-completion": 1, f"{t}-version": 1})
    assert Assessment.objects.get().total == 94  # confirmed scores stay


def test_staff_copies_a_list(world, as_user, task):
    response = as_user(world.staff).post(
        reverse("tasks:list_copy", args=[task.task_list_id]), {"year": task.task_list.year + 1}
    )
    assert response.status_code == 302
    copy = TaskList.objects.get(copied_from=task.task_list)
    assert copy.tasks.get().content == task.content


def test_home_panels_for_office_and_unit(world, as_user, task):
    task.deadline = timezone.localdate() - datetime.timedelta(days=1)
    task.save()
    body = as_user(world.leader).get(reverse("home")).content.decode()
    assert "任务清单推进情况" in body and "逾期任务" in body and task.content[:20] in body
    # The month now due (the previous one until the 25th), as in the status rule.
    due_month = due_report_month(timezone.localdate())
    task.task_list.reports_start = due_month
    task.task_list.save()
    unit_home = as_user(world.unit_contact).get(reverse("home")).content.decode()
    assert "待报月进度" in unit_home
    assert reverse("tasks:report_submit", args=[task.pk]) in unit_home
    ProgressReportFactory(task=task, month=due_month)
    assert (
        reverse("tasks:report_submit", args=[task.pk])
        not in as_user(world.unit_contact).get(reverse("home")).content.decode()
    )
    assert "待报月进度" not in as_user(world.secretary).get(reverse("home")).content.decode()
    staff_home = as_user(world.staff).get(reverse("home"))
    assert "待审核月进度" in staff_home.content.decode()
    assert "待审核月进度" not in body  # leaders do not review reports


def test_staff_adds_a_task_and_a_taken_number_is_refused(world, as_user, task):
    client = as_user(world.staff)
    url = reverse("tasks:task_create", args=[task.task_list_id])
    assert client.get(url).context["form"].initial["number"] == 2
    data = {
        "number": 2,
        "aspect": task.aspect_id,
        "content": "组织代表参与预算初审",
        "lead_unit": world.other_unit.pk,
        "cooperating_units": [world.unit.pk],
        "is_long_term": "on",
        "weight": 2,
    }
    assert client.post(url, data).status_code == 302
    added = task.task_list.tasks.get(number=2)
    assert (added.lead_unit, added.is_long_term, added.deadline) == (world.other_unit, True, None)
    assert list(added.cooperating_units.all()) == [world.unit]
    response = client.post(url, {**data, "content": "重复序号"})
    assert response.status_code == 400
    assert "序号 2 已在本清单中使用" in response.content.decode()


# --- A monthly report: double submits and two contacts of one unit ------------------------


def _post_report(client, task, *, version, text="已完成首期培训。", percent=35, files=True):
    data = {
        "month": THIS_MONTH.isoformat(),
        "percent": percent,
        "text": text,
        "versions": f"{THIS_MONTH.isoformat()}:{version}" if version else "",
    }
    if files:
        data["files"] = [pdf()]
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
    progress_report_submit(
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
    progress_report_submit(
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


# --- Quarterly scores: the form carries the version, a stale save says so -----------------


def test_the_score_form_carries_the_version_and_a_stale_save_says_so(world, as_user, task):
    assessment = assessment_record(
        task=task, year=2025, quarter=1, by=world.staff, version=0, **SCORES
    )
    page = as_user(world.staff).get(
        reverse("tasks:assessment"), {"list": task.task_list_id, "year": 2025, "quarter": 1}
    )
    t = f"t{task.pk}"
    assert f'name="{t}-version" value="{assessment.version}"' in page.content.decode()
    url = reverse("tasks:assessment_score")
    data = {"list": task.task_list_id, "year": 2025, "quarter": 1}
    data |= {f"{t}-{part}": value for part, value in SCORES.items()}
    data |= {f"{t}-quality": 5, f"{t}-version": 0}
    response = as_user(world.staff).post(url, data)
    assert response.status_code == 409
    assert "其他人" in response.content.decode()
    assert Assessment.objects.get().quality == 22
    response = as_user(world.staff).post(url, {**data, f"{t}-version": assessment.version})
    assert Assessment.objects.get().quality == 5


# --- The edit page shows the service's deadline error beside the field --------------------


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


def test_an_administrator_opening_a_report_form_is_refused_not_a_500(world, as_user, task):
    """Administrators pass every role check, but report for no unit: 403 with the reason."""
    client = as_user(world.admin)
    url = reverse("tasks:report_submit", args=[task.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"month": "2025-01-01", "text": "x", "percent": 10})
    assert response.status_code == 403


# --- The gap of the month now due, on the home page, the form and the task page ----------


def test_the_missing_month_is_named_and_the_form_opens_on_it(world, as_user, task):
    """6 December: December is reported and accepted, November is missing. The to-do item
    names November and links to its form; the form picks November without the link too;
    the task page says why it lags and shows November as an empty month."""
    task.task_list.year, task.task_list.reports_start = 2026, datetime.date(2026, 10, 1)
    task.task_list.save()
    ProgressReportFactory(task=task, month=datetime.date(2026, 10, 1), status="accepted")
    ProgressReportFactory(task=task, month=datetime.date(2026, 12, 1), status="accepted")
    client = as_user(world.unit_contact)
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, tzinfo=datetime.UTC)):
        home = client.get("/").content.decode()
        form_url = reverse("tasks:report_submit", args=[task.pk], query={"month": "2026-11-01"})
        assert f'href="{form_url.replace("&", "&amp;")}"' in home
        assert "2026年11月进度未报送 · 已逾期11天" in home
        for url in (form_url, reverse("tasks:report_submit", args=[task.pk])):
            form = client.get(url).context["form"]
            assert form.initial["month"] == "2026-11-01"
        choices = dict(form.fields["month"].choices)
        assert choices["2026-11-01"] == "2026年11月 · 未报送"
        assert choices["2026-12-01"] == "2026年12月 · 已通过"
        assert choices["2026-09-01"] == "2026年9月"  # before reports were due
        page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
        assert "滞后原因：2026年11月进度未报送" in page
        assert page.count("task-report--missing") == 1
        assert "补报2026年11月进度" in page
        # November reported: no longer lagging, nothing left to do
        client.post(
            form_url,
            {"month": "2026-11-01", "percent": 50, "text": "已补报十一月进度。", "versions": ""},
        )
        assert "滞后原因" not in client.get(reverse("tasks:task", args=[task.pk])).content.decode()
        assert "本月进度已全部报送" in client.get("/").content.decode()


def test_the_history_of_cooperating_units_costs_the_same_however_often_they_changed(
    world, as_user, task
):
    """The task's history reads the cooperating units each entry recorded in one query
    for the page (simple_history's ``diff_against`` reads them twice per entry), and
    shows what ``diff_against`` finds."""

    def edit(units):
        task.refresh_from_db()
        task_update(task=task, version=task.version, by=world.staff, cooperating_units=units)

    def page_queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client, url = as_user(world.staff), reverse("tasks:task", args=[task.pk])
    edit([world.other_unit])
    edit([world.other_unit, world.county_unit])
    few = page_queries()
    for units in ([world.county_unit], [], [world.other_unit], [world.county_unit]):
        edit(units)
    assert page_queries() == few
    entries = list(task.history.order_by("-history_date"))

    def named(rows) -> str:  # the units a recorded list of through rows names
        return "、".join(str(Unit.objects.get(pk=row["unit"])) for row in rows) or "—"

    expected = [
        [
            (named(c.old), named(c.new))
            for c in newer.diff_against(older).changes
            if c.field != "version"
        ]
        for newer, older in zip(entries, entries[1:], strict=False)
    ]
    shown = [[(c.old, c.new) for c in row["changes"]] for row in history_of(task)]
    assert shown == [*expected, []]
    assert sum(1 for changes in expected if changes) >= 6  # each edit shows
    page = client.get(url).content.decode()
    assert f"{world.county_unit}" in page and "{&#x27;" not in page and "{'" not in page
