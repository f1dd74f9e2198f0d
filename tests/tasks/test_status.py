"""The derived status rule (tasks/status.py), one case per branch, at fixed days."""

import datetime

import factory
import pytest
from django.utils import timezone

from tasks.models import ProgressReport, Task
from tasks.status import TaskStatus, due_report_month, task_status
from tests.tasks.factories import MilestoneFactory
from tests.tasks.factories import ProgressReportFactory as ReportFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 18)  # before the 25th: February's report is due


class ProgressReportFactory(ReportFactory):
    """Reports sent on the 10th of their month (before DAY): the rule counts only what
    was sent by the day it is computed for."""

    submitted_at = factory.LazyAttribute(
        lambda o: (
            timezone.make_aware(datetime.datetime.combine(o.month, datetime.time(10)))
            + datetime.timedelta(days=9)
        )
    )


def status(task, today=DAY) -> str:
    return Task.objects.with_status(today).get(pk=task.pk).status


def test_due_report_month_turns_after_the_25th():
    assert due_report_month(datetime.date(2025, 3, 25)) == datetime.date(2025, 2, 1)
    assert due_report_month(datetime.date(2025, 3, 26)) == datetime.date(2025, 3, 1)
    assert due_report_month(datetime.date(2025, 1, 5)) == datetime.date(2024, 12, 1)


def test_new_task_without_anything_is_not_started(task):
    assert status(task) == TaskStatus.NOT_STARTED


def test_reported_task_is_on_track(task):
    ProgressReportFactory(task=task, month=datetime.date(2025, 2, 1))
    assert status(task) == TaskStatus.ON_TRACK


def test_done_milestone_alone_means_started(task):
    MilestoneFactory(task=task, due_date=DAY, done_on=DAY)
    assert status(task) == TaskStatus.ON_TRACK


def test_late_milestone_makes_it_lag(task):
    ProgressReportFactory(task=task, month=datetime.date(2025, 2, 1))
    MilestoneFactory(task=task, due_date=datetime.date(2025, 3, 10))
    assert status(task) == TaskStatus.LAGGING
    assert status(task, datetime.date(2025, 3, 10)) == TaskStatus.ON_TRACK  # due today: not late


def test_missing_report_of_the_due_month_makes_it_lag(task):
    task.task_list.reports_start = datetime.date(2025, 1, 1)
    task.task_list.save()
    ProgressReportFactory(task=task, month=datetime.date(2025, 1, 1))
    assert status(task) == TaskStatus.LAGGING
    # before reporting starts, a missing report does not count
    assert status(task, datetime.date(2025, 1, 20)) == TaskStatus.ON_TRACK


def test_returned_report_counts_as_missing_and_cooperating_report_does_not_replace_it(task, world):
    task.task_list.reports_start = datetime.date(2025, 1, 1)
    task.task_list.save()
    task.cooperating_units.add(world.other_unit)
    ProgressReportFactory(
        task=task, month=datetime.date(2025, 2, 1), status=ProgressReport.Status.RETURNED
    )
    ProgressReportFactory(task=task, unit=world.other_unit, month=datetime.date(2025, 2, 1))
    assert status(task) == TaskStatus.LAGGING


def test_past_deadline_is_overdue_but_long_term_never(task):
    task.deadline = datetime.date(2025, 3, 17)
    task.save()
    assert status(task) == TaskStatus.OVERDUE
    assert status(task, datetime.date(2025, 3, 17)) == TaskStatus.NOT_STARTED
    task.is_long_term, task.deadline = True, None
    task.save()
    assert status(task) == TaskStatus.NOT_STARTED


def test_done_wins_over_everything(task):
    task.deadline = datetime.date(2025, 1, 1)
    task.completed_on = datetime.date(2025, 3, 1)
    task.save()
    MilestoneFactory(task=task, due_date=datetime.date(2025, 2, 1))
    assert status(task) == TaskStatus.DONE


def test_task_status_reads_the_annotation_or_queries(task, django_assert_num_queries):
    annotated = Task.objects.with_status(DAY).get(pk=task.pk)
    with django_assert_num_queries(0):
        assert task_status(annotated, DAY) == TaskStatus.NOT_STARTED
    plain = Task.objects.get(pk=task.pk)
    with django_assert_num_queries(1):
        assert task_status(plain, DAY) == TaskStatus.NOT_STARTED


def test_filtering_by_status_uses_the_same_rule(task):
    task.deadline = datetime.date(2025, 3, 1)
    task.save()
    assert list(Task.objects.with_status(DAY).filter(status=TaskStatus.OVERDUE)) == [task]
    assert not Task.objects.with_status(DAY).filter(status=TaskStatus.ON_TRACK).exists()
