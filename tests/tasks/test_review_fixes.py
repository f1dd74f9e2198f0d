"""Defects found in review: each test failed before its fix."""

import datetime

import pytest

from tasks import selectors, services
from tasks.models import ProgressReport, TaskList
from tasks.services import TasksError
from tests.tasks.factories import ProgressReportFactory

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
