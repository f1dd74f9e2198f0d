"""Leaders' instructions 批示 / 督办 on tasks: each is handed to the task's lead unit
through ``handovers`` (kind "instruction", registered in apps.py), due by the next
report day unless the leader sets a day; the unit answers it from its inbox and the
leader who wrote it rates the answer (不满意 sends it back once)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from handovers.models import Handover, Step
from handovers.services import HandoverError, handover_create
from notifications.models import Kind as NoticeKind
from notifications.services import notifications_send
from notifications.sweeps import long_date
from organisation.access import has_role
from organisation.models import User
from organisation.roles import INSTRUCTORS, Role
from tasks.models import Instruction, Task
from tasks.services import TasksError
from tasks.services.supervision import city_of
from tasks.status import next_report_day

#: The handover kind of an instruction (registered in apps.py).
INSTRUCTION = "instruction"


def may_instruct(user: User) -> bool:
    """Leaders (and administrators) write instructions."""
    return user.is_authenticated and has_role(user, INSTRUCTORS)


@transaction.atomic
def instruction_write(
    *,
    task: Task,
    by: User,
    text: str,
    due_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> Instruction:
    """批示: ``by`` instructs the task's lead unit; due by the next report day (the 25th)
    unless ``due_on`` is given. The unit's contacts and the office's staff are told."""
    if not may_instruct(by):
        raise TasksError(_("Only a committee leader writes an instruction."), forbidden=True)
    text = text.strip()
    if not text:
        raise TasksError(_("Write the instruction."), field="text")
    today = on or timezone.localdate()
    due_on = due_on or next_report_day(today)
    if due_on < today:
        raise TasksError(_("The answer cannot be due before today."), field="due_on")
    if due_on > today + datetime.timedelta(days=366):
        raise TasksError(_("The answer must be due within a year."), field="due_on")
    instruction = Instruction.objects.create(task=task, leader=by, text=text, written_on=today)
    try:
        handover = handover_create(
            kind=INSTRUCTION,
            subject=instruction,
            title=_("Instruction on task %(number)s: %(text)s")
            % {"number": task.number, "text": Truncator(" ".join(text.split())).chars(100)},
            region=city_of(task.lead_unit),
            unit=task.lead_unit,
            by=by,
            due_on=due_on,
            rater=by,
            leader=task.lead_leader or by,
            handed_on=today,
        )
    except HandoverError as error:
        raise TasksError(str(error), field=error.field) from error
    # The timeline of the handover's page shows the instruction in full.
    Step.objects.filter(handover=handover, action=Step.Action.HANDED).update(text=text)
    instruction.handover = handover
    instruction.save(update_fields=["handover"])
    staff = get_user_model().objects.filter(is_active=True, role=Role.STAFF)
    notifications_send(
        users=staff,
        kind=NoticeKind.HANDOVER,
        title=_("%(leader)s instructed %(unit)s on task %(number)s")
        % {"leader": by.display_name, "unit": task.lead_unit, "number": task.number},
        body=_("Answer due %(due)s. %(text)s") % {"due": long_date(due_on), "text": text},
        url=instruction_page(instruction),
        key=f"instruction:{instruction.pk}:staff",
    )
    return instruction


def instruction_page(instruction: Instruction) -> str:
    return reverse(
        "tasks:task", args=[instruction.task_id], fragment=f"instruction-{instruction.pk}"
    )


def instruction_url(handover: Handover) -> str:
    """``HandoverKind.subject_url`` of an instruction: the task page, at the instruction."""
    task_id = (
        Instruction.objects.filter(pk=handover.subject_id).values_list("task_id", flat=True).first()
    )
    if task_id is None:
        return ""
    return reverse("tasks:task", args=[task_id], fragment=f"instruction-{handover.subject_id}")
