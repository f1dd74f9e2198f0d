"""Races found in review, on PostgreSQL with real concurrent transactions.

The first writer holds its uncommitted row until the second one is seen waiting on a
lock (pg_stat_activity), so the interleaving is the same on every run.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tasks.models import Assessment, TaskList
from tasks.services import TasksError
from tasks.services.assessment import assessment_record, assessments_confirm
from tasks.services.lists import tasklist_create
from tests.tasks.factories import SCORES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.fail("these tests need PostgreSQL (run them through scripts/test.sh)")


def _someone_waits_on_a_lock(timeout: float = 20.0) -> None:
    """Block until another session of this database waits on a row or index lock."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never waited on the first one's lock")


def hold_then_race(first, second) -> str:
    """Run ``first`` in an open transaction, start ``second`` in a thread, commit ``first``
    once ``second`` waits on its lock; return "ok" or the error ``second`` raised."""
    outcome: list[str] = []
    started = threading.Event()

    def run():
        started.wait()
        try:
            second()
            outcome.append("ok")
        except TasksError as error:
            outcome.append(str(error))
        except Exception as error:  # the defect: anything else is a 500
            outcome.append(f"CRASH {type(error).__name__}")
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    with transaction.atomic():
        first()
        thread.start()
        started.set()
        # A separate connection watches; this one keeps its transaction open.
        watcher = threading.Thread(target=lambda: (_someone_waits_on_a_lock(), connection.close()))
        watcher.start()
        watcher.join()
    thread.join()
    return outcome[0]


def test_two_imports_of_one_title_at_once_give_a_clear_error():
    def create():
        tasklist_create(year=2025, title="2025年任务清单", kind=TaskList.Kind.COMMITTEE)

    result = hold_then_race(create, create)
    assert "已有同名清单" in result
    assert TaskList.objects.filter(title="2025年任务清单").count() == 1


def _score(task, by, version=0, **changes):
    return lambda: assessment_record(
        task=task, year=2025, quarter=1, by=by, version=version, **{**SCORES, **changes}
    )


def test_two_first_scorings_at_once_give_a_clear_error(world, task):
    result = hold_then_race(_score(task, world.staff), _score(task, world.staff, quality=5))
    assert not result.startswith("CRASH") and result != "ok"
    assert Assessment.objects.get().quality == 22


def test_a_save_racing_the_leaders_confirmation_never_erases_it(world, task):
    scored = assessment_record(task=task, year=2025, quarter=1, by=world.staff, version=0, **SCORES)

    def confirm():
        assessments_confirm(task_list=task.task_list, year=2025, quarter=1, by=world.leader)

    result = hold_then_race(confirm, _score(task, world.staff, scored.version, quality=5))
    assert "确认" in result
    saved = Assessment.objects.get()
    assert saved.confirmed_at is not None and saved.confirmed_by == world.leader
    assert saved.quality == 22
