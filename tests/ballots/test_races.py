"""One code, one ballot, also when two requests spend it at the same moment (PostgreSQL,
real concurrent transactions; the interleaving of tests/tasks/test_races.py: the first
holds its uncommitted ballot until the second waits on its lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from ballots.models import Ballot, Code
from ballots.services import BallotError, ballot_cast, codes_issue, poll_open
from tests.tasks.test_races import _someone_waits_on_a_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.fail("these tests need PostgreSQL (run them through scripts/test.sh)")


def race(first, second) -> str:
    outcome: list[str] = []
    started = threading.Event()

    def run():
        started.wait()
        try:
            second()
            outcome.append("ok")
        except BallotError as error:
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
        watcher = threading.Thread(target=lambda: (_someone_waits_on_a_lock(), connection.close()))
        watcher.start()
        watcher.join()
    thread.join()
    return outcome[0]


def test_the_same_code_twice_at_once_stores_one_ballot(hall):
    hall.check_in(9)
    poll = hall.poll()
    poll_open(poll=poll, by=hall.by)
    code = codes_issue(poll=poll, by=hall.by)[0]

    def cast(value):
        return lambda: ballot_cast(code=code, choices={"project:1": value})

    result = race(cast("yes"), cast("no"))
    assert "已经投过票" in result
    assert Ballot.objects.count() == 1
    assert list(Ballot.objects.get().choices.values()).count("yes") == 1
    assert Code.objects.filter(state=Code.State.SPENT).count() == 1


def test_many_voters_at_once_never_pass_the_check_ins(hall):
    hall.check_in(7)
    poll = hall.poll()
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=3)  # 10 slips, 7 deputies present
    outcomes: list[str] = []
    barrier = threading.Barrier(len(codes))

    def vote(code):
        barrier.wait()
        try:
            ballot_cast(code=code, choices={"project:1": "yes"})
            outcomes.append("ok")
        except BallotError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 7
    assert Ballot.objects.count() == 7
    assert Code.objects.filter(state=Code.State.SPENT).count() == 7
