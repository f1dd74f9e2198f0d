"""Leaders' instructions 批示 / 督办: a handover to the task's lead unit."""

import datetime as dt

import pytest

from handovers.models import Handover
from handovers.services import handover_answer, handover_rate
from notifications.models import Notification
from tasks.selectors import instruction_answer, instructions_between, latest_instructions
from tasks.services import TasksError
from tasks.services.instructions import instruction_write
from tasks.status import next_report_day


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (dt.date(2026, 11, 3), dt.date(2026, 11, 25)),
        (dt.date(2026, 11, 24), dt.date(2026, 11, 25)),
        (dt.date(2026, 11, 25), dt.date(2026, 12, 25)),
        (dt.date(2026, 12, 30), dt.date(2027, 1, 25)),
    ],
)
def test_the_answer_is_due_by_the_next_report_day(today, due):
    assert next_report_day(today) == due


def test_an_instruction_is_handed_to_the_lead_unit_and_told_to_unit_and_staff(world, task):
    instruction = instruction_write(
        task=task, by=world.leader, text="请加快培训进度，月底前报送方案。", on=dt.date(2026, 11, 3)
    )
    handover = instruction.handover
    assert handover.kind == "instruction"
    assert handover.unit == world.unit
    assert handover.due_on == dt.date(2026, 11, 25)
    assert handover.rater == world.leader
    assert handover.state == Handover.State.HANDED
    assert Notification.objects.filter(
        user=world.unit_contact, url=handover.get_absolute_url()
    ).exists()
    staff_notice = Notification.objects.get(user=world.staff)
    assert "舒国平" in staff_notice.title
    assert staff_notice.url.endswith(f"#instruction-{instruction.pk}")
    assert not Notification.objects.filter(user=world.outsider).exists()


def test_the_leader_may_set_the_day(world, task):
    instruction = instruction_write(
        task=task,
        by=world.leader,
        text="十日内答复。",
        due_on=dt.date(2026, 11, 13),
        on=dt.date(2026, 11, 3),
    )
    assert instruction.handover.due_on == dt.date(2026, 11, 13)
    with pytest.raises(TasksError) as refused:
        instruction_write(
            task=task,
            by=world.leader,
            text="x",
            due_on=dt.date(2026, 11, 1),
            on=dt.date(2026, 11, 3),
        )
    assert refused.value.field == "due_on"


@pytest.mark.parametrize(
    "person", ["staff", "unit_contact", "secretary", "deputy", "outsider", "county_secretary"]
)
def test_only_leaders_and_administrators_instruct(world, task, person):
    with pytest.raises(TasksError) as refused:
        instruction_write(task=task, by=getattr(world, person), text="请加快。")
    assert refused.value.forbidden
    assert instruction_write(task=task, by=world.admin, text="请加快。").handover is not None


def test_the_unit_answers_and_the_leader_rates(world, task):
    instruction = instruction_write(
        task=task, by=world.leader, text="请加快培训进度。", on=dt.date(2026, 11, 3)
    )
    handover_answer(
        handover=instruction.handover,
        by=world.unit_contact,
        text="已完成第一期培训。",
        on=dt.date(2026, 11, 10),
    )
    assert Notification.objects.filter(user=world.leader, title__contains="培训").exists()
    handover_rate(
        handover=Handover.objects.get(pk=instruction.handover_id),
        by=world.leader,
        rating="satisfied",
    )
    latest = latest_instructions([task.pk])[task.pk]
    assert latest.handover.state == Handover.State.CLOSED
    assert instruction_answer(latest, dt.date(2026, 11, 30)) == "已完成第一期培训。"
    assert instruction_answer(latest, dt.date(2026, 11, 5)) == ""


def test_latest_instructions_as_of_a_day(world, task, django_assert_num_queries):
    first = instruction_write(task=task, by=world.leader, text="一", on=dt.date(2026, 10, 3))
    instruction_write(task=task, by=world.leader, text="二", on=dt.date(2026, 11, 3))
    with django_assert_num_queries(1):
        latest = latest_instructions([task.pk], as_of=dt.date(2026, 10, 31))
        assert latest[task.pk].leader.display_name == "舒国平"
    assert latest[task.pk] == first
    assert latest_instructions([task.pk])[task.pk].text == "二"
    # November's: its own, and October's still unanswered when November began.
    november = instructions_between(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [i.text for i in november] == ["一", "二"]
    handover_answer(
        handover=first.handover, by=world.unit_contact, text="已办", on=dt.date(2026, 10, 20)
    )
    november = instructions_between(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [i.text for i in november] == ["二"]
