"""The status rule stays cheap without changing what it says.

The pages and the PDF run the rule only over the tasks it can tell apart: the home
page's counts over the latest year's lists, the late tasks over the tasks not finished
by the day (``Task.objects.open_on(day)``; a finished task is done whatever else is
true). Here, on the whole demo city and on every day of a year, those cheap reads give
what the rule gives when it runs over every task of every year."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from tasks.models import Task, TaskList
from tasks.selectors import behind_tasks, status_counts_by_list
from tasks.status import TaskStatus

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]


def every_day_of_a_year():
    today = timezone.localdate()
    first = today - datetime.timedelta(days=364)
    return [first + datetime.timedelta(days=n) for n in range(365)]


def test_cheap_reads_agree_with_the_rule_over_every_task_on_every_day_of_a_year():
    latest_year = TaskList.objects.order_by("-year").values_list("year", flat=True).first()
    assert Task.objects.filter(task_list__year__lt=latest_year).exists()  # past years kept
    checked = Counter()
    for day in every_day_of_a_year():
        everything = dict(Task.objects.with_status(day).values_list("pk", "status"))
        open_then = dict(Task.objects.open_on(day).with_status(day).values_list("pk", "status"))
        # A task outside the open ones is done; the open ones have the rule's status.
        assert {pk: everything[pk] for pk in open_then} == open_then, day
        assert all(
            status == TaskStatus.DONE for pk, status in everything.items() if pk not in open_then
        ), day
        late = {pk for pk, s in everything.items() if s in (TaskStatus.OVERDUE, TaskStatus.LAGGING)}
        assert set(behind_tasks(today=day).values_list("pk", flat=True)) == late, day
        by_list = Counter(
            (task_list, status)
            for task_list, status in Task.objects.filter(task_list__year=latest_year)
            .with_status(day)
            .values_list("task_list", "status")
        )
        for task_list, counts in status_counts_by_list(today=day):
            assert task_list.year == latest_year
            assert {s: n for s, n in counts.items() if n} == {
                s: by_list[(task_list.pk, s)]
                for s in TaskStatus.values
                if by_list[(task_list.pk, s)]
            }, day
        checked.update(everything.values())
    # The year went through every status, and both kinds of late task were checked.
    assert all(checked[s] for s in TaskStatus.values), checked
