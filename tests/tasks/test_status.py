"""The derived status rule (tasks/status.py), one case per branch, at fixed days."""

import datetime

import factory
import pytest
from django.utils import timezone

from tasks import selectors
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


# --- Reports due (home page of a unit contact) follow the status rule's due month ---------


def test_reports_due_on_the_2nd_ask_for_the_previous_month(world, task):
    """On 2 April the March report is the one due (until the 25th), as the status rule says."""
    today = datetime.date(2025, 4, 2)
    task.task_list.reports_start = datetime.date(2025, 1, 1)
    task.task_list.save()
    due = selectors.reports_due_for(world.unit_contact, today=today)
    assert list(due) == [task]

    # March's report is in: nothing is due, although April's report is not written yet.
    ReportFactory(task=task, month=datetime.date(2025, 3, 1))
    assert list(selectors.reports_due_for(world.unit_contact, today=today)) == []
    # An April report alone does not stand for March.
    ProgressReport.objects.all().delete()
    ReportFactory(task=task, month=datetime.date(2025, 4, 1))
    assert list(selectors.reports_due_for(world.unit_contact, today=today)) == [task]


def test_reports_due_skip_a_list_whose_reports_start_after_the_due_month(world, task):
    task.task_list.reports_start = datetime.date(2025, 4, 1)
    task.task_list.save()
    assert (
        list(selectors.reports_due_for(world.unit_contact, today=datetime.date(2025, 4, 2))) == []
    )


# --- The status and the PDF as of a past day show what was known then ---------------------


MARCH_END = datetime.date(2025, 3, 31)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_task_completed_in_april_is_not_done_in_march(world, task):
    task.is_long_term, task.deadline = True, None
    task.percent_done, task.completed_on = 100, datetime.date(2025, 4, 10)
    task.save()
    ReportFactory(
        task=task,
        month=datetime.date(2025, 3, 1),
        percent=60,
        status="accepted",
        submitted_at=_at(datetime.date(2025, 3, 20)),
    )
    assert status(task, datetime.date(2025, 4, 30)) == TaskStatus.DONE
    assert status(task, MARCH_END) == TaskStatus.ON_TRACK


def test_reports_and_milestones_after_the_day_do_not_count_yet(world, task):
    task.is_long_term, task.deadline = True, None
    task.save()
    milestone = MilestoneFactory(
        task=task, due_date=datetime.date(2025, 3, 10), done_on=datetime.date(2025, 4, 5)
    )
    # Done in April: on 31 March it was late, on 30 April it is not.
    assert status(task, MARCH_END) == TaskStatus.LAGGING
    milestone.due_date = datetime.date(2025, 4, 20)
    milestone.save()
    # Not due yet on 31 March, done only in April: nothing had started by then.
    assert status(task, MARCH_END) == TaskStatus.NOT_STARTED
    # A March report sent in April did not exist on 31 March.
    ReportFactory(
        task=task, month=datetime.date(2025, 3, 1), submitted_at=_at(datetime.date(2025, 4, 2))
    )
    assert status(task, MARCH_END) == TaskStatus.NOT_STARTED
    assert status(task, datetime.date(2025, 4, 30)) == TaskStatus.ON_TRACK
    # Reports due from March: on 31 March the February report was the one due... and on
    # 26 March the March report is due and was not in until April: lagging then.
    task.task_list.reports_start = datetime.date(2025, 3, 1)
    task.task_list.save()
    assert status(task, datetime.date(2025, 3, 26)) == TaskStatus.LAGGING
    assert status(task, datetime.date(2025, 4, 3)) == TaskStatus.ON_TRACK


def test_the_march_pdf_shows_marchs_status_and_progress(world, task):
    from reports.sections import ReportPeriod
    from tasks.report_sections import sections

    task.task_list.year = 2025
    task.task_list.save()
    task.is_long_term, task.deadline, task.weight = True, None, 1
    task.percent_done, task.completed_on = 100, datetime.date(2025, 4, 10)
    task.save()
    ReportFactory(
        task=task,
        month=datetime.date(2025, 3, 1),
        percent=60,
        status="accepted",
        submitted_at=_at(datetime.date(2025, 3, 20)),
        reviewed_at=_at(datetime.date(2025, 3, 28)),
    )
    ReportFactory(
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
