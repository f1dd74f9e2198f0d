"""Numbers given at the same moment never collide (PostgreSQL: real concurrent
transactions, the counter's row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from suggestions.models import Suggestion
from tests.suggestions.conftest import submitted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_deputies_submitting_at_the_same_moment_get_six_numbers(world, deputies):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through scripts/test.sh)")
    barrier = threading.Barrier(6)
    errors: list[Exception] = []

    def submit(n: int) -> None:
        try:
            barrier.wait()
            submitted(world, deputies, title=f"关于第{n}条村道硬化的建议")
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Suggestion.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
