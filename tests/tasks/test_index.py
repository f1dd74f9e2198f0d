"""/tasks/: grouping, filters (htmx, shareable URLs, invalid input), the query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.status import TaskStatus
from tests.tasks.factories import TaskFactory, build_list

pytestmark = pytest.mark.django_db

INDEX = reverse("tasks:index")


def shown(response) -> list[int]:
    return [t.number for g in response.context["groups"] for t in g.tasks]


@pytest.mark.parametrize("person", ["staff", "unit_contact"])
def test_query_count_is_the_same_for_84_and_840_tasks(
    world, as_user, person, django_assert_num_queries
):
    """The page's queries do not grow with the list (pinned at two sizes)."""
    small = build_list(
        tasks=84, aspects=11, lead=world.unit, helper=world.other_unit, leader=world.leader
    )
    large = build_list(
        tasks=840, aspects=11, lead=world.unit, helper=world.other_unit, leader=world.leader
    )
    client = as_user(world.people[person])
    client.get(INDEX)  # session and language warm-up
    # session, user, lists, the aspects with their progress (also the filter's choices),
    # the rows, their cooperating units, the unread count, the filter's units and leaders
    budget = 9
    with django_assert_num_queries(budget):
        response = client.get(INDEX, {"list": small.pk})
    assert len(shown(response)) == 84
    with django_assert_num_queries(budget):
        response = client.get(INDEX, {"list": large.pk})
    assert len(shown(response)) == 840
    with CaptureQueriesContext(connection) as filtered:
        client.get(INDEX, {"list": large.pk, "status": "lagging", "q": "任务"})
    assert len(filtered) == budget + 1  # filtered, the counts of the whole list are a query


def test_status_counts_are_the_whole_lists_with_or_without_a_filter(world, as_user):
    """Unfiltered, the counts come from the rows shown; filtered, from a query: the same
    figures either way, and a filter never shrinks them."""
    task_list = build_list(
        tasks=12, aspects=3, lead=world.unit, helper=world.other_unit, leader=world.leader
    )
    client = as_user(world.staff)
    body = client.get(INDEX, {"list": task_list.pk}).content.decode()
    # each row names its lead unit, the units helping and the lead leader
    assert f"{world.unit} · " in body and str(world.other_unit) in body
    assert world.leader.display_name in body

    def counts(params):
        response = client.get(INDEX, {"list": task_list.pk, **params})
        return {status.value: n for status, n, _badge in response.context["status_counts"]}

    whole = counts({})
    assert sum(whole.values()) == 12
    assert counts({"status": TaskStatus.OVERDUE}) == whole
    assert counts({"q": "no task says this"}) == whole


def test_grouped_by_aspect_with_progress(world, as_user):
    task_list = build_list(tasks=6, aspects=2, lead=world.unit, helper=world.other_unit)
    response = as_user(world.staff).get(INDEX, {"list": task_list.pk})
    groups = response.context["groups"]
    assert [g.aspect.number for g in groups] == [1, 2]
    assert [t.number for t in groups[0].tasks] == [1, 3, 5]
    # weights all 1: % done of tasks 1, 3, 5 are 0, 2, 4
    assert groups[0].progress == 2
    assert 'role="progressbar"' in response.content.decode()


def test_filters_narrow_the_list_and_keep_the_url(world, as_user, task):
    other = TaskFactory(
        task_list=task.task_list,
        aspect=task.aspect,
        lead_unit=world.other_unit,
        content="开展执法检查",
    )
    client = as_user(world.staff)
    assert shown(client.get(INDEX, {"unit": world.other_unit.pk})) == [other.number]
    assert shown(client.get(INDEX, {"q": "执法"})) == [other.number]
    assert shown(client.get(INDEX, {"leader": world.leader.pk})) == [task.number]
    assert shown(client.get(INDEX, {"status": TaskStatus.OVERDUE})) == []
    assert sorted(shown(client.get(INDEX, {"status": TaskStatus.NOT_STARTED}))) == sorted(
        [task.number, other.number]
    )
    response = client.get(INDEX, {"q": "执法"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="results"' in body
    assert "q=%E6%89%A7%E6%B3%95" in body  # the export link keeps the filters


@pytest.mark.parametrize(
    "params", [{"status": "nonsense"}, {"unit": "abc"}, {"aspect": "999999"}, {"list": "999999"}]
)
def test_invalid_filter_answers_400_with_the_error(world, as_user, task, params):
    response = as_user(world.staff).get(INDEX, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_export_of_a_filtered_view(world, as_user, task):
    from io import BytesIO

    from openpyxl import load_workbook

    TaskFactory(
        task_list=task.task_list,
        aspect=task.aspect,
        lead_unit=world.other_unit,
        content="开展执法检查",
    )
    response = as_user(world.staff).get(reverse("tasks:export"), {"q": "执法"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == ["开展执法检查"]
