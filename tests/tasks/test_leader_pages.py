"""A leader's instructions on the task page and in the unit's inbox, the leader's home
panels, and the instructions in the monthly PDF."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from handovers.models import Handover
from handovers.services import handover_answer
from reports.document import render_monthly
from reports.models import GeneratedReport
from tasks.models import Assessment, Instruction
from tasks.services.instructions import instruction_write
from tasks.status import next_report_day
from tests.reports.pdf import pdf_text
from tests.tasks.factories import SCORES, TaskFactory

TODAY = timezone.localdate()


@pytest.fixture
def overdue(world, task):
    """An overdue task the leader leads, beside the on-track ``task``."""
    return TaskFactory(
        task_list=task.task_list,
        aspect=task.aspect,
        number=2,
        lead_unit=world.unit,
        lead_leader=world.leader,
        content="完成代表联络站标准化建设验收",
        deadline=TODAY - dt.timedelta(days=20),
    )


def test_a_leader_writes_an_instruction_on_the_task_page(world, overdue, as_user):
    client = as_user(world.leader)
    page = client.get(reverse("tasks:task", args=[overdue.pk])).content.decode()
    assert "领导批示" in page and "作出批示" in page
    assert next_report_day(TODAY).strftime("%Y年%-m月%-d日") in page  # the default day
    response = client.post(
        reverse("tasks:instruct", args=[overdue.pk]), {"text": "请于本月内完成验收并报告。"}
    )
    instruction = Instruction.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#instruction-{instruction.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "请于本月内完成验收并报告。" in page and "舒国平" in page
    assert instruction.handover.due_on == next_report_day(TODAY)


def test_an_empty_instruction_is_refused_beside_its_field(world, overdue, as_user):
    response = as_user(world.leader).post(
        reverse("tasks:instruct", args=[overdue.pk]), {"text": " "}
    )
    assert response.status_code == 400
    assert not Instruction.objects.exists()
    past = as_user(world.leader).post(
        reverse("tasks:instruct", args=[overdue.pk]),
        {"text": "请加快", "due_on": (TODAY - dt.timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 400 and "答复期限不能早于今天" in past.content.decode()


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("staff", 403),
        ("unit_contact", 403),
        ("secretary", 403),
        ("deputy", 403),
        ("outsider", 403),
        ("leader", 302),
        ("admin", 302),
    ],
)
def test_only_leaders_and_administrators_may_post_an_instruction(
    world, overdue, as_user, person, status
):
    response = as_user(getattr(world, person)).post(
        reverse("tasks:instruct", args=[overdue.pk]), {"text": "请加快。"}
    )
    assert response.status_code == status
    assert Instruction.objects.exists() == (status == 302)


@pytest.mark.parametrize("person", ["staff", "unit_contact"])
def test_who_may_not_instruct_sees_no_form(world, overdue, as_user, person):
    page = (
        as_user(getattr(world, person))
        .get(reverse("tasks:task", args=[overdue.pk]))
        .content.decode()
    )
    assert "作出批示" not in page


def test_the_unit_sees_it_on_the_task_and_in_its_inbox_and_answers(world, overdue, as_user):
    instruction = instruction_write(
        task=overdue, by=world.leader, text="请于本月内完成验收并报告。"
    )
    unit = as_user(world.unit_contact)
    task_page = unit.get(reverse("tasks:task", args=[overdue.pk])).content.decode()
    assert "请于本月内完成验收并报告。" in task_page and "答复批示" in task_page
    inbox = unit.get(reverse("handovers:index")).content.decode()
    assert "第2项任务批示" in inbox
    detail = unit.get(instruction.handover.get_absolute_url()).content.decode()
    assert "请于本月内完成验收并报告。" in detail  # the instruction in full
    response = unit.post(
        reverse("handovers:answer", args=[instruction.handover_id]),
        {"text": "已完成验收，报告已报送。", "version": instruction.handover.version},
    )
    assert response.status_code == 302
    handover = Handover.objects.get(pk=instruction.handover_id)
    assert handover.state == Handover.State.ANSWERED
    leader_page = (
        as_user(world.leader).get(reverse("tasks:task", args=[overdue.pk])).content.decode()
    )
    assert "已完成验收，报告已报送。" in leader_page and "评价答复" in leader_page
    # The leader's home: the answer waits for the leader's rating.
    assert "第2项任务批示" in as_user(world.leader).get("/").content.decode()


def test_another_unit_cannot_see_the_instruction(world, overdue, as_user):
    instruction = instruction_write(task=overdue, by=world.leader, text="请加快。")
    assert as_user(world.outsider).get(instruction.handover.get_absolute_url()).status_code == 404
    assert as_user(world.outsider).get(reverse("tasks:task", args=[overdue.pk])).status_code == 404


# --- The leader's home ---------------------------------------------------------------------


def test_the_leader_home_shows_the_tasks_they_lead_the_overdue_first(world, task, overdue, as_user):
    page = as_user(world.leader).get("/").content.decode()
    assert "我牵头的任务" in page
    assert page.index("完成代表联络站标准化建设验收") < page.index("开展市人大代表履职培训")
    assert reverse("tasks:task", args=[overdue.pk]) + "#instruct" in page  # 批示 on the overdue
    assert "<svg" in page and "polyline" in page  # the sparkline, no script
    assert "逾期或滞后" in page


def test_the_leader_home_query_count_does_not_grow_with_tasks(world, task, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(numbers):
        for n in numbers:
            extra = TaskFactory(
                task_list=task.task_list,
                aspect=task.aspect,
                number=n,
                lead_unit=world.unit,
                lead_leader=world.leader,
                deadline=TODAY - dt.timedelta(days=n),
            )
            instruction_write(task=extra, by=world.leader, text=f"批示{n}")

    client = as_user(world.leader)
    add(range(3, 13))
    with CaptureQueriesContext(connection) as some:
        client.get("/")
    add(range(13, 33))
    with CaptureQueriesContext(connection) as more:
        page = client.get("/").content.decode()
    assert "我牵头的任务" in page and "我牵头的全部31项任务" in page
    assert len(more) == len(some)


def test_other_roles_get_no_leader_panels(world, task, overdue, as_user):
    for person in (world.staff, world.unit_contact):
        page = as_user(person).get("/").content.decode()
        assert "我牵头的任务" not in page and "本月工作进展报告" not in page


def test_the_leader_home_offers_the_month_report_and_the_scores_to_confirm(world, task, as_user):
    page = as_user(world.leader).get("/").content.decode()
    assert "本月工作进展报告" in page and "尚未生成" in page
    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    report = GeneratedReport.objects.create(
        month=last_month,
        status=GeneratedReport.Status.DONE,
        trigger=GeneratedReport.Trigger.SCHEDULED,
        file="reports/x.pdf",
        pages=9,
        finished_at=timezone.now(),
    )
    Assessment.objects.create(
        task=task, unit=world.unit, year=TODAY.year, quarter=1, total=85, **SCORES
    )
    page = as_user(world.leader).get("/").content.decode()
    assert reverse("reports:download", args=[report.pk]) in page
    assert "待确认的季度评分" in page and "1项评分待确认" in page


# --- The monthly PDF ---------------------------------------------------------------------


def test_instructions_and_answers_appear_in_the_month_pdf(world, overdue, tmp_path):
    month = dt.date(TODAY.year, 1, 1) if TODAY.month > 1 else dt.date(TODAY.year - 1, 12, 1)
    written = month.replace(day=5)
    answered = instruction_write(task=overdue, by=world.leader, text="请尽快完成验收。", on=written)
    handover_answer(
        handover=answered.handover,
        by=world.unit_contact,
        text="验收已于月中完成。",
        on=month.replace(day=15),
    )
    instruction_write(
        task=overdue, by=world.leader, text="请总结经验做法。", on=month.replace(day=20)
    )
    later = month.replace(day=28) + dt.timedelta(days=10)
    instruction_write(task=overdue, by=world.leader, text="下月的批示不在本月报告中。", on=later)
    path = tmp_path / "month.pdf"
    path.write_bytes(render_monthly(month).pdf)
    text = "".join(pdf_text(path, layout=False).split())
    assert "领导批示" in text
    assert "请尽快完成验收。" in text and "验收已于月中完成。" in text
    assert "请总结经验做法。" in text and "逾期未答复" in text  # due the 25th
    assert "下月的批示" not in text
    assert "本月领导批示（条）2" in text and "月末已答复1条" in text


def test_the_task_list_offers_a_leader_their_tasks_and_批示_on_those_behind(
    world, task, overdue, as_user
):
    url = reverse("tasks:index", query={"list": task.task_list_id})
    page = as_user(world.leader).get(url).content.decode()
    instruct = reverse("tasks:task", args=[overdue.pk]) + "#instruct"
    assert instruct in page
    assert reverse("tasks:task", args=[task.pk]) + "#instruct" not in page  # on track
    assert f"leader={world.leader.pk}" in page and "只看我牵头的任务" in page
    for person in (world.staff, world.unit_contact):
        page = as_user(person).get(url).content.decode()
        assert instruct not in page and "只看我牵头的任务" not in page
