"""Two people saving the same task (or reviewing the same report) at the same moment, on
PostgreSQL with real concurrent transactions: exactly one wins, the other is told."""

import threading

import pytest
from django.db import connection

from tasks.models import ProgressReport, Task
from tasks.services import TasksError
from tasks.services.lists import task_update
from tasks.services.progress import progress_report_accept, progress_report_return
from tests.tasks.factories import ProgressReportFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.fail("these tests need PostgreSQL (run them through scripts/test.sh)")


def race(*actions) -> list[str]:
    """Run the actions in threads released together; each returns "ok" or the error."""
    barrier = threading.Barrier(len(actions))
    results: list[str] = []

    def run(action):
        try:
            barrier.wait()
            action()
            results.append("ok")
        except TasksError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_editors_of_one_version(world, task):
    version = task.version

    def edit(text):
        return lambda: task_update(
            task=Task.objects.get(pk=task.pk), by=world.staff, version=version, content=text
        )

    results = race(edit("甲的修改"), edit("乙的修改"))
    assert sorted(r == "ok" for r in results) == [False, True]
    task.refresh_from_db()
    assert task.version == version + 1 and task.content in ("甲的修改", "乙的修改")


def test_accept_and_return_racing_on_one_report(world, task):
    report = ProgressReportFactory(task=task)

    def accept():
        progress_report_accept(report=report, version=report.version, by=world.staff)

    def give_back():
        progress_report_return(
            report=report, version=report.version, by=world.staff, comment="请补充"
        )

    results = race(accept, give_back)
    assert results.count("ok") == 1
    report.refresh_from_db()
    assert report.status in (ProgressReport.Status.ACCEPTED, ProgressReport.Status.RETURNED)
    assert report.version == 2
