"""Factories for the task lists, and a fast builder for lists of any size."""

from __future__ import annotations

import datetime
import io

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from organisation.models import Unit, User
from tasks.excel import HEADERS
from tasks.models import Aspect, Milestone, ProgressReport, Task, TaskList

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)
LATER = TODAY + datetime.timedelta(days=180)
SCORES = {"completion": 25, "timeliness": 20, "quality": 22, "evidence_score": 18}  # quarterly


class TaskListFactory(DjangoModelFactory):
    class Meta:
        model = TaskList

    year = TODAY.year
    title = factory.Sequence(lambda n: f"测试任务清单{n}")
    kind = TaskList.Kind.COMMITTEE
    issuer = "市人大常委会党组"
    reports_start = None  # no report is due unless a test says so


class AspectFactory(DjangoModelFactory):
    class Meta:
        model = Aspect

    task_list = factory.SubFactory(TaskListFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"方面{n}")


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    aspect = factory.SubFactory(AspectFactory)
    task_list = factory.LazyAttribute(lambda o: o.aspect.task_list)
    number = factory.Sequence(lambda n: n + 1)
    content = factory.Sequence(lambda n: f"开展第{n}项专题调研并形成报告")
    expected_result = "形成调研报告"
    deadline = LATER
    weight = 1


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    task = factory.SubFactory(TaskFactory)
    title = "制定工作方案"
    due_date = LATER


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    task = factory.SubFactory(TaskFactory)
    unit = factory.LazyAttribute(lambda o: o.task.lead_unit)
    month = THIS_MONTH
    text = "已制定工作方案。"
    percent = 30
    status = ProgressReport.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


def build_list(
    *, tasks: int, aspects: int, lead: Unit, helper: Unit, leader: User | None = None
) -> TaskList:
    """A list of ``tasks`` tasks with cooperating units, milestones and reports (bulk)."""
    task_list = TaskListFactory(title=f"规模测试清单{tasks}")
    aspect_rows = Aspect.objects.bulk_create(
        [Aspect(task_list=task_list, number=n, title=f"方面{n}") for n in range(1, aspects + 1)]
    )
    rows = Task.objects.bulk_create(
        [
            Task(
                task_list=task_list,
                aspect=aspect_rows[i % aspects],
                number=i + 1,
                content=f"任务{i + 1}",
                lead_unit=lead,
                lead_leader=leader,
                deadline=None if i % 3 == 0 else LATER,
                is_long_term=i % 3 == 0,
                percent_done=i % 100,
            )
            for i in range(tasks)
        ]
    )
    through = Task.cooperating_units.through
    through.objects.bulk_create([through(task_id=t.pk, unit_id=helper.pk) for t in rows[::2]])
    Milestone.objects.bulk_create(
        [
            Milestone(task=t, title="节点", due_date=TODAY - datetime.timedelta(days=3))
            for t in rows[::5]
        ]
    )
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                task=t,
                unit=lead,
                month=THIS_MONTH,
                text="进展",
                percent=40,
                status=ProgressReport.Status.ACCEPTED,
            )
            for t in rows[::2]
        ]
    )
    return task_list


def xlsx(rows: list[list], headers: list[str] | None = None) -> bytes:
    """An .xlsx file with the given header row and rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS if headers is None else headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
