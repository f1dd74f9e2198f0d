"""The demo lists: their size, a lively mix of statuses, and a cheap second run."""

import pytest
from django.utils import timezone

from organisation import demo as organisation_demo
from tasks import demo
from tasks.models import Assessment, FollowUpItem, ProgressReport, SupervisionVisit, TaskList
from tasks.selectors import status_counts

pytestmark = pytest.mark.django_db


def test_demo_lists_and_second_run(django_assert_max_num_queries):
    organisation_demo.seed()
    result = demo.seed()
    assert {u.username for u in result["accounts"]} == {
        "leader2",
        "leader3",
        "leader4",
        "leader5",
        "leader6",
    }
    committee = TaskList.objects.get(kind=TaskList.Kind.COMMITTEE)
    party = TaskList.objects.get(kind=TaskList.Kind.PARTY)
    assert (committee.aspects.count(), committee.tasks.count()) == (11, 84)
    assert (party.aspects.count(), party.tasks.count()) == (5, 50)
    statuses = ProgressReport.objects.values_list("status", flat=True).distinct()
    assert set(statuses) == {"submitted", "returned", "accepted"}
    # each report's submission and review are in its history: the task page's timeline
    reviewed = ProgressReport.objects.exclude(status="submitted").count()
    assert ProgressReport.history.count() == ProgressReport.objects.count() + reviewed
    assert SupervisionVisit.objects.count() == 1
    assert FollowUpItem.objects.filter(closed_on__isnull=False).count() == 1
    assert Assessment.objects.filter(quarter=1, task__task_list=committee).count() == 84
    counts = status_counts(today=timezone.localdate(), task_list=committee)
    assert all(counts[s] > 0 for s in ("on_track", "lagging", "overdue", "done"))
    with django_assert_max_num_queries(3):
        demo.seed()
    assert TaskList.objects.count() == 2
