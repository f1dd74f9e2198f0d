"""The derived status rule (tasks/status.py), one case per branch, at fixed days."""

import datetime

import factory
import pytest
from django.utils import timezone

from tasks import selectors
from tasks.models import ProgressReport, Task
from tasks.panels import report_gap
from tasks.status import (
    TaskStatus,
    due_report_month,
    missing_report_months,
    status_reason,
    task_status,
)
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


# --- The gap, the status and its reason agree (issue 16) ---------------------------------

DEC_6 = datetime.date(2026, 12, 6)  # November's report is due (since 25 November)


def with_reason(task, today=DEC_6) -> tuple[str, str]:
    annotated = Task.objects.with_status(today, reasons=True).get(pk=task.pk)
    return annotated.status, status_reason(annotated, today)


@pytest.fixture
def reporting(task):
    task.task_list.year, task.task_list.reports_start = 2026, datetime.date(2026, 9, 1)
    task.task_list.save()
    task.is_long_term, task.deadline = True, None
    task.save()
    return task


def test_a_later_month_does_not_stand_for_the_missing_one(world, reporting):
    """December reported and accepted, November missing: lagging, the to-do names
    November, the reason too; November in: on track, nothing to do."""
    task = reporting
    for month in (9, 10):
        ProgressReportFactory(task=task, month=datetime.date(2026, month, 1), status="accepted")
    ProgressReportFactory(task=task, month=datetime.date(2026, 12, 1), status="accepted")
    assert with_reason(task) == (TaskStatus.LAGGING, "滞后原因：2026年11月进度未报送")
    [due] = selectors.reports_due_for(world.unit_contact, today=DEC_6)
    gap = report_gap(due, DEC_6)
    assert gap.month == datetime.date(2026, 11, 1)
    assert gap.text == "2026年11月进度未报送 · 已逾期11天"
    assert gap.url == f"/tasks/{task.pk}/report/?month=2026-11-01"
    assert missing_report_months(task, task.reports.all(), DEC_6) == [datetime.date(2026, 11, 1)]

    ProgressReportFactory(task=task, month=datetime.date(2026, 11, 1))
    assert with_reason(task) == (TaskStatus.ON_TRACK, "")
    assert list(selectors.reports_due_for(world.unit_contact, today=DEC_6)) == []
    assert missing_report_months(task, task.reports.all(), DEC_6) == []


def test_an_earlier_gap_is_an_empty_month_but_does_not_make_the_task_lag(world, reporting):
    """Only the month now due counts (the rule); an older gap shows in the history."""
    task = reporting
    ProgressReportFactory(task=task, month=datetime.date(2026, 9, 1))
    ProgressReportFactory(task=task, month=datetime.date(2026, 11, 1))
    assert with_reason(task) == (TaskStatus.ON_TRACK, "")
    assert list(selectors.reports_due_for(world.unit_contact, today=DEC_6)) == []
    assert missing_report_months(task, task.reports.all(), DEC_6) == [datetime.date(2026, 10, 1)]


def test_a_returned_report_is_a_gap_named_as_returned(world, reporting):
    task = reporting
    ProgressReportFactory(task=task, month=datetime.date(2026, 11, 1))
    ProgressReportFactory(task=task, month=datetime.date(2026, 10, 1), status="returned")
    [due] = selectors.reports_due_for(world.unit_contact, today=DEC_6)
    assert report_gap(due, DEC_6).text == "2026年10月进度已退回，请重新报送 · 已逾期42天"
    # the returned month now due: lagging, and the to-do item is that month
    ProgressReport.objects.filter(month=datetime.date(2026, 11, 1)).update(status="returned")
    [due] = selectors.reports_due_for(world.unit_contact, today=DEC_6)
    assert due.gap_month == datetime.date(2026, 11, 1)
    assert with_reason(task) == (TaskStatus.LAGGING, "滞后原因：2026年11月进度未报送")


def test_the_reason_names_a_late_milestone_and_a_passed_deadline(world, reporting):
    task = reporting
    ProgressReportFactory(task=task, month=datetime.date(2026, 11, 1))
    MilestoneFactory(task=task, title="形成调研报告", due_date=datetime.date(2026, 12, 1))
    assert with_reason(task) == (
        TaskStatus.LAGGING,
        "滞后原因：节点“形成调研报告”应于2026年12月1日完成",
    )
    task.is_long_term, task.deadline = False, datetime.date(2026, 11, 30)
    task.save()
    assert with_reason(task) == (TaskStatus.OVERDUE, "逾期原因：截止日期2026年11月30日已过")


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
    aspect = by_slug["task-overview"].context["lists"][0]["aspects"][0]
    assert (aspect.task_count, aspect.progress) == (1, 60)
    april = {s.slug: s for s in sections(ReportPeriod(month=datetime.date(2025, 4, 1)))}
    assert april["task-overview"].context["lists"][0]["aspects"][0].progress == 100
